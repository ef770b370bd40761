"""Issue 15: the partners' answers as a directed network — in-degree, out-degree and
reciprocity, computed only where an answer is known — on the network page and in the API."""

import re

import pytest
from django.conf import settings
from django.core.cache import cache

from insights.selectors.network import network_for_round, partner_ties
from partners.services import answer_save, invite, revoke
from tests.api.conftest import api_client
from tests.factories import ActorFactory, score

EVIDENCE = {"1": (True, False, False, False), "2": (True, True, False, False)}


def says(invitation, other, answer):
    """``answer``: a level 1–4, "none" (we do not work together) or "unknown"."""
    if answer in ("none", "unknown"):
        answers = {"kind": answer}
    else:
        answers = {"evidence": tuple(number <= answer for number in range(1, 5))}
    answer_save(invitation=invitation, other_actor=other, answers=answers)


@pytest.fixture
def answered(open_round, actors, scorer):
    """a, b, c invited (not d). a names b, c and d; b names a back; c says it does not work
    with a but names b; b does not know c. d gave no answer.

    Known answers: a→b 2, b→a 1, a→c 3, c→a 0, a→d 1, c→b 2 (b→c is "I don't know").
    Named ties: a→b, b→a, a→c, a→d, c→b (5). Checkable (the other side answered about the
    first): a→b, b→a, a→c (3); a→d (d did not answer) and c→b (b does not know c) cannot
    be checked. Named back: a→b and b→a (2). Reciprocity 2 / 3.
    """
    a, b, c, d = actors
    made = {
        inv.actor_id: inv for inv, _token in invite(round=open_round, actors=[a, b, c], user=scorer)
    }
    says(made[a.pk], b, 2)
    says(made[b.pk], a, 1)
    says(made[a.pk], c, 3)
    says(made[c.pk], a, "none")
    says(made[a.pk], d, 1)
    says(made[c.pk], b, 2)
    says(made[b.pk], c, "unknown")
    return made


def test_in_out_degree_and_reciprocity_count_only_known_answers(open_round, actors, answered):
    a, b, c, d = actors
    ties = partner_ties(round=open_round, actors=actors)
    assert (ties.members, ties.invited, ties.respondents) == (4, 3, 3)
    assert (ties.named, ties.checkable, ties.confirmed, ties.unchecked) == (5, 3, 2, 2)
    assert ties.reciprocity == pytest.approx(2 / 3)
    # a: names b, c, d (answered about all three); named by b only, of b and c that
    # answered about it; one of its ties (with b) is named back.
    assert ties.of(a.pk).names == 3 and ties.of(a.pk).answered == 3
    assert (ties.of(a.pk).named_by, ties.of(a.pk).answered_by, ties.of(a.pk).confirmed) == (1, 2, 1)
    # b's "I don't know" about c is no answer: b answered about a only.
    assert (ties.of(b.pk).names, ties.of(b.pk).answered) == (1, 1)
    assert (ties.of(b.pk).named_by, ties.of(b.pk).answered_by) == (2, 2)
    # c: its tie to b is not refused by b's "I don't know": it is not named back, and not
    # counted against it either; c is named by a only (b's answer about c is missing).
    assert (ties.of(c.pk).names, ties.of(c.pk).confirmed) == (1, 0)
    assert (ties.of(c.pk).named_by, ties.of(c.pk).answered_by) == (1, 1)
    # d did not answer: its out-degree is unknown, not 0; it is named by a.
    assert ties.of(d.pk).names is None and ties.of(d.pk).answered == 0
    assert (ties.of(d.pk).named_by, ties.of(d.pk).answered_by) == (1, 1)


def test_a_one_sided_tie_is_not_reciprocated_and_a_silent_member_is_not_a_no(
    open_round, actors, scorer
):
    a, b, c, d = actors
    made = {
        inv.actor_id: inv for inv, _token in invite(round=open_round, actors=[a, b], user=scorer)
    }
    says(made[a.pk], b, 3)
    says(made[a.pk], c, 2)  # c was never invited
    ties = partner_ties(round=open_round, actors=actors)
    # b has not answered about a: nothing can be checked — not 0 %.
    assert (ties.named, ties.checkable, ties.reciprocity) == (2, 0, None)
    says(made[b.pk], a, "none")  # b says they do not work together: one-sided
    ties = partner_ties(round=open_round, actors=actors)
    assert (ties.checkable, ties.confirmed, ties.reciprocity) == (1, 0, 0.0)
    says(made[b.pk], a, 1)  # now b names a back: both ties are named back
    ties = partner_ties(round=open_round, actors=actors)
    assert (ties.checkable, ties.confirmed, ties.reciprocity) == (2, 2, 1.0)
    assert ties.unchecked == 1  # a → c: c gave no answer


def test_a_revoked_links_answers_are_left_out(open_round, actors, answered, scorer):
    a, b, c, d = actors
    revoke(invitation=answered[b.pk], user=scorer)
    ties = partner_ties(round=open_round, actors=actors)
    assert (ties.invited, ties.respondents) == (2, 2)
    # b → a is gone: a → b can no longer be checked; a → c (c says 0) is the only one.
    assert (ties.named, ties.checkable, ties.confirmed) == (4, 1, 0)
    assert ties.of(b.pk).names is None


@pytest.mark.parametrize("count", [4, 12])
def test_one_query_whatever_the_number_of_answers(
    django_assert_num_queries, open_round, district, health, scorer, count
):
    members = ActorFactory.create_batch(count, sector=health, home_region=district)
    made = {inv.actor_id: inv for inv, _t in invite(round=open_round, actors=members, user=scorer)}
    for first in members:
        for second in members:
            if first != second:
                says(made[first.pk], second, 1 + (first.pk + second.pk) % 2)
    with django_assert_num_queries(1):
        ties = partner_ties(round=open_round, actors=members)
    assert ties.named == ties.checkable == ties.confirmed == count * (count - 1)
    assert ties.reciprocity == 1.0


def english(client, url):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client.get(url, HTTP_ACCEPT_LANGUAGE="en")


def section(html) -> str:
    return re.search(r'id="partner-ties".*?</section>', html, re.S).group(0)


def test_the_page_says_what_the_figures_are_computed_on(
    viewer_client, open_round, district, actors, answered
):
    a, b, c, d = actors
    score(open_round, a, b, 2)
    cache.clear()
    html = english(viewer_client, f"/regions/{district.code}/network/").content.decode()
    part = section(html)
    assert "Computed on the answers of 3 of the 4 members of the round (3 invited)." in part
    assert "Reciprocity: 66.7 % — 2 of the 3 named ties whose other side answered" in part
    assert "2 more named ties point to members that have not answered about them" in part
    rows = {
        re.sub(r"<[^>]+>", "|", row).split("|")[2]: re.sub(
            r"\s+", " ", re.sub(r"<[^>]+>", " ", row)
        ).strip()
        for row in re.findall(r"<tr><td>.*?</tr>", part.split("<tbody>")[1], re.S)
    }
    assert rows[d.name].endswith("1 / 1 – –")  # named by a; d itself did not answer
    assert rows[a.name].endswith("1 / 2 3 / 3 1")


def test_a_new_answer_shows_at_once_on_the_cached_page(
    viewer_client, open_round, district, actors, answered
):
    """The tables are cached with the round's state and the answers: a new answer is a new
    state (the partners' answers do not change the round's version)."""
    a, b, c, d = actors
    url = f"/regions/{district.code}/network/"
    assert "(3 invited)" in section(english(viewer_client, url).content.decode())
    says(answered[c.pk], a, 2)  # c now names a back: a ↔ b and a ↔ c, all named back
    part = section(english(viewer_client, url).content.decode())
    assert "Reciprocity: 100.0 % — 4 of the 4 named ties" in part


def test_a_round_without_answers_says_so(viewer_client, open_round, district, actors):
    html = english(viewer_client, f"/regions/{district.code}/network/").content.decode()
    part = section(html)
    assert "Computed on the answers of 0 of the 4 members of the round (0 invited)." in part
    assert "No member has answered about the others yet" in part
    assert "partner-degrees" not in part


def test_the_section_is_in_bahasa_indonesia(viewer_client, open_round, district, actors, answered):
    html = viewer_client.get(f"/regions/{district.code}/network/").content.decode()
    part = section(html)
    assert "Dihitung dari jawaban 3 dari 4 anggota putaran (3 diundang)." in part
    assert "Resiprositas: 66,7 %" in part


def test_the_api_gives_the_same_figures(viewer, open_round, district, actors, answered):
    a, b, c, d = actors
    response = api_client(viewer).get(f"/api/v1/regions/{district.code}/network/")
    assert response.status_code == 200
    data = response.json()
    assert data["partners"] == {
        "members": 4,
        "invited": 3,
        "respondents": 3,
        "named": 5,
        "checkable": 3,
        "confirmed": 2,
        "unchecked": 2,
        "reciprocity": pytest.approx(2 / 3),
    }
    nodes = {node["actor"]["id"]: node for node in data["nodes"]}
    assert (nodes[a.pk]["in_degree"], nodes[a.pk]["out_degree"]) == (1, 3)
    assert (nodes[d.pk]["in_degree"], nodes[d.pk]["out_degree"]) == (1, None)
    assert (nodes[d.pk]["in_answers"], nodes[d.pk]["out_answers"]) == (1, 0)
    assert nodes[a.pk]["named_back"] == 1
    # The same selector as the page.
    assert network_for_round(round=open_round).partners.reciprocity == pytest.approx(2 / 3)
