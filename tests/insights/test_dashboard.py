"""Region dashboard (coverage, distribution, index, change) and the province's ranking."""

import re
from datetime import date

import pytest
from django.conf import settings

from actors.models import GovernmentLevel
from assessments.models import RoundStatus
from assessments.selectors import matrix_for_round
from insights.selectors.trends import province_ranking, region_dashboard
from tests.factories import ActorFactory, RegionFactory, RoundFactory, score


def english(client, url):
    """Pages are in Bahasa Indonesia unless the user switches; the new strings are not
    translated yet, so wording is asserted in English."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client.get(url, HTTP_ACCEPT_LANGUAGE="en")


def dashboard_url(region, **params):
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"/regions/{region.code}/" + (f"?{query}" if query else "")


@pytest.fixture
def two_rounds(district, actors):
    """Sigi's 4 actors (6 possible pairs) in two rounds.

    2025: a–b 1, c–d 1. 2026: a–b 2, a–c 3, b–d 0.
    """
    a, b, c, d = actors
    old = RoundFactory(
        region=district,
        name="Pemetaan 2025",
        status=RoundStatus.CLOSED,
        period_start=date(2025, 1, 1),
        period_end=date(2025, 6, 30),
    )
    new = RoundFactory(region=district, name="Pemetaan 2026")
    score(old, a, b, 1)
    score(old, c, d, 1)
    score(new, a, b, 2)
    score(new, a, c, 3)
    score(new, b, d, 0)
    return old, new


def test_coverage_index_and_change_since_the_previous_round(district, two_rounds):
    """By hand:
    - 2025: 2 of 6 pairs assessed, coverage 1/3; mean (1 + 1) / 2 = 1.0, index 25 %;
    - 2026: 3 of 6, coverage 1/2; mean (2 + 3 + 0) / 3 = 5/3 ≈ 1.667, index 41.67 %;
    - change: mean +2/3, index +16.67 points, coverage +16.67 points, one pair more.
    """
    old, new = two_rounds
    board = region_dashboard(region=district, rounds=[new, old])

    assert board.current.round == new and board.previous.round == old
    assert board.current.summary.coverage == pytest.approx(1 / 2)
    assert board.current.summary.mean == pytest.approx(5 / 3)
    assert board.current.summary.index_percent == pytest.approx(41.6667, abs=1e-3)
    assert board.previous.summary.coverage == pytest.approx(1 / 3)
    assert board.previous.summary.index_percent == pytest.approx(25.0)
    assert board.change.mean == pytest.approx(2 / 3)
    assert board.change.index_points == pytest.approx(16.6667, abs=1e-3)
    assert board.change.coverage_points == pytest.approx(16.6667, abs=1e-3)
    assert board.change.assessed == 1


def test_level_distribution_counts_not_assessed_apart(district, two_rounds):
    """2026: one pair each at 0, 2 and 3 (1/3 of the assessed pairs each); 3 of the 6
    possible pairs not assessed (1/2). Bars are scaled to the longest (3 pairs)."""
    old, new = two_rounds
    bars = region_dashboard(region=district, rounds=[new, old]).distribution
    assert [(bar.level, bar.count) for bar in bars] == [
        (0, 1),
        (1, 0),
        (2, 1),
        (3, 1),
        (4, 0),
        (None, 3),
    ]
    assert bars[0].share == pytest.approx(1 / 3) and bars[1].share == 0
    assert bars[-1].share == pytest.approx(1 / 2)
    assert [bar.width for bar in bars] == ["33.3", "0.0", "33.3", "33.3", "0.0", "100.0"]


def test_the_page_shows_the_figures(viewer_client, district, two_rounds):
    html = english(viewer_client, dashboard_url(district)).content.decode()
    coverage = re.search(r'id="coverage".*?</div>', html, re.S).group(0)
    assert "50.0 %" in coverage and "3 of 6 pairs assessed" in coverage
    index = re.search(r'id="index".*?</div>', html, re.S).group(0)
    assert "41.7 %" in index and "Mean level 1.67 of 4" in index
    change = re.search(r'id="change".*?</div>', html, re.S).group(0)
    assert "+16.7" in change and "+0.67 mean level" in change
    assert "Coverage: +16.7 percentage points" in change
    assert "Pemetaan 2025" in change
    assert '<rect class="bar-na" width="100.0"' in html
    assert "Districts ranked" not in html  # a district has no ranking


def test_the_first_round_has_nothing_to_compare(viewer_client, district, two_rounds):
    old, _new = two_rounds
    html = english(viewer_client, dashboard_url(district, round=old.pk)).content.decode()
    assert "first round" in html and "33.3 %" in html


def test_a_draft_is_not_the_previous_round_of_a_reader(viewer_client, district, two_rounds):
    old, new = two_rounds
    RoundFactory(
        region=district,
        status=RoundStatus.DRAFT,
        period_start=date(2025, 9, 1),
        period_end=date(2025, 9, 30),
    )
    html = english(viewer_client, dashboard_url(district)).content.decode()
    assert "Previous round: Pemetaan 2025" in html


def test_a_region_without_rounds_says_what_to_do(viewer_client, district):
    html = english(viewer_client, dashboard_url(district)).content.decode()
    assert "no assessment round yet" in html and "An admin creates a round" in html


@pytest.fixture
def province_world(province, district, other_district, actors, other_actors, health):
    """Sigi: 4 actors, a subdistrict actor (5 in all), an inactive unscored one; latest
    visible round 2026 with a–b 2, c–d 2 (an older round at 4 and a newer draft at 0 are
    not read). Palu: 2 actors, one pair at 4. Poso: no round. Donggala: a draft only.
    A province-level actor belongs to no district."""
    a, b, c, d = actors
    kecamatan = RegionFactory(
        code="72.10.01", name="Dolo", level=GovernmentLevel.SUBDISTRICT, parent=district
    )
    ActorFactory(name="Puskesmas Dolo", sector=health, home_region=kecamatan)
    ActorFactory(name="Klinik Tutup", sector=health, home_region=district, is_active=False)
    ActorFactory(name="Dinkes Provinsi", sector=health, home_region=province)
    older = RoundFactory(
        region=district,
        status=RoundStatus.CLOSED,
        period_start=date(2025, 1, 1),
        period_end=date(2025, 6, 30),
    )
    score(older, a, b, 4)
    latest = RoundFactory(region=district, name="Sigi 2026")
    score(latest, a, b, 2)
    score(latest, c, d, 2)
    draft = RoundFactory(
        region=district,
        status=RoundStatus.DRAFT,
        period_start=date(2027, 1, 1),
        period_end=date(2027, 12, 31),
    )
    score(draft, a, b, 0)
    palu = RoundFactory(region=other_district, name="Palu 2026")
    score(palu, *other_actors, 4)
    poso = RegionFactory(
        code="72.02", name="Kabupaten Poso", level=GovernmentLevel.DISTRICT, parent=province
    )
    donggala = RegionFactory(
        code="72.03", name="Kabupaten Donggala", level=GovernmentLevel.DISTRICT, parent=province
    )
    RoundFactory(region=donggala, status=RoundStatus.DRAFT)
    return {"latest": latest, "palu": palu, "poso": poso, "donggala": donggala}


def test_districts_are_ranked_by_the_index_of_their_latest_visible_round(
    province, district, other_district, province_world
):
    """Palu: mean 4, index 100 %, coverage 1/1. Sigi: 5 actors (10 possible pairs), mean
    (2 + 2) / 2 = 2, index 50 %, coverage 2/10. Poso and Donggala: unranked, no round."""
    ranking = province_ranking(province=province)
    rows = [(item.rank, item.district, item.round, item.actor_count) for item in ranking.standings]
    assert rows == [
        (1, other_district, province_world["palu"], 2),
        (2, district, province_world["latest"], 5),
        (None, province_world["poso"], None, 0),
        (None, province_world["donggala"], None, 0),
    ]
    sigi = ranking.standings[1].summary
    assert (sigi.mean, sigi.index_percent, sigi.coverage) == (2.0, 50.0, 0.2)
    for standing in ranking.ranked:  # the same figures as the matrix of that round
        assert standing.summary == matrix_for_round(round=standing.round).summary


def test_the_province_page_ranks_its_districts(planner_client, province, province_world):
    html = english(planner_client, dashboard_url(province)).content.decode()
    ranking = re.search(r'id="ranking-title".*?</section>', html, re.S).group(0)
    names = re.findall(r'<a href="/regions/[\d.]+/">([^<]+)</a>', ranking)
    assert names == ["Kota Palu", "Kabupaten Sigi", "Kabupaten Poso", "Kabupaten Donggala"]
    assert "100.0 %" in ranking and "50.0 %" in ranking and "20.0 %" in ranking
    assert "No round yet" in ranking
    # The province has no round of its own: the page says so, and still ranks.
    assert "no assessment round yet" in html


def test_an_outsider_gets_403_and_nothing_of_the_region(other_scorer_client, district, two_rounds):
    response = other_scorer_client.get(dashboard_url(district))
    assert response.status_code == 403
    body = response.content.decode()
    assert "Sigi" not in body and "Pemetaan 2025" not in body


def test_a_district_reader_may_not_see_the_province(viewer_client, province, province_world):
    response = viewer_client.get(dashboard_url(province))
    assert response.status_code == 403
    assert "Kota Palu" not in response.content.decode()


def test_anonymous_visitors_get_the_login_page(client, district, two_rounds):
    response = client.get(dashboard_url(district))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_a_round_of_another_region_is_404(viewer_client, district, two_rounds, other_round):
    assert viewer_client.get(dashboard_url(district, round=other_round.pk)).status_code == 404


@pytest.mark.parametrize("count", [10, 60])
def test_the_dashboard_issues_a_fixed_number_of_queries(
    django_assert_num_queries, scorer_client, district, health, count
):
    """The same number of queries for 10 and for 60 actors."""
    actors = ActorFactory.create_batch(count, sector=health, home_region=district)
    old = RoundFactory(
        region=district,
        status=RoundStatus.CLOSED,
        period_start=date(2025, 1, 1),
        period_end=date(2025, 6, 30),
    )
    new = RoundFactory(region=district)
    for index in range(count - 1):
        score(old, actors[index], actors[index + 1], index % 5)
        score(new, actors[index], actors[index + 1], (index + 1) % 5)
    scorer_client.get(dashboard_url(district))  # warm the session
    # 1 session, 2 user, 3 region, 4 groups, 5 jurisdictions, 6 rounds with programmes,
    # 7 actors and 8 levels of the current round, 9 actors and 10 levels of the previous
    with django_assert_num_queries(10):
        response = scorer_client.get(dashboard_url(district))
    assert response.status_code == 200
    not_assessed = count * (count - 1) // 2 - (count - 1)
    assert f'<td class="num">{not_assessed}</td>' in response.content.decode()


@pytest.mark.parametrize("districts", [2, 5])
@pytest.mark.parametrize("count", [10, 60])
def test_the_province_dashboard_issues_a_fixed_number_of_queries(
    django_assert_num_queries, planner_client, province, health, districts, count
):
    """The same number of queries for 2 and 5 districts, 10 and 60 actors in each."""
    ActorFactory.create_batch(3, sector=health, home_region=province)
    RoundFactory(region=province)
    for number in range(districts):
        region = RegionFactory(
            code=f"72.{number + 1:02d}",
            name=f"Kabupaten {number + 1}",
            level=GovernmentLevel.DISTRICT,
            parent=province,
        )
        actors = ActorFactory.create_batch(count, sector=health, home_region=region)
        round_ = RoundFactory(region=region)
        for index in range(count - 1):
            score(round_, actors[index], actors[index + 1], (index + number) % 5)
    planner_client.get(dashboard_url(province))  # warm the session
    # 1 session, 2 user, 3 region, 4 groups, 5 jurisdictions, 6 rounds with programmes,
    # 7 actors and 8 levels of the province's round (no previous round);
    # ranking: 9 districts, 10 their visible rounds, 11 actors, 12 levels of latest rounds
    with django_assert_num_queries(12):
        response = planner_client.get(dashboard_url(province))
    assert response.status_code == 200
    assert response.content.decode().count('<tr class="ranked">') == districts
