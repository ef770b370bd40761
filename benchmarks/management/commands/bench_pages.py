"""Time the region pages on a synthetic district of N actors (default 100).

    python manage.py bench_pages [--actors 100] [--runs 5]

Builds the district (``benchmarks.synthetic``), a programme and two rounds with their
rosters and every pair scored — 2025 closed, 2026 open — inside a transaction, renders each
page through Django's test client (the whole request: middleware, views, templates), prints
the median server time, the query count and the size, then rolls everything back.

The matrix of each round (open, closed) is timed three ways: its first view (the cache
emptied: the levels read and the markup built), a repeat view (the official view from the
cache), and the raw build of the same markup (``render_matrix`` on the matrix already read:
no request, no query), the floor a page that builds it on every view cannot go under.
Then PASS or FAIL per target of issue 16 it covers: the matrix's repeat view against that
raw build (open and closed round), the network's second view against the dashboard.
"""

import statistics
import time

from django.core.cache import cache
from django.db import connection
from django.urls import reverse

from assessments.matrix_html import render_matrix, sector_abbreviations
from assessments.models import AssessmentRound
from assessments.selectors import matrix_for_round
from benchmarks import synthetic
from benchmarks.commands import DistrictBenchmark
from benchmarks.timing import logged_in_client, print_targets, statuses_target, time_page

# Issue 16's bounds.
NETWORK_BOUND, MATRIX_OPEN_BOUND, MATRIX_CLOSED_BOUND = 1.5, 1.5, 1.3


class Command(DistrictBenchmark):
    help = "Median server time and query count of each region page for an N-actor district."
    default_runs = 5

    def run(self, count, runs):
        builder = synthetic.Builder(seed=count)
        district = builder.district(count)
        builder.programmes([district], start=2025, end=2026)
        builder.two_rounds([district])
        client = logged_in_client(builder.superuser())
        code, programme = district.region.code, district.programme
        pages = [
            ("who × who matrix", f"/regions/{code}/matrix/"),
            ("dashboard", f"/regions/{code}/"),
            ("sector × sector", f"/regions/{code}/sectors/"),
            ("by government level", f"/regions/{code}/levels/?programme={programme.pk}"),
            ("who × how", f"/programmes/{programme.pk}/who-how/"),
            ("network", f"/regions/{code}/network/"),
            ("network SVG", f"/regions/{code}/network.svg"),
            # The explorer's data, which the network page's script fetches.
            ("network data (JSON)", f"/regions/{code}/network.json"),
            ("round comparison", f"/regions/{code}/compare/"),
            ("programme overlaps", f"/regions/{code}/overlaps/"),
        ]
        self.stdout.write(
            f"{count} actors, {count * (count - 1) // 2} pairs per round, "
            f"{connection.vendor}, median of {runs} runs\n"
        )
        self.stdout.write(
            f"{'page':<28}{'status':>7}{'median ms':>11}{'queries':>9}{'KiB':>8}{'gzip KiB':>10}"
        )
        # The network's first view computes its path measures: templates warmed on the
        # SVG (the same measures), then the cache emptied and the page timed cold.
        time_page(client, "network SVG", f"/regions/{code}/network.svg", runs=1)
        client.get(f"/regions/{code}/network/")
        cache.clear()
        first_network = time_page(
            client, "network", f"/regions/{code}/network/", runs=1, warm=False
        )
        timed = {}
        for name, url in pages:
            item = timed[name] = time_page(client, name, url, runs=runs)
            self.stdout.write(
                f"{name:<28}{item.status:>7}{item.median_ms:>11.1f}"
                f"{item.queries:>9}{item.kib:>8.0f}{item.gzip_kib:>10.0f}"
            )
        network_ratio = timed["network"].median_ms / timed["dashboard"].median_ms
        self.stdout.write(
            f"network: first view {first_network.median_ms:.1f} ms, then "
            f"{timed['network'].median_ms:.1f} ms = {network_ratio:.2f}x the dashboard "
            f"(target: at most {NETWORK_BOUND}x)"
        )
        targets = [
            (
                network_ratio <= NETWORK_BOUND,
                f"network's second view at most {NETWORK_BOUND}x the dashboard: "
                f"{network_ratio:.2f}x",
            )
        ]
        for round_ in AssessmentRound.objects.filter(region=district.region).order_by("-pk"):
            url = f"/regions/{code}/matrix/?round={round_.pk}"
            cache.clear()
            first = time_page(client, "matrix", url, runs=1, warm=False)
            again = time_page(client, "matrix", url, runs=runs)
            raw = raw_build_ms(round_, runs=runs)
            bound = MATRIX_OPEN_BOUND if round_.is_open else MATRIX_CLOSED_BOUND
            ratio = again.median_ms / raw
            self.stdout.write(
                f"matrix ({round_.get_status_display()} round): first view "
                f"{first.median_ms:.1f} ms ({first.queries} queries), then "
                f"{again.median_ms:.1f} ms ({again.queries} queries); raw build of its markup "
                f"{raw:.1f} ms: {ratio:.2f}x (target: at most {bound}x)"
            )
            targets.append(
                (
                    ratio <= bound,
                    f"{count}-actor matrix ({'open' if round_.is_open else 'closed'} round) "
                    f"at most {bound}x the raw build of its markup: {ratio:.2f}x",
                )
            )
        print_targets(self.stdout, targets + [statuses_target(timed.values())])


def raw_build_ms(round_: AssessmentRound, *, runs: int) -> float:
    """The median time of building the matrix's markup from the matrix already read, with
    the cells linked as for the benchmark's user (a scorer of an open round)."""
    matrix = matrix_for_round(round=round_)
    pair_url = None
    if round_.is_open:
        template = reverse("assessments:pair", args=[round_.pk, 0, 0]).replace("/0-0/", "/{}-{}/")
        pair_url = template.format
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        abbreviations = sector_abbreviations(sector for sector, _m in matrix.sector_groups)
        render_matrix(matrix, pair_url=pair_url, abbreviations=abbreviations)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)
