"""Time the bulk imports on a large file: N actors, then M pairs of them as an edge list.

Everything it creates (a synthetic district of ``benchmarks.synthetic``, its actors, an open
round with them on its roster, and the pairs) is rolled back at the end unless --keep is
given (the next run of a bench command removes it); the generated files live in a
temporary directory.
"""

import tempfile
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from assessments.models import RoundStatus
from benchmarks import synthetic
from imports.actors import import_actors
from imports.pairs import import_pairs
from imports.tabular import write_table


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
        synthetic.prepare(self.stdout)
        self.stdout.write(f"Database: {connection.vendor}; files: {file_type}")
        with tempfile.TemporaryDirectory() as folder, transaction.atomic():
            builder = synthetic.Builder()
            district = builder.district(0)
            admin = builder.superuser()
            code, sector = district.region.code, builder.sectors[0].code
            actor_file = Path(folder) / f"actors.{file_type}"
            names = [f"Aktor Uji {number:05d}" for number in range(actors)]
            actor_file.write_bytes(
                write_table(
                    ["name", "short_name", "kind", "sector", "government_level", "region_code"],
                    [[name, f"AU{n:05d}", "government", sector, "district", code]
                     for n, name in enumerate(names)],
                    file_type,
                )[0]
            )  # fmt: skip
            self.time(f"{actors} actors", lambda: import_actors(
                data=actor_file.read_bytes(), user=admin), actor_file)  # fmt: skip
            self.time(f"{actors} actors again", lambda: import_actors(
                data=actor_file.read_bytes(), user=admin), actor_file)  # fmt: skip

            builder.refresh([district])
            builder.rounds([district], 2026, status=RoundStatus.OPEN, scored=False)
            round_ = district.rounds[0]
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
