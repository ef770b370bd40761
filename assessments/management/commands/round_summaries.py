"""Check the per-round summaries against the pairs, and rebuild them."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from assessments.models import AssessmentRound
from assessments.summaries import check_summaries, refresh_round_summary


class Command(BaseCommand):
    help = (
        "Check every round's summary (members, pairs per level, sum) against its roster and "
        "pairs (--check), or rebuild them all."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="report differences; change nothing"
        )

    def handle(self, *args, check=False, **options):
        if check:
            wrong = check_summaries()
            for round_id, stored, counted in wrong:
                self.stdout.write(f"round {round_id}: stored {stored}, counted {counted}")
            if wrong:
                raise CommandError(f"{len(wrong)} round summaries disagree with their pairs.")
            self.stdout.write("Every round summary agrees with its pairs.")
            return
        with transaction.atomic():
            ids = list(AssessmentRound.objects.values_list("pk", flat=True))
            for round_id in ids:
                refresh_round_summary(round_id)
        self.stdout.write(f"Rebuilt the summaries of {len(ids)} rounds.")
