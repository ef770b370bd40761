"""Both views of a tie, side by side, and when they disagree."""

import pytest

from partners.selectors import pair_views, pair_views_for_round, views_disagree
from partners.services import answer_save, revoke

YES = {"kind": "answers"}


def level_answer(level):
    """Answers that derive ``level`` (0 as "we do not work together")."""
    if level == 0:
        return {"kind": "none"}
    return {**YES, "evidence": tuple(number <= level for number in range(1, 5))}


@pytest.mark.parametrize(
    ("one", "other", "expected"),
    [
        (0, 0, False),
        (1, 2, False),
        (2, 3, False),
        (3, 4, False),
        (0, 1, False),
        (1, 3, True),  # two levels apart
        (2, 4, True),
        (0, 2, True),
        (0, 3, True),  # one says 0, the other 3 or more
        (4, 0, True),
        (None, 4, False),  # a missing view disagrees with nothing
        (0, None, False),
        (None, None, False),
    ],
)
def test_the_disagreement_rule(one, other, expected):
    assert views_disagree(one, other) is expected
    assert views_disagree(other, one) is expected


def test_each_pair_has_a_view_from_each_side(links, actors, open_round, scorer):
    (inv_a, _), (inv_b, _), (inv_c, _) = links[0], links[1], links[2]
    answer_save(invitation=inv_a, other_actor=actors[1], answers=level_answer(3))
    answer_save(invitation=inv_b, other_actor=actors[0], answers=level_answer(1))
    answer_save(invitation=inv_a, other_actor=actors[2], answers=level_answer(2))
    answer_save(invitation=inv_c, other_actor=actors[0], answers=level_answer(2))
    answer_save(invitation=inv_b, other_actor=actors[3], answers={"kind": "unknown"})
    views = pair_views_for_round(open_round)
    ab = views[tuple(sorted((actors[0].pk, actors[1].pk)))]
    by_author = {ab.actor_a_id: ab.a_level, ab.actor_b_id: ab.b_level}
    assert by_author == {actors[0].pk: 3, actors[1].pk: 1}
    assert ab.disagree
    assert ab.proposed == 1  # the lower of the two
    ac = pair_views(open_round, actors[2].pk, actors[0].pk)
    assert (ac.a_level, ac.b_level, ac.disagree) == (2, 2, False)
    bd = pair_views(open_round, actors[1].pk, actors[3].pk)
    assert bd.disagree is False
    assert bd.proposed is None  # "I don't know" proposes nothing
    assert {bd.a_level, bd.b_level} == {None}
    assert pair_views(open_round, actors[2].pk, actors[3].pk) is None
    # A revoked link's answers are left out of the views.
    revoke(invitation=inv_b, user=scorer)
    ab = pair_views(open_round, actors[0].pk, actors[1].pk)
    assert {ab.actor_a_id: ab.a_level, ab.actor_b_id: ab.b_level}[actors[1].pk] is None
    assert not ab.disagree
    assert ab.proposed == 3  # the one view left


def test_the_pair_panel_shows_both_views_and_the_disagreement(
    links, actors, open_round, scorer_client, other_scorer_client
):
    from tests.factories import score

    inv_a, inv_b = links[0][0], links[1][0]
    inv_a.respondent_name = "Ibu Rahma"
    inv_a.save()
    answer_save(
        invitation=inv_a,
        other_actor=actors[1],
        answers={**level_answer(4), "note": "SK tim percepatan bersama"},
    )
    answer_save(invitation=inv_b, other_actor=actors[0], answers=level_answer(0))
    score(open_round, actors[0], actors[1], 2)
    url = f"/rounds/{open_round.pk}/pairs/{actors[1].pk}-{actors[0].pk}/"
    html = scorer_client.get(url).content.decode()
    block = html[html.index('class="partner-views"') :]
    assert "Pandangan mitra" in block
    assert "Dinas Kesehatan Kabupaten Sigi tentang Puskesmas Biromaru" in block
    assert "Puskesmas Biromaru tentang Dinas Kesehatan Kabupaten Sigi" in block
    assert '<span class="swatch l4">4</span>' in block and "Kami tidak bekerja sama" in block
    assert "SK tim percepatan bersama" in block and "Ibu Rahma" in block
    assert "tidak sejalan" in block  # flagged
    assert f'href="/rounds/{open_round.pk}/invitations/"' in block
    assert 'Tingkat yang diusulkan: <span class="swatch l0">0</span>' in block
    # The official level is the scorer's, as it was.
    assert 'name="level" value="2" required id="id_level_2" checked' in html or (
        __import__("re").findall(r'name="level" value="(\d)"[^>]*checked', html) == ["2"]
    )
    assert other_scorer_client.get(url).status_code == 403


def test_the_pair_panel_without_views_says_so(actors, open_round, scorer_client):
    url = f"/rounds/{open_round.pk}/pairs/{actors[1].pk}-{actors[2].pk}/"
    html = scorer_client.get(url).content.decode()
    assert "Belum ada mitra yang menjawab" in html


def test_the_invitations_page_lists_the_pairs_that_disagree(
    links, actors, open_round, scorer_client
):
    from tests.factories import score

    (inv_a, _), (inv_b, _), (inv_c, _) = links[0], links[1], links[2]
    answer_save(invitation=inv_a, other_actor=actors[1], answers=level_answer(4))
    answer_save(invitation=inv_b, other_actor=actors[0], answers=level_answer(1))
    answer_save(invitation=inv_a, other_actor=actors[2], answers=level_answer(2))
    answer_save(invitation=inv_c, other_actor=actors[0], answers=level_answer(1))
    score(open_round, actors[0], actors[1], 3)
    html = scorer_client.get(f"/rounds/{open_round.pk}/invitations/").content.decode()
    section = html[html.index('class="card disagreements"') :]
    section = section[: section.index("</section>")]
    first, second = sorted((actors[0].pk, actors[1].pk))
    assert f'href="/rounds/{open_round.pk}/pairs/{first}-{second}/"' in section
    assert section.count("<li>") == 1  # 2 and 1 differ by one level only
    assert '<span class="swatch l3">3</span>' in section  # the official level beside
