"""The network map: metrics worked out by hand, the SVG, the page and who may see it."""

import re
import xml.etree.ElementTree as ET

import networkx as nx
import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from assessments.models import RoundStatus
from insights.selectors.network import network_for_round, network_svg
from tests.factories import ActorFactory, RoundFactory, SectorFactory, score

SVG = "{http://www.w3.org/2000/svg}"


def english(client, url):
    """Pages are in Bahasa Indonesia unless the user switches; the new strings are not
    translated yet, so wording is asserted in English."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client.get(url, HTTP_ACCEPT_LANGUAGE="en")


def network_url(region, suffix="network/", **params):
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"/regions/{region.code}/{suffix}" + (f"?{query}" if query else "")


@pytest.fixture
def path_round(open_round, actors):
    """a–b–c plus d: a = Dinkes, b = Puskesmas (health), c = Bappeda, d = Disdik.

    a–b level 2, b–c level 3, a–d level 0 ("none": no link); a–c, b–d, c–d not assessed.
    """
    a, b, c, d = actors
    score(open_round, a, b, 2)
    score(open_round, b, c, 3)
    score(open_round, a, d, 0)
    return open_round


def test_metrics_of_a_path_and_an_isolated_actor(path_round, actors):
    """Worked by hand, 4 actors, 6 possible pairs, 3 assessed, 2 links (a–d at "none" is
    no link):

    - density among the assessed pairs 2 / 3 (not 2 / 6: three pairs are unknown);
    - degree a 1, b 2, c 1, d 0; weighted degree a 2, b 2 + 3 = 5, c 3, d 0;
    - betweenness (normalised over the round's 4 actors: divided by the (n−1)(n−2)/2 = 3
      pairs of other actors): b lies on the only path a–c, so 1/3; a, c and d on none;
    - brokerage: health a, b; non-health c, d. b: of the pairs a–c and a–d, a–c runs
      through it: 1/2. a: of b–c (direct) and b–d (not connected): 0. c, d: 0;
    - isolated: d, with one pair assessed (at none).
    """
    a, b, c, d = actors
    network = network_for_round(round=path_round)
    nodes = {node.actor: node for node in network.nodes}

    assert network.density == pytest.approx(2 / 3)
    assert (network.assessed_pairs, network.possible_pairs, network.coverage_percent) == (
        3,
        6,
        50.0,
    )
    assert [(link.actor_a, link.actor_b, link.level) for link in network.links] == [
        (a, b, 2),
        (b, c, 3),
    ]
    assert {actor: nodes[actor].degree for actor in actors} == {a: 1, b: 2, c: 1, d: 0}
    assert {actor: nodes[actor].weighted_degree for actor in actors} == {a: 2, b: 5, c: 3, d: 0}
    assert nodes[b].betweenness == pytest.approx(1 / 3)
    assert [nodes[x].betweenness for x in (a, c, d)] == [0, 0, 0]
    assert {actor: nodes[actor].brokerage for actor in actors} == {a: 0, b: 0.5, c: 0, d: 0}
    assert [node.actor for node in network.brokers] == [b]
    assert [node.actor for node in network.isolated] == [d]
    assert nodes[d].assessed_pairs == 1


def test_brokerage_ranks_the_actors_between_health_and_non_health(
    open_round, district, health, planning, education
):
    """A tree: n4 –1– h1 –2– h2 –2– n1 –3– n2, and n1 –2– n3 (h: health, n: non-health).

    Betweenness (one path per pair in a tree, whatever the lengths; 10 pairs of other
    actors): h1 separates n4 from 4 actors, 0.4; h2 separates {n4, h1} from {n1, n2, n3},
    0.6; n1: 3 + 3 + 1 = 7 pairs, 0.7.
    Brokerage, over the health × non-health pairs without the actor (8 in all):
    - h2: of h1–n1, h1–n2, h1–n3, h1–n4, the first three run through it: 3/4;
    - n1: of the 6 pairs h × {n2, n3, n4}, h1–n2, h1–n3, h2–n2, h2–n3: 4/6;
    - h1: of h2 × {n1, n2, n3, n4}, h2–n4 only: 1/4;
    - the leaves n2, n3, n4: 0.
    The old "bridging" list named n1 and h2 alike; brokerage tells them apart.
    """
    h1, h2 = ActorFactory.create_batch(2, sector=health, home_region=district)
    n1, n2 = ActorFactory.create_batch(2, sector=planning, home_region=district)
    n3, n4 = ActorFactory.create_batch(2, sector=education, home_region=district)
    for x, y, level in [(n4, h1, 1), (h1, h2, 2), (h2, n1, 2), (n1, n2, 3), (n1, n3, 2)]:
        score(open_round, x, y, level)

    network = network_for_round(round=open_round)
    nodes = {node.actor: node for node in network.nodes}

    assert network.density == 1.0  # every assessed pair is a link
    assert nodes[h1].betweenness == pytest.approx(0.4)
    assert nodes[h2].betweenness == pytest.approx(0.6)
    assert nodes[n1].betweenness == pytest.approx(0.7)
    assert [(node.actor, node.brokerage) for node in network.brokers] == [
        (h2, pytest.approx(3 / 4)),
        (n1, pytest.approx(4 / 6)),
        (h1, pytest.approx(1 / 4)),
    ]
    assert [nodes[x].brokerage for x in (n2, n3, n4)] == [0, 0, 0]
    assert network.without_brokerage == 3 and network.isolated == []


def test_betweenness_weighs_the_level_a_strong_broker_outranks_many_weak_ties(
    open_round, district, health, planning, education
):
    """Two health actors a1–a2 and two education actors b1–b2, each pair at integration
    (4); a Bappeda S joins them at integration (a1–S–b1); an academic partner W has weak
    ties (cooperation, 1) to all four. Lengths: 12 / level, so 3 for the strong ties and
    12 for the weak ones. 6 actors: 10 pairs of other actors for each.

    With the level (lengths 3 and 12):
    - S lies on a1–b1, a1–b2, a2–b1, a2–b2 (a1–S–b1–b2 is 9, a1–W–b2 is 24): 4, 0.4;
    - a1 on a2–S, a2–b1, a2–b2, and on one of the two equal paths S–W: 3.5, 0.35;
      b1 likewise (a1–b2, a2–b2, S–b2, half of S–W): 0.35;
    - W on none: its direct weak ties are shorter than any detour, no one goes through it.
    Counting every link as one step, as before, W came first: it lies on a1–b2, a2–b1,
    a2–b2 and half of a1–b1 (3.5, 0.35), and S on half of a1–b1 only (0.05).
    """
    academia = SectorFactory(code="academia", name_id="Akademisi", name_en="Academia")
    a1, a2 = ActorFactory.create_batch(2, sector=health, home_region=district)
    (s,) = ActorFactory.create_batch(1, sector=planning, home_region=district)
    b1, b2 = ActorFactory.create_batch(2, sector=education, home_region=district)
    w = ActorFactory(name="Universitas Tadulako", sector=academia, home_region=district)
    strong = [(a1, a2), (b1, b2), (a1, s), (s, b1)]
    weak = [(w, a1), (w, a2), (w, b1), (w, b2)]
    for x, y in strong:
        score(open_round, x, y, 4)
    for x, y in weak:
        score(open_round, x, y, 1)

    network = network_for_round(round=open_round)
    nodes = {node.actor: node for node in network.nodes}
    assert nodes[s].betweenness == pytest.approx(0.4)
    assert nodes[a1].betweenness == pytest.approx(0.35)
    assert nodes[b1].betweenness == pytest.approx(0.35)
    assert nodes[w].betweenness == 0 and nodes[w].weighted_degree == 4
    assert [node.actor for node in network.by_betweenness][:3] == [s, a1, b1]

    # The same graph with every link one step: the ranking the level now corrects.
    steps = nx.Graph([(x.pk, y.pk) for x, y in strong + weak])
    unweighted = nx.betweenness_centrality(steps, normalized=True)
    assert unweighted[w.pk] == pytest.approx(0.35) and unweighted[s.pk] == pytest.approx(0.05)


def test_brokerage_needs_both_sides(open_round, district, health):
    """Health actors only: no health ↔ non-health pair to broker, so no figure (not 0)."""
    x, y, z = ActorFactory.create_batch(3, sector=health, home_region=district)
    score(open_round, x, y, 2)
    score(open_round, y, z, 2)
    network = network_for_round(round=open_round)
    assert not network.brokerage_measured
    assert network.brokers == [] and {node.brokerage for node in network.nodes} == {None}


def test_the_svg_is_valid_xml_stable_and_draws_links_by_level(path_round, actors):
    network = network_for_round(round=path_round)
    with translation.override("en"):
        drawing = network_svg(network)
        assert drawing == network_svg(network_for_round(round=path_round))
    root = ET.fromstring(drawing)
    assert root.tag == f"{SVG}svg"

    lines = root.find(f"{SVG}g[@class='links']").findall(f"{SVG}line")
    assert sorted(line.get("stroke-width") for line in lines) == ["2.0", "3.5"]

    fills = {
        group.find(f"{SVG}title").text.split(" (")[0]: group.find(f"{SVG}circle").get("fill")
        for group in root.find(f"{SVG}g[@class='nodes']").findall(f"{SVG}g")
    }
    a, b, c, d = actors
    assert fills[a.name] == fills[b.name]  # both health
    assert fills[c.name] not in (fills[a.name], "#ffffff")
    assert fills[d.name] == "#ffffff"  # isolated: hollow
    legend = "".join(root.find(f"{SVG}g[@class='legend']").itertext())
    assert "4 Integration" in legend and "Health (2)" in legend


def test_names_are_escaped_in_the_svg(open_round, district, health, actors):
    evil = ActorFactory(
        name='<script>alert("x")</script> & co',
        short_name="<b>x</b>",
        sector=health,
        home_region=district,
    )
    score(open_round, evil, actors[0], 2)
    drawing = network_svg(network_for_round(round=open_round))
    ET.fromstring(drawing)  # still well-formed XML
    assert "<script>" not in drawing and "<b>" not in drawing
    assert "&lt;b&gt;x&lt;/b&gt;" in drawing
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co" in drawing


def test_the_page_shows_figures_brokers_and_isolated_actors(viewer_client, path_round, district):
    html = english(viewer_client, network_url(district)).content.decode()
    assert f'<img src="/regions/{district.code}/network.svg?round={path_round.pk}"' in html
    assert "4 actors, 3 of 6 pairs assessed, 2 of them linked at cooperation or above" in html
    density = re.search(r'id="density".*?</div>', html, re.S).group(0)
    assert "Density among the assessed pairs" in density
    assert "66.7 %" in density and "2 of 3 assessed pairs are linked" in density
    figures = re.search(r'id="network-figures".*?</dl>', html, re.S).group(0)
    assert "3 / 6" in figures and "coverage 50.0 %" in figures
    assert "Pairs not assessed yet are unknown, not missing links" in html
    brokers = re.search(r'id="brokers-title".*?</section>', html, re.S).group(0)
    assert re.search(r'<tr class="broker"><td class="num">1</td><td>Puskesmas Biromaru', brokers)
    assert "50.0 %" in brokers and "Bappeda" not in brokers
    assert "the share whose shortest connection runs through this actor" in brokers
    assert "3 actors lie on no shortest connection between health and non-health" in brokers
    metrics = re.search(r'id="metrics-title".*?</section>', html, re.S).group(0)
    assert "a link's length is 1 / level" in metrics  # the weighting, in words
    isolated = re.search(r'id="isolated-title".*?</section>', html, re.S).group(0)
    assert "Dinas Pendidikan Kabupaten Sigi" in isolated and "at “none”" in isolated
    assert f'href="/regions/{district.code}/network.svg?round={path_round.pk}"' in html


def test_a_long_broker_list_shows_the_leading_ones(
    viewer_client, open_round, district, health, planning
):
    """A chain of 14 actors alternating health and planning: 12 inner actors broker."""
    chain = [
        ActorFactory(sector=health if index % 2 else planning, home_region=district)
        for index in range(14)
    ]
    for first, second in zip(chain, chain[1:], strict=False):
        score(open_round, first, second, 2)
    html = english(viewer_client, network_url(district)).content.decode()
    brokers = re.search(r'id="brokers-title".*?</section>', html, re.S).group(0)
    assert brokers.count('<tr class="broker">') == 10
    assert "2 more actors have a smaller brokerage above 0" in brokers


def test_the_svg_endpoint_serves_the_drawing(viewer_client, path_round, district):
    response = viewer_client.get(network_url(district, "network.svg"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    assert response["Content-Security-Policy"] == "default-src 'none'"
    assert ET.fromstring(response.content).tag == f"{SVG}svg"


def test_a_round_can_be_picked_and_drafts_stay_hidden(viewer_client, district, actors):
    from datetime import date

    old = RoundFactory(
        region=district,
        status=RoundStatus.CLOSED,
        period_start=date(2025, 1, 1),
        period_end=date(2025, 6, 30),
    )
    RoundFactory(region=district)
    draft = RoundFactory(region=district, status=RoundStatus.DRAFT)
    score(old, actors[0], actors[2], 4)
    html = english(viewer_client, network_url(district, round=old.pk)).content.decode()
    figures = re.search(r'id="network-figures".*?</dl>', html, re.S).group(0)
    assert "1 / 6" in figures and "1 of 1 assessed pairs are linked" in figures
    assert viewer_client.get(network_url(district, round=draft.pk)).status_code == 404
    assert viewer_client.get(network_url(district, "network.svg", round=draft.pk)).status_code == (
        404
    )


def test_a_region_without_rounds_says_what_to_do(viewer_client, district):
    html = english(viewer_client, network_url(district)).content.decode()
    assert "no assessment round yet" in html and "An admin creates a round" in html
    assert viewer_client.get(network_url(district, "network.svg")).status_code == 404


def test_a_round_without_links_says_how_to_add_them(viewer_client, open_round, actors):
    html = english(viewer_client, network_url(open_round.region)).content.decode()
    assert "No pair is scored at cooperation or above" in html
    assert "No actor lies between a health and a non-health actor yet" in html


@pytest.mark.parametrize("suffix", ["network/", "network.svg"])
def test_an_outsider_gets_403_and_nothing_of_the_region(
    other_scorer_client, path_round, district, suffix
):
    response = other_scorer_client.get(network_url(district, suffix))
    assert response.status_code == 403
    body = response.content.decode()
    assert "Sigi" not in body and "Dinas Kesehatan" not in body and "Puskesmas" not in body


@pytest.mark.parametrize("suffix", ["network/", "network.svg"])
def test_anonymous_visitors_get_the_login_page(client, path_round, district, suffix):
    response = client.get(network_url(district, suffix))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("suffix", ["network/", "network.svg"])
def test_a_round_of_another_region_is_404(viewer_client, path_round, other_round, suffix):
    url = network_url(path_round.region, suffix, round=other_round.pk)
    assert viewer_client.get(url).status_code == 404


@pytest.mark.parametrize("suffix", ["network/", "network.svg"])
@pytest.mark.parametrize("count", [10, 60])
def test_the_network_issues_a_fixed_number_of_queries(
    django_assert_num_queries, scorer_client, open_round, district, health, planning, count, suffix
):
    """The same number of queries for 10 and for 60 actors."""
    actors = ActorFactory.create_batch(count // 2, sector=health, home_region=district)
    actors += ActorFactory.create_batch(count // 2, sector=planning, home_region=district)
    for index in range(count - 1):
        score(open_round, actors[index], actors[index + 1], index % 5)
    cache.clear()
    # 1 session, 2 user, 3 region, 4 groups, 5 jurisdictions, 6 rounds with programmes
    # and versions, 7 actors with sectors, 8 the roster's rows (the key), 9 the levels of
    # the round (the first view only: then the measures are cached), 10 the partners'
    # answers
    with django_assert_num_queries(10):
        response = scorer_client.get(network_url(district, suffix))
    assert response.status_code == 200
    with django_assert_num_queries(9):
        response = scorer_client.get(network_url(district, suffix))
    assert response.status_code == 200
    assert f"{count} " in response.content.decode()


def test_a_dense_network_is_drawn_with_one_path_per_level(district, health):
    """Above LINKS_WITH_TOOLTIPS links the SVG merges them per level: same picture, smaller."""
    import xml.etree.ElementTree as ET

    from insights.selectors import network as network_module
    from tests.factories import ActorFactory, RoundFactory, score

    round_ = RoundFactory(region=district)
    actors = ActorFactory.create_batch(40, sector=health, home_region=district)
    for i, first in enumerate(actors):
        for second in actors[i + 1 :]:
            score(round_, first, second, 1 + (first.pk + second.pk) % 4)
    network = network_module.network_for_round(round=round_)
    assert len(network.links) == 780 > network_module.LINKS_WITH_TOOLTIPS
    svg = network_module.network_svg(network)
    tree = ET.fromstring(svg)
    namespace = "{http://www.w3.org/2000/svg}"
    paths = tree.findall(f".//{namespace}g[@class='links']/{namespace}path")
    assert len(paths) == 4
    # Every link is one line of a path, drawn once; the links meeting at an actor are
    # joined into one line through it.
    assert sum(path.get("d").count("L") for path in paths) == 780
    assert sum(path.get("d").count("M") for path in paths) < 780 / 4
    drawn = set()
    positions = {}
    for circle in tree.findall(f".//{namespace}g[@class='nodes']//{namespace}circle"):
        positions[(circle.get("cx"), circle.get("cy"))] = len(positions)
    for path in paths:
        for trail in re.findall(r"M([^M]+)", path.get("d")):
            stops = [positions[tuple(stop.split())] for stop in trail.split("L")]
            for first, second in zip(stops, stops[1:], strict=False):
                drawn.add(frozenset((first, second)))
    assert len(drawn) == 780  # each pair once
    assert not tree.findall(f".//{namespace}g[@class='links']/{namespace}line")


def test_the_svg_legend_is_in_bahasa_indonesia(path_round):
    with translation.override("id"):
        drawing = network_svg(network_for_round(round=path_round))
    legend = "".join(ET.fromstring(drawing).find(f"{SVG}g[@class='legend']").itertext())
    assert "Garis: tingkat konvergensi (Kim dkk. 2017)" in legend
    assert "Ukuran lingkaran: derajat berbobot." in legend and "Sektor" in legend


def test_path_measures_are_computed_once_per_network(path_round, actors, monkeypatch):
    """Betweenness is the network's cost: the same network (every closed round, and an open
    one between saves) is measured once; any change of level, roster or health side is
    measured anew."""
    from django.core.cache import cache

    cache.clear()
    calls = []
    real = nx.betweenness_centrality

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(nx, "betweenness_centrality", counted)
    first = network_for_round(round=path_round)
    again = network_for_round(round=path_round)
    assert len(calls) == 1
    assert [node.betweenness for node in again.nodes] == [node.betweenness for node in first.nodes]

    a, b, c, d = actors
    score(path_round, c, d, 4)  # a new link: measured anew, with d no longer isolated
    changed = network_for_round(round=path_round)
    assert len(calls) == 2
    assert changed.nodes != first.nodes
    assert {node.actor.pk for node in changed.isolated} == set()

    b.sector = c.sector  # Puskesmas leaves the health side: the brokerage changes
    b.save()
    network_for_round(round=path_round)
    assert len(calls) == 3
