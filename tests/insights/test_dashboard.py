"""Region dashboard (coverage, distribution, index, change) and the province's ranking."""

import re
from datetime import date
from itertools import combinations

import pytest
from django.conf import settings

from actors.models import GovernmentLevel
from assessments.models import AssessmentRound, RoundStatus, RoundSummary
from assessments.selectors import matrix_for_round
from insights.selectors.trends import province_ranking, region_dashboard, round_changes
from tests.factories import ActorFactory, RegionFactory, RoundFactory, score
from tests.insights.scenarios import ranked_districts


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
    - change, like for like: a–b is the only pair scored in both rounds, 1 → 2: mean +1,
      index +25 points (round against round it would be +16.67, mixing in a–c and b–d);
      beside it: a–c and b–d newly scored, c–d not yet scored in 2026 (an open round);
      coverage +16.67 points.
    """
    old, new = two_rounds
    board = region_dashboard(region=district, rounds=[new, old])

    assert board.current.round == new and board.previous.round == old
    assert board.current.summary.coverage == pytest.approx(1 / 2)
    assert board.current.summary.mean == pytest.approx(5 / 3)
    assert board.current.summary.index_percent == pytest.approx(41.6667, abs=1e-3)
    assert board.previous.summary.coverage == pytest.approx(1 / 3)
    assert board.previous.summary.index_percent == pytest.approx(25.0)
    change = board.change
    assert (change.paired, change.mean_before, change.mean_now) == (1, 1.0, 2.0)
    assert change.mean == 1.0 and change.index_points == 25.0
    assert (change.improved, change.declined, change.unchanged) == (1, 0, 0)
    assert (change.newly_scored, change.not_rescored, change.still_open) == (2, 1, True)
    assert board.coverage_points == pytest.approx(16.6667, abs=1e-3)


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
    assert '<p class="kpi-value">+25.0</p>' in change
    assert "on the 1 pair scored in both rounds" in change
    assert "Mean level of these pairs: 1.00 → 2.00 (+1.00)" in change
    assert "Improved 1, declined 0, unchanged 0" in change
    beside = re.search(r'id="change-beside".*?</p>', change, re.S).group(0)
    assert "2 pairs newly scored in this round" in beside
    assert "1 pair not yet scored in this round" in beside
    assert "Coverage: +16.7 percentage points" in change
    assert "Pemetaan 2025" in change and "Like for like" in change
    assert '<rect class="bar-na" width="100.0"' in html
    assert "Districts ranked" not in html  # a district has no ranking


def test_the_first_round_has_nothing_to_compare(viewer_client, district, two_rounds):
    old, _new = two_rounds
    html = english(viewer_client, dashboard_url(district, round=old.pk)).content.decode()
    change = re.search(r'id="change".*?</div>', html, re.S).group(0)
    assert "There is no earlier round of this region to compare this round with." in change
    assert "33.3 %" in html


def test_a_closed_round_s_unscored_pairs_are_scored_before_only(viewer_client, district, actors):
    """A closed round will not be scored further: a pair it left out is not "not yet"."""
    a, b, c, _d = actors
    old = RoundFactory(
        region=district,
        status=RoundStatus.CLOSED,
        period_start=date(2025, 1, 1),
        period_end=date(2025, 6, 30),
    )
    new = RoundFactory(region=district, status=RoundStatus.CLOSED)
    score(old, a, b, 1)
    score(old, a, c, 2)
    score(new, a, b, 1)
    html = english(viewer_client, dashboard_url(district, round=new.pk)).content.decode()
    beside = re.search(r'id="change-beside".*?</p>', html, re.S).group(0)
    assert "1 pair scored in the previous round only" in beside and "not yet" not in beside
    assert '<p class="kpi-value">0.0</p>' in html  # a–b held at 1


def test_no_pair_scored_in_both_rounds_is_no_change(viewer_client, district, actors):
    a, b, c, d = actors
    old = RoundFactory(
        region=district,
        name="Pemetaan 2025",
        status=RoundStatus.CLOSED,
        period_start=date(2025, 1, 1),
        period_end=date(2025, 6, 30),
    )
    new = RoundFactory(region=district)
    score(old, a, b, 4)
    score(new, c, d, 0)
    board = region_dashboard(region=district, rounds=[new, old])
    assert board.change.paired == 0 and board.change.index_points is None
    html = english(viewer_client, dashboard_url(district)).content.decode()
    change = re.search(r'id="change".*?</div>', html, re.S).group(0)
    assert "No pair is scored both in this round and in Pemetaan 2025 yet" in change
    assert "−100" not in change and "-100" not in change


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
    return {
        "older": older,
        "latest": latest,
        "palu": palu,
        "poso": poso,
        "donggala": donggala,
    }


@pytest.fixture
def any_coverage_ranks(settings):
    """The ranking rule at its loosest: every round with a scored pair is ranked."""
    settings.RANKING_MIN_COVERAGE_PERCENT = 0
    settings.RANKING_MIN_PAIRS = 1


def test_districts_are_ranked_by_the_index_of_their_latest_visible_round(
    province, district, other_district, province_world, any_coverage_ranks
):
    """With every scored round ranked: Palu: mean 4, index 100 %, coverage 1/1, no earlier
    round. Sigi: 5 actors (10 possible pairs), mean (2 + 2) / 2 = 2, index 50 %, coverage
    2/10; since its 2025 round, like for like, a–b went 4 → 2 (−50 points) and c–d is
    newly scored. Poso and Donggala: unranked, no round (Donggala's is a draft)."""
    ranking = province_ranking(province=province)
    rows = [(item.rank, item.district, item.round, item.actor_count) for item in ranking.standings]
    assert rows == [
        (1, other_district, province_world["palu"], 2),
        (2, district, province_world["latest"], 5),
        (None, province_world["poso"], None, 0),
        (None, province_world["donggala"], None, 0),
    ]
    sigi = ranking.standings[1]
    assert (sigi.summary.mean, sigi.summary.index_percent, sigi.summary.coverage) == (
        2.0,
        50.0,
        0.2,
    )
    assert sigi.previous_round == province_world["older"]
    assert (sigi.change.paired, sigi.change.index_points, sigi.change.newly_scored) == (1, -50, 1)
    assert ranking.standings[0].change is None
    for standing in ranking.ranked:  # the same figures as the matrix and the dashboard
        assert standing.summary == matrix_for_round(round=standing.round).summary
    board = region_dashboard(
        region=district, rounds=[province_world["latest"], sigi.previous_round]
    )
    assert board.change == sigi.change


@pytest.fixture
def ranked_world(province, district, other_district, health, planning):
    return ranked_districts(province, district, other_district, health, planning)


def test_tiny_or_barely_scored_districts_are_not_ranked_above_real_ones(
    province, district, other_district, ranked_world
):
    ranking = province_ranking(province=province)
    assert (ranking.rule.min_coverage_percent, ranking.rule.min_pairs) == (50, 20)
    assert [(item.rank, item.district) for item in ranking.ranked] == [
        (1, district),
        (2, other_district),
    ]
    assert [item.district for item in ranking.not_enough_scored] == [
        ranked_world["banggai"],
        ranked_world["tojo"],
    ]
    tojo = ranking.not_enough_scored[1]
    assert (tojo.summary.index_percent, tojo.summary.coverage) == (100.0, 1.0)
    sigi, palu = ranking.ranked
    assert sigi.change.index_points == 25.0 and sigi.change.paired == 20
    assert palu.change is None and palu.round.status == RoundStatus.CLOSED


def test_the_ranking_rule_is_a_setting(province, ranked_world, any_coverage_ranks):
    """Loosened, the one-pair district at 100 % takes the lead: why the default is not."""
    ranking = province_ranking(province=province)
    assert ranking.ranked[0].district == ranked_world["tojo"]
    assert ranking.not_enough_scored == []


def test_the_province_page_ranks_its_districts(planner_client, province, ranked_world):
    html = english(planner_client, dashboard_url(province)).content.decode()
    ranking = re.search(r'id="ranking-title".*?</section>', html, re.S).group(0)
    ranked = re.search(r'id="ranked".*?</table>', ranking, re.S).group(0)
    names = re.findall(r'<a href="/regions/[\d.]+/">([^<]+)</a>', ranked)
    assert names == ["Kabupaten Sigi", "Kota Palu"]
    first = re.search(r'<tr class="ranked">.*?</tr>', ranked, re.S).group(0)
    assert "50.0 %" in first and "71.4 %" in first and "20 / 28" in first and "(Open)" in first
    assert "+25.0" in first and "on 20 pairs" in first
    assert "(Closed)" in ranked and "no earlier round" in ranked
    apart = re.search(r'id="not-enough-title".*?</table>', ranking, re.S).group(0)
    assert "Not enough scored to rank" in apart
    assert re.findall(r'<a href="/regions/[\d.]+/">([^<]+)</a>', apart) == [
        "Kabupaten Banggai",
        "Kabupaten Tojo",
    ]
    assert "1.6 %" in apart and "3 / 190" in apart and "1 / 1" in apart
    # The rule, in words, with its default and the settings that change it.
    assert "at least 50 % of their possible pairs scored, and at least 20 pairs" in ranking
    assert "RANKING_MIN_COVERAGE_PERCENT" in ranking


def test_a_province_page_lists_districts_without_a_round(planner_client, province, province_world):
    html = english(planner_client, dashboard_url(province)).content.decode()
    ranking = re.search(r'id="ranking-title".*?</section>', html, re.S).group(0)
    without = re.search(r'id="without-round".*?</p>', ranking, re.S).group(0)
    assert "Kabupaten Poso" in without and "Kabupaten Donggala" in without
    assert "No district's latest round is scored enough to rank yet." in ranking
    # The province has no round of its own: the page says so, and still lists.
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
    # 1 session, 2 user, 3 region, 4 groups, 5 jurisdictions, 6 rounds with programmes and
    # their summaries (the figures of both rounds and the change like for like between
    # them: no pair is read for them), 7 the partners' response (invitations answered /
    # invited), 8 the region's actions counted by status, 9 the pairs of both rounds split
    # by action, the gaps below the target: 10 the round's actors with their sectors,
    # 11 its levels
    with django_assert_num_queries(11):
        response = scorer_client.get(dashboard_url(district))
    assert response.status_code == 200
    not_assessed = count * (count - 1) // 2 - (count - 1)
    assert f'<td class="num">{not_assessed}</td>' in response.content.decode()


@pytest.mark.parametrize("districts", [2, 5])
@pytest.mark.parametrize("count", [10, 60])
def test_the_province_dashboard_issues_a_fixed_number_of_queries(
    django_assert_num_queries,
    planner_client,
    province,
    health,
    districts,
    count,
    any_coverage_ranks,
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
        earlier = RoundFactory(
            region=region,
            status=RoundStatus.CLOSED,
            period_start=date(2025, 1, 1),
            period_end=date(2025, 12, 31),
        )
        round_ = RoundFactory(region=region)
        for first, second in list(combinations(actors, 2))[: count * 2]:
            score(earlier, first, second, (first.pk + number) % 5)
            score(round_, first, second, (second.pk + number) % 5)
    planner_client.get(dashboard_url(province))  # warm the session
    # 1 session, 2 user, 3 region, 4 groups, 5 jurisdictions, 6 rounds with programmes and
    # their summaries (the province's own round; no previous round);
    # ranking: 7 districts, 8 their visible rounds with their summaries (which hold the
    # changes like for like: no pair is read); 9 the partners' response to the province's
    # round
    with django_assert_num_queries(9):
        response = planner_client.get(dashboard_url(province))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('<tr class="ranked">') == districts
    assert html.count("pada 20 pasangan" if count == 10 else "pada 120 pasangan") == districts


# Issue 12, item 3: change since the previous round, like for like ----------------------


@pytest.fixture
def rescored(district, health, planning, education):
    from tests.insights.scenarios import rescored_weak_pairs

    return rescored_weak_pairs(district, [health, planning, education])


def test_ten_weak_pairs_rescored_higher_show_a_rise(viewer_client, district, rescored):
    """Round against round the index fell 7.1 points (57.1 % → 50.0 %); like for like, on
    the 10 pairs scored in both rounds, it rose 25 points (see ``rescored_weak_pairs``)."""
    previous, current = rescored
    board = region_dashboard(region=district, rounds=[current, previous])
    assert board.current.summary.index_percent - board.previous.summary.index_percent == (
        pytest.approx(-7.142857, abs=1e-6)
    )
    change = board.change
    assert (change.paired, change.mean_before, change.mean_now) == (10, 1.0, 2.0)
    assert (change.index_points, change.improved, change.declined) == (25.0, 10, 0)
    assert (change.newly_scored, change.not_rescored) == (0, 18)

    html = english(viewer_client, dashboard_url(district)).content.decode()
    card = re.search(r'id="change".*?</div>', html, re.S).group(0)
    assert '<p class="kpi-value">+25.0</p>' in card
    assert "on the 10 pairs scored in both rounds" in card
    assert "Mean level of these pairs: 1.00 → 2.00 (+1.00)" in card
    assert "Improved 10, declined 0, unchanged 0" in card
    assert "18 pairs not yet scored in this round" in card
    assert "−7.1" not in card and "-7.1" not in card


def test_the_dashboard_and_the_comparison_give_the_same_change(district, rescored, two_rounds):
    """The dashboard pairs the rounds in the database, the comparison in memory: the same
    figures, in both scenarios."""
    from insights.selectors.trends import compare_rounds

    for previous, current in (rescored, two_rounds):
        board = region_dashboard(region=district, rounds=[current, previous])
        assert compare_rounds(current=current, previous=previous).change == board.change


def test_the_change_reads_in_bahasa_indonesia_by_default(viewer_client, district, rescored):
    html = viewer_client.get(dashboard_url(district)).content.decode()
    card = re.search(r'id="change".*?</div>', html, re.S).group(0)
    assert '<p class="kpi-value">+25,0</p>' in card
    assert "pada 10 pasangan yang dinilai di kedua putaran" in card
    assert "18 pasangan belum dinilai di putaran ini" in card


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("RANKING_MIN_COVERAGE_PERCENT", "150", "must be from 0 to 100"),
        ("RANKING_MIN_COVERAGE_PERCENT", "half", "must be a whole number"),
        ("RANKING_MIN_PAIRS", "0", "must be 1 or more"),
    ],
)
def test_a_bad_ranking_minimum_stops_the_start(name, value, message):
    from tests.test_settings import _settings_process

    result = _settings_process(DEBUG="1", **{name: value})
    assert result.returncode != 0
    assert name in result.stderr and message in result.stderr


def test_the_ranking_minimum_is_read_from_the_environment():
    import subprocess
    import sys

    from tests.test_settings import ROOT

    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.RANKING_MIN_COVERAGE_PERCENT, s.RANKING_MIN_PAIRS)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT / "tests",
        env={
            "PATH": "/usr/bin:/bin",
            "DEBUG": "1",
            "DJANGO_SETTINGS_MODULE": "convergence.settings",
            "PYTHONPATH": str(ROOT),
            "RANKING_MIN_COVERAGE_PERCENT": "80",
            "RANKING_MIN_PAIRS": "5",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == ["80", "5"], result.stderr


def test_a_district_keeps_its_place_while_its_new_round_is_scored(
    planner_client, province, district, actors, settings
):
    """It ranks with its latest round scored enough; the row names that round."""
    settings.RANKING_MIN_PAIRS = 3
    settings.RANKING_MIN_COVERAGE_PERCENT = 50
    last_year = RoundFactory(
        region=district,
        name="Pemetaan 2025",
        status=RoundStatus.CLOSED,
        period_start=date(2025, 1, 1),
        period_end=date(2025, 12, 31),
    )
    for first, second in list(combinations(actors, 2))[:4]:
        score(last_year, first, second, 2)
    new = RoundFactory(region=district, name="Pemetaan 2026")
    score(new, actors[0], actors[1], 3)  # 1 of 6 pairs: not enough
    from insights.selectors.trends import province_ranking

    [standing] = [
        s for s in province_ranking(province=province).standings if s.district == district
    ]
    assert (standing.round.name, standing.rank, standing.enough_scored) == (
        "Pemetaan 2025",
        1,
        True,
    )
    assert "Pemetaan 2025" in planner_client.get(dashboard_url(province)).content.decode()


def test_a_stale_stored_change_is_never_shown(viewer_client, district, actors):
    """A change stored against an older state of the previous round (a write that did not
    recount it) is not read: the dashboard pairs the two rounds' pairs instead."""
    earlier = RoundFactory(
        region=district,
        status=RoundStatus.CLOSED,
        period_start=date(2025, 1, 1),
        period_end=date(2025, 6, 30),
    )
    later = RoundFactory(region=district)
    score(earlier, actors[0], actors[1], 1)
    score(later, actors[0], actors[1], 3)
    RoundSummary.objects.filter(round=later).update(paired_levels=[[1, 3, 1], [0, 4, 9]])
    rounds = list(AssessmentRound.objects.select_related("summary").filter(region=district))
    later, earlier = sorted(rounds, key=lambda item: item.period_start, reverse=True)
    assert round_changes(links=[(later, earlier)])[later.pk].paired == 10  # as stored
    RoundSummary.objects.filter(round=earlier).update(version=99)
    rounds = list(AssessmentRound.objects.select_related("summary").filter(region=district))
    later, earlier = sorted(rounds, key=lambda item: item.period_start, reverse=True)
    change = round_changes(links=[(later, earlier)])[later.pk]
    assert (change.paired, change.improved, change.mean) == (1, 1, 2)
