"""A Sigi round with a gap pair, and a snapshot of the follow-up tables to prove that a
refusal wrote nothing."""

from datetime import date

import pytest

from followup.models import FollowUpAction
from tests.factories import ActorFactory
from tests.security.conftest import far_district, far_province, users, world  # noqa: F401


def snapshot():
    """Every action, its involved actors and its history rows: equal snapshots mean
    nothing was written."""
    return {
        "actions": list(FollowUpAction.objects.order_by("pk").values()),
        "involved": list(FollowUpAction.involved.through.objects.order_by("pk").values()),
        "history": list(FollowUpAction.history.order_by("pk").values()),
    }


@pytest.fixture
def outsider(open_round, district, health):
    """An actor of Sigi that is not on the roster of ``open_round``."""
    return ActorFactory(
        name="Yayasan Gizi Sigi",
        short_name="YGS",
        sector=health,
        home_region=district,
        join_rounds=False,
    )


@pytest.fixture
def values(actors):
    """Good values for an action on the pair Dinkes ↔ Bappeda."""
    dinkes, _, bappeda, disdik = actors
    return {
        "actor_a": bappeda,
        "actor_b": dinkes,
        "target_level": 3,
        "mechanism": "joint_planning_meeting",
        "owner": bappeda,
        "involved": [dinkes, disdik],
        "aksi": 3,
        "due_date": date(2027, 3, 31),
        "notes": "Rapat bersama sebelum rembuk stunting.",
    }
