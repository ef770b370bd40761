"""The national overview at /regions/ID/: provinces ranked over their districts' rounds."""

import re
from datetime import date

import pytest
from django.conf import settings
from django.test import Client

from accounts.models import Role
from actors.models import Actor, GovernmentLevel
from assessments.models import RoundStatus
from insights.selectors.trends import national_overview
from tests.factories import ActorFactory, RegionFactory, RoundFactory, make_user, score


@pytest.fixture
def nation(db):
    return RegionFactory(code="ID", name="Indonesia", level=GovernmentLevel.NATIONAL)


@pytest.fixture
def national_client(nation):
    client = Client()
    client.force_login(make_user("nasional", role=Role.PLANNER, regions=[nation]))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def district_with_round(province, number, health, *, actors, levels, **round_fields):
    district = RegionFactory(
        code=f"{province.code}.{number:02d}",
        name=f"Kabupaten {province.code}.{number:02d}",
        level=GovernmentLevel.DISTRICT,
        parent=province,
    )
    members = ActorFactory.create_batch(actors, sector=health, home_region=district)
    round_ = RoundFactory(region=district, **round_fields)
    for (first, second), level in zip(
        [(a, b) for i, a in enumerate(members) for b in members[i + 1 :]], levels, strict=False
    ):
        score(round_, first, second, level)
    return district, members, round_


@pytest.fixture
def provinces(province, health, nation):
    """Sulawesi Tengah (72): Sigi, 3 actors, levels 4 and 2 in its latest round (an older
    round of 0s does not count); Palu, 2 actors, level 1. Pooled: mean (4 + 2 + 1) / 3 =
    7/3, index 58.3 %, coverage 3 of 3 + 1 = 4 pairs, 75 %.
    Gorontalo (75): one district, 2 actors, level 3: mean 3, index 75 %, coverage 100 %.
    Maluku (81): one district whose only round is a draft: unranked."""
    old = district_with_round(
        province,
        10,
        health,
        actors=3,
        levels=[0, 0, 0],
        status=RoundStatus.CLOSED,
        period_start=date(2025, 1, 1),
        period_end=date(2025, 12, 31),
    )
    sigi, members, _round = old
    latest = RoundFactory(region=sigi)
    score(latest, members[0], members[1], 4)
    score(latest, members[0], members[2], 2)
    district_with_round(province, 71, health, actors=2, levels=[1])
    gorontalo = RegionFactory(code="75", name="Gorontalo", level=GovernmentLevel.PROVINCE)
    district_with_round(gorontalo, 1, health, actors=2, levels=[3])
    maluku = RegionFactory(code="81", name="Maluku", level=GovernmentLevel.PROVINCE)
    district_with_round(maluku, 1, health, actors=2, levels=[4], status=RoundStatus.DRAFT)
    return province, gorontalo, maluku


@pytest.fixture
def any_coverage_ranks(settings):
    """The ranking rule at its loosest: every round with a scored pair is ranked."""
    settings.RANKING_MIN_COVERAGE_PERCENT = 0
    settings.RANKING_MIN_PAIRS = 1


def test_provinces_are_ranked_by_the_pooled_index_of_their_districts(
    nation, provinces, any_coverage_ranks
):
    """With every scored round ranked. Sulawesi Tengah's change, like for like: Sigi's
    pairs 1–2 and 1–3 went 0 → 4 and 0 → 2 (mean 0 → 3, +75 points); its pair 2–3, scored
    in 2025 only, is beside it; Palu has no earlier round."""
    sulteng, gorontalo, maluku = provinces
    overview = national_overview(nation=nation)
    rows = [
        (item.rank, item.province, item.districts_with_round, item.assessed, item.possible)
        for item in overview.standings
    ]
    assert rows == [(1, gorontalo, 1, 1, 1), (2, sulteng, 2, 3, 4), (None, maluku, 0, 0, 0)]
    sulteng_row = overview.standings[1]
    assert sulteng_row.mean == pytest.approx(7 / 3)
    assert sulteng_row.index_percent == pytest.approx(58.333, abs=1e-3)
    assert sulteng_row.coverage == pytest.approx(0.75)
    assert sulteng_row.actor_count == 5
    assert (sulteng_row.open_rounds, sulteng_row.closed_rounds) == (2, 0)
    change = sulteng_row.change
    assert (change.paired, change.mean_before, change.mean_now) == (2, 0.0, 3.0)
    assert (change.index_points, change.newly_scored, change.not_rescored) == (75.0, 0, 1)
    assert overview.standings[0].change is None
    assert overview.without_round == [overview.standings[2]]


def test_an_inactive_actor_counts_only_when_scored_in_the_latest_round(
    nation, provinces, health, any_coverage_ranks
):
    """Sigi's first actor, scored in the latest round, is deactivated: still one of the
    round's actors (as in its matrix). A new actor deactivated unscored is not."""
    scored = Actor.objects.filter(home_region__code="72.10").order_by("pk").first()
    Actor.objects.filter(pk=scored.pk).update(is_active=False)
    ActorFactory(sector=health, home_region=scored.home_region, is_active=False)
    assert national_overview(nation=nation).standings[1].actor_count == 5


def test_the_national_page_ranks_the_provinces(
    national_client, nation, provinces, any_coverage_ranks
):
    response = national_client.get("/regions/ID/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    table = re.search(r'id="provinces-title".*?</section>', html, re.S).group(0)
    ranked = re.search(r'id="ranked".*?</table>', table, re.S).group(0)
    names = re.findall(r'<a href="/regions/\d+/">([^<]+)</a>', ranked)
    assert names == ["Gorontalo", "Sulawesi Tengah"]
    assert "75.0 %" in ranked and "58.3 %" in ranked and "3 / 4" in ranked
    assert "2 open, 0 closed" in ranked and "+75.0" in ranked and "on 2 pairs" in ranked
    assert "Maluku" in re.search(r'id="without-round".*?</p>', table, re.S).group(0)


@pytest.fixture
def tiny_and_real(province, health, nation):
    """Sulawesi Tengah: Sigi, 8 actors, all 28 pairs at 2 (index 50 %), and Tojo, 2
    actors, one pair at 4. Gorontalo: one district of 2 actors, its one pair at 4 (100 %).
    Under the default rule (50 % and 20 pairs) only Sigi is ranked."""
    district_with_round(province, 10, health, actors=8, levels=[2] * 28)
    district_with_round(province, 9, health, actors=2, levels=[4])
    gorontalo = RegionFactory(code="75", name="Gorontalo", level=GovernmentLevel.PROVINCE)
    district_with_round(gorontalo, 1, health, actors=2, levels=[4])
    return province, gorontalo


def test_a_tiny_district_does_not_rank_its_province_first(nation, tiny_and_real):
    sulteng, gorontalo = tiny_and_real
    overview = national_overview(nation=nation)
    assert [(item.rank, item.province) for item in overview.ranked] == [(1, sulteng)]
    first = overview.ranked[0]
    # Tojo's one pair at 4 is not pooled in: Sigi's 28 pairs at 2 alone.
    assert (first.districts_ranked, first.district_count, first.index_percent) == (1, 2, 50.0)
    assert (first.assessed, first.possible, first.assessed_all, first.possible_all) == (
        28,
        28,
        29,
        29,
    )
    assert overview.not_enough_scored == [overview.standings[1]]
    assert overview.standings[1].province == gorontalo


def test_the_national_page_lists_provinces_not_scored_enough_apart(
    national_client, nation, tiny_and_real
):
    html = national_client.get("/regions/ID/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    table = re.search(r'id="provinces-title".*?</section>', html, re.S).group(0)
    ranked = re.search(r'id="ranked".*?</table>', table, re.S).group(0)
    assert "Sulawesi Tengah" in ranked and "Gorontalo" not in ranked
    assert "1 / 2" in ranked  # districts counted
    apart = re.search(r'id="not-enough-title".*?</table>', table, re.S).group(0)
    assert "Not enough scored to rank" in apart and "Gorontalo" in apart and "1 / 1" in apart
    assert "at least 50 % of their possible pairs scored, and at least 20 pairs" in table


def test_a_province_reader_may_not_see_the_nation(planner_client, nation, provinces):
    response = planner_client.get("/regions/ID/")
    assert response.status_code == 403
    assert "Gorontalo" not in response.content.decode()


def test_anonymous_visitors_get_the_login_page(client, nation):
    response = client.get("/regions/ID/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("count", [2, 4])
def test_the_national_page_issues_a_fixed_number_of_queries(
    django_assert_num_queries, national_client, nation, health, count, any_coverage_ranks
):
    """The same number of queries for 2 and 4 provinces (2 districts of 3 or 6 actors)."""
    for number in range(count):
        province = RegionFactory(
            code=f"{11 + number}", name=f"Provinsi {number}", level=GovernmentLevel.PROVINCE
        )
        for district in (1, 2):
            _region, members, _round = district_with_round(
                province, district, health, actors=3 * district, levels=[2] * 9
            )
            earlier = RoundFactory(
                region=_region,
                status=RoundStatus.CLOSED,
                period_start=date(2025, 1, 1),
                period_end=date(2025, 12, 31),
                members=members,
            )
            score(earlier, members[0], members[1], 1)
    national_client.get("/regions/ID/")  # warm the session
    # 1 session, 2 user, 3 region, 4 groups, 5 jurisdictions, 6 rounds of the nation
    # (none: no dashboard queries), 7 provinces, 8 their districts, 9 the districts'
    # visible rounds with their summaries (which hold the changes like for like: no pair
    # is read)
    with django_assert_num_queries(9):
        response = national_client.get("/regions/ID/")
    assert response.status_code == 200
    assert response.content.decode().count('<tr class="ranked">') == count
