"""/api/v1/rounds/<id>/partner-views/: both views of each pair, the official level, the
disagreement and the proposal, and each member's response; scoped like the round."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partners.services import answer_save, invite, revoke, submit
from tests.api.conftest import api_client
from tests.factories import ActorFactory, score
from tests.partners.test_pair_views import level_answer


def url(round_):
    return f"/api/v1/rounds/{round_.pk}/partner-views/"


def get(client, round_):
    response = client.get(url(round_))
    assert response.status_code == 200, response.content
    return response.json()


def test_each_pair_has_both_views_the_official_level_and_the_proposal(
    links, actors, open_round, scorer, planner
):
    (inv_a, _), (inv_b, _), (inv_c, _) = links[0], links[1], links[2]
    answer_save(invitation=inv_a, other_actor=actors[1], answers=level_answer(4))
    answer_save(invitation=inv_b, other_actor=actors[0], answers=level_answer(0))
    answer_save(invitation=inv_c, other_actor=actors[0], answers={"kind": "unknown"})
    answer_save(invitation=inv_c, other_actor=actors[3], answers=level_answer(2))
    submit(invitation=inv_c)
    score(open_round, actors[1], actors[0], 2)

    data = get(api_client(planner), open_round)
    assert data["round"]["id"] == open_round.pk
    by_pair = {(pair["actor_a"], pair["actor_b"]): pair for pair in data["pairs"]}
    assert list(by_pair) == sorted(by_pair)
    ids = [actor.pk for actor in actors]
    assert set(by_pair) == {
        tuple(sorted((ids[0], ids[1]))),
        tuple(sorted((ids[0], ids[2]))),
        tuple(sorted((ids[2], ids[3]))),
    }

    ab = by_pair[tuple(sorted((ids[0], ids[1])))]
    views = {ab["actor_a"]: ab["a_view"], ab["actor_b"]: ab["b_view"]}
    assert views[ids[0]] == {"level": 4, "not_working_together": False, "dont_know": False}
    assert views[ids[1]] == {"level": 0, "not_working_together": True, "dont_know": False}
    assert (ab["official_level"], ab["disagree"], ab["proposed_level"]) == (2, True, 0)

    ac = by_pair[tuple(sorted((ids[0], ids[2])))]
    views = {ac["actor_a"]: ac["a_view"], ac["actor_b"]: ac["b_view"]}
    assert views[ids[0]] is None  # A said nothing about C
    assert views[ids[2]] == {"level": None, "not_working_together": False, "dont_know": True}
    assert (ac["official_level"], ac["disagree"], ac["proposed_level"]) == (None, False, None)

    cd = by_pair[tuple(sorted((ids[2], ids[3])))]
    assert (cd["official_level"], cd["disagree"], cd["proposed_level"]) == (None, False, 2)

    responses = data["responses"]
    assert (responses["members"], responses["invited"], responses["responded"]) == (4, 4, 3)
    assert responses["response_rate"] == 75
    assert responses["answer_rate"] == round(100 * 4 / 12)
    rows = {row["actor"]: row for row in responses["actors"]}
    assert [row["actor"] for row in responses["actors"]] == ids  # matrix order
    assert rows[ids[2]] | {"name": None} == {
        "actor": ids[2],
        "name": None,
        "status": "answered",
        "answered": 2,
        "others": 3,
        "rate": 67,
        "submitted": True,
    }
    assert (rows[ids[0]]["status"], rows[ids[0]]["submitted"]) == ("partly", False)
    assert (rows[ids[3]]["status"], rows[ids[3]]["answered"]) == ("waiting", 0)

    # A revoked link's answers leave the views (not the response count).
    revoke(invitation=inv_b, user=scorer)
    ab = {
        (pair["actor_a"], pair["actor_b"]): pair
        for pair in get(api_client(planner), open_round)["pairs"]
    }[tuple(sorted((ids[0], ids[1])))]
    assert (ab["disagree"], ab["proposed_level"]) == (False, 4)


def test_a_round_without_invitations_has_no_pairs_and_a_roster_not_sent(scorer, open_round, actors):
    data = get(api_client(scorer), open_round)
    assert data["pairs"] == []
    assert data["responses"]["invited"] == 0
    assert {row["status"] for row in data["responses"]["actors"]} == {"not_sent"}


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("admin", 200),
        ("scorer", 200),
        ("planner", 200),
        ("viewer", 403),  # like the details of pairs
        ("other_scorer", 404),  # outside the jurisdiction
        ("anonymous", 401),
    ],
)
def test_who_reads_the_partners_views(persona, expected, request, links, open_round, actors):
    users = {
        "admin": "admin_user",
        "scorer": "scorer",
        "planner": "planner",
        "viewer": "viewer",
        "other_scorer": "other_scorer",
    }
    client = api_client(request.getfixturevalue(users[persona]) if persona in users else None)
    answer_save(invitation=links[0][0], other_actor=actors[1], answers=level_answer(3))
    response = client.get(url(open_round))
    assert response.status_code == expected, response.content
    if expected == 200:
        assert len(response.json()["pairs"]) == 1
    # Read only.
    assert client.post(url(open_round), {}).status_code in (401, 403, 404, 405)


def test_an_unknown_round_is_not_found(scorer):
    assert api_client(scorer).get("/api/v1/rounds/999999/partner-views/").status_code == 404


def _queries(client, round_) -> int:
    with CaptureQueriesContext(connection) as queries:
        get(client, round_)
    return len(queries)


def test_the_query_count_does_not_grow_with_the_roster(
    open_round, actors, district, health, scorer
):
    client = api_client(scorer)
    client.get(url(open_round))  # sessions and caches warmed

    def answer_all(invitations):
        for invitation, _token in invitations:
            for other in open_round.members.exclude(actor=invitation.actor):
                answer_save(invitation=invitation, other_actor=other.actor, answers=level_answer(2))

    made = invite(round=open_round, actors=actors[:3], user=scorer)
    answer_all(made)
    few = _queries(client, open_round)
    more = [ActorFactory(home_region=district, sector=health) for _ in range(8)]
    made = invite(round=open_round, actors=more + [actors[3]], user=scorer)
    answer_all(made)
    assert open_round.members.count() == 12
    assert _queries(client, open_round) == few


def test_the_endpoint_is_in_the_schema(scorer):
    import yaml

    schema = yaml.safe_load(api_client(scorer).get("/api/v1/schema/").content)
    operation = schema["paths"]["/api/v1/rounds/{id}/partner-views/"]["get"]
    assert {"200", "403", "404"} <= set(operation["responses"])
    body = schema["components"]["schemas"]["PairViews"]["properties"]
    assert {"a_view", "b_view", "official_level", "disagree", "proposed_level"} <= set(body)
