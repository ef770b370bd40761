"""The matrix switches between the official level, the partners' views and their
disagreement; each view issues a fixed number of queries."""

import re

import pytest

from partners.selectors import pair_views, views_version
from partners.services import answer_save, invite, reconcile
from tests.factories import ActorFactory, score
from tests.partners.test_pair_views import level_answer


def matrix_url(region, query=""):
    return f"/regions/{region.code}/matrix/" + (f"?{query}" if query else "")


def cell(html, row, column):
    match = re.search(rf'<td id="c{row.pk}-{column.pk}" class="([^"]*)">(.*?)</td>', html)
    assert match, f"no cell {row}-{column}"
    return match[1], re.sub(r"(<[^>]+>)+", "|", match[2]).strip("|")


@pytest.fixture
def views(links, actors, open_round, scorer):
    """Dinkes 4 / Biromaru 1 (disagree, then reconciled); Dinkes 2 / Bappeda 3 (agree);
    Biromaru 0 / Disdik 3 (disagree); Bappeda "I don't know" about Disdik."""
    inv = {index: links[index][0] for index in range(4)}
    answer_save(invitation=inv[0], other_actor=actors[1], answers=level_answer(4))
    answer_save(invitation=inv[1], other_actor=actors[0], answers=level_answer(1))
    answer_save(invitation=inv[0], other_actor=actors[2], answers=level_answer(2))
    answer_save(invitation=inv[2], other_actor=actors[0], answers=level_answer(3))
    answer_save(invitation=inv[1], other_actor=actors[3], answers=level_answer(0))
    answer_save(invitation=inv[3], other_actor=actors[1], answers=level_answer(3))
    answer_save(invitation=inv[2], other_actor=actors[3], answers={"kind": "unknown"})
    score(open_round, actors[1], actors[3], 1)
    reconcile(
        round=open_round,
        actor_a=actors[0],
        actor_b=actors[1],
        level=2,
        reason="Dicek di rapat",
        user=scorer,
        views_version=views_version(pair_views(open_round, actors[0].pk, actors[1].pk)),
    )


def test_the_partners_view_shows_both_sides_of_each_cell(views, actors, district, scorer_client):
    html = scorer_client.get(matrix_url(district, "view=partners")).content.decode()
    assert 'aria-current="page">Pandangan mitra</a>' in html
    assert cell(html, actors[0], actors[1]) == ("pv disagree", "4|1")
    assert cell(html, actors[1], actors[0]) == ("pv disagree", "1|4")
    assert cell(html, actors[0], actors[2]) == ("pv", "2|3")
    assert cell(html, actors[2], actors[3]) == ("pv", "?|–")
    assert cell(html, actors[1], actors[3]) == ("pv disagree", "0|3")
    assert '<span class="l4">4</span><span class="l1">1</span>' in html
    # The switch keeps the other filters and the form keeps the view.
    assert 'name="view" value="partners"' in html


def test_the_disagreement_view_marks_flagged_and_reconciled_pairs(
    views, actors, district, scorer_client
):
    html = scorer_client.get(matrix_url(district, "view=disagreement")).content.decode()
    assert cell(html, actors[0], actors[1]) == ("l2 reconciled", "2✓")
    assert cell(html, actors[1], actors[3]) == ("l1 disagree", "1!")
    assert cell(html, actors[0], actors[2]) == ("na quiet", "·")
    assert "oleh penilai" in html  # the reconciled cell says so


def test_the_official_view_is_unchanged_and_viewers_have_no_switch(
    views, actors, district, scorer_client, viewer_client
):
    html = scorer_client.get(matrix_url(district)).content.decode()
    assert cell(html, actors[0], actors[1]) == ("l2", "2")
    assert 'class="view-switch"' in html
    html = viewer_client.get(matrix_url(district, "view=partners")).content.decode()
    assert 'class="view-switch"' not in html and 'class="pv' not in html
    assert 'class="l2" title=' in html  # the official level, read only


@pytest.mark.parametrize("view", ["partners", "disagreement"])
@pytest.mark.parametrize("count", [10, 40])
def test_each_view_issues_a_fixed_number_of_queries(
    django_assert_num_queries, scorer_client, scorer, open_round, district, health, count, view
):
    members = ActorFactory.create_batch(count, sector=health, home_region=district)
    made = {
        inv.actor_id: inv for inv, _token in invite(round=open_round, actors=members, user=scorer)
    }
    for index in range(0, count - 1, 2):
        score(open_round, members[index], members[index + 1], index % 5)
        answer_save(
            invitation=made[members[index].pk],
            other_actor=members[index + 1],
            answers=level_answer(index % 5),
        )
        answer_save(
            invitation=made[members[index + 1].pk],
            other_actor=members[index],
            answers=level_answer(4 - index % 5),
        )
    scorer_client.get(matrix_url(district))  # warm the session
    # The official view's 10 (session, user, region, groups, jurisdictions, rounds, actors,
    # levels, sectors and programmes of the filters), then 11 the partners' answers and
    # 12 the latest reconciliation of each pair.
    with django_assert_num_queries(12):
        response = scorer_client.get(matrix_url(district, f"view={view}"))
    html = response.content.decode()
    assert html.count("<td id=") == count * (count - 1)
    assert ("disagree" in html) is True


def test_a_save_from_the_partners_view_keeps_its_cells(views, actors, open_round, scorer_client):
    """The official view's cells follow a save in place; the partners' view draws its cells
    otherwise, so a save made from it swaps no official cell into it."""
    first, second = sorted((actors[2], actors[3]), key=lambda actor: actor.pk)
    url = f"/rounds/{open_round.pk}/pairs/{first.pk}-{second.pk}/"
    body = {"level": "2", "version": "0", "matrix_scope": "1", "matrix_view": "partners"}
    html = scorer_client.post(url, body, HTTP_HX_REQUEST="true").content.decode()
    assert "hx-swap-oob" in html  # the count of scored pairs
    assert f'id="c{first.pk}-{second.pk}"' not in html
    body = {"level": "3", "version": "1", "matrix_scope": "1", "matrix_view": "official"}
    html = scorer_client.post(url, body, HTTP_HX_REQUEST="true").content.decode()
    assert f'<td hx-swap-oob="true" id="c{first.pk}-{second.pk}" class="l3">' in html
