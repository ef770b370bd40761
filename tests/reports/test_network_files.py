"""The round's network for Gephi: GEXF and GraphML read back with networkx, the node and
edge lists read back with csv, all compared with the database and with the metrics of the
network page; who may download them; that downloading writes nothing.

Sigi 2026 (tests/reports/conftest.py): a Dinkes, b Puskesmas (health), c Bappeda
(planning), d Disdik, e "@Forum Anak Sigi" (education); a–b 3, a–c 4, b–c 1, a–d 0,
b–d 2, c–e 2: five links (a–d at "none" is no link).
"""

import csv
import io
from datetime import date

import networkx as nx
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actors.models import Actor
from assessments.models import AssessmentRound, PairAssessment, RoundStatus
from insights.selectors.network import network_for_round
from tests.factories import ActorFactory, RoundFactory, score
from tests.reports.conftest import english

READERS = {"gexf": nx.read_gexf, "graphml": nx.read_graphml}
NAMES = {
    "gexf": "network.gexf",
    "graphml": "network.graphml",
    "nodes": "network-nodes.csv",
    "edges": "network-edges.csv",
}


def network_url(region, kind, **params):
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"/regions/{region.code}/{NAMES[kind]}" + (f"?{query}" if query else "")


def read_graph(response, fmt) -> nx.Graph:
    assert response.status_code == 200, response.content[:300]
    return READERS[fmt](io.BytesIO(response.content))


def read_csv(response) -> list[dict]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def by_name(actors, forum) -> dict:
    a, b, c, d = actors
    return {"a": a, "b": b, "c": c, "d": d, "e": forum}


@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
def test_the_nodes_are_the_rounds_actors_with_the_pages_metrics(
    planner_client, district, scored_round, actors, forum, fmt
):
    graph = read_graph(english(planner_client, network_url(district, fmt)), fmt)
    assert not graph.is_directed()
    named = by_name(actors, forum)
    assert set(graph.nodes) == {str(actor.pk) for actor in named.values()}

    dinkes = graph.nodes[str(named["a"].pk)]
    assert dinkes["label"] == "Dinas Kesehatan Kabupaten Sigi"
    assert dinkes["short_name"] == "Dinkes"
    assert dinkes["sector"] == "Health"
    assert dinkes["is_health"] is True
    assert dinkes["kind"] == "Government agency (OPD)"
    assert dinkes["government_level"] == "District / city (kabupaten/kota)"
    # Links to Puskesmas (3) and Bappeda (4); its pair with Disdik is at "none".
    assert (dinkes["degree"], dinkes["weighted_degree"], dinkes["assessed_pairs"]) == (2, 7, 3)
    assert dinkes["brokerage"] == pytest.approx(2 / 3)  # as in the XLSX report
    assert dinkes["isolated"] is False
    forum_node = graph.nodes[str(forum.pk)]
    assert forum_node["label"] == "@Forum Anak Sigi"  # no apostrophe: not a spreadsheet
    assert forum_node["is_health"] is False and forum_node["sector"] == "Education"

    # Every node: the metrics of the network page, not computed again.
    for node in network_for_round(round=scored_round).nodes:
        attributes = graph.nodes[str(node.actor.pk)]
        assert attributes["label"] == node.actor.name
        assert attributes["degree"] == node.degree
        assert attributes["weighted_degree"] == node.weighted_degree
        assert attributes["betweenness"] == pytest.approx(node.betweenness)
        assert attributes["brokerage"] == pytest.approx(node.brokerage)


@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
def test_the_edges_are_the_links_with_their_evidence(
    planner_client, district, scored_round, actors, forum, fmt
):
    graph = read_graph(english(planner_client, network_url(district, fmt)), fmt)
    stored = {
        frozenset((str(pair.actor_a_id), str(pair.actor_b_id))): pair
        for pair in PairAssessment.objects.filter(round=scored_round, level__gte=1)
    }
    assert len(stored) == 5
    assert {frozenset(edge) for edge in graph.edges} == set(stored)
    for u, v, attributes in graph.edges(data=True):
        pair = stored[frozenset((u, v))]
        assert attributes["level"] == pair.level
        assert attributes["weight"] == pair.level  # Gephi's edge weight
        assert attributes["level_name"] == pair.get_level_display()
    named = by_name(actors, forum)
    first = graph.edges[str(named["a"].pk), str(named["b"].pk)]
    assert first["mechanisms"] == "Joint planning meeting; Data sharing"
    assert first["facilitating_factors"] == "A regulation or decree that assigns roles"
    assert first["hindering_factors"] == "Budget limited or not aligned"
    assert graph.edges[str(named["a"].pk), str(named["c"].pk)]["hindering_factors"] == ""
    # "None" (level 0) is no link.
    assert not graph.has_edge(str(named["a"].pk), str(named["d"].pk))


def test_the_gexf_carries_the_sector_colours_and_the_round(planner_client, district, scored_round):
    response = english(planner_client, network_url(district, "gexf"))
    assert response["Content-Type"] == "application/gexf+xml"
    graph = read_graph(response, "gexf")
    assert graph.graph["name"] == "Pemetaan Sigi 2026"
    colours = {
        attributes["sector"]: attributes["viz"]["color"]
        for _n, attributes in graph.nodes(data=True)
    }
    assert colours["Health"] == {"r": 0xD5, "g": 0x5E, "b": 0x00, "a": 1.0}  # Okabe-Ito
    assert len({tuple(colour.values()) for colour in colours.values()}) == 3


def test_the_graphml_carries_the_region(planner_client, district, scored_round):
    response = english(planner_client, network_url(district, "graphml"))
    assert response["Content-Type"] == "application/graphml+xml"
    graph = read_graph(response, "graphml")
    assert graph.graph["region"] == "Kabupaten Sigi"
    assert graph.graph["region_code"] == "72.10"
    assert graph.graph["name"] == "Pemetaan Sigi 2026"


def test_the_node_list_csv_is_for_gephi(planner_client, district, scored_round, actors, forum):
    rows = read_csv(english(planner_client, network_url(district, "nodes")))
    network = network_for_round(round=scored_round)
    assert [row["Id"] for row in rows] == [str(node.actor.pk) for node in network.nodes]
    assert list(rows[0])[:2] == ["Id", "Label"]  # the names Gephi looks for
    by_id = {row["Id"]: row for row in rows}
    dinkes = by_id[str(actors[0].pk)]
    assert dinkes["Label"] == "Dinas Kesehatan Kabupaten Sigi"
    assert dinkes["Sector"] == "Health" and dinkes["Health sector"] == "Yes"
    assert (dinkes["Links"], dinkes["Weighted degree"]) == ("2", "7")
    assert float(dinkes["Brokerage"]) == pytest.approx(2 / 3, abs=1e-6)
    # A spreadsheet would run "@Forum…" as a formula: neutralised as in the other CSVs.
    assert by_id[str(forum.pk)]["Label"] == "'@Forum Anak Sigi"


def test_the_edge_list_csv_has_source_and_target(
    planner_client, district, scored_round, actors, forum
):
    rows = read_csv(english(planner_client, network_url(district, "edges")))
    assert list(rows[0])[:4] == ["Source", "Target", "Type", "Weight"]
    stored = {
        (str(pair.actor_a_id), str(pair.actor_b_id)): pair.level
        for pair in PairAssessment.objects.filter(round=scored_round, level__gte=1)
    }
    assert {(row["Source"], row["Target"]): int(row["Weight"]) for row in rows} == stored
    assert {row["Type"] for row in rows} == {"Undirected"}
    first = next(row for row in rows if row["Weight"] == "3")
    assert first["Actor A"] == "Dinas Kesehatan Kabupaten Sigi"
    assert first["Mechanisms"] == "Joint planning meeting; Data sharing"


def test_columns_other_than_gephis_follow_the_users_language(
    planner_client, district, scored_round
):
    """Bahasa Indonesia by default; Id, Label, Source, Target, Type, Weight stay as Gephi
    reads them."""
    nodes = read_csv(planner_client.get(network_url(district, "nodes")))
    assert list(nodes[0])[:3] == ["Id", "Label", "Sektor"]
    edges = read_csv(planner_client.get(network_url(district, "edges")))
    assert list(edges[0])[:5] == ["Source", "Target", "Type", "Weight", "Aktor A"]


@pytest.mark.parametrize("kind", list(NAMES))
def test_the_files_are_named_after_region_and_round(
    planner_client, district, scored_round, previous_round, kind
):
    response = planner_client.get(network_url(district, kind, round=previous_round.pk))
    name = {
        "gexf": "jaringan.gexf",
        "graphml": "jaringan.graphml",
        "nodes": "jaringan-aktor.csv",
        "edges": "jaringan-hubungan.csv",
    }[kind]
    assert response["Content-Disposition"] == (
        f'attachment; filename="peta-konvergensi-kabupaten-sigi-pemetaan-sigi-2025-{name}"'
    )


def test_an_older_round_is_its_own_network(planner_client, district, scored_round, previous_round):
    graph = read_graph(
        planner_client.get(network_url(district, "gexf", round=previous_round.pk)), "gexf"
    )
    assert graph.number_of_edges() == 3  # a–b 2, a–c 4, b–c 2
    assert graph.graph["name"] == "Pemetaan Sigi 2025"


def test_a_round_without_both_sides_has_no_brokerage(planner_client, district, health):
    """Health actors only: brokerage cannot be measured, so it is left out (never 0)."""
    round_ = RoundFactory(region=district, name="Kesehatan saja")
    first, second = ActorFactory.create_batch(2, sector=health, home_region=district)
    score(round_, first, second, 2)
    for fmt in ("gexf", "graphml"):
        graph = read_graph(planner_client.get(network_url(district, fmt, round=round_.pk)), fmt)
        assert graph.number_of_nodes() == 2 and graph.number_of_edges() == 1
        assert all("brokerage" not in data for _n, data in graph.nodes(data=True))
    rows = read_csv(planner_client.get(network_url(district, "nodes", round=round_.pk)))
    assert {row["Perantaraan (brokerage)"] for row in rows} == {""}


def test_a_round_without_actors_is_an_empty_network(planner_client, district, open_round):
    for fmt in ("gexf", "graphml"):
        graph = read_graph(planner_client.get(network_url(district, fmt)), fmt)
        assert graph.number_of_nodes() == 0
    assert read_csv(planner_client.get(network_url(district, "edges"))) == []


def test_markup_in_names_survives_the_xml(planner_client, district, scored_round, actors):
    """Names are text, whatever they hold: written escaped, read back the same."""
    hostile = 'Dinas <b>"Kesehatan"</b> & P3A ]]> \u2013 Sigi'
    Actor.objects.filter(pk=actors[0].pk).update(name=hostile)
    for fmt in ("gexf", "graphml"):
        graph = read_graph(planner_client.get(network_url(district, fmt)), fmt)
        assert graph.nodes[str(actors[0].pk)]["label"] == hostile


# Who may download them --------------------------------------------------------------


@pytest.mark.parametrize("kind", list(NAMES))
@pytest.mark.parametrize("persona", ["admin_client_", "scorer_client", "planner_client"])
def test_admins_scorers_and_planners_download(request, persona, district, scored_round, kind):
    response = request.getfixturevalue(persona).get(network_url(district, kind))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "private, no-cache"


@pytest.mark.parametrize("kind", list(NAMES))
@pytest.mark.parametrize("persona", ["viewer_client", "other_scorer_client"])
def test_viewers_and_other_districts_are_refused(request, persona, district, scored_round, kind):
    """The viewer reads Sigi's pages but exports no file; Palu's scorer does not read Sigi."""
    response = english(request.getfixturevalue(persona), network_url(district, kind))
    assert response.status_code == 403
    assert "Content-Disposition" not in response
    assert b"Dinas Kesehatan" not in response.content


def test_the_viewer_is_told_why(viewer_client, district, scored_round):
    response = english(viewer_client, network_url(district, "gexf"))
    assert "You may not export the reports of this region." in response.content.decode()


@pytest.mark.parametrize("kind", ["gexf", "graphml"])
def test_anonymous_visitors_are_sent_to_log_in(client, district, scored_round, kind):
    response = client.get(network_url(district, kind))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("raw", ["nope", "999999", "-1", "1.5"])
@pytest.mark.parametrize("kind", ["gexf", "graphml", "edges"])
def test_an_unknown_round_is_404(planner_client, district, scored_round, kind, raw):
    response = planner_client.get(network_url(district, kind, round=raw))
    assert response.status_code == 404 and "Content-Disposition" not in response


@pytest.mark.parametrize("kind", ["gexf", "graphml"])
def test_a_round_of_another_region_is_404(
    planner_client, district, scored_round, other_round, kind
):
    response = planner_client.get(network_url(district, kind, round=other_round.pk))
    assert response.status_code == 404


def test_a_region_without_rounds_is_404(planner_client, district):
    assert planner_client.get(network_url(district, "gexf")).status_code == 404


def test_a_draft_round_is_not_exported_to_a_planner(planner_client, district, scored_round):
    draft = RoundFactory(
        region=district,
        name="Draf",
        status=RoundStatus.DRAFT,
        period_start=date(2026, 7, 1),
        period_end=date(2026, 12, 31),
    )
    assert planner_client.get(network_url(district, "gexf", round=draft.pk)).status_code == 404


# Nothing written, queries fixed -----------------------------------------------------


def _snapshot():
    return (
        list(PairAssessment.objects.order_by("pk").values()),
        list(Actor.objects.order_by("pk").values()),
        list(AssessmentRound.objects.order_by("pk").values()),
    )


def test_downloading_writes_nothing(planner_client, viewer_client, district, scored_round):
    planner_client.get(f"/regions/{district.code}/")  # warm the session
    before = _snapshot()
    with CaptureQueriesContext(connection) as queries:
        for kind in NAMES:
            assert planner_client.get(network_url(district, kind)).status_code == 200
            assert viewer_client.get(network_url(district, kind)).status_code == 403
    written = [
        query["sql"]
        for query in queries.captured_queries
        if not query["sql"].lstrip().upper().startswith(("SELECT", "SAVEPOINT", "RELEASE"))
    ]
    assert written == []
    assert _snapshot() == before


# 1 session, 2 user, 3 region, 4 groups, 5 jurisdictions, 6 visible rounds
REQUEST_QUERIES = 6
# 7–8 the round's actors and levels (the matrix, from which the network is computed),
# 9 the partners' answers (in- and out-degree), 10 the mechanisms and factors of the
# links, 11 the vocabularies for their labels.
NETWORK_QUERIES = 5


@pytest.mark.parametrize("count", [8, 30])
@pytest.mark.parametrize("kind", list(NAMES))
def test_a_fixed_number_of_queries(
    django_assert_num_queries, planner_client, district, health, education, count, kind
):
    actors = [
        ActorFactory(sector=health if index % 2 else education, home_region=district)
        for index in range(count)
    ]
    round_ = RoundFactory(region=district)
    for index in range(count - 1):
        score(round_, actors[index], actors[index + 1], 1 + index % 4, mechanisms=["data_sharing"])
    planner_client.get(f"/regions/{district.code}/")  # warm the session
    with django_assert_num_queries(REQUEST_QUERIES + NETWORK_QUERIES):
        response = planner_client.get(network_url(district, kind))
    assert response.status_code == 200


# The download block ------------------------------------------------------------------


def test_the_dashboard_links_the_network_files(planner_client, district, scored_round):
    html = english(planner_client, f"/regions/{district.code}/").content.decode()
    assert "The network, for Gephi" in html
    for path in NAMES.values():
        assert f'href="/regions/72.10/{path}?round={scored_round.pk}" download' in html


def test_the_viewer_gets_no_network_links(viewer_client, district, scored_round):
    html = english(viewer_client, f"/regions/{district.code}/").content.decode()
    assert "network.gexf" not in html and "network.graphml" not in html


def test_a_region_without_rounds_offers_no_network_files(planner_client, district):
    html = english(planner_client, f"/regions/{district.code}/").content.decode()
    assert "network.gexf" not in html


# The partners' answers (issue 15) ------------------------------------------------------


@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
def test_the_nodes_carry_the_partners_in_and_out_degree(
    planner_client, district, partner_answers, actors, forum, fmt
):
    """``partner_answers``: Dinkes names Puskesmas, which says they do not work together;
    Disdik does not know Puskesmas; Bappeda's link is revoked. Unknown is left out of the
    file, never written as 0."""
    a, b, c, d = actors
    graph = read_graph(english(planner_client, network_url(district, fmt)), fmt)
    dinkes, puskesmas = graph.nodes[str(a.pk)], graph.nodes[str(b.pk)]
    assert (dinkes["out_degree"], dinkes["out_answers"], dinkes["named_back"]) == (1, 1, 0)
    assert (dinkes["in_degree"], dinkes["in_answers"]) == (0, 1)  # Puskesmas said no
    assert (puskesmas["in_degree"], puskesmas["out_degree"]) == (1, 0)
    # Disdik only said "I don't know"; nobody answered about Bappeda, Disdik or the Forum.
    for silent in (c, d, forum):
        assert "in_degree" not in graph.nodes[str(silent.pk)]
        assert "out_degree" not in graph.nodes[str(silent.pk)]
    if fmt == "graphml":
        assert graph.graph["reciprocity"] == 0.0  # the one tie that can be checked: one-sided
        assert (graph.graph["partner_respondents"], graph.graph["partner_invited"]) == (2, 3)
        assert graph.graph["partner_members"] == 5


def test_the_node_list_has_the_partners_columns(
    planner_client, district, partner_answers, actors, forum
):
    a, b, c, d = actors
    rows = {
        row["Id"]: row for row in read_csv(english(planner_client, network_url(district, "nodes")))
    }
    dinkes, disdik = rows[str(a.pk)], rows[str(d.pk)]
    assert (dinkes["Named by (in-degree)"], dinkes["Members that answered about it"]) == ("0", "1")
    assert (dinkes["Names (out-degree)"], dinkes["Members it answered about"]) == ("1", "1")
    assert dinkes["Named back"] == "0"
    assert (disdik["Named by (in-degree)"], disdik["Names (out-degree)"]) == ("", "")
    assert disdik["Members it answered about"] == "0"
