"""Count once, for every existing round, its change like for like since the round before it
(the region's latest earlier round that is not a draft), as ``refresh_round_summary`` does
from now on; a link left out is computed when read, and ``round_summaries`` rebuilds them."""

from collections import Counter

from django.db import migrations


def forwards(apps, schema_editor):
    Round = apps.get_model("assessments", "AssessmentRound")
    Pair = apps.get_model("assessments", "PairAssessment")
    Summary = apps.get_model("assessments", "RoundSummary")
    summaries = {summary.round_id: summary for summary in Summary.objects.all()}
    by_region: dict[int, list[tuple[int, str]]] = {}
    for pk, region_id, status in Round.objects.order_by("-period_start", "-id").values_list(
        "pk", "region_id", "status"
    ):
        by_region.setdefault(region_id, []).append((pk, status))

    def levels(round_id):
        return {
            (a, b): level
            for a, b, level in Pair.objects.filter(round_id=round_id).values_list(
                "actor_a_id", "actor_b_id", "level"
            )
        }

    for rounds in by_region.values():
        for index, (pk, _status) in enumerate(rounds):
            earlier = next((other for other, s in rounds[index + 1 :] if s != "draft"), None)
            if pk not in summaries or earlier not in summaries:
                continue
            now, before = levels(pk), levels(earlier)
            transitions = Counter((before[key], now[key]) for key in now.keys() & before.keys())
            summary = summaries[pk]
            summary.previous_round_id = earlier
            summary.previous_version = summaries[earlier].version
            summary.paired_levels = [[b, n, c] for (b, n), c in sorted(transitions.items())]
            summary.newly_scored = len(now.keys() - before.keys())
            summary.not_rescored = len(before.keys() - now.keys())
            summary.save(
                update_fields=[
                    "previous_round",
                    "previous_version",
                    "paired_levels",
                    "newly_scored",
                    "not_rescored",
                ]
            )


class Migration(migrations.Migration):
    dependencies = [("assessments", "0013_round_summary_change")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
