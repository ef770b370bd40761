"""Import regions, actors or the pair assessments of a round from a CSV or XLSX file, with
the rights of the user named (as the admin page and the API do)."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from assessments.access import get_round_for_user
from imports.plan import UPDATE
from imports.services import KINDS, ROUND_KINDS, run_import
from imports.tabular import ImportRefused, read_upload


def user_named(username):
    try:
        return get_user_model().objects.get(username=username, is_active=True)
    except get_user_model().DoesNotExist:
        raise CommandError(f"No active user named {username!r}.") from None


def round_for(user, round_id):
    try:
        return get_round_for_user(user, round_id)
    except (Http404, PermissionDenied) as error:
        raise CommandError(f"Round {round_id}: {error}") from None


class Command(BaseCommand):
    help = (
        "Import a CSV or XLSX file: regions, actors, or the pair assessments of an open "
        "round (edges or matrix). Nothing is written unless every row is valid; --dry-run "
        "prints what the import would do and writes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=list(KINDS))
        parser.add_argument("file", type=Path)
        parser.add_argument("--user", required=True, help="Import with this user's rights.")
        parser.add_argument("--round", type=int, help="The round (for edges and matrix).")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file and print what the import would do, row by row; write nothing.",
        )

    def handle(self, *args, kind, file, user, round, dry_run=False, **options):
        importer = user_named(user)
        round_ = None
        if kind in ROUND_KINDS:
            if round is None:
                raise CommandError("--round is needed to import pair assessments.")
            round_ = round_for(importer, round)
        try:
            with file.open("rb") as upload:
                plan = run_import(
                    kind=kind,
                    data=read_upload(upload),
                    user=importer,
                    round=round_,
                    dry_run=dry_run,
                )
        except OSError as error:
            raise CommandError(f"{file}: {error.strerror}") from None
        except PermissionDenied as error:
            raise CommandError(str(error)) from None
        except ImportRefused as refused:
            for error in refused.errors:
                self.stderr.write(str(error))
            raise CommandError(
                f"Nothing was imported: {len(refused.errors)} problem(s) in {file}."
            ) from None
        if dry_run:
            self.print_plan(kind, plan)
            return
        self.stdout.write(
            f"{kind}: {plan.created} created, {plan.updated} updated, {plan.unchanged} unchanged."
        )

    def print_plan(self, kind, plan):
        """The preview: every planned row with its values (an update: old → new), the
        notes, then every bad row; fails as an import would if there is one."""
        self.stdout.write(
            f"{kind} (dry run, nothing was written): {plan.created} to create, "
            f"{plan.updated} to update, {plan.unchanged} unchanged."
        )
        for row in plan.rows:
            where = f"row {row.number}" + (f", {row.cell}" if row.cell else "")
            if row.action == UPDATE:
                changes = (
                    f"{key}: {plan.describe(key, old)} → {plan.describe(key, row.values[key])}"
                    for key, old in row.before.items()
                )
            else:
                changes = (
                    f"{key}: {plan.describe(key, value)}" for key, value in row.values.items()
                )
            self.stdout.write(f"{where}: {row.action} — {'; '.join(changes)}")
        for note in plan.notes:
            self.stdout.write(f"Note: {note}")
        if plan.errors:
            for error in plan.sorted_errors():
                self.stderr.write(str(error))
            raise CommandError(f"The import would be refused: {len(plan.errors)} problem(s).")
