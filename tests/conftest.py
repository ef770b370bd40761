"""Fixed personas and a small world: Sulawesi Tengah, two districts, a few actors each.

Personas: admin (province), scorer of Sigi, scorer of Palu, planner (province),
viewer (Sigi), a user with no role, and the anonymous visitor.

The clock: every test runs on a clock that starts at a fixed instant and keeps moving
(time-machine, ``tick=True``, so lockouts, sessions, the live server and threads behave as
on a real clock). The default instant, 23:30 UTC on 29 November 2026, is already
30 November in the site's time zone (WITA, UTC+8): a test or a page that mixes the UTC
date with the local one fails every time, not only when CI runs between 16:00 and 24:00 UTC.

- ``@pytest.mark.dates``: the test touches dates; it runs twice, at 23:30 UTC and at
  03:00 UTC on the 30th (11:00 WITA), whatever TEST_CLOCK says. Both instants fall on
  30 November 2026 in WITA (``SITE_TODAY``), so the test may assert that date.
- ``@pytest.mark.clock("2027-01-01T00:00:00+00:00")``: the test runs at that instant.
- ``TEST_CLOCK=<ISO instant>`` in the environment: every other test starts at that instant;
  ``TEST_CLOCK=real``: they run on the wall clock (to check the suite against it).
"""

import importlib
import os
from datetime import UTC, date, datetime

import pytest
import time_machine
from django.test import Client
from django.utils import translation

from accounts.models import Role
from actors.models import GovernmentLevel
from assessments.models import RoundStatus
from tests.factories import (
    ActorFactory,
    RegionFactory,
    RoundFactory,
    SectorFactory,
    make_user,
)

# Two instants on the same WITA day: one where the UTC date is the day before, one where
# it is the same day.
CLOCKS = {
    "23h30utc": datetime(2026, 11, 29, 23, 30, tzinfo=UTC),  # 07:30 WITA, 30 November
    "03h00utc": datetime(2026, 11, 30, 3, 0, tzinfo=UTC),  # 11:00 WITA, 30 November
}
DEFAULT_CLOCK = "23h30utc"
# The site's date at both instants (what a WITA user sees as "today").
SITE_TODAY = date(2026, 11, 30)
TEST_CLOCK = os.environ.get("TEST_CLOCK", "").strip()


def _instant(value: str) -> datetime:
    instant = datetime.fromisoformat(value)
    if instant.tzinfo is None:
        raise pytest.UsageError(f"TEST_CLOCK / clock marker needs a UTC offset: {value!r}")
    return instant


def pytest_generate_tests(metafunc):
    if metafunc.definition.get_closest_marker("dates") and "clock" in metafunc.fixturenames:
        metafunc.parametrize("clock", list(CLOCKS), indirect=True)


@pytest.fixture(autouse=True)
def clock(request):
    """The instant the test started at, an aware datetime; time moves on from there."""
    marker = request.node.get_closest_marker("clock")
    if marker:
        instant = _instant(marker.args[0])
    elif hasattr(request, "param"):
        instant = CLOCKS[request.param]
    elif TEST_CLOCK == "real":
        yield datetime.now(UTC)
        return
    elif TEST_CLOCK:
        instant = _instant(TEST_CLOCK)
    else:
        instant = CLOCKS[DEFAULT_CLOCK]
    with time_machine.travel(instant, tick=True):
        yield instant


@pytest.fixture(autouse=True)
def _default_language():
    """A request leaves its language active in the thread: each test starts in the site's
    default language (Bahasa Indonesia), whatever the test before it asked for."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _seeded_vocabularies(request):
    """The vocabularies are seeded by a migration (actors 0006). A transactional test
    (``transactional_db``, ``live_server``) empties every table when it ends, so the next
    one puts the terms back first."""
    marker = request.node.get_closest_marker("django_db")
    if not (
        "transactional_db" in request.fixturenames
        or "live_server" in request.fixturenames
        or (marker is not None and marker.kwargs.get("transaction"))
    ):
        return
    request.getfixturevalue("transactional_db")
    from actors.models import VocabularyTerm

    seed = importlib.import_module("actors.migrations.0006_seed_vocabularies")
    seed.seed_terms(VocabularyTerm)


@pytest.fixture(autouse=True)
def _media_of_its_own(settings, tmp_path):
    """Files a test stores (a closed round's reports, uploads, the demo's evidence
    documents) go to a folder of its own, outside the checkout: a stored report of another
    test's round of the same id is never read back. A test that reads them sets its own."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (locmem, shared by the process): the pages'
    cached parts are named by rounds' ids and versions, and a rolled-back test's ids come
    back in the next one on SQLite."""
    from django.core.cache import cache

    cache.clear()


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
def last_year(district, actors):
    """Sigi's closed round of 2025 (the round before ``open_round``), nothing scored."""
    return RoundFactory(
        region=district,
        name="Pemetaan Sigi 2025",
        status=RoundStatus.CLOSED,
        period_start=date(2025, 1, 1),
        period_end=date(2025, 6, 30),
    )


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
