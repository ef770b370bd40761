"""Time the region pages on a synthetic district of N actors (default 100).

    python manage.py bench_pages [--actors 100] [--runs 5]

Builds the district, two fully scored rounds and a programme inside a transaction, renders
each page through Django's test client (the whole request: middleware, views, templates),
prints the median server time and the query count, then rolls everything back.
"""

import gzip
import random
import statistics
import time
from datetime import date

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from actors.models import (
    Actor,
    ActorKind,
    GovernmentLevel,
    ParticipantRole,
    Programme,
    ProgrammeParticipant,
    ProgrammeStage,
    Region,
    Sector,
)
from actors.selectors import read_vocabularies
from assessments.models import AssessmentRound, PairAssessment, RoundStatus


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Median server time and query count of each region page for an N-actor district."

    def add_arguments(self, parser):
        parser.add_argument("--actors", type=int, default=100)
        parser.add_argument("--runs", type=int, default=5)

    def handle(self, *args, actors, runs, **options):
        try:
            with transaction.atomic(), override_settings(ALLOWED_HOSTS=["testserver"]):
                self.run(actors, runs)
                raise Rollback
        except Rollback:
            pass

    def run(self, count, runs):
        client, urls = self.build(count)
        self.stdout.write(
            f"{count} actors, {count * (count - 1) // 2} pairs per round, "
            f"{connection.vendor}, median of {runs} runs\n"
        )
        self.stdout.write(
            f"{'page':<28}{'status':>7}{'median ms':>11}{'queries':>9}{'KiB':>8}{'gzip KiB':>10}"
        )
        for name, url in urls:
            client.get(url)  # warm caches (templates, translations)
            times = []
            for _ in range(runs):
                with CaptureQueriesContext(connection) as queries:
                    start = time.perf_counter()
                    response = client.get(url)
                    times.append((time.perf_counter() - start) * 1000)
            self.stdout.write(
                f"{name:<28}{response.status_code:>7}{statistics.median(times):>11.1f}"
                f"{len(queries):>9}{len(response.content) / 1024:>8.0f}"
                f"{len(gzip.compress(response.content)) / 1024:>10.0f}"
            )

    def build(self, count):
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
        actors = Actor.objects.bulk_create(
            Actor(
                name=f"Aktor {index:03d}",
                short_name=f"A{index:03d}",
                kind=ActorKind.GOVERNMENT,
                sector=sectors[index % len(sectors)],
                government_level=GovernmentLevel.DISTRICT,
                home_region=district,
            )
            for index in range(count)
        )
        actors = list(Actor.objects.filter(home_region=district).order_by("pk"))
        programme = Programme.objects.create(
            name="Program Bench",
            region=district,
            period_start=date(2025, 1, 1),
            period_end=date(2026, 12, 31),
            lead_actor=actors[0],
        )
        ProgrammeParticipant.objects.bulk_create(
            ProgrammeParticipant(
                programme=programme,
                actor=actor,
                role=ParticipantRole.IMPLEMENTER,
                stages=rng.sample(list(ProgrammeStage.values), 2),
            )
            for actor in actors
        )
        rounds = [
            AssessmentRound.objects.create(
                name=f"Bench {year}",
                region=district,
                programme=programme,
                period_start=date(year, 1, 1),
                period_end=date(year, 12, 31),
                status=RoundStatus.CLOSED if year == 2025 else RoundStatus.OPEN,
            )
            for year in (2025, 2026)
        ]
        mechanisms = read_vocabularies().mechanisms.offered
        for round_ in rounds:
            PairAssessment.objects.bulk_create(
                (
                    PairAssessment(
                        round=round_,
                        actor_a=first,
                        actor_b=second,
                        level=rng.randint(0, 4),
                        mechanisms=rng.sample(mechanisms, 2),
                    )
                    for i, first in enumerate(actors)
                    for second in actors[i + 1 :]
                ),
                batch_size=2000,
            )
        user = get_user_model().objects.create_superuser("bench-admin", password=None)
        client = Client(raise_request_exception=False)
        client.force_login(user)
        code = district.code
        urls = [
            ("who × who matrix", f"/regions/{code}/matrix/"),
            ("dashboard", f"/regions/{code}/"),
            ("sector × sector", f"/regions/{code}/sectors/"),
            ("by government level", f"/regions/{code}/levels/?programme={programme.pk}"),
            ("who × how", f"/programmes/{programme.pk}/who-how/"),
            ("network", f"/regions/{code}/network/"),
            ("network SVG", f"/regions/{code}/network.svg"),
            ("round comparison", f"/regions/{code}/compare/"),
            ("programme overlaps", f"/regions/{code}/overlaps/"),
        ]
        return client, urls
