"""The synthetic data of every benchmark command: one builder, and its removal.

Everything synthetic lives under 38 two-digit province codes that Kemendagri has not
assigned (real provinces are 11–19, 21, 31–36, 51–53, 61–65, 71–76, 81–82, 91–96), and
every synthetic region's name starts with ``MARK``. A command refuses to run when a region
in that range lacks the mark (``prepare``), and removes only marked regions and what hangs
off them, so real data is never touched.

A round is built as the product keeps one: with its roster (``RoundMember``), frozen when
the round is closed, and every pair of its members scored, with evidence, mechanisms,
factors and, for one pair in five, a note. Rows are written with ``bulk_create`` and, on
PostgreSQL, the pairs with ``COPY``: no per-row save, no signal, hence no history rows.
"""

import io
import json
import random
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.models import Q
from django.test.utils import override_settings
from django.utils import timezone

from actors.models import (
    NATIONAL_CODE,
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
from assessments.models import (
    AssessmentRound,
    PairAssessment,
    RoundMember,
    RoundStatus,
    RoundSummary,
)
from assessments.summaries import refresh_round_summary

MARK = "[bench] "
PROVINCE_CODES = [
    *range(37, 51),
    *range(54, 61),
    *range(66, 71),
    *range(77, 81),
    *range(83, 91),
]
PROVINCE_CODES = [f"{code:02d}" for code in PROVINCE_CODES]
assert len(PROVINCE_CODES) == 38
BIG_DISTRICT_NUMBER = 71  # the extra 200-actor district: <first province>.71 (a "kota")
SECTOR_PREFIX = "bench-national-"
USERNAME = "bench-national"
BATCH = 5000


class BenchmarkRefused(CommandError):
    """A region in the benchmark's code range is not synthetic: nothing is touched."""


def _range_q(prefix: str = "") -> Q:
    query = Q(**{f"{prefix}code__in": PROVINCE_CODES})
    for code in PROVINCE_CODES:
        query |= Q(**{f"{prefix}code__startswith": code + "."})
    return query


def check_range_is_free() -> None:
    """Refuse when a region in the benchmark's code range is not synthetic."""
    foreign = Region.objects.filter(_range_q()).exclude(name__startswith=MARK)
    found = list(foreign.values_list("code", flat=True)[:5])
    if found:
        raise BenchmarkRefused(
            f"Regions {', '.join(found)} use the benchmark's province codes "
            f"({PROVINCE_CODES[0]}…{PROVINCE_CODES[-1]}, codes Kemendagri has not assigned) "
            f"and are not synthetic (their names lack {MARK!r}): refusing to touch them."
        )


def synthetic_present() -> bool:
    return Region.objects.filter(_range_q(), name__startswith=MARK).exists()


def prepare(stdout=None) -> None:
    """Before a run: refuse a foreign region in the range (``BenchmarkRefused``), and remove
    what an earlier run kept (``--keep``) or left behind when it was interrupted."""
    check_range_is_free()
    if synthetic_present():
        if stdout is not None:
            stdout.write("Removing the synthetic data an earlier run left…")
        remove_synthetic()


@contextmanager
def rolled_back():
    """Build and time inside a transaction that is rolled back at the end, the test
    client's host allowed."""
    with transaction.atomic(), override_settings(ALLOWED_HOSTS=["testserver"]):
        yield
        transaction.set_rollback(True)


def remove_synthetic() -> dict[str, int]:
    """Delete the synthetic rows with plain SQL (a ``QuerySet.delete`` would load 630,000
    pairs to send signals and write history), with the history that imports of synthetic
    rows wrote. Returns the rows deleted per table."""
    regions = Region.objects.filter(_range_q(), name__startswith=MARK)
    region_ids = list(regions.values_list("pk", flat=True))
    nation = Region.objects.filter(
        code=NATIONAL_CODE, name__startswith=MARK, children__isnull=True
    ).values_list("pk", flat=True)
    deleted: dict[str, int] = {}
    with transaction.atomic(), connection.cursor() as cursor:

        def run(label, sql, params):
            cursor.execute(sql, params)
            deleted[label] = deleted.get(label, 0) + cursor.rowcount

        def table(model, history=False):
            return (model.history.model if history else model)._meta.db_table

        rounds, actors = table(AssessmentRound), table(Actor)
        programmes, regions_table = table(Programme), table(Region)
        if region_ids:
            marks = ", ".join(["%s"] * len(region_ids))
            of_rounds = f"round_id IN (SELECT id FROM {rounds} WHERE region_id IN ({marks}))"
            of_programmes = (
                f"programme_id IN (SELECT id FROM {programmes} WHERE region_id IN ({marks}))"
            )
            for history in (True, False):
                suffix = " history" if history else ""
                run(
                    "pairs" + suffix,
                    f"DELETE FROM {table(PairAssessment, history)} WHERE {of_rounds}",
                    region_ids,
                )
                run(
                    "members" + suffix,
                    f"DELETE FROM {table(RoundMember, history)} WHERE {of_rounds}",
                    region_ids,
                )
            run(
                "summaries",
                f"DELETE FROM {table(RoundSummary)} WHERE {of_rounds}",
                region_ids,
            )
            run(
                "rounds history",
                f"DELETE FROM {table(AssessmentRound, True)} WHERE region_id IN ({marks})",
                region_ids,
            )
            run("rounds", f"DELETE FROM {rounds} WHERE region_id IN ({marks})", region_ids)
            for history in (True, False):
                run(
                    "participants" + (" history" if history else ""),
                    f"DELETE FROM {table(ProgrammeParticipant, history)} WHERE {of_programmes}",
                    region_ids,
                )
            run(
                "programmes history",
                f"DELETE FROM {table(Programme, True)} WHERE region_id IN ({marks})",
                region_ids,
            )
            run("programmes", f"DELETE FROM {programmes} WHERE region_id IN ({marks})", region_ids)
            run(
                "actors history",
                f"DELETE FROM {table(Actor, True)} WHERE home_region_id IN ({marks})",
                region_ids,
            )
            run("actors", f"DELETE FROM {actors} WHERE home_region_id IN ({marks})", region_ids)
            # Districts first: a province is their parent.
            run(
                "regions",
                f"DELETE FROM {regions_table} WHERE id IN ({marks}) AND parent_id IS NOT NULL",
                region_ids,
            )
            run("regions", f"DELETE FROM {regions_table} WHERE id IN ({marks})", region_ids)
        nation = list(nation)
        if nation:
            run("regions", f"DELETE FROM {regions_table} WHERE id = %s", nation)
        deleted["sectors"] = Sector.objects.filter(code__startswith=SECTOR_PREFIX).delete()[0]
        get_user_model().objects.filter(username=USERNAME).delete()
    return deleted


@dataclass
class District:
    region: Region
    actors: list[int] = field(default_factory=list)  # actor ids, ascending
    rounds: list[AssessmentRound] = field(default_factory=list)  # newest first
    programme: Programme | None = None


class Builder:
    """Writes the synthetic regions, actors, programmes, rounds with their rosters, and
    fully scored pairs. Deterministic for a given ``seed``."""

    def __init__(self, seed: int = 2026):
        self.rng = random.Random(seed)
        self.now = timezone.now()
        self.sectors = self._sectors()
        # A few thousand distinct JSON values, reused: building 630,000 rows stays cheap.
        vocabularies = read_vocabularies()
        mechanisms, facilitating, hindering = (
            vocabularies.mechanisms.offered,
            vocabularies.facilitating_factors.offered,
            vocabularies.hindering_factors.offered,
        )
        self.extras = [
            (
                sorted(self.rng.sample(mechanisms, 2), key=mechanisms.index),
                [self.rng.choice(facilitating)],
                [self.rng.choice(hindering)],
                "Rapat koordinasi bulanan; data dibagi lewat grup." if index % 5 == 0 else "",
            )
            for index in range(997)
        ]

    def _sectors(self) -> list[Sector]:
        sectors = list(Sector.objects.all())
        if sectors:
            return sectors
        return Sector.objects.bulk_create(
            Sector(
                code=f"{SECTOR_PREFIX}{index}",
                name_id=f"Sektor {index}",
                name_en=f"Sector {index}",
                is_health=index == 0,
                sort_order=index,
            )
            for index in range(8)
        )

    def superuser(self):
        """The benchmark's user (``USERNAME``), who sees and may do everything."""
        user, _ = get_user_model().objects.get_or_create(
            username=USERNAME, defaults={"is_superuser": True, "is_staff": True}
        )
        return user

    def nation(self) -> Region:
        nation = Region.objects.filter(code=NATIONAL_CODE).first()
        if nation is None:
            national = GovernmentLevel.NATIONAL
            Region.objects.bulk_create(
                [Region(code=NATIONAL_CODE, name=MARK + "Indonesia", level=national)]
            )
            nation = Region.objects.get(code=NATIONAL_CODE)
        return nation

    def provinces(self, codes: list[str]) -> dict[str, Region]:
        Region.objects.bulk_create(
            Region(code=code, name=f"{MARK}Provinsi {code}", level=GovernmentLevel.PROVINCE)
            for code in codes
        )
        return {region.code: region for region in Region.objects.filter(code__in=codes)}

    def district(self, actors: int) -> District:
        """One district of ``actors`` actors in the first province of the range: for the
        commands that time one district (``prepare`` leaves the range empty)."""
        province = self.provinces(PROVINCE_CODES[:1])[PROVINCE_CODES[0]]
        (district,) = self.districts([(province, 1)], actors)
        return district

    def districts(self, specs: list[tuple[Region, int]], actors: int) -> list[District]:
        """A district per (province, number), each with ``actors`` actors (bulk)."""
        codes = [f"{province.code}.{number:02d}" for province, number in specs]
        Region.objects.bulk_create(
            Region(
                code=code,
                name=f"{MARK}Kabupaten {code}",
                level=GovernmentLevel.DISTRICT,
                parent=province,
            )
            for code, (province, _number) in zip(codes, specs, strict=True)
        )
        regions = {region.code: region for region in Region.objects.filter(code__in=codes)}
        Actor.objects.bulk_create(
            (
                Actor(
                    name=f"Aktor {index:03d} {code}",
                    short_name=f"A{index:03d}",
                    kind=ActorKind.GOVERNMENT,
                    sector=self.sectors[index % len(self.sectors)],
                    government_level=GovernmentLevel.DISTRICT,
                    home_region=regions[code],
                )
                for code in codes
                for index in range(actors)
            ),
            batch_size=BATCH,
        )
        districts = [District(regions[code]) for code in codes]
        self.refresh(districts)
        return districts

    def refresh(self, districts: list[District]) -> None:
        """Read each district's actors again (after actors were added another way)."""
        by_region = {district.region.pk: district for district in districts}
        for district in districts:
            district.actors = []
        for pk, region_id in (
            Actor.objects.filter(home_region__in=list(by_region))
            .order_by("pk")
            .values_list("pk", "home_region_id")
        ):
            by_region[region_id].actors.append(pk)

    def programmes(self, districts: list[District], *, start: int, end: int) -> None:
        """A programme per district from ``start`` to ``end`` (years), led by its first
        actor, every actor a participant in two of the five stages."""
        Programme.objects.bulk_create(
            Programme(
                name=f"{MARK}Program {district.region.code}",
                region=district.region,
                period_start=date(start, 1, 1),
                period_end=date(end, 12, 31),
                lead_actor_id=district.actors[0],
            )
            for district in districts
        )
        made = {
            programme.region_id: programme
            for programme in Programme.objects.filter(region__in=[d.region for d in districts])
        }
        stages = list(ProgrammeStage.values)
        participants = []
        for district in districts:
            district.programme = made[district.region.pk]
            participants += [
                ProgrammeParticipant(
                    programme=district.programme,
                    actor_id=actor_id,
                    role=ParticipantRole.IMPLEMENTER,
                    stages=self.rng.sample(stages, 2),
                )
                for actor_id in district.actors
            ]
        ProgrammeParticipant.objects.bulk_create(participants, batch_size=BATCH)

    def rounds(
        self,
        districts: list[District],
        year: int,
        *,
        status: str = RoundStatus.CLOSED,
        scored: bool = True,
    ) -> None:
        """One round per district for ``year`` (of its programme, if it has one) with every
        actor of the district on its roster (frozen when the round is closed) and, when
        ``scored``, every pair scored."""
        AssessmentRound.objects.bulk_create(
            AssessmentRound(
                name=f"{MARK}Pemetaan {year}",
                region=district.region,
                programme=district.programme,
                period_start=date(year, 1, 1),
                period_end=date(year, 12, 31),
                status=status,
            )
            for district in districts
        )
        created = {
            round_.region_id: round_
            for round_ in AssessmentRound.objects.filter(
                region__in=[district.region for district in districts],
                period_start=date(year, 1, 1),
            )
        }
        for district in districts:
            district.rounds.append(created[district.region.pk])
            district.rounds.sort(key=lambda round_: round_.period_start, reverse=True)
        self._rosters(districts, created, frozen=status == RoundStatus.CLOSED)
        if scored:
            self._pairs((created[district.region.pk].pk, district.actors) for district in districts)
        # The rows above bypass the services: count each round as every write does, so that
        # the pages read what they read in use (a dashboard its figures, the network page
        # the round's version).
        for round_ in created.values():
            refresh_round_summary(round_.pk)

    def two_rounds(self, districts: list[District]) -> None:
        """A closed 2025 round and an open 2026 round, both fully scored."""
        self.rounds(districts, 2025, status=RoundStatus.CLOSED)
        self.rounds(districts, 2026, status=RoundStatus.OPEN)

    def _rosters(self, districts, rounds_by_region, *, frozen: bool) -> None:
        regions = [district.region for district in districts]
        actors = Actor.objects.filter(home_region__in=regions).order_by("pk")
        if frozen:
            actors = actors.select_related("sector")
        members = []
        for actor in actors.iterator(chunk_size=BATCH):
            member = RoundMember(round=rounds_by_region[actor.home_region_id], actor=actor)
            if frozen:
                member.freeze(actor, self.now)
            members.append(member)
        RoundMember.objects.bulk_create(members, batch_size=BATCH)

    def _pair_rows(self, rounds):
        rng, extras, now = self.rng, self.extras, self.now
        for round_id, actors in rounds:
            for index, first in enumerate(actors):
                for second in actors[index + 1 :]:
                    level = rng.randint(0, 4)
                    mechanisms, facilitating, hindering, note = extras[rng.randrange(997)]
                    yield {
                        "round_id": round_id,
                        "actor_a_id": first,
                        "actor_b_id": second,
                        "level": level,
                        "note": note,
                        "shares_information": level >= 1,
                        "joint_activities": level >= 2,
                        "shared_roles_and_resources": level >= 3,
                        "formal_structure": level >= 4,
                        "evidence_inconsistency_confirmed": False,
                        "mechanisms": mechanisms if level else [],
                        "facilitating_factors": facilitating,
                        "hindering_factors": hindering,
                        "scored_by_id": None,
                        "scored_at": now,
                        "version": 1,
                    }

    def _pairs(self, rounds) -> None:
        columns = [
            field.column for field in PairAssessment._meta.concrete_fields if not field.primary_key
        ]
        rows = self._pair_rows(rounds)
        if connection.vendor != "postgresql":
            PairAssessment.objects.bulk_create((PairAssessment(**row) for row in rows), BATCH)
            return
        with connection.cursor() as cursor:
            batch = []
            for row in rows:
                if set(row) != set(columns):  # fails loudly when the model changes
                    raise RuntimeError(f"PairAssessment columns changed: {sorted(columns)}")
                batch.append("\t".join(_copy_text(row[column]) for column in columns))
                if len(batch) >= 50_000:
                    self._copy(cursor, columns, batch)
                    batch = []
            if batch:
                self._copy(cursor, columns, batch)

    def _copy(self, cursor, columns, lines) -> None:
        buffer = io.StringIO("\n".join(lines) + "\n")
        sql = f"COPY {PairAssessment._meta.db_table} ({', '.join(columns)}) FROM STDIN"
        raw = cursor.cursor  # the driver's cursor under Django's wrapper
        if hasattr(raw, "copy_expert"):  # psycopg2
            raw.copy_expert(sql, buffer)
        else:  # psycopg 3
            with raw.copy(sql) as copy:
                copy.write(buffer.getvalue())


def _copy_text(value) -> str:
    """A value in COPY's text format (no tab, newline or backslash can occur here)."""
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, list):
        return json.dumps(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def analyze() -> None:
    """Refresh the planner's statistics and clear the rows a previous run deleted, as
    autovacuum would soon after a large load: a floor read over millions of dead rows
    would be slower than on a kept-up table, and flatter its page's ratio. Inside a
    transaction (the tests), where VACUUM cannot run, the statistics only."""
    if connection.vendor == "postgresql":
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
        with connection.cursor() as cursor:
            for model in (Region, Actor, AssessmentRound, RoundMember, PairAssessment):
                cursor.execute(f"{command} {model._meta.db_table}")


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - start
