"""Time the PDF and XLSX (and CSV) reports of the largest demo district and of a synthetic
fully scored district of N actors (default 100).

    python manage.py bench_reports [--actors 100] [--runs 1]

Everything happens inside a transaction that is rolled back: the demo is loaded (it is
idempotent, and its new passwords are thrown away with the rest), the synthetic district
with two fully scored rounds is built, each report is downloaded through Django's test
client (the whole request), and the median time, query count and size are printed.
"""

import io
import random
import statistics
import time
from datetime import date

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from actors.models import Actor, ActorKind, GovernmentLevel, Region, Sector
from actors.selectors import read_vocabularies
from assessments.models import AssessmentRound, PairAssessment, RoundStatus
from convergence.demo.actors import DEMO_DISTRICTS


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Time the PDF, XLSX and CSV reports of the largest demo district and of N actors."

    def add_arguments(self, parser):
        parser.add_argument("--actors", type=int, default=100)
        parser.add_argument("--runs", type=int, default=1)

    def handle(self, *args, actors, runs, **options):
        try:
            with transaction.atomic(), override_settings(ALLOWED_HOSTS=["testserver"]):
                self.run(actors, runs)
                raise Rollback
        except Rollback:
            pass

    def run(self, count, runs):
        call_command("seed_demo", stdout=io.StringIO())
        demo = max(
            Region.objects.filter(code__in=list(DEMO_DISTRICTS)),
            key=lambda region: Actor.objects.active().in_mapping_unit(region).count(),
        )
        synthetic = self.build(count)
        user = get_user_model().objects.create_superuser("bench-reports", password=None)
        client = Client(raise_request_exception=True)
        client.force_login(user)
        self.stdout.write(f"{connection.vendor}, median of {runs} run(s), whole request\n")
        self.stdout.write(
            f"{'district':<34}{'actors':>7}{'pairs':>7}{'format':>7}{'seconds':>9}"
            f"{'queries':>9}{'KiB':>8}{'pages':>7}"
        )
        for region in (demo, synthetic):
            round_ = AssessmentRound.objects.filter(region=region).latest_first().first()
            actors = Actor.objects.active().in_mapping_unit(region).count()
            pairs = PairAssessment.objects.filter(round=round_).count()
            for fmt in ("pdf", "xlsx", "csv"):
                url = f"/regions/{region.code}/report.{fmt}?round={round_.pk}"
                times = []
                for _ in range(runs):
                    with CaptureQueriesContext(connection) as queries:
                        start = time.perf_counter()
                        response = client.get(url)
                        times.append(time.perf_counter() - start)
                assert response.status_code == 200, (url, response.status_code)
                pages = _page_count(response.content) if fmt == "pdf" else ""
                name = f"{region.code} {region.name}"[:33]
                self.stdout.write(
                    f"{name:<34}{actors:>7}{pairs:>7}{fmt:>7}{statistics.median(times):>9.2f}"
                    f"{len(queries):>9}{len(response.content) / 1024:>8.0f}{pages:>7}"
                )

    def build(self, count) -> Region:
        """A district of ``count`` actors and two rounds in which every pair is scored, with
        evidence, mechanisms, factors and, for one pair in five, a note."""
        rng = random.Random(count)
        province = Region.objects.create(code="99", name="Bench", level=GovernmentLevel.PROVINCE)
        district = Region.objects.create(
            code="99.01", name="Kabupaten Bench", level=GovernmentLevel.DISTRICT, parent=province
        )
        sectors = list(Sector.objects.all()) or [
            Sector.objects.create(
                code="bench-health", name_id="Kesehatan", name_en="Health", is_health=True
            ),
            Sector.objects.create(code="bench-other", name_id="Lain", name_en="Other"),
        ]
        Actor.objects.bulk_create(
            Actor(
                name=f"Aktor Sintetis Kabupaten Bench {index:03d}",
                short_name=f"A{index:03d}",
                kind=ActorKind.GOVERNMENT,
                sector=sectors[index % len(sectors)],
                government_level=GovernmentLevel.DISTRICT,
                home_region=district,
            )
            for index in range(count)
        )
        actors = list(Actor.objects.filter(home_region=district).order_by("pk"))
        vocabularies = read_vocabularies()
        mechanisms = vocabularies.mechanisms.offered
        facilitating = vocabularies.facilitating_factors.offered
        hindering = vocabularies.hindering_factors.offered
        for year in (2025, 2026):
            round_ = AssessmentRound.objects.create(
                name=f"Bench {year}",
                region=district,
                period_start=date(year, 1, 1),
                period_end=date(year, 12, 31),
                status=RoundStatus.CLOSED if year == 2025 else RoundStatus.OPEN,
            )
            rows = []
            for index, first in enumerate(actors):
                for second in actors[index + 1 :]:
                    level = rng.randint(0, 4)
                    rows.append(
                        PairAssessment(
                            round=round_,
                            actor_a=first,
                            actor_b=second,
                            level=level,
                            shares_information=level >= 1,
                            joint_activities=level >= 2,
                            shared_roles_and_resources=level >= 3,
                            formal_structure=level >= 4,
                            mechanisms=sorted(rng.sample(mechanisms, 2)),
                            facilitating_factors=[rng.choice(facilitating)],
                            hindering_factors=[rng.choice(hindering)],
                            note="Rapat koordinasi bulanan; data dibagi lewat grup."
                            if rng.random() < 0.2
                            else "",
                        )
                    )
            PairAssessment.objects.bulk_create(rows, batch_size=2000)
        return district


def _page_count(pdf: bytes) -> int | str:
    """Pages of a PDF, when pypdf (a development dependency) is there to count them."""
    try:
        from pypdf import PdfReader
    except ImportError:
        return "?"
    return len(PdfReader(io.BytesIO(pdf)).pages)
