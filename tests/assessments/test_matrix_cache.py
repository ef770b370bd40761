"""The matrix page's official view is built once for each state of the round and then read
from the cache: a repeat view reads neither the levels nor rebuilds the markup, and every
write (a score, the roster, an actor's or a sector's name) shows at once."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.models import PairAssessment, RoundStatus
from assessments.rounds import roster_set
from assessments.services import pair_assessment_save
from tests.assessments.test_matrix_page import cell, matrix_url
from tests.factories import ActorFactory, ProgrammeFactory, RoundFactory, score

PAIRS_TABLE = PairAssessment._meta.db_table


def view(client, region, **params):
    """The page's markup and the SQL it ran."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(matrix_url(region, **params))
    assert response.status_code == 200
    return response.content.decode(), [query["sql"] for query in queries]


def table(html: str) -> str:
    match = re.search(r'<table class="matrix">.*?</table>', html, re.S)
    assert match, "no matrix"
    return match[0]


def reads_pairs(sql: list[str]) -> bool:
    return any(re.search(rf'\bFROM "{PAIRS_TABLE}"', query) for query in sql)


def test_a_repeat_view_reads_no_level(scorer_client, open_round, actors):
    score(open_round, actors[0], actors[1], 3)
    first, first_sql = view(scorer_client, open_round.region)
    again, again_sql = view(scorer_client, open_round.region)
    assert reads_pairs(first_sql)  # built from the levels once
    assert not reads_pairs(again_sql)
    assert table(again) == table(first)
    assert cell(again, actors[0], actors[1]) == ("l3", "Kolaborasi", "3")
    assert "1 dari 6 pasangan dinilai" in again


@pytest.mark.parametrize("count", [10, 60])
def test_a_repeat_view_issues_a_fixed_number_of_queries(
    django_assert_num_queries, scorer_client, open_round, district, health, count
):
    actors = ActorFactory.create_batch(count, sector=health, home_region=district)
    for index in range(0, count - 1, 2):
        score(open_round, actors[index], actors[index + 1], index % 5)
    # Built: 1 session, 2 user, 3 region, 4 groups, 5 jurisdictions, 6 rounds with their
    # versions, 7 the roster's rows (the key), 8 the roster with its sectors, 9 the levels,
    # 10 sectors (filter), 11 programmes (filter).
    with django_assert_num_queries(11):
        scorer_client.get(matrix_url(district))
    # From the cache: the same without the roster's actors and the levels.
    with django_assert_num_queries(9):
        response = scorer_client.get(matrix_url(district))
    assert response.content.decode().count("<td id=") == count * (count - 1)


def test_filters_and_unscored_have_their_own_entry(viewer_client, open_round, actors, planning):
    score(open_round, actors[0], actors[1], 2)
    view(viewer_client, open_round.region)  # the whole matrix, cached
    html, _sql = view(viewer_client, open_round.region, sector=planning.pk)
    assert html.count('<th class="col-head"') == 1
    html, _sql = view(viewer_client, open_round.region, unscored="on")
    assert html.count('<th class="col-head"') == 4  # each actor has a pair left
    html, _sql = view(viewer_client, open_round.region)
    assert html.count('<th class="col-head"') == 4


def test_a_save_through_the_scoring_service_shows_at_once(
    scorer_client, scorer, open_round, actors
):
    score(open_round, actors[0], actors[1], 1)
    view(scorer_client, open_round.region)
    pair_assessment_save(
        round=open_round, actor_a=actors[2], actor_b=actors[3], level=4, user=scorer
    )
    html, sql = view(scorer_client, open_round.region)
    assert reads_pairs(sql)
    assert cell(html, actors[2], actors[3])[0] == "l4"
    assert "2 dari 6 pasangan dinilai" in html


def test_a_roster_change_shows_at_once(admin_user, viewer_client, open_round, actors):
    score(open_round, actors[0], actors[1], 1)
    roster_set(user=admin_user, round=open_round, actors=actors)
    html, _sql = view(viewer_client, open_round.region)
    assert html.count('<th class="col-head"') == 4
    roster_set(user=admin_user, round=open_round, actors=actors[:3])
    html, _sql = view(viewer_client, open_round.region)
    assert html.count('<th class="col-head"') == 3
    assert actors[3].name not in html


def test_an_actor_or_sector_renamed_shows_at_once(viewer_client, open_round, actors, health):
    """A rename does not move the round's version: the key holds the actors as read."""
    score(open_round, actors[0], actors[1], 1)
    view(viewer_client, open_round.region)
    actors[0].name = "Dinas Kesehatan Daerah Sigi"
    actors[0].save()
    html, _sql = view(viewer_client, open_round.region)
    assert "Dinas Kesehatan Daerah Sigi" in html
    health.name_id = "Kesehatan Masyarakat"
    health.save()
    html, _sql = view(viewer_client, open_round.region)
    assert 'title="Kesehatan Masyarakat"' in html


def test_a_closed_round_is_cached_too(viewer_client, district, actors):
    closed = RoundFactory(region=district, name="Pemetaan 2025", status=RoundStatus.CLOSED)
    score(closed, actors[0], actors[1], 2)
    first, _sql = view(viewer_client, district, round=closed.pk)
    again, sql = view(viewer_client, district, round=closed.pk)
    assert table(again) == table(first) and not reads_pairs(sql)
    assert '<td class="l2" title="Koordinasi">2</td>' in again


def test_pair_links_are_never_served_to_a_reader_nor_withheld_from_a_scorer(
    scorer_client, viewer_client, open_round, actors
):
    score(open_round, actors[0], actors[1], 2)
    scorer_html, _sql = view(scorer_client, open_round.region)
    assert "/pairs/" in scorer_html
    reader_html, sql = view(viewer_client, open_round.region)
    assert "/pairs/" not in reader_html
    assert reads_pairs(sql)  # the reader's markup is its own, built once
    reader_again, sql = view(viewer_client, open_round.region)
    assert "/pairs/" not in reader_again and not reads_pairs(sql)
    scorer_again, sql = view(scorer_client, open_round.region)
    assert table(scorer_again) == table(scorer_html) and not reads_pairs(sql)


def test_the_cache_is_read_only_after_the_access_checks(
    scorer_client, other_scorer_client, open_round, actors
):
    score(open_round, actors[0], actors[1], 2)
    view(scorer_client, open_round.region)  # cached for Sigi's scorer
    with CaptureQueriesContext(connection) as queries:
        response = other_scorer_client.get(matrix_url(open_round.region))
    assert response.status_code == 403
    body = response.content.decode()
    assert "Dinkes" not in body and "Dinas Kesehatan" not in body
    assert not reads_pairs([query["sql"] for query in queries])
    response = other_scorer_client.get(matrix_url(open_round.region, round=open_round.pk))
    assert response.status_code == 403


# The filter form and its round picker, from the cache too --------------------------------


def form(html: str) -> str:
    match = re.search(r'<form method="get" class="filters".*?</form>', html, re.S)
    assert match, "no filter form"
    return match[0]


def test_the_filter_form_offers_a_new_programme_or_a_renamed_sector_at_once(
    viewer_client, open_round, actors, planning
):
    html, _sql = view(viewer_client, open_round.region)
    assert "Program Gizi Sigi" not in form(html)
    ProgrammeFactory(region=open_round.region, name="Program Gizi Sigi")
    planning.name_id = "Perencanaan Pembangunan"
    planning.save()
    html, _sql = view(viewer_client, open_round.region)
    assert "Program Gizi Sigi</option>" in form(html)
    renamed = f'value="{planning.pk}" id="id_sector_1">\n Perencanaan Pembangunan</label>'
    assert renamed in form(html)


def test_the_filter_form_shows_each_view_its_own_answers(
    viewer_client, open_round, actors, planning
):
    ticked = f'value="{planning.pk}" id="id_sector_1" checked>'
    html, _sql = view(viewer_client, open_round.region, sector=planning.pk)
    assert ticked in form(html)
    html, _sql = view(viewer_client, open_round.region)
    assert f'value="{planning.pk}" id="id_sector_1">' in form(html)
    html, _sql = view(viewer_client, open_round.region, unscored="on")
    assert re.search(r'<input type="checkbox" name="unscored"[^>]*checked', form(html))
    html, _sql = view(viewer_client, open_round.region)
    assert not re.search(r'<input type="checkbox" name="unscored"[^>]*checked', form(html))


def test_the_round_picker_offers_each_user_the_rounds_they_may_see(
    admin_client_, viewer_client, open_round, actors
):
    """The admin's form (drafts offered) is never served to a reader: the rounds offered
    are part of the form's name in the cache."""
    draft = RoundFactory(region=open_round.region, name="Pemetaan 2027", status=RoundStatus.DRAFT)
    admin_html, _sql = view(admin_client_, open_round.region, round=open_round.pk)
    assert f'<option value="{draft.pk}">Pemetaan 2027' in form(admin_html)
    reader_html, _sql = view(viewer_client, open_round.region, round=open_round.pk)
    assert "Pemetaan 2027" not in reader_html
    assert f'<option value="{open_round.pk}" selected>' in form(reader_html)


def test_the_filter_form_follows_the_language(viewer_client, open_round, planning):
    html, _sql = view(viewer_client, open_round.region)
    assert "Perencanaan" in form(html) and "Semua tingkat" in form(html)
    viewer_client.cookies["django_language"] = "en"
    html, _sql = view(viewer_client, open_round.region)
    assert "Planning" in form(html) and "All levels" in form(html)


def test_two_rosters_read_at_once_are_named_as_each_alone(
    django_assert_num_queries, open_round, district, actors
):
    """``round_roster_keys`` (the comparison's two rounds, one query) gives each round the
    name ``round_roster_key`` gives it alone, and tells their states apart."""
    from assessments.selectors import round_roster_key, round_roster_keys

    other = RoundFactory(region=district, name="Pemetaan lain", members=actors[:2])
    with django_assert_num_queries(1):
        keys = round_roster_keys({open_round: 3, other: 1})
    assert keys == {
        open_round.pk: round_roster_key(open_round, 3),
        other.pk: round_roster_key(other, 1),
    }
    assert len(set(keys.values())) == 2
