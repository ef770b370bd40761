"""A small world for the security tests, the personas that try it, and a snapshot of the
domain tables that proves a refusal wrote nothing.

The world: province 72 Sulawesi Tengah (admin, planner), Kabupaten Sigi 72.10 (scorer,
viewer, a user with no role) and Kota Palu 72.71 (the other district's scorer), plus a
province 73 that no persona reaches. Sigi has an open round with one scored pair, a closed
round and a draft; Palu has an open round.
"""

from datetime import date

import pytest
from django.conf import settings
from django.test import Client
from rest_framework.test import APIClient

from actors.models import (
    Actor,
    GovernmentLevel,
    ParticipantRole,
    Programme,
    ProgrammeParticipant,
    Region,
    Sector,
)
from assessments.models import AssessmentRound, PairAssessment, RoundStatus
from tests.factories import (
    ActorFactory,
    ProgrammeFactory,
    RegionFactory,
    RoundFactory,
    make_user,
    score,
)

# The main tables: a refusal leaves every row of them as it was. The pair history is
# included because every change of a pair is kept there.
SNAPSHOT_MODELS = [
    Region,
    Sector,
    Actor,
    Programme,
    ProgrammeParticipant,
    AssessmentRound,
    PairAssessment,
    PairAssessment.history.model,
]


def snapshot() -> dict[str, tuple[int, list[tuple]]]:
    """Per table: the row count and every row (all concrete fields), sorted."""
    tables = {}
    for model in SNAPSHOT_MODELS:
        fields = [field.attname for field in model._meta.concrete_fields]
        rows = sorted(model.objects.values_list(*fields), key=repr)
        tables[model._meta.db_table] = (len(rows), rows)
    return tables


def assert_unchanged(before: dict) -> None:
    after = snapshot()
    changed = [table for table in before if before[table] != after[table]]
    assert not changed, f"a refused request changed {changed}"


PERSONAS = ["admin", "scorer", "other_scorer", "planner", "viewer", "no_role", "anonymous"]


def page_client(user=None) -> Client:
    """A browser-like client in English (messages are asserted in the source language)."""
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    if user is not None:
        client.force_login(user)
    return client


def api_client(user=None) -> APIClient:
    client = APIClient()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def far_province(db):
    return RegionFactory(code="73", name="Sulawesi Selatan", level=GovernmentLevel.PROVINCE)


@pytest.fixture
def far_district(far_province):
    return RegionFactory(
        code="73.01",
        name="Kabupaten Kepulauan Selayar",
        level=GovernmentLevel.DISTRICT,
        parent=far_province,
    )


@pytest.fixture
def users(admin_user, scorer, other_scorer, planner, viewer, district):
    return {
        "admin": admin_user,
        "scorer": scorer,
        "other_scorer": other_scorer,
        "planner": planner,
        "viewer": viewer,
        "no_role": make_user("tanpa_peran", regions=[district]),
        "anonymous": None,
    }


@pytest.fixture
def world(
    district, other_district, far_district, actors, other_actors, open_round, other_round, health
):
    a, b, c, d = actors
    programme = ProgrammeFactory(region=district, lead_actor=a, name="Stunting Sigi")
    programme.participants.create(actor=a, role=ParticipantRole.LEAD, stages=["planning"])
    programme.participants.create(actor=c, role=ParticipantRole.FUNDER, stages=["budgeting"])
    closed = RoundFactory(
        region=district,
        name="Pemetaan Sigi 2025",
        status=RoundStatus.CLOSED,
        period_start=date(2025, 1, 1),
        period_end=date(2025, 12, 31),
    )
    draft = RoundFactory(region=district, name="Draf Sigi", status=RoundStatus.DRAFT)
    far_actor = ActorFactory(
        name="Dinas Kesehatan Selayar", sector=health, home_region=far_district
    )
    far_programme = ProgrammeFactory(region=far_district, lead_actor=far_actor)
    far_round = RoundFactory(region=far_district, name="Pemetaan Selayar 2026")
    inactive = ActorFactory(
        name="Dinas Lama Sigi", sector=health, home_region=district, is_active=False
    )
    return {
        "actors": actors,
        "other_actors": other_actors,
        "inactive": inactive,
        "programme": programme,
        "round": open_round,
        "closed": closed,
        "draft": draft,
        "other_round": other_round,
        "far_actor": far_actor,
        "far_programme": far_programme,
        "far_round": far_round,
        "assessment": score(open_round, a, b, 2, note="Rapat TPPS"),
        "closed_assessment": score(closed, a, c, 1),
        "other_assessment": score(other_round, *other_actors, 3),
    }
