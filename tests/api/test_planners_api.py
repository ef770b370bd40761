"""The planners' views as read endpoints (api.insights): the figures of the pages, scoped
like the pages, at a fixed number of queries, described in the OpenAPI schema."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Role
from actors.models import GovernmentLevel, Programme
from assessments.models import RoundStatus
from insights.selectors.trends import province_ranking, region_dashboard
from tests.api.conftest import api_client, snapshot
from tests.factories import (
    ActorFactory,
    RegionFactory,
    RoundFactory,
    SectorFactory,
    make_user,
    score,
)
from tests.insights.scenarios import WEAK_PAIRS, ranked_districts, rescored_weak_pairs

REGION_VIEWS = ("dashboard", "sectors", "levels", "network", "comparison", "overlaps")


def url(region, view, **params):
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"/api/v1/regions/{region.code}/{view}/" + (f"?{query}" if query else "")


@pytest.fixture
def weak_pairs(district, health, planning, education):
    """Issue 12, item 3: 10 weak pairs re-scored one level higher in a new round."""
    return rescored_weak_pairs(district, [health, planning, education])


# Honest figures, through the API ------------------------------------------------------------


def test_the_dashboard_changes_like_for_like(planner, district, weak_pairs):
    """Round against round the index falls from 57.1 % to 50 %; on the 10 pairs scored in
    both rounds it rises from 25 % to 50 %: +25 points, 10 improved, 18 not yet re-scored."""
    previous, current = weak_pairs
    data = api_client(planner).get(url(district, "dashboard", round=current.pk)).json()
    assert (data["round"]["id"], data["previous_round"]["id"]) == (current.pk, previous.pk)
    assert data["summary"]["index_percent"] == 50.0
    assert round(data["previous_summary"]["index_percent"], 1) == 57.1
    change = data["change"]
    assert (change["paired"], change["improved"], change["declined"]) == (WEAK_PAIRS, 10, 0)
    assert (change["index_before"], change["index_now"], change["index_points"]) == (25, 50, 25)
    assert (change["newly_scored"], change["not_rescored"], change["still_open"]) == (0, 18, True)
    # Coverage moved too, on two different sets of pairs: said apart, never as the change.
    assert round(data["coverage_points"], 1) == round((10 / 28 - 1) * 100, 1)


def test_the_comparison_lists_the_pairs_and_the_same_change(planner, district, weak_pairs):
    previous, current = weak_pairs
    client = api_client(planner)
    data = client.get(url(district, "comparison", round=current.pk)).json()
    assert data["previous_round"]["id"] == previous.pk
    kinds = [pair["kind"] for pair in data["pairs"]]
    assert (kinds.count("improved"), kinds.count("not_yet"), len(kinds)) == (10, 18, 28)
    assert all(pair["current"] - pair["previous"] == 1 for pair in data["pairs"][:10])
    dashboard = client.get(url(district, "dashboard", round=current.pk)).json()
    assert data["change"] == dashboard["change"]
    assert {actor["id"] for actor in data["actors"]} == {
        actor_id for pair in data["pairs"] for actor_id in (pair["actor_a"], pair["actor_b"])
    }


def test_each_view_reads_the_page_s_selectors(planner, district, actors, weak_pairs):
    """The API's figures are those of the selectors the pages and reports read."""
    _previous, current = weak_pairs
    client = api_client(planner)
    board = region_dashboard(
        region=district, rounds=[current, _previous], round=current
    ).current.summary
    data = client.get(url(district, "dashboard", round=current.pk)).json()
    assert (data["summary"]["assessed"], data["summary"]["possible"]) == (
        board.assessed,
        board.possible,
    )
    sectors = client.get(url(district, "sectors", round=current.pk)).json()
    assert sum(cell["summary"]["assessed"] for cell in sectors["pairs"]) == board.assessed
    assert sum(item["actor_count"] for item in sectors["sectors"]) == 8
    network = client.get(url(district, "network", round=current.pk)).json()
    assert len(network["links"]) == 10 and len(network["nodes"]) == 8
    assert network["density_percent"] == 100.0  # 10 links among 10 assessed pairs
    levels = client.get(url(district, "levels", round=current.pk)).json()
    district_row = next(row for row in levels["rows"] if row["level"] == GovernmentLevel.DISTRICT)
    assert district_row["summary"]["assessed"] == 10
    assert district_row["median"] == 2.0


def test_tiny_districts_are_not_ranked_above_real_ones(
    planner, province, district, other_district, health, planning
):
    world = ranked_districts(province, district, other_district, health, planning)
    data = api_client(planner).get(url(province, "ranking")).json()
    assert data["rule"] == {"min_coverage_percent": 50, "min_pairs": 20}
    ranks = [(item["district"]["code"], item["rank"]) for item in data["standings"]]
    assert ranks == [
        ("72.10", 1),
        ("72.71", 2),
        (world["banggai"].code, None),
        (world["tojo"].code, None),
    ]
    tojo = data["standings"][3]
    assert (tojo["summary"]["index_percent"], tojo["enough_scored"]) == (100.0, False)
    assert data["standings"][0]["change"]["index_points"] == 25.0
    ranking = province_ranking(province=province)
    assert [item["summary"]["mean"] for item in data["standings"][:2]] == [
        item.summary.mean for item in ranking.ranked
    ]


def test_the_national_overview_is_read_on_the_national_region(province, district, health):
    nation = RegionFactory(code="ID", name="Indonesia", level=GovernmentLevel.NATIONAL)
    province.parent = nation
    province.save()
    members = ActorFactory.create_batch(7, sector=health, home_region=district)
    round_ = RoundFactory(region=district, members=members)
    for index, (x, y) in enumerate((x, y) for i, x in enumerate(members) for y in members[i + 1 :]):
        score(round_, x, y, index % 5)
    national = make_user("nasional", role=Role.PLANNER, regions=[nation])
    data = api_client(national).get(url(nation, "national")).json()
    [standing] = data["standings"]
    assert (standing["province"]["code"], standing["rank"], standing["assessed"]) == ("72", 1, 21)
    assert standing["index_percent"] == pytest.approx(sum(i % 5 for i in range(21)) / 21 / 4 * 100)
    # On another region it is not found, and a province's reader may not read the nation.
    assert api_client(national).get(url(province, "national")).status_code == 404
    provincial = make_user("provinsi", role=Role.PLANNER, regions=[province])
    assert api_client(provincial).get(url(nation, "national")).status_code == 403


def test_overlaps_name_the_risk(admin_user, planner, district, actors, open_round):
    lead_a, lead_b = actors[0], actors[2]
    for name, lead in (("Gizi sekolah", lead_a), ("Stunting", lead_b)):
        Programme.objects.create(
            region=district,
            name=name,
            lead_actor=lead,
            period_start=open_round.period_start,
            period_end=open_round.period_end,
            target_groups=["children_under_5"],
        )
    score(open_round, lead_a, lead_b, 1)
    data = api_client(planner).get(url(district, "overlaps")).json()
    [overlap] = data["overlaps"]
    assert (overlap["level"], overlap["status"], overlap["is_risk"]) == (
        1,
        "below_coordination",
        True,
    )
    assert [item["name"] for item in data["programmes"]] == ["Gizi sekolah", "Stunting"]


# Through the API alone ---------------------------------------------------------------------


def test_a_client_builds_scores_and_reads_a_round_across_levels(admin_user, scorer, province):
    """Regions, actors, a district round with provincial, district, kecamatan and desa
    members, its scores with mechanisms and factors, and its by-level table: all by API."""
    admin = api_client(admin_user)
    for code, name in (  # Sigi is there already: its scorer's jurisdiction
        ("72.10.05", "Sigi Biromaru"),
        ("72.10.05.2001", "Mpanau"),
    ):
        response = admin.post("/api/v1/regions/", {"code": code, "name": name}, format="json")
        assert response.status_code == 201, response.content
    SectorFactory(code="health", name_id="Kesehatan", name_en="Health", is_health=True)
    SectorFactory(code="village", name_id="Pemerintahan desa", name_en="Village government")
    ids = {}
    for key, name, sector, level, home in (
        ("province", "Dinas Kesehatan Provinsi", "health", 1, "72"),
        ("district", "Dinas Kesehatan Kabupaten Sigi", "health", 2, "72.10"),
        ("kecamatan", "Puskesmas Biromaru", "health", 3, "72.10.05"),
        ("desa", "Pemerintah Desa Mpanau", "village", 4, "72.10.05.2001"),
    ):
        response = admin.post(
            "/api/v1/actors/",
            {
                "name": name,
                "short_name": name.split()[-1],
                "kind": "government",
                "sector": sector,
                "government_level": level,
                "home_region": home,
            },
            format="json",
        )
        assert response.status_code == 201, response.content
        ids[key] = response.json()["id"]
    response = admin.post(
        "/api/v1/rounds/",
        {
            "name": "Pemetaan lintas tingkat 2026",
            "region": "72.10",
            "period_start": "2026-01-01",
            "period_end": "2026-12-31",
            "members": sorted(ids.values()),
            "status": "open",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    round_id = response.json()["id"]
    if response.json()["status"] != RoundStatus.OPEN:
        admin.patch(f"/api/v1/rounds/{round_id}/", {"status": "open"}, format="json")

    scoring = api_client(scorer)
    scored = {
        ("province", "district"): (3, ["joint_planning_meeting"], ["leadership_commitment"]),
        ("district", "kecamatan"): (2, ["review_meeting"], []),
        ("kecamatan", "desa"): (2, ["convergence_meeting"], []),
        ("district", "desa"): (1, ["data_sharing"], []),
    }
    for (a, b), (level, mechanisms, facilitating) in scored.items():
        response = scoring.post(
            "/api/v1/pair-assessments/",
            {
                "round": round_id,
                "actor_a": ids[a],
                "actor_b": ids[b],
                "level": level,
                "mechanisms": mechanisms,
                "facilitating_factors": facilitating,
                "hindering_factors": ["sectoral_ego"] if level == 1 else [],
            },
            format="json",
        )
        assert response.status_code == 201, response.content

    table = api_client(scorer).get(f"/api/v1/regions/72.10/levels/?round={round_id}").json()
    links = {(link["upper"], link["lower"]): link for link in table["links"]}
    province_district = links[(1, 2)]
    assert province_district["adjacent"] is True
    assert (province_district["summary"]["assessed"], province_district["median"]) == (1, 3.0)
    assert [item["value"] for item in province_district["mechanisms"]] == ["joint_planning_meeting"]
    assert [item["value"] for item in province_district["facilitating_factors"]] == [
        "leadership_commitment"
    ]
    assert links[(2, 3)]["summary"]["mean"] == 2.0
    assert links[(3, 4)]["mechanisms"][0]["value"] == "convergence_meeting"
    district_desa = links[(2, 4)]
    assert (district_desa["adjacent"], district_desa["summary"]["counts"]["1"]) == (False, 1)
    assert [item["value"] for item in district_desa["hindering_factors"]] == ["sectoral_ego"]
    rows = {row["level"]: row for row in table["rows"]}
    assert [actor["name"] for actor in rows[1]["actors"]] == ["Dinas Kesehatan Provinsi"]
    assert rows[2]["summary"]["possible"] == 0  # one district actor: no pair within


# Scoped like the pages, refusing bad input ------------------------------------------------


def test_readers_read_their_jurisdiction_only(
    viewer, other_scorer, no_role_user, district, weak_pairs
):
    _previous, current = weak_pairs
    for view in REGION_VIEWS:
        assert api_client(viewer).get(url(district, view)).status_code == 200, view
        outside = api_client(other_scorer).get(url(district, view))
        assert outside.status_code == 403, view
        assert "Anggota" not in outside.content.decode()
        assert api_client(no_role_user).get(url(district, view)).status_code == 403
        assert api_client().get(url(district, view)).status_code in (401, 403)
    assert api_client(viewer).get(url(district, "ranking")).status_code == 404


def test_bad_input_is_refused_with_a_message(
    planner, district, other_district, other_round, weak_pairs, settings
):
    client = api_client(planner)
    before = snapshot()
    # A round of another region, or no round at all.
    response = client.get(url(district, "dashboard", round=other_round.pk))
    assert response.status_code == 404
    assert "No such assessment round in this region" in response.json()["detail"]
    assert client.get(url(district, "network", round="abc")).status_code == 404
    assert client.get(url(district, "comparison", previous="x")).status_code == 404
    unknown = client.get(url(district, "comparison", sector="pertanian"))
    assert unknown.status_code == 400 and "sector" in unknown.json()
    assert client.get(url(district, "levels", programme="99999")).status_code == 404
    assert client.get(url(district, "ranking")).status_code == 404
    assert client.get("/api/v1/regions/99/dashboard/").status_code == 404
    poso = RegionFactory(
        code="72.02", name="Kabupaten Poso", level=GovernmentLevel.DISTRICT, parent=district.parent
    )
    before = snapshot()
    empty = client.get(url(poso, "network"))
    assert empty.status_code == 404
    assert "no assessment round yet" in empty.json()["detail"]
    assert client.post(url(district, "dashboard"), {}).status_code in (403, 405)  # read only
    assert snapshot() == before


def test_the_views_are_in_the_schema(planner):
    schema = api_client(planner).get("/api/v1/schema/", {"format": "json"}).json()
    for view in (*REGION_VIEWS, "ranking", "national"):
        path = f"/api/v1/regions/{{code}}/{view}/"
        assert path in schema["paths"], view
        response = schema["paths"][path]["get"]["responses"]["200"]
        assert "$ref" in response["content"]["application/json"]["schema"]


# A fixed number of queries ------------------------------------------------------------------


def _world(district, sectors, count):
    members = [
        ActorFactory(sector=sectors[index % len(sectors)], home_region=district)
        for index in range(count)
    ]
    older = RoundFactory(
        region=district,
        status=RoundStatus.CLOSED,
        period_start=date(2025, 1, 1),
        period_end=date(2025, 12, 31),
        members=members,
    )
    current = RoundFactory(region=district, members=members)
    pairs = [(x, y) for i, x in enumerate(members) for y in members[i + 1 :]]
    for index, (x, y) in enumerate(pairs):
        score(older, x, y, index % 5)
        if index % 2:
            score(current, x, y, (index + 1) % 5)
    lead = members[0]
    Programme.objects.create(
        region=district,
        name="Stunting",
        lead_actor=lead,
        period_start=current.period_start,
        period_end=current.period_end,
        target_groups=["children_under_5"],
    )
    return current


def _queries(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, response.content
    return len(queries)


@pytest.mark.parametrize("view", REGION_VIEWS)
def test_a_view_issues_a_fixed_number_of_queries(
    planner, province, district, other_district, health, planning, view
):
    small = _world(district, [health, planning], 4)
    large = _world(other_district, [health, planning], 12)
    client = api_client(planner)
    client.get(url(district, view, round=small.pk))  # the session, the language
    # Both rounds seen once: the network's measures are cached for each state of a round
    # (one query fewer once measured), so both are compared measured.
    client.get(url(other_district, view, round=large.pk))
    assert _queries(client, url(district, view, round=small.pk)) == _queries(
        client, url(other_district, view, round=large.pk)
    )
