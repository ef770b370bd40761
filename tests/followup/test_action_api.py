"""/api/v1/actions/: scoped like the rest, written through the same service as the pages."""

from datetime import date, timedelta

import pytest

from followup.models import FollowUpAction
from followup.services import action_create
from tests.api.conftest import api_client
from tests.conftest import SITE_TODAY
from tests.factories import make_user
from tests.followup.conftest import snapshot

pytestmark = pytest.mark.django_db

URL = "/api/v1/actions/"


def payload(values, round_, **changes):
    data = {
        "round": round_.pk,
        "actor_a": values["actor_a"].pk,
        "actor_b": values["actor_b"].pk,
        "target_level": values["target_level"],
        "mechanism": values["mechanism"],
        "owner": values["owner"].pk,
        "involved": [actor.pk for actor in values["involved"]],
        "aksi": values["aksi"],
        "due_date": values["due_date"].isoformat(),
        "notes": values["notes"],
    }
    data.update(changes)
    return data


@pytest.fixture
def sigi_action(admin_user, open_round, values):
    return action_create(user=admin_user, round=open_round, **values)


@pytest.fixture
def palu_action(admin_user, other_round, other_actors):
    palu_dinkes, palu_bappeda = other_actors
    return action_create(
        user=admin_user,
        round=other_round,
        actor_a=palu_dinkes,
        target_level=2,
        mechanism="data_sharing",
        owner=palu_bappeda,
        aksi=1,
        due_date=date(2026, 12, 1),
    )


def test_a_planner_creates_an_action_on_a_gap_pair(planner, open_round, values, actors):
    response = api_client(planner).post(URL, payload(values, open_round), format="json")
    assert response.status_code == 201, response.data
    body = response.json()
    action = FollowUpAction.objects.get()
    assert body["id"] == action.pk
    assert body["region"] == "72.10"
    assert body["subject_kind"] == "pair"
    assert {body["actor_a"], body["actor_b"]} == {values["actor_a"].pk, values["actor_b"].pk}
    assert body["status"] == "planned"
    assert body["overdue"] is False
    assert body["created_by"] == "perencana"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"due_date": "2025-12-31"}, "due_date"),
        ({"target_level": 7}, "target_level"),
        ({"mechanism": "pesta"}, "mechanism"),
        ({"aksi": 0}, "aksi"),
    ],
)
def test_bad_values_are_a_400_with_nothing_written(planner, open_round, values, change, field):
    before = snapshot()
    response = api_client(planner).post(URL, payload(values, open_round, **change), format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert snapshot() == before


def test_an_owner_outside_the_roster_is_refused(planner, open_round, values, outsider):
    before = snapshot()
    response = api_client(planner).post(
        URL, payload(values, open_round, owner=outsider.pk), format="json"
    )
    assert response.status_code == 400
    assert response.json()["owner"] == ["Yayasan Gizi Sigi is not on the roster of this round."]
    assert snapshot() == before


def test_the_message_follows_the_users_language(planner, open_round, values):
    client = api_client(planner)
    client.cookies.pop("django_language", None)
    client.credentials(HTTP_ACCEPT_LANGUAGE="id")
    response = client.post(URL, payload(values, open_round, due_date="2025-12-31"), format="json")
    assert response.status_code == 400
    assert response.json()["due_date"][0].startswith("Tenggat tidak boleh sebelum awal putaran")


def test_viewers_read_but_may_not_write(viewer, open_round, values, sigi_action):
    client = api_client(viewer)
    assert [item["id"] for item in client.get(URL).json()["results"]] == [sigi_action.pk]
    before = snapshot()
    assert client.post(URL, payload(values, open_round), format="json").status_code == 403
    detail = f"{URL}{sigi_action.pk}/"
    assert client.patch(detail, {"status": "done"}, format="json").status_code == 403
    assert client.delete(detail).status_code == 403
    assert snapshot() == before


def test_another_districts_scorer_neither_sees_nor_writes(
    other_scorer, open_round, values, sigi_action, palu_action
):
    client = api_client(other_scorer)
    assert [item["id"] for item in client.get(URL).json()["results"]] == [palu_action.pk]
    before = snapshot()
    detail = f"{URL}{sigi_action.pk}/"
    assert client.get(detail).status_code == 404
    assert client.patch(detail, {"status": "done"}, format="json").status_code == 404
    # Sigi's round is not one they may name: refused as an unknown round.
    response = client.post(URL, payload(values, open_round), format="json")
    assert response.status_code == 400
    assert "round" in response.json()
    assert snapshot() == before


def test_anonymous_and_role_less_users_are_refused(district, sigi_action):
    no_role_user = make_user("tanpa_peran", regions=[district])
    assert api_client().get(URL).status_code in (401, 403)
    assert api_client(no_role_user).get(URL).status_code == 403


def test_a_scorer_updates_the_status_and_admins_delete(scorer, planner, admin_user, sigi_action):
    detail = f"{URL}{sigi_action.pk}/"
    response = api_client(scorer).patch(detail, {"status": "in_progress"}, format="json")
    assert response.status_code == 200, response.data
    assert response.json()["status"] == "in_progress"
    sigi_action.refresh_from_db()
    assert sigi_action.status == "in_progress"
    assert api_client(planner).delete(detail).status_code == 403
    assert api_client(admin_user).delete(detail).status_code == 204
    assert not FollowUpAction.objects.exists()
    assert FollowUpAction.history.filter(id=sigi_action.pk, history_type="-").exists()


def test_a_patch_cannot_move_the_due_date_before_the_round(planner, sigi_action):
    before = snapshot()
    response = api_client(planner).patch(
        f"{URL}{sigi_action.pk}/", {"due_date": "2025-01-01", "status": "done"}, format="json"
    )
    assert response.status_code == 400
    assert snapshot() == before


@pytest.mark.dates
def test_overdue_filter_uses_the_site_date(admin_user, open_round, values, clock):
    def make(due, status="planned"):
        return action_create(
            user=admin_user,
            round=open_round,
            **{**values, "due_date": due, "status": status},
        ).pk

    yesterday = make(SITE_TODAY - timedelta(days=1))
    today = make(SITE_TODAY)
    make(SITE_TODAY - timedelta(days=30), status="done")
    client = api_client(admin_user)
    overdue = client.get(URL, {"overdue": "true"}).json()["results"]
    assert [item["id"] for item in overdue] == [yesterday]
    assert overdue[0]["overdue"] is True
    listed = {item["id"]: item["overdue"] for item in client.get(URL).json()["results"]}
    assert listed[today] is False


def test_filters_by_region_status_and_aksi(admin_user, sigi_action, palu_action):
    client = api_client(admin_user)

    def ids(**query):
        return [item["id"] for item in client.get(URL, query).json()["results"]]

    assert ids(region="72.71") == [palu_action.pk]
    assert ids(aksi=3) == [sigi_action.pk]
    assert ids(status="done") == []
    assert client.get(URL, {"aksi": 12}).status_code == 400
