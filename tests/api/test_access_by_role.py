"""Every endpoint, tried by every persona: who is answered, who is refused, and that a
refusal writes nothing.

The world: province 72 (admin, planner), Kabupaten Sigi 72.10 (scorer, viewer) and Kota
Palu 72.71 (the other district's scorer), each district with its actors and an open round.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from actors.models import ParticipantRole
from assessments.models import RoundStatus
from tests.api.conftest import snapshot
from tests.factories import ProgrammeFactory, RoundFactory, score

PERSONAS = ["admin", "scorer", "other_scorer", "planner", "viewer", "anonymous"]


@pytest.fixture
def world(open_round, other_round, actors, other_actors, district):
    programme = ProgrammeFactory(region=district, lead_actor=actors[0])
    programme.participants.create(actor=actors[0], role=ParticipantRole.LEAD)
    draft = RoundFactory(region=district, status=RoundStatus.DRAFT, name="Draf Sigi")
    return {
        "actor": actors[0],
        "other_actor": other_actors[0],
        "programme": programme,
        "round": open_round,
        "draft": draft,
        "other_round": other_round,
        "assessment": score(open_round, actors[0], actors[1], 2),
        "actors": actors,
    }


# What each persona gets for a read: inside Sigi, everyone with a role but Palu's scorer.
SIGI_READ = {
    "admin": 200,
    "scorer": 200,
    "other_scorer": 404,
    "planner": 200,
    "viewer": 200,
    "anonymous": 401,
}
EVERYONE_READS = {**SIGI_READ, "other_scorer": 200}
ADMIN_ONLY_READ = {**SIGI_READ, "scorer": 404, "planner": 404, "viewer": 404}
# Pair details (notes, evidence) and files: every role but viewers (README, roles table).
SIGI_DETAILS = {**SIGI_READ, "viewer": 403}
EVERYONE_DETAILS = {**EVERYONE_READS, "viewer": 403}

READS = [
    ("api root", lambda w: "/api/v1/", EVERYONE_READS),
    ("region list", lambda w: "/api/v1/regions/", EVERYONE_READS),
    ("region detail", lambda w: "/api/v1/regions/72.10/", SIGI_READ),
    ("sector list", lambda w: "/api/v1/sectors/", EVERYONE_READS),
    ("sector detail", lambda w: f"/api/v1/sectors/{w['actor'].sector.code}/", EVERYONE_READS),
    ("actor list", lambda w: "/api/v1/actors/", EVERYONE_READS),
    ("actor detail", lambda w: f"/api/v1/actors/{w['actor'].pk}/", SIGI_READ),
    ("programme list", lambda w: "/api/v1/programmes/", EVERYONE_READS),
    ("programme detail", lambda w: f"/api/v1/programmes/{w['programme'].pk}/", SIGI_READ),
    ("round list", lambda w: "/api/v1/rounds/", EVERYONE_READS),
    ("round detail", lambda w: f"/api/v1/rounds/{w['round'].pk}/", SIGI_READ),
    ("draft round detail", lambda w: f"/api/v1/rounds/{w['draft'].pk}/", ADMIN_ONLY_READ),
    ("round matrix", lambda w: f"/api/v1/rounds/{w['round'].pk}/matrix/", SIGI_READ),
    ("draft round matrix", lambda w: f"/api/v1/rounds/{w['draft'].pk}/matrix/", ADMIN_ONLY_READ),
    ("round export", lambda w: f"/api/v1/rounds/{w['round'].pk}/export/", SIGI_DETAILS),
    ("assessment list", lambda w: "/api/v1/pair-assessments/", EVERYONE_DETAILS),
    (
        "assessment detail",
        lambda w: f"/api/v1/pair-assessments/{w['assessment'].pk}/",
        SIGI_DETAILS,
    ),
    ("region export", lambda w: "/api/v1/exports/regions/", EVERYONE_DETAILS),
    ("actor export", lambda w: "/api/v1/exports/actors/", EVERYONE_DETAILS),
    ("schema", lambda w: "/api/v1/schema/", EVERYONE_READS),
    ("docs", lambda w: "/api/v1/docs/", EVERYONE_READS),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("name", "url", "expected"), READS, ids=[read[0] for read in READS])
def test_reads(personas, world, persona, name, url, expected):
    response = personas[persona].get(url(world))
    assert response.status_code == expected[persona], response.content[:300]


def test_palu_objects_are_invisible_to_sigi(personas, world):
    client = personas["scorer"]
    assert client.get("/api/v1/regions/72.71/").status_code == 404
    assert client.get(f"/api/v1/actors/{world['other_actor'].pk}/").status_code == 404
    assert client.get(f"/api/v1/rounds/{world['other_round'].pk}/").status_code == 404
    listed = client.get("/api/v1/actors/").json()["results"]
    assert {actor["home_region"] for actor in listed} == {"72.10"}


def _csv(text, name="data.csv"):
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


ADMIN_WRITES = {
    "admin": None,  # the success status is given per case
    "scorer": 403,
    "other_scorer": 403,
    "planner": 403,
    "viewer": 403,
    "anonymous": 401,
}


def _actor_body(w):
    return {
        "name": "Dinas Sosial Kabupaten Sigi",
        "short_name": "Dinsos",
        "kind": "government",
        "sector": w["actor"].sector.code,
        "government_level": 2,
        "home_region": "72.10",
    }


def _programme_body(w):
    return {
        "name": "Konvergensi Stunting Sigi",
        "region": "72.10",
        "period_start": "2026-01-01",
        "period_end": "2026-12-31",
        "participants": [{"actor": w["actor"].pk, "role": "lead", "stages": ["planning"]}],
    }


def _round_body(w):
    return {
        "name": "Pemetaan Sigi 2027",
        "region": "72.10",
        "period_start": "2027-01-01",
        "period_end": "2027-12-31",
        "status": "draft",
    }


def _pair_body(w):
    return {
        "round": w["round"].pk,
        "actor_a": w["actors"][2].pk,
        "actor_b": w["actors"][3].pk,
        "level": 3,
    }


WRITES = [
    # name, method, url, body, format, success status for the admin, per-persona overrides
    ("region create", "post", lambda w: "/api/v1/regions/",
     lambda w: {"code": "7213", "name": "Kabupaten Baru"}, "json", 201, {}),
    ("region update", "patch", lambda w: "/api/v1/regions/72.10/",
     lambda w: {"name": "Kabupaten Sigi (baru)"}, "json", 200, {}),
    ("sector create", "post", lambda w: "/api/v1/sectors/",
     lambda w: {"code": "social", "name_id": "Sosial", "name_en": "Social"}, "json", 403, {}),
    ("sector update", "patch", lambda w: f"/api/v1/sectors/{w['actor'].sector.code}/",
     lambda w: {"name_en": "Public health"}, "json", 403, {}),
    ("actor create", "post", lambda w: "/api/v1/actors/", _actor_body, "json", 201, {}),
    ("actor update", "patch", lambda w: f"/api/v1/actors/{w['actor'].pk}/",
     lambda w: {"is_active": False}, "json", 200, {}),
    ("programme create", "post", lambda w: "/api/v1/programmes/", _programme_body, "json", 201,
     {}),
    ("programme update", "patch", lambda w: f"/api/v1/programmes/{w['programme'].pk}/",
     lambda w: {"description": "Rembuk stunting"}, "json", 200, {}),
    ("round create", "post", lambda w: "/api/v1/rounds/", _round_body, "json", 201, {}),
    ("round update", "patch", lambda w: f"/api/v1/rounds/{w['round'].pk}/",
     lambda w: {"status": "closed"}, "json", 200, {}),
    ("pair create", "post", lambda w: "/api/v1/pair-assessments/", _pair_body, "json", 201,
     # Sigi's scorer scores; Palu's does not see Sigi's round (400: no such round).
     {"scorer": 201, "other_scorer": 400}),
    ("pair update", "patch", lambda w: f"/api/v1/pair-assessments/{w['assessment'].pk}/",
     lambda w: {"level": 4}, "json", 200, {"scorer": 200, "other_scorer": 404}),
    ("region import", "post", lambda w: "/api/v1/imports/regions/",
     lambda w: {"file": _csv("code,name\n72.13,Kabupaten Baru\n")}, "multipart", 200, {}),
    ("actor import", "post", lambda w: "/api/v1/imports/actors/",
     lambda w: {"file": _csv(
         "name,short_name,kind,sector,government_level,region_code\n"
         f"Dinas Sosial Sigi,Dinsos,government,{w['actor'].sector.code},district,7210\n"
     )}, "multipart", 200, {}),
    ("pair import", "post", lambda w: f"/api/v1/rounds/{w['round'].pk}/import/",
     lambda w: {"file": _csv("actor_a,actor_b,level\nBappeda,Disdik,1\n"), "shape": "edges"},
     "multipart", 200, {"other_scorer": 403}),
]  # fmt: skip


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    ("name", "method", "url", "body", "format", "admin_status", "overrides"),
    WRITES,
    ids=[write[0] for write in WRITES],
)
def test_writes(personas, world, persona, name, method, url, body, format, admin_status, overrides):
    expected = {**ADMIN_WRITES, "admin": admin_status, **overrides}[persona]
    before = snapshot()
    response = getattr(personas[persona], method)(url(world), body(world), format=format)
    assert response.status_code == expected, response.content[:400]
    if expected >= 400:
        assert snapshot() == before
    else:
        assert snapshot() != before


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/regions/72.10/",
        "/api/v1/sectors/health/",
        "/api/v1/actors/{actor}/",
        "/api/v1/programmes/{programme}/",
        "/api/v1/rounds/{round}/",
        "/api/v1/pair-assessments/{assessment}/",
    ],
)
def test_nothing_is_deleted_through_the_api(personas, world, persona, url):
    """An actor with assessments is deactivated and a round is closed, never deleted."""
    url = url.format(**{key: getattr(value, "pk", None) for key, value in world.items()})
    before = snapshot()
    response = personas[persona].delete(url)
    assert (
        response.status_code == 401
        if persona == "anonymous"
        else response.status_code
        in {
            403,
            405,
        }
    )
    assert snapshot() == before


def test_a_user_without_a_role_reads_nothing(no_role_user, world):
    from tests.api.conftest import api_client

    client = api_client(no_role_user)
    assert client.get("/api/v1/regions/").status_code == 403
    assert client.get(f"/api/v1/actors/{world['actor'].pk}/").status_code == 403
