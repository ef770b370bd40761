"""Count every existing round once into its summary."""

from django.db import migrations
from django.db.models import Count


def forwards(apps, schema_editor):
    Round = apps.get_model("assessments", "AssessmentRound")
    Pair = apps.get_model("assessments", "PairAssessment")
    Member = apps.get_model("assessments", "RoundMember")
    Summary = apps.get_model("assessments", "RoundSummary")
    by_round: dict[int, dict[int, int]] = {}
    for round_id, level, n in (
        Pair.objects.order_by().values_list("round_id", "level").annotate(n=Count("pk"))
    ):
        by_round.setdefault(round_id, {})[level] = n
    members = dict(
        Member.objects.order_by()
        .values_list("round_id")
        .annotate(n=Count("pk"))
        .values_list("round_id", "n")
    )
    summaries = []
    for round_id in Round.objects.values_list("pk", flat=True):
        counts = by_round.get(round_id, {})
        summaries.append(
            Summary(
                round_id=round_id,
                members=members.get(round_id, 0),
                assessed=sum(counts.values()),
                level_total=sum(level * n for level, n in counts.items()),
                version=1,
                **{f"level_{level}": counts.get(level, 0) for level in range(5)},
            )
        )
    Summary.objects.bulk_create(summaries, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("assessments", "0009_round_summary")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
