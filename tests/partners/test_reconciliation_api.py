"""/api/v1/rounds/<id>/reconciliations/: the scorer's decisions listed, and a pair
reconciled through the same service as the page."""

import pytest
import yaml

from assessments.models import PairAssessment
from partners.models import Reconciliation
from partners.services import answer_save
from tests.api.conftest import api_client
from tests.partners.test_pair_views import level_answer
from tests.partners.test_reconciliation import snapshot


def url(round_):
    return f"/api/v1/rounds/{round_.pk}/reconciliations/"


@pytest.fixture
def views(links, actors):
    answer_save(invitation=links[0][0], other_actor=actors[1], answers=level_answer(4))
    answer_save(invitation=links[1][0], other_actor=actors[0], answers=level_answer(1))


def read_views(client, round_, actors):
    response = client.get(f"/api/v1/rounds/{round_.pk}/partner-views/")
    first, second = sorted((actors[0].pk, actors[1].pk))
    pair = next(
        p for p in response.json()["pairs"] if (p["actor_a"], p["actor_b"]) == (first, second)
    )
    return pair


def test_a_scorer_reconciles_a_pair_and_lists_the_decisions(views, actors, open_round, scorer):
    client = api_client(scorer)
    pair = read_views(client, open_round, actors)
    assert pair["disagree"] and pair["proposed_level"] == 1
    body = {
        "actor_a": actors[1].pk,
        "actor_b": actors[0].pk,
        "level": 2,
        "reason": "Rapat koordinasi bulanan.",
        "views_version": pair["views_version"],
        "expected_version": 0,
    }
    response = client.post(url(open_round), body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["level"], data["proposed_level"], data["previous_level"]) == (2, 1, None)
    assert data["decided_by"] == "penilai_sigi" and data["reason"] == "Rapat koordinasi bulanan."
    assert {data["a_level"], data["b_level"]} == {4, 1}
    assert PairAssessment.objects.get(round=open_round).level == 2
    listed = client.get(url(open_round)).json()
    assert [item["id"] for item in listed] == [data["id"]]
    assert listed[0]["a_view"]["evidence"] in ([True] * 4, [True, False, False, False])
    # The same body again: the official assessment is at version 1 now.
    before = snapshot()
    response = client.post(url(open_round), body, format="json")
    assert response.status_code == 409 and snapshot() == before


def test_refusals(
    views, links, actors, other_actors, open_round, scorer, other_scorer, planner, viewer
):
    pair = read_views(api_client(scorer), open_round, actors)
    body = {
        "actor_a": actors[0].pk,
        "actor_b": actors[1].pk,
        "level": 2,
        "reason": "Rapat",
        "views_version": pair["views_version"],
    }
    before = snapshot()
    assert api_client(planner).post(url(open_round), body, format="json").status_code == 403
    assert api_client(viewer).get(url(open_round)).status_code == 403
    assert api_client(other_scorer).post(url(open_round), body, format="json").status_code == 404
    client = api_client(scorer)
    response = client.post(url(open_round), body | {"reason": "  "}, format="json")
    assert response.status_code == 400 and "reason" in response.json()
    response = client.post(url(open_round), body | {"level": 9}, format="json")
    assert response.status_code == 400 and "level" in response.json()
    response = client.post(url(open_round), body | {"actor_b": other_actors[0].pk}, format="json")
    assert response.status_code == 400
    assert "Palu" not in response.content.decode()  # names no actor from elsewhere
    answer_save(invitation=links[0][0], other_actor=actors[1], answers=level_answer(3))
    before = snapshot()
    response = client.post(url(open_round), body, format="json")
    assert response.status_code == 409 and "changed its answer" in response.json()["detail"]
    assert snapshot() == before
    assert not Reconciliation.objects.exists()


def test_the_endpoint_is_in_the_schema(scorer):
    schema = yaml.safe_load(api_client(scorer).get("/api/v1/schema/").content)
    path = schema["paths"]["/api/v1/rounds/{id}/reconciliations/"]
    assert {"get", "post"} <= set(path)
    assert "views_version" in schema["components"]["schemas"]["PairViews"]["properties"]
