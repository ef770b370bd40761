"""A round with a programme, a participant and three pairs (one with evidence and lists,
one at level 0, one whose answers skip a step and were confirmed)."""

import pytest

from actors.models import ProgrammeParticipant
from tests.factories import ProgrammeFactory, make_user, score

# Every restore names who restores it: a superuser (a national admin) here, unless a test
# tries a narrower one.
RESTORER = "pemulih"


@pytest.fixture(autouse=True)
def restorer(db):
    return make_user(RESTORER, is_superuser=True, is_staff=True)


@pytest.fixture
def full_round(open_round, actors, scorer, district):
    programme = ProgrammeFactory(
        region=district, lead_actor=actors[2], target_groups=["pregnant_women"]
    )
    ProgrammeParticipant.objects.create(
        programme=programme,
        actor=actors[2],
        role="lead",
        stages=["planning"],
        contributions=["apbd"],
    )
    open_round.programme = programme
    open_round.save()
    score(
        open_round,
        actors[0],
        actors[1],
        3,
        note="SK TPPS <b>2026</b>",
        scored_by=scorer,
        shares_information=True,
        joint_activities=True,
        shared_roles_and_resources=True,
        formal_structure=False,
        mechanisms=["data_sharing", "pooled_budget"],
        facilitating_factors=["regulation"],
        hindering_factors=["staff_turnover"],
    )
    score(open_round, actors[0], actors[2], 0, note="")
    score(
        open_round,
        actors[2],
        actors[3],
        2,
        shares_information=False,
        joint_activities=True,
        evidence_inconsistency_confirmed=True,
    )
    return open_round
