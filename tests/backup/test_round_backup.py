import json
from datetime import timedelta

import pytest
import time_machine
from django.core.management import CommandError, call_command

from actors.models import Actor, Programme, ProgrammeParticipant, Region, Sector
from assessments.models import AssessmentRound, PairAssessment
from tests.factories import ProgrammeFactory, score


def snapshot(round_name):
    """Everything a round holds, by natural keys (no database ids)."""
    round_ = AssessmentRound.objects.select_related("region", "programme").get(name=round_name)
    pairs = sorted(
        (
            pair.actor_a.name,
            pair.actor_b.name,
            pair.level,
            pair.note,
            pair.shares_information,
            pair.joint_activities,
            pair.shared_roles_and_resources,
            pair.formal_structure,
            pair.evidence_inconsistency_confirmed,
            tuple(pair.mechanisms),
            tuple(pair.facilitating_factors),
            tuple(pair.hindering_factors),
            pair.scored_by.username if pair.scored_by else None,
            pair.scored_at.isoformat(),
            pair.actor_a.sector.code,
            pair.actor_a.home_region.code,
        )
        for pair in round_.assessments.select_related(
            "actor_a__sector", "actor_a__home_region", "actor_b", "scored_by"
        )
    )
    participants = sorted(
        (p.actor.name, p.role, tuple(p.stages), tuple(p.contributions))
        for p in round_.programme.participants.select_related("actor")
    )
    return {
        "round": (
            round_.region.code,
            round_.name,
            round_.status,
            round_.period_start,
            round_.period_end,
        ),
        "programme": (
            round_.programme.name,
            round_.programme.lead_actor.name,
            tuple(round_.programme.target_groups),
        ),
        "participants": participants,
        "pairs": pairs,
    }


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


@pytest.mark.dates
def test_a_round_exported_and_restored_loses_nothing(full_round, tmp_path, clock):
    before = snapshot(full_round.name)
    path = tmp_path / "round.json"
    call_command("export_round", str(full_round.pk), output=str(path))
    full_round.delete()
    assert not PairAssessment.objects.exists()

    # Restored the next day (in WITA and in UTC): the pairs keep when they were scored.
    with time_machine.travel(clock + timedelta(days=1, hours=5)):
        call_command("restore_round", str(path))
    assert snapshot(before["round"][1]) == before


def test_a_round_restores_into_an_empty_database(full_round, tmp_path):
    before = snapshot(full_round.name)
    path = tmp_path / "round.json"
    call_command("export_round", str(full_round.pk), output=str(path))
    AssessmentRound.objects.all().delete()
    Programme.objects.all().delete()
    Actor.objects.all().delete()
    Sector.objects.all().delete()
    from accounts.models import Jurisdiction

    Jurisdiction.objects.all().delete()
    for region in Region.objects.order_by("-level"):
        region.delete()

    call_command("restore_round", str(path))
    assert snapshot(before["round"][1]) == before
    assert Region.objects.get(code="72.10").parent.code == "72"


def test_restoring_over_an_existing_round_is_refused_and_writes_nothing(full_round, tmp_path):
    path = tmp_path / "round.json"
    call_command("export_round", str(full_round.pk), output=str(path))
    counts = (
        AssessmentRound.objects.count(),
        PairAssessment.objects.count(),
        Actor.objects.count(),
    )
    with pytest.raises(CommandError, match="sudah ada"):
        call_command("restore_round", str(path))
    assert (
        AssessmentRound.objects.count(),
        PairAssessment.objects.count(),
        Actor.objects.count(),
    ) == counts


@pytest.mark.parametrize(
    "content", ["not json", json.dumps({"format": "other"}), json.dumps([1, 2])]
)
def test_a_file_that_is_not_a_round_export_is_refused(db, tmp_path, content):
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("restore_round", str(path))
    assert not AssessmentRound.objects.exists()
