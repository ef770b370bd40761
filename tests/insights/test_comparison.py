"""Round comparison: the change like for like, and the pairs improved, declined, unchanged,
newly scored, not yet scored and no longer assessed."""

import re
from datetime import date

import pytest
from django.conf import settings

from assessments.models import RoundStatus
from insights.selectors.trends import ChangeKind, compare_rounds
from insights.views import trends as trend_views
from tests.factories import ActorFactory, RoundFactory, score


def english(client, url):
    """Pages are in Bahasa Indonesia unless the user switches; the new strings are not
    translated yet, so wording is asserted in English."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client.get(url, HTTP_ACCEPT_LANGUAGE="en")


def compare_url(region, **params):
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"/regions/{region.code}/compare/" + (f"?{query}" if query else "")


def section(html, kind):
    return re.search(rf'<details class="change-group" id="{kind}".*?</details>', html, re.S)[0]


def count_row(html, kind):
    """The row of ``kind`` in the table of counts: (its label, its count)."""
    table = re.search(r'id="change-counts".*?</table>', html, re.S)[0]
    found = re.search(
        rf'<tr class="change-{kind}"><th scope="row"><a href="[^"]*">([^<]+)</a>'
        r'<span class="definition">[^<]+</span></th><td class="num"><strong>(\d+)</strong>',
        table,
    )
    return (found[1], int(found[2])) if found else None


@pytest.fixture
def two_rounds(district, actors):
    """a = Dinkes, b = Puskesmas (health), c = Bappeda (planning), d = Disdik (education).

    pair  2025  2026
    a–b    1     3    improved +2
    a–c    2     1    declined −1
    a–d    2     2    unchanged
    b–c    –     0    newly scored
    b–d    3     –    not yet scored in 2026 (open, both actors on its roster)
    c–d    –     –    in neither round: not listed

    Like for like, on a–b, a–c and a–d: mean (1 + 2 + 2) / 3 = 5/3 → (3 + 1 + 2) / 3 = 2,
    +1/3 level, +8.33 index points.
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
    for x, y, level in [(a, b, 1), (a, c, 2), (a, d, 2), (b, d, 3)]:
        score(old, x, y, level)
    for x, y, level in [(a, b, 3), (a, c, 1), (a, d, 2), (b, c, 0)]:
        score(new, x, y, level)
    return old, new


def pairs(changes):
    return [
        (change.actor_a.short_name, change.actor_b.short_name, change.previous, change.current)
        for change in changes
    ]


def test_pairs_are_sorted_into_their_kind_of_change(two_rounds):
    old, new = two_rounds
    result = compare_rounds(current=new, previous=old)
    assert pairs(result.improved) == [("Dinkes", "PKM Biromaru", 1, 3)]
    assert result.improved[0].change == 2
    assert pairs(result.declined) == [("Dinkes", "Bappeda", 2, 1)]
    assert result.declined[0].change == -1
    assert pairs(result.unchanged) == [("Dinkes", "Disdik", 2, 2)]
    assert pairs(result.new) == [("PKM Biromaru", "Bappeda", None, 0)]
    assert pairs(result.not_yet) == [("PKM Biromaru", "Disdik", 3, None)]
    assert result.dropped == []
    assert result.new[0].change is None and result.new[0].kind == ChangeKind.NEW
    change = result.change
    assert (change.paired, change.improved, change.declined, change.unchanged) == (3, 1, 1, 1)
    assert change.mean_before == pytest.approx(5 / 3) and change.mean_now == 2.0
    assert change.index_points == pytest.approx(25 / 3)
    assert (change.newly_scored, change.not_rescored, change.still_open) == (1, 1, True)


def test_the_sector_filter_keeps_pairs_with_an_actor_in_that_sector(two_rounds, education):
    old, new = two_rounds
    result = compare_rounds(current=new, previous=old, sector=education)
    assert result.improved == result.declined == result.new == []
    assert pairs(result.unchanged) == [("Dinkes", "Disdik", 2, 2)]
    assert pairs(result.not_yet) == [("PKM Biromaru", "Disdik", 3, None)]
    # Like for like on the education pairs only: a–d, 2 → 2.
    assert (result.change.paired, result.change.index_points) == (1, 0.0)


def test_rounds_of_two_regions_are_not_compared(open_round, other_round):
    with pytest.raises(ValueError):
        compare_rounds(current=open_round, previous=other_round)


def test_the_page_defaults_to_the_latest_and_the_round_before(viewer_client, district, two_rounds):
    html = english(viewer_client, compare_url(district)).content.decode()
    assert "<strong>Pemetaan 2026</strong> compared with <strong>Pemetaan 2025</strong>" in html
    for kind in ("improved", "declined", "unchanged", "new", "not_yet"):
        assert count_row(html, kind)[1] == 1, kind
    assert count_row(html, "not_yet")[0] == "Not yet scored in this round"
    counts = re.search(r'id="change-counts".*?</table>', html, re.S)[0]
    assert "Scored in both rounds, at a higher level in this round." in counts
    assert count_row(html, "dropped") is None and "No longer assessed" not in html
    summary = re.search(r'id="like-for-like".*?</section>', html, re.S)[0]
    assert '<p class="kpi-value">+8.3</p>' in summary
    assert "on the 3 pairs scored in both rounds" in summary
    assert "Mean level of these pairs: 1.67 → 2.00 (+0.33)" in summary
    improved = section(html, "improved")
    assert "Dinas Kesehatan Kabupaten Sigi" in improved and "Puskesmas Biromaru" in improved
    assert "<td>Health</td>" in improved
    assert '<td class="level l1" title="Cooperation">1</td>' in improved
    assert '<td class="level l3" title="Collaboration">3</td>' in improved
    assert '<td class="change">+2</td>' in improved
    assert '<td class="change">−1</td>' in section(html, "declined")
    new = section(html, "new")
    assert '<td class="level na" title="Not assessed">·</td>' in new
    assert '<td class="level l0" title="None">0</td>' in new


def test_the_page_filters_by_sector(viewer_client, district, two_rounds, education):
    url = compare_url(district, sector=education.pk)
    html = english(viewer_client, url).content.decode()
    assert "No pair." in section(html, "improved")
    assert "Dinas Pendidikan Kabupaten Sigi" in section(html, "not_yet")
    assert "Bappeda" not in html.split('id="change-counts"')[1]
    assert count_row(html, "improved") == ("Improved", 0)
    summary = re.search(r'id="like-for-like".*?</section>', html, re.S)[0]
    assert "on the 1 pair scored in both rounds (Sector: Education)" in summary


@pytest.mark.parametrize("value", ["999999", "abc"])
def test_an_unknown_sector_is_a_clear_400(viewer_client, district, two_rounds, value):
    response = english(viewer_client, compare_url(district, sector=value))
    assert response.status_code == 400
    body = response.content.decode()
    assert "This sector filter cannot be used" in body and "Select a valid choice" in body


def test_rounds_can_be_picked_both_ways(viewer_client, district, two_rounds):
    old, new = two_rounds
    html = english(viewer_client, compare_url(district, round=old.pk, previous=new.pk))
    html = html.content.decode()
    assert '<td class="change">−2</td>' in section(html, "declined")
    assert "Dinas Pendidikan Kabupaten Sigi" in section(html, "new")  # b–d, 2025 only


def test_long_lists_are_capped_and_say_so(viewer_client, district, two_rounds, monkeypatch):
    monkeypatch.setattr(trend_views, "COMPARISON_ROW_LIMIT", 0)
    html = english(viewer_client, compare_url(district)).content.decode()
    improved = section(html, "improved")
    assert "The first 0 of 1 pairs, largest change first." in improved
    assert "Show all 1 pair</a>" in improved


@pytest.fixture
def many_changes(district, health, planning):
    """24 actors in a chain: 23 neighbouring pairs, each scored in both rounds and improved
    (1 → 2, 2 → 4 …), plus 30 pairs scored in 2026 only."""
    chain = ActorFactory.create_batch(12, sector=health, home_region=district)
    chain += ActorFactory.create_batch(12, sector=planning, home_region=district)
    old = RoundFactory(
        region=district,
        name="Pemetaan 2025",
        status=RoundStatus.CLOSED,
        period_start=date(2025, 1, 1),
        period_end=date(2025, 6, 30),
    )
    new = RoundFactory(region=district, name="Pemetaan 2026")
    for index in range(23):
        before = index % 3
        score(old, chain[index], chain[index + 1], before)
        score(new, chain[index], chain[index + 1], before + 1 + index % 2)
    for index in range(30):  # health actor 0–9 with planning actor 14–16: not neighbours
        score(new, chain[index // 3], chain[14 + index % 3], index % 5)
    return old, new


def test_the_page_opens_on_the_counts_with_each_kind_folded(viewer_client, district, many_changes):
    """The first load holds the counts and at most COMPARISON_ROW_LIMIT rows per kind, each
    kind folded (closed <details>), largest change first."""
    html = english(viewer_client, compare_url(district)).content.decode()
    assert count_row(html, "improved")[1] == 23 and count_row(html, "new")[1] == 30
    limit = trend_views.COMPARISON_ROW_LIMIT
    assert html.count("<tr><td>") <= limit * 6
    for kind, total in (("improved", 23), ("new", 30)):
        group = section(html, kind)
        assert group.startswith(f'<details class="change-group" id="{kind}">'), "not folded"
        assert group.count("<tr><td>") == limit
        assert f"Show all {total} pairs</a>" in group
        assert f'href="?kind={kind}#{kind}"' in group
    changes = re.findall(r'<td class="change">\+(\d)</td>', section(html, "improved"))
    assert changes == sorted(changes, reverse=True) and changes[0] == "2"
    assert 'id="unchanged">' in html and "No pair." in section(html, "unchanged")


def test_show_all_lists_every_pair_of_one_kind(viewer_client, district, many_changes):
    old, new = many_changes
    url = compare_url(district, round=new.pk, previous=old.pk, kind="improved")
    response = english(viewer_client, url)
    assert response.status_code == 200
    html = response.content.decode()
    improved = section(html, "improved")
    assert improved.startswith('<details class="change-group" id="improved" open>')
    assert improved.count("<tr><td>") == 23 and "Show all" not in improved
    assert compare_rounds(current=new, previous=old).change.improved == 23
    # Only that kind is listed; the counts stay, and lead to the other kinds in full.
    assert 'id="new"' not in html and count_row(html, "new")[1] == 30
    assert f'href="?round={new.pk}&amp;previous={old.pk}&amp;kind=new#new"' in html
    assert f'href="?round={new.pk}&amp;previous={old.pk}">Back to every kind' in html


def test_show_all_keeps_the_sector_filter(viewer_client, district, many_changes, health):
    html = english(viewer_client, compare_url(district, sector=health.pk, kind="new"))
    html = html.content.decode()
    # Every pair of the 2026-only ones has a health actor (the first of the pair).
    assert section(html, "new").count("<tr><td>") == 30


@pytest.mark.parametrize("value", ["nope", "<b>"])
def test_an_unknown_kind_is_a_clear_400(viewer_client, district, two_rounds, value):
    response = english(viewer_client, compare_url(district, kind=value))
    assert response.status_code == 400
    body = response.content.decode()
    assert "There is no kind of change" in body and "<b>" not in body
    assert 'class="change-group"' not in body


def test_a_single_round_has_no_earlier_round(viewer_client, open_round):
    html = english(viewer_client, compare_url(open_round.region)).content.decode()
    message = re.search(r'id="no-earlier".*?</p>', html, re.S)[0]
    assert "There is no earlier round than Pemetaan Sigi 2026 to compare it with." in message
    assert "an admin creates a new round" in message and "only one round" not in html


def test_the_oldest_round_has_no_earlier_round(viewer_client, district, two_rounds):
    """Not "only one round": the region has two, and the oldest has none before it."""
    old, _new = two_rounds
    html = english(viewer_client, compare_url(district, round=old.pk)).content.decode()
    message = re.search(r'id="no-earlier".*?</p>', html, re.S)[0]
    assert "There is no earlier round than Pemetaan 2025 to compare it with." in message
    assert "Pick a later round" in message and "only one round" not in html


def test_a_closed_round_s_missing_pairs_are_no_longer_assessed(district, actors):
    a, b, c, d = actors
    old = RoundFactory(
        region=district,
        status=RoundStatus.CLOSED,
        period_start=date(2025, 1, 1),
        period_end=date(2025, 6, 30),
    )
    new = RoundFactory(region=district, status=RoundStatus.CLOSED)
    score(old, a, b, 1)
    score(old, c, d, 2)
    score(new, a, b, 2)
    result = compare_rounds(current=new, previous=old)
    assert pairs(result.dropped) == [("Bappeda", "Disdik", 2, None)]
    assert result.not_yet == [] and not result.change.still_open
    assert [kind for kind, _pairs in result.groups] == [
        ChangeKind.IMPROVED,
        ChangeKind.DECLINED,
        ChangeKind.UNCHANGED,
        ChangeKind.NEW,
        ChangeKind.DROPPED,
    ]


def test_a_pair_whose_actor_left_the_roster_is_no_longer_assessed(district, actors):
    """An open round cannot score a pair whose actor is not on its roster."""
    a, b, c, d = actors
    old = RoundFactory(
        region=district,
        status=RoundStatus.CLOSED,
        period_start=date(2025, 1, 1),
        period_end=date(2025, 6, 30),
    )
    new = RoundFactory(region=district, members=[a, b, c])
    score(old, a, b, 1)
    score(old, c, d, 2)
    score(old, a, c, 2)
    result = compare_rounds(current=new, previous=old)
    assert pairs(result.dropped) == [("Bappeda", "Disdik", 2, None)]
    assert pairs(result.not_yet) == [  # largest level first
        ("Dinkes", "Bappeda", 2, None),
        ("Dinkes", "PKM Biromaru", 1, None),
    ]
    assert result.change.not_rescored == 3 and result.change.paired == 0


def test_a_region_without_rounds_says_what_to_do(viewer_client, district):
    html = english(viewer_client, compare_url(district)).content.decode()
    assert "no assessment round yet" in html


@pytest.mark.parametrize("parameter", ["round", "previous"])
def test_a_round_of_another_region_is_404(
    viewer_client, district, two_rounds, other_round, parameter
):
    url = compare_url(district, **{parameter: other_round.pk})
    assert viewer_client.get(url).status_code == 404


def test_a_draft_is_hidden_from_readers(viewer_client, district, two_rounds):
    draft = RoundFactory(region=district, status=RoundStatus.DRAFT)
    assert viewer_client.get(compare_url(district, previous=draft.pk)).status_code == 404


def test_an_outsider_gets_403_and_nothing_of_the_region(other_scorer_client, district, two_rounds):
    response = other_scorer_client.get(compare_url(district))
    assert response.status_code == 403
    body = response.content.decode()
    assert "Sigi" not in body and "Pemetaan 2025" not in body and "Puskesmas" not in body


def test_anonymous_visitors_get_the_login_page(client, district, two_rounds):
    response = client.get(compare_url(district))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("count", [10, 60])
def test_the_comparison_issues_a_fixed_number_of_queries(
    django_assert_num_queries, scorer_client, district, health, planning, count
):
    """The same number of queries for 10 and for 60 actors, with a sector filter."""
    actors = ActorFactory.create_batch(count // 2, sector=health, home_region=district)
    actors += ActorFactory.create_batch(count // 2, sector=planning, home_region=district)
    old = RoundFactory(
        region=district,
        status=RoundStatus.CLOSED,
        period_start=date(2025, 1, 1),
        period_end=date(2025, 6, 30),
    )
    new = RoundFactory(region=district)
    for index in range(count - 1):
        score(old, actors[index], actors[index + 1], index % 5)
        score(new, actors[index], actors[index + 1], (index * 3) % 5)
    url = compare_url(district, sector=planning.pk)
    scorer_client.get(url)  # warm the session
    # 1 session, 2 user, 3 region, 4 groups, 5 jurisdictions, 6 rounds with programmes,
    # 7 sectors (filter), 8 the two rosters' rows, in one query (the comparison of these
    # states, named by them and the versions read with the rounds, is cached by the first
    # request with the actors its first rows name: no levels read, no actor built), 9 the
    # previous round's follow-up actions
    with django_assert_num_queries(9):
        response = scorer_client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count('<td class="change">') == count // 2


@pytest.fixture
def rescored(district, health, planning, education):
    from tests.insights.scenarios import rescored_weak_pairs

    return rescored_weak_pairs(district, [health, planning, education])


def test_ten_weak_pairs_rescored_higher_show_a_rise(viewer_client, district, rescored):
    """10 improved, 0 declined, and a like-for-like rise of 25 points on those 10 pairs;
    the 18 pairs of 2025 that 2026 has not scored yet are apart, not "no longer assessed"."""
    html = english(viewer_client, compare_url(district)).content.decode()
    assert count_row(html, "improved")[1] == 10
    assert count_row(html, "declined")[1] == 0
    assert count_row(html, "not_yet") == ("Not yet scored in this round", 18)
    assert "No longer assessed" not in html
    summary = re.search(r'id="like-for-like".*?</section>', html, re.S)[0]
    assert '<p class="kpi-value">+25.0</p>' in summary
    assert "on the 10 pairs scored in both rounds" in summary
    assert "Mean level of these pairs: 1.00 → 2.00 (+1.00)" in summary


def test_the_cached_comparison_follows_new_scores_and_renamed_actors(
    viewer_client, district, two_rounds, actors
):
    """The page's counts and first rows are cached for the two rounds' states: a new score
    and a renamed actor (which leaves the round's version as it is) are shown at once."""
    old, new = two_rounds
    a, b, c, d = actors
    html = english(viewer_client, compare_url(district)).content.decode()
    assert count_row(html, "new")[1] == 1
    score(new, c, d, 4)
    a.name = "Dinas Kesehatan Baru"
    a.save()
    html = english(viewer_client, compare_url(district)).content.decode()
    assert count_row(html, "new")[1] == 2
    assert "Dinas Kesehatan Baru" in section(html, "improved")


def test_the_cached_comparison_follows_a_renamed_sector_and_the_language(
    viewer_client, district, two_rounds, health
):
    """The cached first rows keep the actors as the rounds read them, sectors included: a
    renamed sector (no new score, the rounds' versions unchanged) and the other language
    are each a new entry, never a stale name."""
    html = english(viewer_client, compare_url(district)).content.decode()
    assert "<td>Health</td>" in section(html, "improved")
    health.name_en = "Public health"
    health.save()
    html = english(viewer_client, compare_url(district)).content.decode()
    assert "<td>Public health</td>" in section(html, "improved")
    viewer_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    html = viewer_client.get(compare_url(district)).content.decode()
    assert "<td>Kesehatan</td>" in section(html, "improved")


def test_a_cached_comparison_names_an_actor_who_left_the_roster(
    scorer_client, district, actors, last_year
):
    """The cached first rows name their actors from the current round's roster, and one
    who is only on the previous round's (a pair not scored again) from that one."""
    dinkes, pkm, bappeda, _disdik = actors
    old = last_year
    new = RoundFactory(region=district, name="Pemetaan Sigi 2026")
    score(old, dinkes, pkm, 1)
    score(old, dinkes, bappeda, 3)  # Bappeda is not on the 2026 roster
    score(new, dinkes, pkm, 4)
    url = compare_url(district, round=new.pk, previous=old.pk)
    first = scorer_client.get(url).content.decode()
    again = scorer_client.get(url).content.decode()  # from the cache
    for kind in ("improved", "not_yet"):
        assert section(again, kind) == section(first, kind)
    assert bappeda.name in section(again, "not_yet")  # the open round may score it yet
    assert pkm.name in section(again, "improved")
