import pytest

from actors.models import Actor, GovernmentLevel, Programme, ProgrammeParticipant
from assessments.models import AssessmentRound, RoundStatus
from tests.api.conftest import api_client, snapshot
from tests.factories import ActorFactory, ProgrammeFactory, RegionFactory, RoundFactory


def names(response):
    assert response.status_code == 200, response.content
    return sorted(item["name"] for item in response.json()["results"])


# Actors ----------------------------------------------------------------------------------


def test_actor_filters(admin_user, actors, other_actors, health, district):
    village = RegionFactory(
        code="72.10.01.2001", name="Desa Contoh", level=GovernmentLevel.VILLAGE,
        parent=RegionFactory(code="72.10.01", name="Sigi Biromaru",
                             level=GovernmentLevel.SUBDISTRICT, parent=district),
    )  # fmt: skip
    posyandu = ActorFactory(
        name="Posyandu Mawar", sector=health, home_region=village,
        government_level=GovernmentLevel.VILLAGE, kind="community", is_active=False,
    )  # fmt: skip
    client = api_client(admin_user)
    assert len(names(client.get("/api/v1/actors/?region=72.10"))) == 5
    assert names(client.get("/api/v1/actors/?region=7210012001")) == [posyandu.name]
    assert names(client.get("/api/v1/actors/?region=72.71")) == [
        "Bappeda Kota Palu",
        "Dinas Kesehatan Kota Palu",
    ]
    assert names(client.get("/api/v1/actors/?sector=health&region=72.10")) == [
        "Dinas Kesehatan Kabupaten Sigi",
        "Posyandu Mawar",
        "Puskesmas Biromaru",
    ]
    assert names(client.get("/api/v1/actors/?government_level=4")) == [posyandu.name]
    assert names(client.get("/api/v1/actors/?active=false")) == [posyandu.name]
    assert names(client.get("/api/v1/actors/?kind=community")) == [posyandu.name]
    assert client.get("/api/v1/actors/?government_level=9").status_code == 400
    assert client.get("/api/v1/actors/?sector=nope").status_code == 400


def test_lists_are_paginated(admin_user, actors, other_actors):
    page = api_client(admin_user).get("/api/v1/actors/?page_size=4").json()
    assert page["count"] == 6
    assert len(page["results"]) == 4
    assert "page=2" in page["next"]


def test_an_admin_creates_an_actor_in_the_jurisdiction_only(admin_user, district, health):
    client = api_client(admin_user)
    body = {
        "name": "Dinas Sosial Kabupaten Sigi",
        "short_name": "Dinsos",
        "kind": "government",
        "sector": "health",
        "government_level": 2,
        "home_region": "7210",
    }
    created = client.post("/api/v1/actors/", body, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["home_region"] == "72.10"

    RegionFactory(code="73", name="Sulawesi Selatan", level=GovernmentLevel.PROVINCE)
    before = snapshot()
    duplicate = client.post("/api/v1/actors/", body, format="json")
    assert duplicate.status_code == 400
    elsewhere = client.post("/api/v1/actors/", {**body, "home_region": "73"}, format="json")
    assert elsewhere.status_code == 400
    assert list(elsewhere.json()) == ["home_region"]
    bad_kind = client.post("/api/v1/actors/", {**body, "name": "X", "kind": "x"}, format="json")
    assert list(bad_kind.json()) == ["kind"]
    assert snapshot() == before


def test_an_admin_deactivates_an_actor(admin_user, actors):
    response = api_client(admin_user).patch(
        f"/api/v1/actors/{actors[0].pk}/", {"is_active": False}, format="json"
    )
    assert response.status_code == 200
    assert Actor.objects.get(pk=actors[0].pk).is_active is False


# Programmes ------------------------------------------------------------------------------


def test_a_programme_is_created_with_its_participants(admin_user, district, actors):
    body = {
        "name": "Percepatan Penurunan Stunting Sigi",
        "region": "72.10",
        "period_start": "2026-01-01",
        "period_end": "2026-12-31",
        "lead_actor": actors[0].pk,
        "target_groups": ["children_0_59", "pregnant_women"],
        "participants": [
            {"actor": actors[0].pk, "role": "lead", "stages": ["monitoring", "planning"]},
            {"actor": actors[2].pk, "role": "funder", "contributions": ["apbd"]},
        ],
    }
    response = api_client(admin_user).post("/api/v1/programmes/", body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    # Stored in vocabulary order, as the admin stores them.
    assert data["target_groups"] == ["pregnant_women", "children_0_59"]
    stages = {item["actor"]: item["stages"] for item in data["participants"]}
    assert stages == {actors[0].pk: ["planning", "monitoring"], actors[2].pk: []}
    assert Programme.objects.get().participants.count() == 2


def test_a_participant_outside_the_programmes_region_refuses_the_whole_write(
    admin_user, district, actors, other_actors
):
    before = snapshot()
    response = api_client(admin_user).post(
        "/api/v1/programmes/",
        {
            "name": "Stunting",
            "region": "72.10",
            "period_start": "2026-01-01",
            "period_end": "2026-12-31",
            "participants": [
                {"actor": actors[0].pk, "role": "lead"},
                {"actor": other_actors[0].pk, "role": "funder"},
            ],
        },
        format="json",
    )
    assert response.status_code == 400
    errors = response.json()["participants"]
    assert errors[0] == {}
    assert "programme's region" in errors[1]["actor"][0]
    assert snapshot() == before


def test_programme_period_and_lead_actor_follow_the_model_rules(admin_user, district, other_actors):
    response = api_client(admin_user).post(
        "/api/v1/programmes/",
        {
            "name": "Stunting",
            "region": "72.10",
            "period_start": "2026-12-31",
            "period_end": "2026-01-01",
            "lead_actor": other_actors[0].pk,
        },
        format="json",
    )
    assert response.status_code == 400
    assert "lead_actor" in response.json()
    assert not Programme.objects.exists()


def test_giving_participants_replaces_the_list(admin_user, district, actors):
    programme = ProgrammeFactory(region=district)
    programme.participants.create(actor=actors[0], role="lead")
    programme.participants.create(actor=actors[1], role="implementer")
    response = api_client(admin_user).patch(
        f"/api/v1/programmes/{programme.pk}/",
        {"participants": [{"actor": actors[1].pk, "role": "monitoring"}]},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert list(ProgrammeParticipant.objects.values_list("actor", "role")) == [
        (actors[1].pk, "monitoring")
    ]
    # Leaving the list out keeps it.
    api_client(admin_user).patch(
        f"/api/v1/programmes/{programme.pk}/", {"description": "x"}, format="json"
    )
    assert ProgrammeParticipant.objects.count() == 1


def test_programmes_filter_by_region(planner, district, other_district):
    ProgrammeFactory(region=district, name="Sigi")
    ProgrammeFactory(region=other_district, name="Palu")
    assert names(api_client(planner).get("/api/v1/programmes/?region=72.71")) == ["Palu"]


# Rounds ----------------------------------------------------------------------------------


def test_drafts_are_listed_for_admins_only(admin_user, viewer, district, open_round):
    RoundFactory(region=district, status=RoundStatus.DRAFT, name="Draf")
    assert names(api_client(admin_user).get("/api/v1/rounds/")) == ["Draf", open_round.name]
    assert names(api_client(viewer).get("/api/v1/rounds/")) == [open_round.name]


def test_round_filters(admin_user, district, open_round, other_round):
    programme = ProgrammeFactory(region=district)
    RoundFactory(region=district, status=RoundStatus.CLOSED, name="Lama", programme=programme)
    client = api_client(admin_user)
    assert names(client.get("/api/v1/rounds/?status=closed")) == ["Lama"]
    assert names(client.get("/api/v1/rounds/?region=7271")) == [other_round.name]
    assert names(client.get(f"/api/v1/rounds/?programme={programme.pk}")) == ["Lama"]


def test_a_round_is_held_for_a_province_or_a_district(admin_user, district):
    subdistrict = RegionFactory(
        code="72.10.01", name="Sigi Biromaru", level=GovernmentLevel.SUBDISTRICT, parent=district
    )
    response = api_client(admin_user).post(
        "/api/v1/rounds/",
        {
            "name": "Kecamatan",
            "region": subdistrict.code,
            "period_start": "2026-01-01",
            "period_end": "2026-12-31",
        },
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["region"]
    assert not AssessmentRound.objects.exists()


def test_a_closed_round_is_read_only(admin_user, district):
    closed = RoundFactory(region=district, status=RoundStatus.CLOSED, name="Tutup")
    client = api_client(admin_user)
    before = snapshot()
    response = client.patch(f"/api/v1/rounds/{closed.pk}/", {"name": "Baru"}, format="json")
    assert response.status_code == 400
    assert "closed" in response.json()["non_field_errors"][0]
    # Reopening needs a reason, kept in the round's history.
    response = client.patch(f"/api/v1/rounds/{closed.pk}/", {"status": "open"}, format="json")
    assert response.status_code == 400
    assert "reopened" in response.json()["reopen_reason"][0]
    assert snapshot() == before
    response = client.patch(
        f"/api/v1/rounds/{closed.pk}/",
        {"status": "open", "reopen_reason": "Data Puskesmas susulan"},
        format="json",
    )
    assert response.status_code == 200 and response.json()["status"] == "open"
    assert closed.history.latest().history_change_reason == "Data Puskesmas susulan"


def test_the_region_of_a_round_does_not_change(admin_user, open_round, other_district):
    response = api_client(admin_user).patch(
        f"/api/v1/rounds/{open_round.pk}/", {"region": "72.71"}, format="json"
    )
    assert response.status_code == 400
    open_round.refresh_from_db()
    assert open_round.region.code == "72.10"


@pytest.mark.parametrize("token_auth", [True, False])
def test_token_and_session_authentication(scorer, open_round, token_auth):
    from knox.models import AuthToken
    from rest_framework.test import APIClient

    client = APIClient()
    if token_auth:
        _instance, token = AuthToken.objects.create(user=scorer)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    else:
        client.force_login(scorer)
    assert names(client.get("/api/v1/rounds/")) == [open_round.name]


def test_the_token_endpoint_exchanges_a_password_for_a_token(scorer):
    from rest_framework.test import APIClient

    response = APIClient().post(
        "/api/v1/token/", {"username": "penilai_sigi", "password": "pw-penilai_sigi"}
    )
    assert response.status_code == 200
    token = response.json()["token"]
    assert APIClient(HTTP_AUTHORIZATION=f"Token {token}").get("/api/v1/rounds/").status_code == 200
    wrong = APIClient().post("/api/v1/token/", {"username": "penilai_sigi", "password": "x"})
    assert wrong.status_code == 400


def test_anonymous_requests_get_401_with_a_token_challenge(db):
    from rest_framework.test import APIClient

    response = APIClient().get("/api/v1/actors/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
