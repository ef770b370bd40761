"""The synthetic national dataset of ``manage.py bench``: build it in bulk, remove it.

Everything synthetic lives under 38 two-digit province codes that Kemendagri has not
assigned (real provinces are 11–19, 21, 31–36, 51–53, 61–65, 71–76, 81–82, 91–96), and
every synthetic region's name starts with ``MARK``. The benchmark refuses to run when a
region in that range lacks the mark, and removes only marked regions and what hangs off
them, so real data is never touched.

Rows are written with ``bulk_create`` and, on PostgreSQL, the pairs with ``COPY``: no
per-row save, no signal, hence no history rows for the synthetic data.
"""

import io
import json
import random
import time
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from actors.models import NATIONAL_CODE, Actor, ActorKind, GovernmentLevel, Region, Sector
from actors.selectors import read_vocabularies
from assessments.models import AssessmentRound, PairAssessment, RoundStatus

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


class BenchmarkRefused(Exception):
    pass


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


def remove_synthetic() -> dict[str, int]:
    """Delete the synthetic rows with plain SQL (a ``QuerySet.delete`` would load 630,000
    pairs to send signals and write history). Returns the rows deleted per table."""
    regions = Region.objects.filter(_range_q(), name__startswith=MARK)
    region_ids = list(regions.values_list("pk", flat=True))
    nation = Region.objects.filter(
        code=NATIONAL_CODE, name__startswith=MARK, children__isnull=True
    ).values_list("pk", flat=True)
    deleted = {}
    with transaction.atomic(), connection.cursor() as cursor:

        def run(label, sql, params):
            cursor.execute(sql, params)
            deleted[label] = cursor.rowcount

        pairs, rounds = PairAssessment._meta.db_table, AssessmentRound._meta.db_table
        actors, regions_table = Actor._meta.db_table, Region._meta.db_table
        if region_ids:
            marks = _marks(region_ids)
            run(
                "pairs",
                f"DELETE FROM {pairs} WHERE round_id IN "
                f"(SELECT id FROM {rounds} WHERE region_id IN ({marks}))",
                region_ids,
            )
            run("rounds", f"DELETE FROM {rounds} WHERE region_id IN ({marks})", region_ids)
            run("actors", f"DELETE FROM {actors} WHERE home_region_id IN ({marks})", region_ids)
            # Districts first: a province is their parent.
            run(
                "regions",
                f"DELETE FROM {regions_table} WHERE id IN ({marks}) AND parent_id IS NOT NULL",
                region_ids,
            )
            cursor.execute(f"DELETE FROM {regions_table} WHERE id IN ({marks})", region_ids)
            deleted["regions"] += cursor.rowcount
        nation = list(nation)
        if nation:
            cursor.execute(f"DELETE FROM {regions_table} WHERE id = %s", nation)
            deleted["regions"] = deleted.get("regions", 0) + 1
        deleted["sectors"] = Sector.objects.filter(code__startswith=SECTOR_PREFIX).delete()[0]
        get_user_model().objects.filter(username=USERNAME).delete()
    return deleted


def _marks(values) -> str:
    return ", ".join(["%s"] * len(values))


@dataclass
class District:
    region: Region
    actors: list[int] = field(default_factory=list)  # actor ids, ascending
    rounds: list[AssessmentRound] = field(default_factory=list)  # newest first


class Builder:
    """Writes the synthetic regions, actors, rounds and fully scored pairs."""

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

    def nation(self) -> Region:
        nation = Region.objects.filter(code=NATIONAL_CODE).first()
        if nation is None:
            nation = Region.objects.bulk_create(
                [
                    Region(
                        code=NATIONAL_CODE, name=MARK + "Indonesia", level=GovernmentLevel.NATIONAL
                    )
                ]
            )[0]
            nation = Region.objects.get(code=NATIONAL_CODE)
        return nation

    def provinces(self, codes: list[str]) -> dict[str, Region]:
        Region.objects.bulk_create(
            Region(code=code, name=f"{MARK}Provinsi {code}", level=GovernmentLevel.PROVINCE)
            for code in codes
        )
        return {region.code: region for region in Region.objects.filter(code__in=codes)}

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
            batch_size=5000,
        )
        by_region = {code: District(regions[code]) for code in codes}
        by_id = {region.pk: by_region[code] for code, region in regions.items()}
        for pk, region_id in (
            Actor.objects.filter(home_region__in=regions.values())
            .order_by("pk")
            .values_list("pk", "home_region_id")
        ):
            by_id[region_id].actors.append(pk)
        return [by_region[code] for code in codes]

    def rounds(self, districts: list[District], year: int) -> None:
        """One closed round per district for ``year``, fully scored."""
        AssessmentRound.objects.bulk_create(
            AssessmentRound(
                name=f"{MARK}Pemetaan {year}",
                region=district.region,
                period_start=date(year, 1, 1),
                period_end=date(year, 12, 31),
                status=RoundStatus.CLOSED,
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
        self._pairs((created[district.region.pk].pk, district.actors) for district in districts)

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
                        "mechanisms": mechanisms,
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
            PairAssessment.objects.bulk_create((PairAssessment(**row) for row in rows), 5000)
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
    """Refresh the planner's statistics, as autovacuum would soon after a large load."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (Region, Actor, AssessmentRound, PairAssessment):
                cursor.execute(f"ANALYZE {model._meta.db_table}")


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - start
