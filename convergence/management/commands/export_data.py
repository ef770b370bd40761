"""Export regions, actors or the pair assessments of a round in the shapes that
``import_data`` reads back unchanged."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accounts.scoping import reads_details, scope, visible_regions
from actors.models import Actor
from convergence.management.commands.import_data import round_for, user_named
from imports.services import KINDS, ROUND_KINDS, run_export


class Command(BaseCommand):
    help = "Export regions, actors or a round's pairs (edges or matrix) to a .csv or .xlsx file."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=list(KINDS))
        parser.add_argument("file", type=Path, help="The file type follows its extension.")
        parser.add_argument("--user", required=True, help="Export what this user may read.")
        parser.add_argument("--round", type=int, help="The round (for edges and matrix).")
        parser.add_argument("--region", help="Only this region and those below it.")

    def handle(self, *args, kind, file, user, round, region, **options):
        reader = user_named(user)
        if not reads_details(reader):
            raise CommandError(f"{user} may not export files (viewers read the views only).")
        file_type = file.suffix.lower().lstrip(".")
        if file_type not in ("csv", "xlsx"):
            raise CommandError("The file must end in .csv or .xlsx.")
        round_, queryset = None, None
        if kind in ROUND_KINDS:
            if round is None:
                raise CommandError("--round is needed to export pair assessments.")
            round_ = round_for(reader, round)
        else:
            queryset = (
                visible_regions(reader) if kind == "regions" else scope(Actor.objects, reader)
            )
            if region:
                prefix = "" if kind == "regions" else "home_region__"
                root = visible_regions(reader).filter(code=region).first()
                if root is None:
                    raise CommandError(f"No region {region} in {user}'s jurisdiction.")
                queryset = queryset.filter(root.subtree_q(prefix))
        content, _content_type = run_export(
            kind=kind, file_type=file_type, queryset=queryset, round=round_
        )
        file.write_bytes(content)
        self.stdout.write(f"{kind}: written to {file}.")
