"""Time the pages on a synthetic national dataset, against a floor, and check the targets.

    python manage.py bench [--scale 1.0] [--runs 3] [--report-runs 1] [--keep]

On the configured database (PostgreSQL is what the targets are for):

1. builds one extra district of 200 actors with two fully scored rounds, alone, and times
   its pages (the "district alone" figures);
2. loads the national dataset — 38 provinces, 514 districts of 50 actors, one fully scored
   round each (629,650 pairs), a second round for one district — in bulk, and times it;
3. times every page through Django's test client (median server time, query count) for a
   50-actor and the 200-actor district, the province and the nation, with each page's
   ratio to its FLOOR: the same rows fetched with a raw cursor plus a minimal string build;
4. prints the district-alone/national ratios and PASS or FAIL per target;
5. deletes the synthetic data (``--keep`` keeps it; the next run removes it first).

``--scale 0.1`` builds a tenth of the provinces and districts (same page sizes) for a
quick run during development. See ``benchmarks/synthetic.py`` for the code range.
"""

import json
import statistics
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test.utils import override_settings

from actors.models import Actor, Region, Sector
from assessments.models import AssessmentRound, PairAssessment
from benchmarks import synthetic
from benchmarks.synthetic import BIG_DISTRICT_NUMBER, PROVINCE_CODES, Builder
from benchmarks.timing import Timing, logged_in_client, time_page

DISTRICTS, ACTORS, BIG_ACTORS = 514, 50, 200
NATIONAL_YEAR, EARLIER_YEAR = 2026, 2025


class Command(BaseCommand):
    help = "Pages on a synthetic national dataset: server time, queries, ratio to a floor."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="share of the districts")
        parser.add_argument("--runs", type=int, default=3, help="runs per page (median)")
        parser.add_argument("--report-runs", type=int, default=1, help="runs per PDF/XLSX")
        parser.add_argument("--keep", action="store_true", help="keep the synthetic data")

    def handle(self, *args, scale, runs, report_runs, keep, **options):
        if not 0 < scale <= 1:
            raise CommandError("--scale must be above 0 and at most 1.")
        synthetic.prepare(self.stdout)
        self.runs, self.report_runs = runs, report_runs
        try:
            with override_settings(ALLOWED_HOSTS=["testserver"]):
                self.run(scale)
        finally:
            if keep:
                self.stdout.write(
                    "Kept the synthetic data (regions named '[bench] …'); "
                    "the next run of bench removes it."
                )
            else:
                deleted, seconds = synthetic.timed(synthetic.remove_synthetic)
                self.stdout.write(f"Removed the synthetic data in {seconds:.1f} s: {deleted}")

    # The run --------------------------------------------------------------------------

    def run(self, scale):
        provinces_count = max(1, round(len(PROVINCE_CODES) * scale))
        districts_count = max(provinces_count, round(DISTRICTS * scale))
        builder = Builder()
        nation = builder.nation()
        self.client = logged_in_client(builder.superuser())
        self.stdout.write(
            f"{connection.vendor}, {provinces_count} provinces, "
            f"{districts_count} districts of {ACTORS} actors + 1 of {BIG_ACTORS}; "
            f"median of {self.runs} run(s), reports {self.report_runs}\n"
        )

        # 1. The 200-actor district alone (with its province, and nothing else synthetic).
        with transaction.atomic():
            provinces = builder.provinces(PROVINCE_CODES[:provinces_count])
            first = provinces[PROVINCE_CODES[0]]
            (big,) = builder.districts([(first, BIG_DISTRICT_NUMBER)], BIG_ACTORS)
            builder.rounds([big], EARLIER_YEAR)
            builder.rounds([big], NATIONAL_YEAR)
        synthetic.analyze()
        alone = self.time_pages(self.district_pages(big, reports=False))
        floor_alone = self.floor_district(big)

        # 2. The national dataset, timed.
        start = time.perf_counter()
        with transaction.atomic():
            specs = [
                (provinces[PROVINCE_CODES[index % provinces_count]], index // provinces_count + 1)
                for index in range(districts_count)
            ]
            districts = builder.districts(specs, ACTORS)
            builder.rounds(districts, NATIONAL_YEAR)
            builder.rounds(districts[:1], EARLIER_YEAR)  # a 50-actor round comparison
        synthetic.analyze()
        load_seconds = time.perf_counter() - start
        pairs = PairAssessment.objects.filter(round__region__name__startswith=synthetic.MARK)
        self.stdout.write(
            f"National dataset loaded in {load_seconds:.1f} s: "
            f"{Region.objects.filter(name__startswith=synthetic.MARK).count()} regions, "
            f"{Actor.objects.filter(home_region__name__startswith=synthetic.MARK).count()} "
            f"actors, {pairs.count()} pair assessments in all synthetic rounds.\n"
        )

        # 3. Every page on the national dataset, with its floor.
        small = districts[0]
        floors = {
            "district 50": self.floor_district(small),
            "district 200": self.floor_district(big),
            "API page": self.floor_api_page(big),
            "province": self.floor_province(first),
            "national": self.floor_national(),
        }
        floors["district 200 alone"] = floor_alone
        self.stdout.write(f"{'floor':<22}{'median ms':>10}")
        for name, value in floors.items():
            self.stdout.write(f"{name:<22}{value:>10.1f}")
        self.stdout.write("")

        pages_small = self.time_pages(self.district_pages(small))
        pages_big = self.time_pages(self.district_pages(big))
        region_pages = self.time_pages(
            [
                ("province dashboard", f"/regions/{first.code}/"),
                ("national overview", f"/regions/{nation.code}/"),
            ]
        )
        self.stdout.write(
            f"{'page':<22}{'actors':>7}{'status':>7}{'median ms':>11}{'queries':>9}"
            f"{'KiB':>8}{'floor':>14}{'× floor':>9}"
        )
        for size, timings in ((ACTORS, pages_small), (BIG_ACTORS, pages_big)):
            for item in timings:
                floor = "API page" if item.name == "API page of 100" else f"district {size}"
                self.row(item, size, floor, floors[floor])
        for item, floor in zip(region_pages, ("province", "national"), strict=True):
            self.row(item, "", floor, floors[floor])

        self.stdout.write(
            f"\n{'district 200 page':<22}{'alone ms':>10}{'national ms':>13}{'ratio':>8}"
        )
        national_by_name = {item.name: item for item in pages_big}
        ratios = {}
        for item in alone:
            other = national_by_name[item.name]
            ratios[item.name] = other.median_ms / item.median_ms
            self.stdout.write(
                f"{item.name:<22}{item.median_ms:>10.1f}{other.median_ms:>13.1f}"
                f"{ratios[item.name]:>8.2f}"
            )

        self.targets(
            scale=scale,
            big=national_by_name,
            small={item.name: item for item in pages_small},
            national=region_pages[1],
            floor=floors["district 200"],
            ratios=ratios,
            load_seconds=load_seconds,
            every=[*pages_small, *pages_big, *region_pages],
        )
        self.client.logout()

    def row(self, item, size, floor_name, floor_ms):
        self.stdout.write(
            f"{item.name:<22}{size:>7}{item.status:>7}{item.median_ms:>11.1f}{item.queries:>9}"
            f"{item.kib:>8.0f}{floor_name:>14}{item.median_ms / floor_ms:>9.1f}"
        )

    def targets(self, *, scale, big, small, national, floor, ratios, load_seconds, every):
        def line(ok, text):
            self.stdout.write(f"{'PASS' if ok else 'FAIL'}  {text}")
            return ok

        self.stdout.write("\nTargets")
        matrix = big["who × who matrix"]
        results = [
            line(
                matrix.median_ms <= 5 * floor,
                f"200-actor matrix within 5× its floor: {matrix.median_ms:.0f} ms = "
                f"{matrix.median_ms / floor:.1f}× {floor:.0f} ms",
            )
        ]
        grown = [
            f"{name} {small[name].queries}→{big[name].queries}"
            for name in big
            if big[name].queries != small[name].queries
        ]
        results.append(
            line(
                not grown,
                "query counts equal at 50 and 200 actors"
                + (f": {', '.join(grown)}" if grown else ""),
            )
        )
        results.append(
            line(
                national.median_ms < 1000,
                f"national overview under 1 s: {national.median_ms:.0f} ms",
            )
        )
        worst = max(ratios, key=ratios.get)
        results.append(
            line(
                ratios[worst] <= 1.5,
                f"district pages national / alone within 1.5×: worst {worst} {ratios[worst]:.2f}",
            )
        )
        xlsx, pdf = big["XLSX report"], big["PDF report"]
        results.append(
            line(
                xlsx.median_ms < 3000,
                f"XLSX of 200 actors under 3 s: {xlsx.median_ms / 1000:.2f} s",
            )
        )
        results.append(
            line(
                pdf.median_ms < 10_000,
                f"PDF of 200 actors under 10 s: {pdf.median_ms / 1000:.2f} s",
            )
        )
        results.append(
            line(
                load_seconds < 120,
                f"national dataset loaded under 2 min: {load_seconds:.1f} s"
                + ("" if scale == 1 else f" (at scale {scale})"),
            )
        )
        failed = [item.name for item in every if item.status != 200]
        results.append(
            line(not failed, "every page answered 200" + (f": not {failed}" if failed else ""))
        )
        self.stdout.write(f"\n{sum(results)} of {len(results)} targets met.")

    # Pages --------------------------------------------------------------------------

    def district_pages(self, district, reports=True):
        code, round_id = district.region.code, district.rounds[0].pk
        pages = [
            ("who × who matrix", f"/regions/{code}/matrix/"),
            ("sector × sector", f"/regions/{code}/sectors/"),
            ("dashboard", f"/regions/{code}/"),
            ("round comparison", f"/regions/{code}/compare/"),
            ("API page of 100", f"/api/v1/pair-assessments/?round={round_id}&page_size=100"),
            ("API matrix", f"/api/v1/rounds/{round_id}/matrix/"),
        ]
        if reports:
            pages += [
                ("XLSX report", f"/regions/{code}/report.xlsx"),
                ("PDF report", f"/regions/{code}/report.pdf"),
            ]
        return pages

    def time_pages(self, pages) -> list[Timing]:
        return [
            time_page(
                self.client,
                name,
                url,
                runs=self.report_runs if "report." in url else self.runs,
                warm="report." not in url,
            )
            for name, url in pages
        ]

    # Floors: the same rows through a raw cursor, and the least markup around them ------

    def floor(self, work) -> float:
        work()
        times = []
        for _ in range(max(self.runs, 3)):
            start = time.perf_counter()
            work()
            times.append((time.perf_counter() - start) * 1000)
        return statistics.median(times)

    def floor_district(self, district) -> float:
        actors, sectors = Actor._meta.db_table, Sector._meta.db_table
        pairs = PairAssessment._meta.db_table
        region, round_id = district.region, district.rounds[0].pk

        def work():
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT a.id, a.name, s.name_id FROM {actors} a "
                    f"JOIN {sectors} s ON s.id = a.sector_id "
                    f"WHERE a.is_active AND a.home_region_id = %s ORDER BY a.id",
                    [region.pk],
                )
                members = cursor.fetchall()
                cursor.execute(
                    f"SELECT actor_a_id, actor_b_id, level FROM {pairs} WHERE round_id = %s",
                    [round_id],
                )
                levels = {}
                for a, b, level in cursor.fetchall():
                    levels[a, b] = levels[b, a] = str(level)
            rows = [
                f"<tr><th>{name}</th><td>{sector}</td>"
                + "".join(f"<td>{levels.get((pk, other), '·')}</td>" for other, _n, _s in members)
                + "</tr>"
                for pk, name, sector in members
            ]
            return "<table>" + "".join(rows) + "</table>"

        return self.floor(work)

    def floor_api_page(self, district) -> float:
        pairs = PairAssessment._meta.db_table

        def work():
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT id, actor_a_id, actor_b_id, level, mechanisms FROM {pairs} "
                    f"WHERE round_id = %s ORDER BY actor_a_id, actor_b_id LIMIT 100",
                    [district.rounds[0].pk],
                )
                columns = [column[0] for column in cursor.description]
                return json.dumps([dict(zip(columns, row, strict=True)) for row in cursor])

        return self.floor(work)

    def _floor_aggregate(self, where: str, params) -> float:
        pairs, rounds = PairAssessment._meta.db_table, AssessmentRound._meta.db_table
        regions = Region._meta.db_table

        def work():
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT substr(g.code, 1, 2), count(*), avg(p.level) FROM {pairs} p "
                    f"JOIN {rounds} r ON r.id = p.round_id JOIN {regions} g ON g.id = r.region_id "
                    f"WHERE r.period_start = %s {where} GROUP BY substr(g.code, 1, 2)",
                    [f"{NATIONAL_YEAR}-01-01", *params],
                )
                return "".join(
                    f"<tr><td>{code}</td><td>{count}</td><td>{mean}</td></tr>"
                    for code, count, mean in cursor.fetchall()
                )

        return self.floor(work)

    def floor_province(self, province) -> float:
        return self._floor_aggregate("AND g.code LIKE %s", [province.code + ".%"])

    def floor_national(self) -> float:
        return self._floor_aggregate("", [])
