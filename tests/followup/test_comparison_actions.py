"""The round comparison lists the previous round's actions, each checked against its
target in the round compared (the check of ``followup.selectors.action_results``)."""

import re

import pytest
from django.conf import settings

from followup.selectors import actions_checked_in

pytestmark = pytest.mark.django_db

DINKES, PUSKESMAS = "Dinas Kesehatan Kabupaten Sigi", "Puskesmas Biromaru"
BAPPEDA, DISDIK = "Bappeda Kabupaten Sigi", "Dinas Pendidikan Kabupaten Sigi"


def rows(client, region, **params):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    query = "&".join(f"{key}={value}" for key, value in params.items())
    response = client.get(f"/regions/{region.code}/compare/?{query}")
    assert response.status_code == 200
    html = response.content.decode()
    section = re.search(r'<section class="card" id="previous-actions".*?</section>', html, re.S)[0]
    found = re.findall(
        r'<tr class="([a-z-]+)">\s*<th scope="row"><a href="[^"]+">([^<]+)</a></th>'
        r'.*?<td class="result">(.*?)</td>',
        section,
        re.S,
    )
    return section, [(kind, about, re.sub(r"<[^>]+>", "", result)) for kind, about, result in found]


def test_the_previous_rounds_actions_with_their_result(
    viewer_client, district, checked, last_year, open_round
):
    section, found = rows(viewer_client, district, round=open_round.pk, previous=last_year.pk)
    assert "Follow-up actions of Pemetaan Sigi 2025" in section
    assert sorted(found) == sorted(
        [
            ("reached", f"{DINKES} ↔ {BAPPEDA}", "3 in Pemetaan Sigi 2026: target reached"),
            ("not-reached", f"{DINKES} ↔ {PUSKESMAS}", "2 in Pemetaan Sigi 2026: below the target"),
            ("not-checked", f"{BAPPEDA} ↔ {DISDIK}", "not assessed in Pemetaan Sigi 2026"),
            ("reached", "Health × Planning", "3 in Pemetaan Sigi 2026: target reached"),
            ("not-reached", DINKES, "2.5 in Pemetaan Sigi 2026: below the target"),
        ]
    )
    # This year's action is not one of the previous round's.
    assert "Data sharing" not in section and len(found) == 5


def test_the_same_check_as_the_action_list(checked, last_year, open_round, viewer):
    """Compared with the round that follows it, each action has the result the list shows."""
    from followup.selectors import action_results

    listed = action_results(checked.values(), [open_round, last_year])
    shown = actions_checked_in(user=viewer, previous=last_year, current=open_round)
    assert {row.action.pk: (row.level, row.reached) for row in shown} == {
        pk: (result.level, result.reached(checked_action.target_level))
        for pk, result in listed.items()
        for checked_action in checked.values()
        if checked_action.pk == pk and checked_action.round_id == last_year.pk
    }


def test_a_sector_filter_keeps_the_actions_of_that_sector(
    viewer_client, district, checked, last_year, open_round, education
):
    _section, found = rows(
        viewer_client, district, round=open_round.pk, previous=last_year.pk, sector=education.pk
    )
    assert [about for _kind, about, _result in found] == [f"{BAPPEDA} ↔ {DISDIK}"]


def test_a_round_compared_with_a_later_one_checks_nothing(
    viewer_client, district, checked, last_year, open_round
):
    section, found = rows(viewer_client, district, round=last_year.pk, previous=open_round.pk)
    assert [(kind, about) for kind, about, _result in found] == [
        ("not-checked", f"{DINKES} ↔ {BAPPEDA}")
    ]
    assert "Pemetaan Sigi 2025 does not come after this action's round." in section


def test_no_action_is_said(viewer_client, district, last_year, open_round):
    section, found = rows(viewer_client, district, round=open_round.pk, previous=last_year.pk)
    assert found == []
    assert "No follow-up action was planned on the map of Pemetaan Sigi 2025." in section


def test_without_actions_nothing_more_is_read(
    django_assert_num_queries, viewer_client, district, last_year, open_round
):
    """Most comparisons have no action to check: then the actions' query is the last, with
    no actor or matrix read for them."""
    url = f"/regions/{district.code}/compare/?round={open_round.pk}&previous={last_year.pk}"
    viewer_client.get(url)  # warm the session and the comparison's cache
    # 1 session, 2 user, 3 region, 4 groups, 5 jurisdictions, 6 rounds, 7 sectors, 8 the
    # two rosters' rows, 9 the previous round's actions (none)
    with django_assert_num_queries(9):
        response = viewer_client.get(url)
    html = response.content.decode()
    assert 'id="previous-actions"' in html and "previous-actions-title" in html
    assert 'class="data-table previous-actions"' not in html


@pytest.mark.parametrize("extra", [0, 4])
def test_checking_the_actions_reads_no_matrix_again(
    django_assert_num_queries,
    viewer_client,
    district,
    checked,
    last_year,
    open_round,
    extra,
    actors,
):
    """The actions take a fixed number of queries, whatever their number: the check reuses
    the matrix the comparison read (``reuse_matrices``)."""
    for _ in range(extra):
        checked["reached"].pk = None  # a copy of an action of 2025
        checked["reached"].save()
    url = f"/regions/{district.code}/compare/?round={open_round.pk}&previous={last_year.pk}"
    viewer_client.get(url)  # warm the session and the comparison's cache
    # 1 session, 2 user, 3 region, 4 groups, 5 jurisdictions, 6 rounds, 7 sectors, 8 the
    # two rosters' rows (the comparison itself is cached), 9 the previous round's actions
    # (with their sectors), 10 the actors they name (subjects and owners), 11–12 the
    # current round's matrix (actors, levels) to check them on
    with django_assert_num_queries(12):
        response = viewer_client.get(url)
    assert response.content.decode().count('<tr class="reached">') == 2 + extra
