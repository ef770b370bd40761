import io
import json
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import translation

from actors.models import Actor, Programme, Region, Sector
from assessments.models import AssessmentRound, PairAssessment, RoundStatus
from assessments.services import StaleAssessment, pair_assessment_save
from tests.api.conftest import api_client
from tests.backup.conftest import RESTORER
from tests.factories import ActorFactory


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
            pair.version,
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


@pytest.mark.dates
def test_a_round_exported_and_restored_loses_nothing(full_round, tmp_path, clock):
    before = snapshot(full_round.name)
    path = tmp_path / "round.json"
    call_command("export_round", str(full_round.pk), output=str(path))
    # A round with pairs is protected from deletion: its pairs go first, as in a lost
    # database.
    full_round.assessments.all().delete()
    full_round.delete()
    assert not PairAssessment.objects.exists()

    # Restored the next day (in WITA and in UTC): the pairs keep when they were scored.
    with time_machine.travel(clock + timedelta(days=1, hours=5)):
        call_command("restore_round", str(path), "--user", RESTORER)
    assert snapshot(before["round"][1]) == before


def test_a_round_restores_into_an_empty_database(full_round, tmp_path):
    before = snapshot(full_round.name)
    path = tmp_path / "round.json"
    call_command("export_round", str(full_round.pk), output=str(path))
    PairAssessment.objects.all().delete()
    AssessmentRound.objects.all().delete()
    Programme.objects.all().delete()
    Actor.objects.all().delete()
    Sector.objects.all().delete()
    from accounts.models import Jurisdiction

    Jurisdiction.objects.all().delete()
    for region in Region.objects.order_by("-level"):
        region.delete()

    call_command("restore_round", str(path), "--user", RESTORER)
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
    errors = io.StringIO()
    with pytest.raises(CommandError, match="Tidak ada yang dipulihkan"):
        call_command("restore_round", str(path), "--user", RESTORER, stderr=errors)
    assert "Pemetaan Sigi 2026 sudah ada di Kabupaten Sigi" in errors.getvalue()
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
        call_command("restore_round", str(path), "--user", RESTORER)
    assert not AssessmentRound.objects.exists()


# Versions and history ----------------------------------------------------------------------
# The clock is frozen at 17:30 UTC, when the WITA date (UTC+8) is already the next day.

SCORED_FIRST = datetime(2026, 11, 10, 17, 30, tzinfo=UTC)  # 11 November in Sigi
SCORED_AGAIN = datetime(2026, 11, 20, 17, 30, tzinfo=UTC)  # 21 November in Sigi
EXPORTED = datetime(2026, 11, 23, 17, 30, tzinfo=UTC)
RESTORED = datetime(2026, 11, 24, 17, 30, tzinfo=UTC)


@pytest.fixture
def scored_twice(open_round, actors, scorer_client):
    """Dinkes ↔ Puskesmas scored 1 on 11 November and 3 on 21 November (version 2);
    Bappeda ↔ Disdik scored 2 on 21 November. Scored on the page, as a scorer does, so the
    history keeps who scored."""

    def post(first, second, **data):
        url = f"/rounds/{open_round.pk}/pairs/{first.pk}-{second.pk}/"
        assert scorer_client.post(url, data).status_code == 302

    with time_machine.travel(SCORED_FIRST, tick=False):
        post(actors[0], actors[1], level="1", note="data dibagikan", version="0")
    with time_machine.travel(SCORED_AGAIN, tick=False):
        post(actors[1], actors[0], level="3", note="anggaran bersama", version="1")
        post(actors[2], actors[3], level="2", version="0")
    return open_round


def export_to(path, round_):
    with time_machine.travel(EXPORTED, tick=False):
        call_command("export_round", str(round_.pk), output=str(path))
    return json.loads(path.read_text(encoding="utf-8"))


def restore(path, *args):
    args = args or ("--user", RESTORER)
    output = io.StringIO()
    with time_machine.travel(RESTORED, tick=False), translation.override("en"):
        call_command("restore_round", str(path), *args, stdout=output)
    return output.getvalue()


def forget_the_round(round_):
    """As another installation would be: no such round, and no history of its pairs."""
    round_.assessments.all().delete()
    round_.delete()
    PairAssessment.history.model.objects.all().delete()


def levels_as_of(client, round_, day=None):
    """What a reader of the matrix sees: {(actor, actor): level} by names."""
    query = f"?as_of={day}" if day else ""
    response = client.get(f"/api/v1/rounds/{round_.pk}/matrix/{query}")
    assert response.status_code == 200, response.content
    data = response.json()
    names = {actor["id"]: actor["name"] for actor in data["actors"]}
    return {
        frozenset((names[pair["actor_a"]], names[pair["actor_b"]])): pair["level"]
        for pair in data["pairs"]
    }


DINKES_PKM = frozenset(("Dinas Kesehatan Kabupaten Sigi", "Puskesmas Biromaru"))
BAPPEDA_DISDIK = frozenset(("Bappeda Kabupaten Sigi", "Dinas Pendidikan Kabupaten Sigi"))


def test_the_export_carries_each_pair_s_version_and_history(scored_twice, tmp_path):
    data = export_to(tmp_path / "round.json", scored_twice)
    assert data["version"] == 3
    first = next(pair for pair in data["pairs"] if pair["level"] == 3)
    assert first["version"] == 2
    assert [
        (record["level"], record["note"], record["version"], record["history_user"])
        for record in first["history"]
    ] == [(1, "data dibagikan", 1, "penilai_sigi"), (3, "anggaran bersama", 2, "penilai_sigi")]
    assert first["history"][0]["history_date"].startswith("2026-11-10T17:30")


def test_a_round_restores_where_the_actors_have_other_ids_with_its_history(
    scored_twice, actors, health, district, viewer, tmp_path
):
    path = tmp_path / "round.json"
    export_to(path, scored_twice)
    forget_the_round(scored_twice)
    Actor.objects.all().delete()
    # The other installation already has actors, in another order: ids shift, and
    # Puskesmas Biromaru now comes before Dinas Kesehatan (the stored order of the pair flips).
    for name in ("Dinas Sosial Kabupaten Sigi", "Puskesmas Biromaru", actors[0].name):
        ActorFactory(name=name, sector=health, home_region=district)
    pkm = Actor.objects.get(name="Puskesmas Biromaru")
    dinkes = Actor.objects.get(name=actors[0].name)
    assert pkm.pk < dinkes.pk

    assert "with 2 pairs" in restore(path)

    round_ = AssessmentRound.objects.get(name=scored_twice.name)
    pair = PairAssessment.objects.get(round=round_, level=3)
    assert (pair.actor_a, pair.actor_b, pair.version) == (pkm, dinkes, 2)
    assert Actor.objects.filter(name="Puskesmas Biromaru").count() == 1  # reused, not doubled
    reader = api_client(viewer)
    assert levels_as_of(reader, round_) == {DINKES_PKM: 3, BAPPEDA_DISDIK: 2}
    # Sigi's dates: the first score is on 11 November, the second on 21 November.
    assert levels_as_of(reader, round_, "2026-11-10") == {}
    assert levels_as_of(reader, round_, "2026-11-11") == {DINKES_PKM: 1}
    assert levels_as_of(reader, round_, "2026-11-20") == {DINKES_PKM: 1}
    assert levels_as_of(reader, round_, "2026-11-21") == {DINKES_PKM: 3, BAPPEDA_DISDIK: 2}
    history = list(
        pair.history.order_by("history_date").values_list(
            "level", "note", "version", "history_user__username", "history_type", "history_date"
        )
    )
    assert history == [
        (1, "data dibagikan", 1, "penilai_sigi", "+", SCORED_FIRST),
        (3, "anggaran bersama", 2, "penilai_sigi", "~", SCORED_AGAIN),
    ]


def test_the_restored_pair_is_scored_on_from_its_version(scored_twice, actors, scorer, tmp_path):
    path = tmp_path / "round.json"
    export_to(path, scored_twice)
    forget_the_round(scored_twice)
    restore(path)
    round_ = AssessmentRound.objects.get(name=scored_twice.name)
    with pytest.raises(StaleAssessment):  # a form read before the restore saw version 1
        pair_assessment_save(
            round=round_, actor_a=actors[0], actor_b=actors[1], level=4, user=scorer,
            expected_version=1,
        )  # fmt: skip
    saved = pair_assessment_save(
        round=round_, actor_a=actors[0], actor_b=actors[1], level=4, user=scorer,
        expected_version=2,
    )  # fmt: skip
    assert saved.version == 3
    assert saved.history.count() == 3


def test_a_closed_round_restores_closed_and_says_who_restored_it(
    scored_twice, admin_user, tmp_path
):
    scored_twice.status = RoundStatus.CLOSED
    scored_twice.save()
    path = tmp_path / "round.json"
    export_to(path, scored_twice)
    forget_the_round(scored_twice)

    output = restore(path, "--user", "admin")

    round_ = AssessmentRound.objects.get(name=scored_twice.name)
    assert round_.status == RoundStatus.CLOSED
    assert "(Pemetaan Sigi 2026, Closed) with 2 pairs" in output
    assert sorted(round_.assessments.values_list("level", flat=True)) == [2, 3]
    record = round_.history.get()
    assert (record.history_change_reason, record.history_user, record.history_date) == (
        "restored from file",
        admin_user,
        RESTORED,
    )


def test_a_restore_by_an_unknown_user_is_refused(scored_twice, tmp_path):
    path = tmp_path / "round.json"
    export_to(path, scored_twice)
    forget_the_round(scored_twice)
    with pytest.raises(CommandError, match="No user named nobody"), translation.override("en"):
        call_command("restore_round", str(path), "--user", "nobody")
    assert not AssessmentRound.objects.exists()


def test_a_version_1_file_restores_with_one_history_record_per_pair(scored_twice, viewer, tmp_path):
    path = tmp_path / "round.json"
    data = export_to(path, scored_twice)
    data["version"] = 1
    del data["members"]  # a file from before rosters: the pairs' actors make the roster
    for pair in data["pairs"]:
        del pair["version"], pair["history"]
    path.write_text(json.dumps(data), encoding="utf-8")
    forget_the_round(scored_twice)

    restore(path)

    round_ = AssessmentRound.objects.get(name=scored_twice.name)
    records = PairAssessment.history.filter(round_id=round_.pk)
    assert sorted(records.values_list("level", "version", "history_date")) == [
        (2, 1, SCORED_AGAIN),
        (3, 1, SCORED_AGAIN),
    ]
    assert set(records.values_list("history_change_reason", flat=True)) == {"restored from file"}
    reader = api_client(viewer)
    assert levels_as_of(reader, round_, "2026-11-20") == {}
    assert levels_as_of(reader, round_, "2026-11-21") == {DINKES_PKM: 3, BAPPEDA_DISDIK: 2}
