"""Fixed personas and a small world: Sulawesi Tengah, two districts, a few actors each.

Personas: admin (province), scorer of Sigi, scorer of Palu, planner (province),
viewer (Sigi), a user with no role, and the anonymous visitor.
"""

import pytest
from django.test import Client

from accounts.models import Role
from actors.models import GovernmentLevel
from tests.factories import (
    ActorFactory,
    RegionFactory,
    RoundFactory,
    SectorFactory,
    make_user,
)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def province(db):
    return RegionFactory(code="72", name="Sulawesi Tengah", level=GovernmentLevel.PROVINCE)


@pytest.fixture
def district(province):
    return RegionFactory(
        code="72.10", name="Kabupaten Sigi", level=GovernmentLevel.DISTRICT, parent=province
    )


@pytest.fixture
def other_district(province):
    return RegionFactory(
        code="72.71", name="Kota Palu", level=GovernmentLevel.DISTRICT, parent=province
    )


@pytest.fixture
def health(db):
    return SectorFactory(
        code="health", name_id="Kesehatan", name_en="Health", is_health=True, sort_order=0
    )


@pytest.fixture
def planning(db):
    return SectorFactory(code="planning", name_id="Perencanaan", name_en="Planning", sort_order=1)


@pytest.fixture
def education(db):
    return SectorFactory(code="education", name_id="Pendidikan", name_en="Education", sort_order=2)


@pytest.fixture
def actors(district, health, planning, education):
    """Four actors of Sigi: two health, one planning, one education."""
    return [
        ActorFactory(
            name="Dinas Kesehatan Kabupaten Sigi",
            short_name="Dinkes",
            sector=health,
            home_region=district,
        ),
        ActorFactory(
            name="Puskesmas Biromaru",
            short_name="PKM Biromaru",
            sector=health,
            home_region=district,
        ),
        ActorFactory(
            name="Bappeda Kabupaten Sigi",
            short_name="Bappeda",
            sector=planning,
            home_region=district,
        ),
        ActorFactory(
            name="Dinas Pendidikan Kabupaten Sigi",
            short_name="Disdik",
            sector=education,
            home_region=district,
        ),
    ]


@pytest.fixture
def other_actors(other_district, health, planning):
    return [
        ActorFactory(
            name="Dinas Kesehatan Kota Palu",
            short_name="Dinkes Palu",
            sector=health,
            home_region=other_district,
        ),
        ActorFactory(
            name="Bappeda Kota Palu",
            short_name="Bappeda Palu",
            sector=planning,
            home_region=other_district,
        ),
    ]


@pytest.fixture
def open_round(district):
    return RoundFactory(region=district, name="Pemetaan Sigi 2026")


@pytest.fixture
def other_round(other_district):
    return RoundFactory(region=other_district, name="Pemetaan Palu 2026")


@pytest.fixture
def admin_user(province):
    return make_user("admin", role=Role.ADMIN, regions=[province], is_staff=True)


@pytest.fixture
def scorer(district):
    return make_user("penilai_sigi", role=Role.SCORER, regions=[district])


@pytest.fixture
def other_scorer(other_district):
    return make_user("penilai_palu", role=Role.SCORER, regions=[other_district])


@pytest.fixture
def planner(province):
    return make_user("perencana", role=Role.PLANNER, regions=[province])


@pytest.fixture
def viewer(district):
    return make_user("pembaca", role=Role.VIEWER, regions=[district])


def _client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def scorer_client(scorer):
    return _client_for(scorer)


@pytest.fixture
def other_scorer_client(other_scorer):
    return _client_for(other_scorer)


@pytest.fixture
def planner_client(planner):
    return _client_for(planner)


@pytest.fixture
def viewer_client(viewer):
    return _client_for(viewer)


@pytest.fixture
def admin_client_(admin_user):
    return _client_for(admin_user)
