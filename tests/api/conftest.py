"""API clients for the fixed personas, and a snapshot of the data to prove a refusal wrote
nothing."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from accounts.models import Jurisdiction
from actors.models import Actor, Programme, ProgrammeParticipant, Region, Sector
from assessments.models import AssessmentRound, PairAssessment
from tests.factories import make_user

MODELS = [
    Region,
    Sector,
    Actor,
    Programme,
    ProgrammeParticipant,
    AssessmentRound,
    PairAssessment,
    Jurisdiction,
]


def snapshot():
    """Every row of the domain tables: equal snapshots mean nothing was written."""
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in MODELS}


def api_client(user=None):
    """A client signed in as ``user``, in English (messages are asserted in the source
    language, whatever the state of the translations)."""
    client = APIClient()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def no_role_user(district):
    return make_user("tanpa_peran", regions=[district])


@pytest.fixture
def national_admin(db):
    return get_user_model().objects.create_superuser("pusat", password="pw-pusat")


@pytest.fixture
def personas(admin_user, scorer, other_scorer, planner, viewer):
    """Each persona's client, by name; "anonymous" has none."""
    return {
        "admin": api_client(admin_user),
        "scorer": api_client(scorer),
        "other_scorer": api_client(other_scorer),
        "planner": api_client(planner),
        "viewer": api_client(viewer),
        "anonymous": api_client(),
    }
