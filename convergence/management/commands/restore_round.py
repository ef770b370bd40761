import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from assessments.backup import restore_round


class Command(BaseCommand):
    help = "Restore a round written by export_round (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path, **options):
        try:
            with open(path, encoding="utf-8") as handle:
                data = json.load(handle)
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise CommandError(f"Cannot read {path}: {error}") from None
        try:
            round_ = restore_round(data=data)
        except (ValidationError, KeyError, TypeError, ValueError) as error:
            raise CommandError(f"Nothing restored: {error}") from None
        self.stdout.write(
            f"Restored round {round_.pk} ({round_.name}) with {round_.assessments.count()} pairs."
        )
