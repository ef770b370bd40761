"""Time the PDF and XLSX (and CSV) reports of the largest demo district and of a synthetic
fully scored district of N actors (default 100), each against a floor, and a closed
round's second download (read from storage).

    python manage.py bench_reports [--actors 100] [--runs 1]

Everything happens inside a transaction that is rolled back: the demo is loaded (it is
idempotent, and its new passwords are thrown away with the rest), the synthetic district
with two fully scored rounds (2025 closed, 2026 open) is built (``benchmarks.synthetic``),
each report is downloaded through Django's test client (the whole request; for a big
round's PDF or XLSX, built in the background, the request, the build run by the immediate
task backend, the build's page and the download: ``time_report``), and the median time,
query count and size are printed, then PASS or FAIL for issue 16's targets. Stored
reports go to a temporary MEDIA_ROOT, removed at the end.

The network measures of each round (betweenness: seconds at 200 actors) are computed
first and printed apart; they are cached for the round's state, shared by the network page
and the reports, so each report below is timed without them. Each report's CPU time is
printed beside its wall time.

Floors: for a file built from the round, the round's pairs with both actors' names read
with a raw cursor and written as CSV with the standard library (the least any file of the
pairs costs); for a stored file, reading its bytes back from storage.
"""

import csv
import io
import statistics
import tempfile
import time

from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import resolve, reverse

from actors.models import Actor
from assessments.models import AssessmentRound, PairAssessment, RoundMember
from assessments.selectors import matrix_for_round
from benchmarks import synthetic
from benchmarks.commands import DistrictBenchmark
from benchmarks.timing import Timing, logged_in_client, print_targets, time_page
from demo.actors import DEMO_DISTRICTS
from insights.selectors.network import network_from_matrix
from reports import stored
from reports.models import ReportBuild

IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Issue 16's bounds.
XLSX_TARGET_S, PDF_TARGET_S, STORED_TARGET_S = 3.0, 5.0, 0.2


class Command(DistrictBenchmark):
    help = "Time the PDF, XLSX and CSV reports of the largest demo district and of N actors."

    def run(self, count, runs):
        with (
            tempfile.TemporaryDirectory() as media,
            override_settings(MEDIA_ROOT=media, TASKS=IMMEDIATE_TASKS),
        ):
            self._run(count, runs)

    def _run(self, count, runs):
        call_command("seed_demo", stdout=io.StringIO())
        builder = synthetic.Builder(seed=count)
        district = builder.district(count)
        builder.two_rounds([district])
        latest = [
            AssessmentRound.objects.filter(region__code=code).latest_first().first()
            for code in DEMO_DISTRICTS
        ]
        demo = max(latest, key=lambda round_: round_.members.count())
        client = logged_in_client(builder.superuser())
        # The network's path measures (betweenness, brokerage) are computed once for each
        # state of a round and cached, shared by the network page and the reports: measured
        # here on their own, so that the first report timed below does not carry them.
        for round_ in (demo, *district.rounds):
            cpu, start = time.process_time(), time.perf_counter()
            network_from_matrix(matrix=matrix_for_round(round=round_))
            self.stdout.write(
                f"network measures of {round_.name}: {time.perf_counter() - start:.2f} s "
                f"({time.process_time() - cpu:.2f} s CPU), then cached"
            )
        self.stdout.write(f"{connection.vendor}, median of {runs} run(s), whole request\n")
        self.stdout.write(
            f"{'district':<34}{'actors':>7}{'pairs':>7}{'format':>7}{'seconds':>9}{'cpu s':>7}"
            f"{'queries':>9}{'KiB':>8}{'pages':>7}{'floor s':>9}{'× floor':>9}"
        )
        results = {}
        for round_ in (demo, district.rounds[0]):
            region = round_.region
            actors = RoundMember.objects.filter(round=round_).count()
            pairs = PairAssessment.objects.filter(round=round_).count()
            floor = _floor(lambda round_=round_: _pairs_as_csv(round_), runs)
            name = f"{region.code} {region.name}"[:33]
            for fmt in ("pdf", "xlsx", "csv"):
                url = f"/regions/{region.code}/report.{fmt}?round={round_.pk}"
                # The process's CPU time, a request on average: on a shared machine the
                # wall time also counts the wait for a core.
                cpu = time.process_time()
                item = time_report(client, fmt, url, runs=runs)
                cpu = (time.process_time() - cpu) / runs
                if item.status != 200:
                    raise CommandError(f"{url} answered {item.status}.")
                results[(round_.pk, fmt)] = item
                pages = _page_count(item.content) if fmt == "pdf" else ""
                self.stdout.write(
                    f"{name:<34}{actors:>7}{pairs:>7}{fmt:>7}{item.median_ms / 1000:>9.2f}"
                    f"{cpu:>7.2f}{item.queries:>9}{item.kib:>8.0f}{pages:>7}{floor / 1000:>9.3f}"
                    f"{item.median_ms / floor:>9.1f}"
                )

        # The closed 2025 round: the first download builds and stores, the next reads.
        closed = district.rounds[1]
        region = closed.region
        self.stdout.write(f"\nClosed round {closed.name} ({count} actors), second download")
        self.stdout.write(
            f"{'format':<8}{'first s':>9}{'second s':>10}{'queries':>9}{'KiB':>8}"
            f"{'floor s':>9}{'× floor':>9}"
        )
        for fmt in ("pdf", "xlsx", "csv"):
            url = f"/regions/{region.code}/report.{fmt}?round={closed.pk}"
            first = time_report(client, fmt, url, runs=1)
            second = time_page(client, fmt, url, runs=max(runs, 3), warm=False)
            if first.status != 200 or second.content != first.content:
                raise CommandError(f"{url}: the stored file is not the one first sent.")
            floor = _floor(lambda fmt=fmt: _read_stored(closed, fmt), max(runs, 3))
            results[("stored", fmt)] = second
            self.stdout.write(
                f"{fmt:<8}{first.median_ms / 1000:>9.2f}{second.median_ms / 1000:>10.3f}"
                f"{second.queries:>9}{second.kib:>8.0f}{floor / 1000:>9.4f}"
                f"{second.median_ms / floor:>9.1f}"
            )

        built = {
            fmt: results[(district.rounds[0].pk, fmt)].median_ms / 1000 for fmt in ("xlsx", "pdf")
        }
        slowest = max(results[("stored", fmt)].median_ms for fmt in ("pdf", "xlsx", "csv")) / 1000
        print_targets(
            self.stdout,
            [
                *(
                    (
                        built[fmt] <= bound,
                        f"{fmt.upper()} of {count} actors within {bound:.0f} s end to end: "
                        f"{built[fmt]:.2f} s",
                    )
                    for fmt, bound in (("xlsx", XLSX_TARGET_S), ("pdf", PDF_TARGET_S))
                ),
                (
                    slowest < STORED_TARGET_S,
                    f"a closed round's second download under {STORED_TARGET_S} s: "
                    f"slowest {slowest:.3f} s",
                ),
            ],
        )


def time_report(client, fmt: str, url: str, *, runs: int) -> Timing:
    """A report as its user gets it, end to end: built in the request or, for a big
    round's PDF or XLSX (``REPORT_BACKGROUND_MIN_ACTORS``), queued, built by the task
    backend in this process (immediate, as with TASKS_BACKEND=immediate: no worker's
    polling is counted), its build's page, then the file downloaded from there. Each run
    builds anew: the builds of the benchmark's user are deleted first."""
    times, queries = [], 0
    for _ in range(runs):
        ReportBuild.objects.filter(requested_by__username=synthetic.USERNAME).delete()
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            # The build is queued when the request's transaction commits: here, at the end
            # of this block (the benchmark runs in a transaction that is rolled back).
            with TestCase.captureOnCommitCallbacks(execute=True):
                response = client.get(url)
            if response.status_code == 302:
                client.get(response.url)  # the build's page
                build_id = resolve(response.url).kwargs["build_id"]
                response = client.get(reverse("reports:build_download", args=[build_id]))
            content = b"".join(response) if response.streaming else response.content
            times.append((time.perf_counter() - start) * 1000)
        queries = len(captured)
    return Timing(fmt, url, response.status_code, statistics.median(times), queries, content)


def _floor(work, runs: int) -> float:
    """The median milliseconds of ``work`` after one unmeasured run."""
    work()
    times = []
    for _ in range(max(runs, 3)):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _pairs_as_csv(round_) -> bytes:
    """The round's pairs, both actors named, through a raw cursor, as CSV."""
    pairs, actors = PairAssessment._meta.db_table, Actor._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT a.name, b.name, p.level, p.mechanisms, p.note, p.scored_at FROM {pairs} p "
            f"JOIN {actors} a ON a.id = p.actor_a_id JOIN {actors} b ON b.id = p.actor_b_id "
            f"WHERE p.round_id = %s ORDER BY p.actor_a_id, p.actor_b_id",
            [round_.pk],
        )
        buffer = io.StringIO()
        csv.writer(buffer).writerows(cursor.fetchall())
    return buffer.getvalue().encode()


def _read_stored(round_, fmt: str) -> bytes:
    folder = f"{stored.FOLDER}/round-{round_.pk}"
    (name,) = [name for name in default_storage.listdir(folder)[1] if name.endswith(fmt)]
    with default_storage.open(f"{folder}/{name}", "rb") as kept:
        return kept.read()


def _page_count(pdf: bytes) -> int | str:
    """Pages of a PDF, when pypdf (a development dependency) is there to count them."""
    try:
        from pypdf import PdfReader
    except ImportError:
        return "?"
    return len(PdfReader(io.BytesIO(pdf)).pages)
