"""Time the pages on a synthetic national dataset against their floors, and check the
targets of issue 16 ("Fast at any size").

    python manage.py bench [--scale 1.0] [--tenfold-scale 1.0] [--runs 15] [--keep]

On the configured database (PostgreSQL is what the targets are for):

1. loads the national dataset ("1×") in bulk and times the load: 38 provinces, 514
   districts of 50 actors with one fully scored round each (629,650 pairs), a second round
   for one of them, one extra district of 200 actors with two fully scored rounds, and one
   empty district (two rounds with nobody on them: the page shell, below);
2. measures each page's FLOOR: the same answer computed with a raw cursor and the least
   markup around it (see the ``floor_*`` methods);
3. times every page through Django's test client (median server time, query count) for a
   50-actor and the 200-actor district, the province and the nation, and the API's pair
   list on its first and last pages. The floors and the pages are taken in turn, run after
   run (``benchmarks.timing.in_turn``), so that each ratio compares times of the same
   moments of a shared machine;
4. removes that dataset and loads the "10×" one: the same provinces, with districts of 200
   actors, as many as give ten times the pairs of the 1× set (times ``--tenfold-scale``),
   and times the province dashboard and the national overview on it;
5. prints PASS or FAIL per target, each a ratio to a figure measured in the same run;
6. deletes the synthetic data (``--keep`` keeps it; the next run removes it first).

``--scale 0.1`` builds a tenth of the provinces and districts (same page sizes) for a
quick run during development. See ``benchmarks/synthetic.py`` for the code range.
"""

import json
import time
from collections.abc import Callable

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test.utils import override_settings

from actors.models import Actor, Region
from assessments.models import AssessmentRound, PairAssessment, RoundMember, RoundStatus
from benchmarks import synthetic
from benchmarks.synthetic import BIG_DISTRICT_NUMBER, PROVINCE_CODES, Builder
from benchmarks.timing import (
    Timing,
    in_turn,
    logged_in_client,
    statuses_target,
    target_line,
)
from insights.views.trends import COMPARISON_ROW_LIMIT

DISTRICTS, ACTORS, BIG_ACTORS = 514, 50, 200
EMPTY_DISTRICT_NUMBER = BIG_DISTRICT_NUMBER + 1
NATIONAL_YEAR, EARLIER_YEAR = 2026, 2025
TENFOLD = 10
# Issue 16's bounds.
SHELL_BOUND, SQL_BOUND, LAST_PAGE_BOUND = 2.0, 2.0, 1.2
REGION_BOUND, TENFOLD_BOUND = 3.0, 1.5

PAIRS = PairAssessment._meta.db_table
ACTORS_TABLE, MEMBERS = Actor._meta.db_table, RoundMember._meta.db_table
ROUNDS, REGIONS = AssessmentRound._meta.db_table, Region._meta.db_table


def pair_count(actors: int) -> int:
    return actors * (actors - 1) // 2


def sizes(scale: float) -> tuple[int, int]:
    """The 1× set's provinces and 50-actor districts at ``scale``."""
    provinces = max(1, round(len(PROVINCE_CODES) * scale))
    return provinces, max(provinces, round(DISTRICTS * scale))


class Command(BaseCommand):
    help = "Pages on a synthetic national dataset: server time, queries, ratio to a floor."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="share of the districts")
        parser.add_argument(
            "--tenfold-scale",
            type=float,
            default=1.0,
            help="share of the 10× set's 200-actor districts (1: ten times the 1× pairs)",
        )
        # Fifteen: the 50-actor comparison's work beyond its shell (a difference of two
        # medians of ~10 ms) read 0.53× to 2.41× its floor in six runs of five, and 0.96×
        # and 0.97× in two runs of fifteen. A run of every page takes about a second.
        parser.add_argument("--runs", type=int, default=15, help="runs per page (median)")
        parser.add_argument("--keep", action="store_true", help="keep the synthetic data")

    def handle(self, *args, scale, tenfold_scale, runs, keep, **options):
        if not 0 < scale <= 1 or not 0 < tenfold_scale <= 1:
            raise CommandError("--scale and --tenfold-scale must be above 0 and at most 1.")
        synthetic.prepare(self.stdout)
        self.runs = runs
        self.results: list[bool] = []
        try:
            with override_settings(ALLOWED_HOSTS=["testserver"]):
                onefold = self.run_onefold(scale)
                self.run_tenfold(scale, tenfold_scale, onefold)
            self.stdout.write(f"\n{sum(self.results)} of {len(self.results)} targets met.")
        finally:
            if keep:
                self.stdout.write(
                    "Kept the synthetic data (regions named '[bench] …'); "
                    "the next run of bench removes it."
                )
            else:
                deleted, seconds = synthetic.timed(synthetic.remove_synthetic)
                self.stdout.write(f"Removed the synthetic data in {seconds:.1f} s: {deleted}")

    # The 1× dataset ----------------------------------------------------------------------

    def run_onefold(self, scale) -> dict[str, Timing]:
        provinces_count, districts_count = sizes(scale)
        self.stdout.write(
            f"{connection.vendor}, scale {scale}: {provinces_count} provinces, "
            f"{districts_count} districts of {ACTORS} actors + 1 of {BIG_ACTORS}; "
            f"median of {self.runs} run(s)\n"
        )
        builder = Builder()
        nation = builder.nation()
        self.client = logged_in_client(builder.superuser())
        start = time.perf_counter()
        with transaction.atomic():
            provinces = builder.provinces(PROVINCE_CODES[:provinces_count])
            first = provinces[PROVINCE_CODES[0]]
            (big,) = builder.districts([(first, BIG_DISTRICT_NUMBER)], BIG_ACTORS)
            (empty,) = builder.districts([(first, EMPTY_DISTRICT_NUMBER)], 0)
            districts = builder.districts(spread(provinces, districts_count), ACTORS)
            small = districts[0]
            # Two rounds to compare in a 50-actor and in the 200-actor district, and in the
            # empty one: the comparison's shell is then the whole page with nothing in it.
            builder.rounds([big, small, empty], EARLIER_YEAR)
            builder.rounds([big, empty, *districts], NATIONAL_YEAR)
        synthetic.analyze()
        self.loaded("1×", time.perf_counter() - start)

        # Every floor and page of the 1× set measured in turn (``in_turn``), each ``runs``
        # times. The page shell: the same request for the empty district's round (no actor,
        # no pair): the session, the middleware, the region's and round's look-ups and the
        # template with its base (or DRF's stack for the API), with nothing to compute. It
        # is what a page costs before its data, so "floor + shell" is the least the whole
        # request can cost; a generic page (home, /healthz) would miss the region's part.
        floors, timed = in_turn(
            self.client,
            {
                **{
                    f"{name} {size}": work
                    for size, d in ((ACTORS, small), (BIG_ACTORS, big))
                    for name, work in self.district_floors(d).items()
                },
                "province": self.floor_province(first),
                "national": self.floor_national(),
            },
            {
                **{("shell", name): page for name, page in self.shell_pages(empty).items()},
                **{
                    (size, name): page
                    for size, d in ((ACTORS, small), (BIG_ACTORS, big))
                    for name, page in self.district_pages(d).items()
                },
                **{
                    ("region", name): page
                    for name, page in self.region_pages(first, nation).items()
                },
            },
            runs=self.runs,
        )
        self.stdout.write(f"{'floor':<26}{'median ms':>10}")
        for name, value in floors.items():
            self.stdout.write(f"{name:<26}{value:>10.1f}")
        shells = {name: item for (group, name), item in timed.items() if group == "shell"}
        self.stdout.write(f"\n{'page shell (empty round)':<26}{'median ms':>10}{'queries':>9}")
        for item in shells.values():
            self.stdout.write(f"{item.name:<26}{item.median_ms:>10.1f}{item.queries:>9}")
        pages = {
            size: {name: item for (group, name), item in timed.items() if group == size}
            for size in (ACTORS, BIG_ACTORS)
        }
        regions = {name: item for (group, name), item in timed.items() if group == "region"}
        self.stdout.write(
            f"\n{'page':<22}{'actors':>7}{'status':>7}{'median ms':>11}{'queries':>9}"
            f"{'KiB':>8}{'floor ms':>10}{'shell ms':>10}{'× (floor+shell)':>16}"
        )
        for size, timings in pages.items():
            for name, item in timings.items():
                floor = floors[f"{FLOOR_OF[name]} {size}"]
                shell = shells[name].median_ms if name in shells else 0.0
                self.row(item, size, floor, shell)
        for item, floor in zip(regions.values(), ("province", "national"), strict=True):
            self.row(item, "", floors[floor], 0.0)

        last_pages = {
            size: self.api_last_page(d) for size, d in ((ACTORS, small), (BIG_ACTORS, big))
        }
        self.stdout.write("")
        for size, (first_page, last_page, count) in last_pages.items():
            self.stdout.write(
                f"API pair list, {size} actors: first page {first_page.median_ms:.1f} ms, "
                f"last (page {count}, reached by its next links) {last_page.median_ms:.1f} ms"
            )

        self.stdout.write("\nTargets (1×)")
        for name in ("dashboard", "API page of 100", "API matrix"):
            ratios = {
                size: pages[size][name].median_ms
                / (floors[f"{FLOOR_OF[name]} {size}"] + shells[name].median_ms)
                for size in pages
            }
            self.target(
                max(ratios.values()) <= SHELL_BOUND,
                f"{name} at most {SHELL_BOUND}× (floor + shell): {describe(ratios)}",
            )
        ratios = {
            size: last_page.median_ms / first_page.median_ms
            for size, (first_page, last_page, _count) in last_pages.items()
        }
        self.target(
            max(ratios.values()) <= LAST_PAGE_BOUND,
            f"API list's last page at most {LAST_PAGE_BOUND}× its first: {describe(ratios)}",
        )
        for name in ("round comparison", "sector × sector"):
            self.target(*sql_target(name, pages, floors, shells[name].median_ms))
        for (name, item), floor in zip(regions.items(), ("province", "national"), strict=True):
            self.target(
                item.median_ms <= REGION_BOUND * floors[floor],
                f"{name} at most {REGION_BOUND}× its floor: {item.median_ms:.1f} ms = "
                f"{item.median_ms / floors[floor]:.2f}× {floors[floor]:.1f} ms"
                + ("" if scale == 1 else f" (at scale {scale})"),
            )
        grown = [
            f"{name} {pages[ACTORS][name].queries}→{pages[BIG_ACTORS][name].queries}"
            for name in pages[BIG_ACTORS]
            if pages[BIG_ACTORS][name].queries != pages[ACTORS][name].queries
        ]
        self.target(
            not grown,
            f"query counts equal at {ACTORS} and {BIG_ACTORS} actors"
            + (f": {', '.join(grown)}" if grown else ""),
        )
        every = [
            *shells.values(),
            *(item for timings in pages.values() for item in timings.values()),
            *regions.values(),
            *(page for *both, _count in last_pages.values() for page in both),
        ]
        self.target(*statuses_target(every))
        return regions

    # The 10× dataset ---------------------------------------------------------------------

    def run_tenfold(self, scale, tenfold_scale, onefold: dict[str, Timing]) -> None:
        """The province dashboard and the national overview on districts of 200 actors."""
        provinces_count, onefold_districts = sizes(scale)
        onefold_pairs = onefold_districts * pair_count(ACTORS)
        districts_count = max(
            provinces_count,
            round(onefold_pairs * TENFOLD * tenfold_scale / pair_count(BIG_ACTORS)),
        )
        _deleted, seconds = synthetic.timed(synthetic.remove_synthetic)
        self.stdout.write(f"\nRemoved the 1× set in {seconds:.1f} s.")
        pairs = districts_count * pair_count(BIG_ACTORS)
        shortened = (
            f" (--tenfold-scale {tenfold_scale}: fewer districts, to keep the run short)"
            if tenfold_scale < 1
            else ""
        )
        self.stdout.write(
            f"10× set: {provinces_count} provinces, {districts_count} districts of "
            f"{BIG_ACTORS} actors, {pairs} pairs = {pairs / onefold_pairs:.1f}× the 50-actor "
            f"districts' pairs of the 1× set{shortened}"
        )
        builder = Builder()
        nation = builder.nation()
        self.client = logged_in_client(builder.superuser())
        start = time.perf_counter()
        with transaction.atomic():
            provinces = builder.provinces(PROVINCE_CODES[:provinces_count])
            first = provinces[PROVINCE_CODES[0]]
            districts = builder.districts(spread(provinces, districts_count), BIG_ACTORS)
            # As in the 1× set, two districts of the first province have a round before:
            # the pages compute the change like for like for them.
            compared = [d for d in districts if d.region.parent_id == first.pk][:2]
            builder.rounds(compared, EARLIER_YEAR)
            builder.rounds(districts, NATIONAL_YEAR)
        synthetic.analyze()
        self.loaded("10×", time.perf_counter() - start)
        floors, timed = in_turn(
            self.client,
            {"province": self.floor_province(first), "national": self.floor_national()},
            self.region_pages(first, nation),
            runs=self.runs,
        )
        regions = {item.name: item for item in timed.values()}
        self.stdout.write(
            f"{'page':<22}{'1× ms':>9}{'10× ms':>9}{'10×/1×':>8}{'status':>7}{'floor ms':>10}"
        )
        for (name, item), floor in zip(regions.items(), floors.values(), strict=True):
            self.stdout.write(
                f"{name:<22}{onefold[name].median_ms:>9.1f}{item.median_ms:>9.1f}"
                f"{item.median_ms / onefold[name].median_ms:>8.2f}{item.status:>7}{floor:>10.1f}"
            )
        self.stdout.write("\nTargets (10×)")
        for name, item in regions.items():
            ratio = item.median_ms / onefold[name].median_ms
            self.target(
                ratio <= TENFOLD_BOUND and item.status == 200,
                f"{name} at {pairs / onefold_pairs:.1f}× the pairs at most {TENFOLD_BOUND}× "
                f"its time at 1×: {item.median_ms:.1f} ms = {ratio:.2f}× "
                f"{onefold[name].median_ms:.1f} ms",
            )

    # Output --------------------------------------------------------------------------------

    def loaded(self, name, seconds):
        pairs = PairAssessment.objects.filter(round__region__name__startswith=synthetic.MARK)
        self.stdout.write(
            f"{name} set loaded in {seconds:.1f} s: "
            f"{Region.objects.filter(name__startswith=synthetic.MARK).count()} regions, "
            f"{Actor.objects.filter(home_region__name__startswith=synthetic.MARK).count()} "
            f"actors, {pairs.count()} pair assessments in all synthetic rounds.\n"
        )

    def row(self, item, size, floor_ms, shell_ms):
        self.stdout.write(
            f"{item.name:<22}{size:>7}{item.status:>7}{item.median_ms:>11.1f}{item.queries:>9}"
            f"{item.kib:>8.0f}{floor_ms:>10.1f}{shell_ms:>10.1f}"
            f"{item.median_ms / (floor_ms + shell_ms):>16.2f}"
        )

    def target(self, ok: bool, text: str) -> None:
        self.stdout.write(target_line(ok, text))
        self.results.append(ok)

    # Pages --------------------------------------------------------------------------------

    def district_pages(self, district) -> dict[str, tuple[str, str]]:
        """Each district page, by name: (name, url)."""
        code, round_id = district.region.code, district.rounds[0].pk
        pages = [
            ("who × who matrix", f"/regions/{code}/matrix/"),
            ("sector × sector", f"/regions/{code}/sectors/"),
            ("dashboard", f"/regions/{code}/"),
            ("round comparison", f"/regions/{code}/compare/"),
            ("API page of 100", f"/api/v1/pair-assessments/?round={round_id}&page_size=100"),
            ("API matrix", f"/api/v1/rounds/{round_id}/matrix/"),
        ]
        return {name: (name, url) for name, url in pages}

    def shell_pages(self, empty) -> dict[str, tuple[str, str]]:
        # The comparison's and the sector matrix's shells count only where their SQL floor
        # is below them (``sql_target``).
        shelled = {
            "dashboard",
            "API page of 100",
            "API matrix",
            "round comparison",
            "sector × sector",
        }
        return {name: page for name, page in self.district_pages(empty).items() if name in shelled}

    def region_pages(self, province, nation) -> dict[str, tuple[str, str]]:
        return {
            "province dashboard": ("province dashboard", f"/regions/{province.code}/"),
            "national overview": ("national overview", f"/regions/{nation.code}/"),
        }

    def api_last_page(self, district) -> tuple[Timing, Timing, int]:
        """The API's pair list on its first page and on its last, reached as a client
        reaches it: by following the ``next`` links of the cursor pagination; the two timed
        in turn, at least 5 times each (their ratio is bounded at 1.2)."""
        name, url = self.district_pages(district)["API page of 100"]
        last_url, count = url, 1
        while (following := self.client.get(last_url).json()["next"]) is not None:
            last_url, count = following, count + 1
        _floors, timed = in_turn(
            self.client,
            {},
            {"first": (f"{name}, first", url), "last": (f"{name}, last", last_url)},
            runs=max(self.runs, 5),
        )
        return timed["first"], timed["last"], count

    # Floors: the same answer through a raw cursor, and the least markup around it ----------

    def district_floors(self, district) -> dict[str, Callable[[], str]]:
        """Each district page's floor (the work to time), by ``FLOOR_OF``'s names."""
        current = district.rounds[0].pk
        previous = district.rounds[1].pk if len(district.rounds) > 1 else None
        # The dashboard: the round's levels, its sector pairs (the largest gaps) and the
        # change from the round before.
        return {
            "matrix": lambda: matrix_markup(current),
            "matrix JSON": lambda: matrix_json(current),
            "API page": lambda: api_page_json(current),
            "sector SQL": lambda: sector_markup(current),
            "comparison SQL": lambda: comparison_markup(current, previous) if previous else "",
            "dashboard": lambda: (
                levels_markup(current)
                + sector_markup(current)
                + (transitions_markup(current, previous) if previous else "")
            ),
        }

    def _floor_aggregate(self, group: str, where: str, params) -> Callable[[], str]:
        """Count and mean level of the national year's pairs per region ``group``."""

        def work():
            rows = fetch(
                f"SELECT {group}, count(*), avg(p.level) FROM {PAIRS} p "
                f"JOIN {ROUNDS} r ON r.id = p.round_id JOIN {REGIONS} g ON g.id = r.region_id "
                f"WHERE r.period_start = %s {where} GROUP BY {group}",
                [f"{NATIONAL_YEAR}-01-01", *params],
            )
            return "".join(f"<tr><td>{c}</td><td>{n}</td><td>{m}</td></tr>" for c, n, m in rows)

        return work

    def floor_province(self, province) -> Callable[[], str]:
        return self._floor_aggregate("g.code", "AND g.code LIKE %s", [province.code + ".%"])

    def floor_national(self) -> Callable[[], str]:
        return self._floor_aggregate("substr(g.code, 1, 2)", "", [])


# Which floor each district page is measured against.
FLOOR_OF = {
    "who × who matrix": "matrix",
    "sector × sector": "sector SQL",
    "dashboard": "dashboard",
    "round comparison": "comparison SQL",
    "API page of 100": "API page",
    "API matrix": "matrix JSON",
}


def spread(provinces: dict[str, Region], count: int) -> list[tuple[Region, int]]:
    """``count`` districts spread over the provinces in turn: (province, number)."""
    ordered = list(provinces.values())
    return [(ordered[index % len(ordered)], index // len(ordered) + 1) for index in range(count)]


def sql_target(name, pages, floors, shell_ms) -> tuple[bool, str]:
    """The comparison's and the sector matrix's line: at most ``SQL_BOUND``× their SQL
    floor. Where the floor is below the page's shell (the same page with nothing in it: the
    session, the user, the region, its rounds, the base template), no page can be within
    2× of it, however little it computes: at 50 actors the sector floor is about 1 ms and
    ``/healthz``, with no session and no template, about 1 ms. There the page's work
    beyond its shell is held to the bound: the part of the request that the SQL stands
    for. Each size says which it was."""
    parts, met = [], True
    for size, timings in pages.items():
        page, floor = timings[name].median_ms, floors[f"{FLOOR_OF[name]} {size}"]
        if floor >= shell_ms:
            ratio = page / floor
            parts.append(f"{ratio:.2f}× at {size} actors")
        else:
            ratio = max(page - shell_ms, 0.0) / floor
            parts.append(
                f"{ratio:.2f}× at {size} actors beyond its shell "
                f"({page:.1f} − {shell_ms:.1f} ms, against {floor:.1f} ms; the whole page "
                f"{page / floor:.1f}×)"
            )
        met = met and ratio <= SQL_BOUND
    return met, f"{name} at most {SQL_BOUND}× its SQL floor: {', '.join(parts)}"


def describe(ratios: dict[int, float]) -> str:
    return ", ".join(f"{ratio:.2f}× at {size} actors" for size, ratio in ratios.items())


def fetch(sql: str, params) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# The floors' SQL, each answer with the least markup around it. -------------------------


def _roster(round_id: int) -> list[tuple]:
    return fetch(
        f"SELECT a.id, a.name, a.sector_id FROM {MEMBERS} m "
        f"JOIN {ACTORS_TABLE} a ON a.id = m.actor_id WHERE m.round_id = %s ORDER BY a.id",
        [round_id],
    )


def _levels(round_id: int) -> dict[tuple[int, int], int]:
    levels = {}
    for a, b, level in fetch(
        f"SELECT actor_a_id, actor_b_id, level FROM {PAIRS} WHERE round_id = %s", [round_id]
    ):
        levels[a, b] = levels[b, a] = level
    return levels


def matrix_markup(round_id: int) -> str:
    """The roster and its pairs as an N × N table."""
    members, levels = _roster(round_id), _levels(round_id)
    rows = [
        f"<tr><th>{name}</th><td>{sector}</td>"
        + "".join(f"<td>{levels.get((pk, other), '·')}</td>" for other, _n, _s in members)
        + "</tr>"
        for pk, name, sector in members
    ]
    return "<table>" + "".join(rows) + "</table>"


def matrix_json(round_id: int) -> str:
    """The roster and its pairs as JSON."""
    members = _roster(round_id)
    pairs = fetch(
        f"SELECT actor_a_id, actor_b_id, level FROM {PAIRS} WHERE round_id = %s", [round_id]
    )
    return json.dumps(
        {
            "actors": [{"id": pk, "name": name, "sector": sector} for pk, name, sector in members],
            "pairs": [{"a": a, "b": b, "level": level} for a, b, level in pairs],
        }
    )


def api_page_json(round_id: int) -> str:
    """The round's first 100 pairs by id, as JSON."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, actor_a_id, actor_b_id, level, mechanisms FROM {PAIRS} "
            "WHERE round_id = %s ORDER BY id LIMIT 100",
            [round_id],
        )
        columns = [column[0] for column in cursor.description]
        return json.dumps([dict(zip(columns, row, strict=True)) for row in cursor])


def sector_rows(round_id: int) -> list[tuple]:
    """(lower sector id, higher sector id, pairs scored, mean level) per pair of sectors,
    each actor in its sector as the round reads it (the member's frozen copy, else the
    actor). The sectors are read for the round's roster first: joined to the pairs
    directly, the planner hashes the whole national actor table (25,900 rows) for a round
    of 50, and the floor would grow with the nation instead of the round."""
    return fetch(
        "WITH roster AS MATERIALIZED ("
        "SELECT m.actor_id, CASE WHEN m.frozen_at IS NULL THEN a.sector_id ELSE m.sector_id END "
        f"AS sector FROM {MEMBERS} m JOIN {ACTORS_TABLE} a ON a.id = m.actor_id "
        "WHERE m.round_id = %s) "
        "SELECT CASE WHEN ra.sector <= rb.sector THEN ra.sector ELSE rb.sector END, "
        "CASE WHEN ra.sector <= rb.sector THEN rb.sector ELSE ra.sector END, "
        f"count(*), avg(p.level) FROM {PAIRS} p "
        "JOIN roster ra ON ra.actor_id = p.actor_a_id JOIN roster rb ON rb.actor_id = p.actor_b_id "
        "WHERE p.round_id = %s GROUP BY 1, 2 ORDER BY 1, 2",
        [round_id, round_id],
    )


def sector_markup(round_id: int) -> str:
    return "".join(f"<td>{s}×{t}: {n}, {m:.2f}</td>" for s, t, n, m in sector_rows(round_id))


def levels_markup(round_id: int) -> str:
    rows = fetch(
        f"SELECT level, count(*) FROM {PAIRS} WHERE round_id = %s GROUP BY level", [round_id]
    )
    return "".join(f"<td>{level}: {n}</td>" for level, n in rows)


def _both_rounds(current: int, previous: int) -> str:
    """The two rounds' pairs side by side (a FULL JOIN on the pair), with their levels."""
    return (
        f"SELECT coalesce(c.actor_a_id, p.actor_a_id) AS a, "
        f"coalesce(c.actor_b_id, p.actor_b_id) AS b, p.level AS earlier, c.level AS later "
        f"FROM (SELECT actor_a_id, actor_b_id, level FROM {PAIRS} WHERE round_id = {current:d}) c "
        f"FULL JOIN (SELECT actor_a_id, actor_b_id, level FROM {PAIRS} "
        f"WHERE round_id = {previous:d}) p "
        "ON p.actor_a_id = c.actor_a_id AND p.actor_b_id = c.actor_b_id"
    )


def transitions_markup(current: int, previous: int) -> str:
    """The pairs scored in both rounds, counted by their two levels."""
    rows = fetch(
        f"SELECT earlier, later, count(*) FROM ({_both_rounds(current, previous)}) j "
        "WHERE earlier IS NOT NULL AND later IS NOT NULL GROUP BY 1, 2",
        [],
    )
    return "".join(f"<td>{b}→{n}: {count}</td>" for b, n, count in rows)


def comparison_rows(current: int, previous: int) -> list[tuple]:
    """The two rounds' pairs by kind of change (``ChangeKind``'s values): (kind, pairs of
    that kind, first actor's name, second's, earlier level, later level) for the kind's
    first ``COMPARISON_ROW_LIMIT`` pairs, the largest changes first. The names are read
    apart, by id: joined to the ranking, the planner hashes the whole national actor table
    (it cannot tell that the ranking keeps a few rows), and the floor would grow with the
    nation instead of the round."""
    (is_open,) = fetch(
        f"SELECT status = %s FROM {ROUNDS} WHERE id = %s", [RoundStatus.OPEN, current]
    )[0]
    rows = fetch(
        "WITH j AS ("
        "SELECT *, CASE WHEN earlier IS NULL THEN 'new' "
        "WHEN later IS NULL THEN %s WHEN later > earlier THEN 'improved' "
        "WHEN later < earlier THEN 'declined' ELSE 'unchanged' END AS kind "
        f"FROM ({_both_rounds(current, previous)}) pairs), "
        "ranked AS (SELECT j.*, count(*) OVER (PARTITION BY kind) AS total, "
        "row_number() OVER (PARTITION BY kind "
        "ORDER BY coalesce(abs(later - earlier), later, earlier) DESC, a, b) AS rank FROM j) "
        "SELECT kind, total, a, b, earlier, later FROM ranked WHERE rank <= %s "
        "ORDER BY kind, rank",
        ["not_yet" if is_open else "dropped", COMPARISON_ROW_LIMIT],
    )
    named = list({actor for row in rows for actor in row[2:4]})
    marks = ", ".join(["%s"] * len(named)) or "NULL"
    names = dict(fetch(f"SELECT id, name FROM {ACTORS_TABLE} WHERE id IN ({marks})", named))
    return [
        (kind, total, names[a], names[b], earlier, later)
        for kind, total, a, b, earlier, later in rows
    ]


def comparison_markup(current: int, previous: int) -> str:
    return "".join(
        f"<tr><td>{kind} ({total})</td><td>{x}</td><td>{y}</td><td>{b}</td><td>{n}</td></tr>"
        for kind, total, x, y, b, n in comparison_rows(current, previous)
    )
