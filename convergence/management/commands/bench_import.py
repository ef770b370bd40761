"""Time the bulk imports on a large file: N actors, then M pairs of them as an edge list.

Everything it creates (a bench province and district, a sector, an admin, a round, the
actors and pairs) is rolled back at the end unless --keep is given; the generated files
live in a temporary directory.
"""

import tempfile
import time
from datetime import date
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from accounts.models import Jurisdiction, Role
from actors.models import Actor, GovernmentLevel, Region, Sector
from assessments.models import AssessmentRound, RoundMember, RoundStatus
from imports.actors import import_actors
from imports.pairs import import_pairs
from imports.tabular import write_table

PROVINCE, DISTRICT = "99", "99.01"


class Command(BaseCommand):
    help = "Generate an actor file and an edge list in a temp dir and time both imports."

    def add_arguments(self, parser):
        parser.add_argument("--actors", type=int, default=5000)
        parser.add_argument("--pairs", type=int, default=50000)
        parser.add_argument("--file-type", choices=["csv", "xlsx"], default="csv")
        parser.add_argument("--keep", action="store_true", help="Keep the data (no rollback).")

    def handle(self, *args, actors, pairs, file_type, keep, **options):
        if pairs > actors * (actors - 1) // 2:
            raise CommandError("More pairs than the actors can make.")
        self.stdout.write(f"Database: {connection.vendor}; files: {file_type}")
        with tempfile.TemporaryDirectory() as folder, transaction.atomic():
            admin, district = self.setup()
            actor_file = Path(folder) / f"actors.{file_type}"
            names = [f"Aktor Uji {number:05d}" for number in range(actors)]
            actor_file.write_bytes(
                write_table(
                    ["name", "short_name", "kind", "sector", "government_level", "region_code"],
                    [[name, f"AU{n:05d}", "government", "bench", "district", DISTRICT]
                     for n, name in enumerate(names)],
                    file_type,
                )[0]
            )  # fmt: skip
            self.time(f"{actors} actors", lambda: import_actors(
                data=actor_file.read_bytes(), user=admin), actor_file)  # fmt: skip
            self.time(f"{actors} actors again", lambda: import_actors(
                data=actor_file.read_bytes(), user=admin), actor_file)  # fmt: skip

            round_ = AssessmentRound.objects.create(
                name="Bench",
                region=district,
                period_start=date(2026, 1, 1),
                period_end=date(2026, 12, 31),
                status=RoundStatus.OPEN,
            )
            # Only members' pairs are scored: the imported actors make the roster.
            RoundMember.objects.bulk_create(
                RoundMember(round=round_, actor=actor)
                for actor in Actor.objects.filter(home_region=district)
            )
            edge_file = Path(folder) / f"edges.{file_type}"
            edge_file.write_bytes(
                write_table(["actor_a", "actor_b", "level"], self.edges(names, pairs), file_type)[0]
            )
            self.time(f"{pairs} pairs (edge list)", lambda: import_pairs(
                data=edge_file.read_bytes(), round=round_, user=admin, shape="edges"),
                edge_file)  # fmt: skip
            self.time(f"{pairs} pairs again", lambda: import_pairs(
                data=edge_file.read_bytes(), round=round_, user=admin, shape="edges"),
                edge_file)  # fmt: skip
            if not keep:
                transaction.set_rollback(True)

    def time(self, label, run, file):
        started = time.perf_counter()
        result = run()
        seconds = time.perf_counter() - started
        size = file.stat().st_size / 1024 / 1024
        self.stdout.write(
            f"{label}: {seconds:.2f} s ({size:.1f} MB; {result.created} created, "
            f"{result.updated} updated, {result.unchanged} unchanged)"
        )

    @staticmethod
    def edges(names, count):
        """``count`` distinct pairs: each actor with its next neighbours, round the list."""
        rows, step = [], 1
        while len(rows) < count:
            for index, name in enumerate(names):
                rows.append([name, names[(index + step) % len(names)], (index + step) % 5])
                if len(rows) == count:
                    break
            step += 1
        return rows

    def setup(self):
        province, _ = Region.objects.get_or_create(
            code=PROVINCE, defaults={"name": "Provinsi Uji", "level": GovernmentLevel.PROVINCE}
        )
        district, _ = Region.objects.get_or_create(
            code=DISTRICT,
            defaults={
                "name": "Kabupaten Uji",
                "level": GovernmentLevel.DISTRICT,
                "parent": province,
            },
        )
        Sector.objects.get_or_create(
            code="bench", defaults={"name_id": "Uji", "name_en": "Bench", "sort_order": 999}
        )
        admin, _ = get_user_model().objects.get_or_create(username="bench-admin")
        admin.groups.add(Group.objects.get_or_create(name=Role.ADMIN)[0])
        Jurisdiction.objects.get_or_create(user=admin, region=province)
        return admin, district
