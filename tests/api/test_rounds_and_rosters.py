"""Rounds and their rosters through the API alone: a district round across government
levels, built, opened, scored and closed by a client."""

import pytest

from actors.models import GovernmentLevel
from assessments.models import AssessmentRound, RoundMember
from tests.api.conftest import api_client, snapshot
from tests.factories import ActorFactory, RegionFactory, make_user


@pytest.fixture
def levels_world(province, district, health, planning, education):
    """Sigi with a kecamatan and a desa, and actors at each level, the province's too."""
    kecamatan = RegionFactory(
        code="72.10.05", name="Sigi Biromaru", level=GovernmentLevel.SUBDISTRICT, parent=district
    )
    desa = RegionFactory(
        code="72.10.05.2001", name="Mpanau", level=GovernmentLevel.VILLAGE, parent=kecamatan
    )

    def actor(name, sector, region):
        return ActorFactory(
            name=name,
            short_name=name.split()[0],
            sector=sector,
            home_region=region,
            government_level=region.level,
            join_rounds=False,
        )

    return {
        "province": actor("Dinas Kesehatan Provinsi", health, province),
        "bappeda_province": actor("Bappeda Provinsi", planning, province),
        "district": actor("Dinas Kesehatan Kabupaten Sigi", health, district),
        "kecamatan": actor("Puskesmas Sigi Biromaru", health, kecamatan),
        "desa": actor("Pemerintah Desa Mpanau", education, desa),
    }


def test_a_client_builds_a_round_across_government_levels(admin_user, scorer, levels_world):
    client = api_client(admin_user)
    response = client.post(
        "/api/v1/rounds/",
        {
            "name": "Pemetaan lintas tingkat 2026",
            "region": "72.10",
            "period_start": "2026-01-01",
            "period_end": "2026-12-31",
            "members": [levels_world["district"].pk],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    round_id = response.json()["id"]

    # The candidates name the provincial offices too, though they lie outside Sigi.
    candidates = client.get(f"/api/v1/rounds/{round_id}/candidates/").json()
    by_name = {item["name"]: item for item in candidates}
    assert set(by_name) >= {actor.name for actor in levels_world.values()}
    assert by_name["Dinas Kesehatan Kabupaten Sigi"]["on_roster"] is True

    members = sorted(actor.pk for actor in levels_world.values())
    response = client.patch(
        f"/api/v1/rounds/{round_id}/", {"members": members, "status": "open"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["members"] == members

    # The district's scorer scores pairs with every level, the province included.
    scoring = api_client(scorer)
    for other in ("province", "kecamatan", "desa"):
        response = scoring.post(
            "/api/v1/pair-assessments/",
            {
                "round": round_id,
                "actor_a": levels_world["district"].pk,
                "actor_b": levels_world[other].pk,
                "level": 2,
                "mechanisms": ["review_meeting"],
            },
            format="json",
        )
        assert response.status_code == 201, response.content

    response = client.patch(f"/api/v1/rounds/{round_id}/", {"status": "closed"}, format="json")
    assert response.status_code == 200
    assert not RoundMember.objects.filter(round_id=round_id, frozen_at__isnull=True).exists()
    matrix = client.get(f"/api/v1/rounds/{round_id}/matrix/").json()
    assert (matrix["assessed"], matrix["possible"]) == (3, 10)


def test_a_roster_refuses_actors_of_another_district(admin_user, open_round, other_actors):
    before = snapshot()
    response = api_client(admin_user).patch(
        f"/api/v1/rounds/{open_round.pk}/", {"members": [other_actors[0].pk]}, format="json"
    )
    assert response.status_code == 400
    assert "members" in response.json()
    assert snapshot() == before


def test_a_district_admin_cannot_name_actors_it_cannot_see(open_round, district, other_actors):
    """An id of another district's actor is 'not found', never its name."""
    from accounts.models import Role

    sigi_admin = make_user("admin_sigi", role=Role.ADMIN, regions=[district])
    response = api_client(sigi_admin).patch(
        f"/api/v1/rounds/{open_round.pk}/", {"members": [other_actors[0].pk]}, format="json"
    )
    assert response.status_code == 400
    assert other_actors[0].name not in response.content.decode()


def test_only_admins_change_rounds_and_rosters(scorer, planner, open_round, actors):
    before = snapshot()
    for user in (scorer, planner):
        response = api_client(user).patch(
            f"/api/v1/rounds/{open_round.pk}/", {"members": [actors[0].pk]}, format="json"
        )
        assert response.status_code == 403
    assert snapshot() == before


def test_a_new_round_without_members_takes_the_proposed_roster(admin_user, open_round, actors):
    response = api_client(admin_user).post(
        "/api/v1/rounds/",
        {
            "name": "Pemetaan 2027",
            "region": "72.10",
            "period_start": "2027-01-01",
            "period_end": "2027-12-31",
        },
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["members"] == sorted(actor.pk for actor in actors)
    assert AssessmentRound.objects.get(name="Pemetaan 2027").status == "draft"
