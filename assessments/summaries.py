"""The per-round summary (``RoundSummary``): refreshed inside every write to a round's pairs
or roster, and checked against the pairs by ``manage.py round_summaries --check``.

A refresh is one aggregate over the round's pairs (by level, on the pair table's index) and
one count of its roster: its cost follows the round, not the installation, and it runs once
per write, not per read.
"""

from django.db import transaction
from django.db.models import Count, F

from assessments.models import Level, PairAssessment, RoundMember, RoundSummary

COUNTED_FIELDS = ("members", "assessed", *(f"level_{v}" for v in Level.values), "level_total")


def counted(round_id: int) -> dict[str, int]:
    """What the summary of the round should hold, counted from its pairs and roster."""
    by_level = dict(
        PairAssessment.objects.filter(round_id=round_id)
        .order_by()
        .values_list("level")
        .annotate(n=Count("pk"))
        .values_list("level", "n")
    )
    values = {f"level_{level}": by_level.get(level, 0) for level in Level.values}
    values["assessed"] = sum(by_level.values())
    values["level_total"] = sum(level * n for level, n in by_level.items())
    values["members"] = RoundMember.objects.filter(round_id=round_id).count()
    return values


def refresh_round_summary(round_id: int) -> None:
    """Recount the round and move its version on; call it inside the write's transaction."""
    values = counted(round_id)
    with transaction.atomic():
        updated = RoundSummary.objects.filter(round_id=round_id).update(
            **values, version=F("version") + 1
        )
        if not updated:
            RoundSummary.objects.create(round_id=round_id, **values, version=1)


def summaries_for(round_ids) -> dict[int, RoundSummary]:
    """The summaries of many rounds, in one query (a round never written has none yet)."""
    return RoundSummary.objects.in_bulk(list(round_ids), field_name="round_id")


def check_summaries(round_ids=None) -> list[tuple[int, dict, dict]]:
    """(round id, stored, counted) for each round whose summary disagrees with its pairs."""
    from assessments.models import AssessmentRound

    rounds = AssessmentRound.objects.order_by("pk")
    if round_ids is not None:
        rounds = rounds.filter(pk__in=round_ids)
    stored = {
        summary.round_id: {field: getattr(summary, field) for field in COUNTED_FIELDS}
        for summary in RoundSummary.objects.all()
    }
    wrong = []
    for round_id in rounds.values_list("pk", flat=True):
        want = counted(round_id)
        if stored.get(round_id) != want:
            wrong.append((round_id, stored.get(round_id) or {}, want))
    return wrong
