"""Time the PDF and XLSX (and CSV) reports of the largest demo district and of a synthetic
fully scored district of N actors (default 100).

    python manage.py bench_reports [--actors 100] [--runs 1]

Everything happens inside a transaction that is rolled back: the demo is loaded (it is
idempotent, and its new passwords are thrown away with the rest), the synthetic district
with two fully scored rounds is built (``benchmarks.synthetic``), each report is downloaded
through Django's test client (the whole request), and the median time, query count and
size are printed.
"""

import io

from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from assessments.models import AssessmentRound, PairAssessment, RoundMember
from benchmarks import synthetic
from benchmarks.commands import DistrictBenchmark
from benchmarks.timing import logged_in_client, time_page
from demo.actors import DEMO_DISTRICTS


class Command(DistrictBenchmark):
    help = "Time the PDF, XLSX and CSV reports of the largest demo district and of N actors."

    def run(self, count, runs):
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
        self.stdout.write(f"{connection.vendor}, median of {runs} run(s), whole request\n")
        self.stdout.write(
            f"{'district':<34}{'actors':>7}{'pairs':>7}{'format':>7}{'seconds':>9}"
            f"{'queries':>9}{'KiB':>8}{'pages':>7}"
        )
        for round_ in (demo, district.rounds[0]):
            region = round_.region
            actors = RoundMember.objects.filter(round=round_).count()
            pairs = PairAssessment.objects.filter(round=round_).count()
            for fmt in ("pdf", "xlsx", "csv"):
                url = f"/regions/{region.code}/report.{fmt}?round={round_.pk}"
                item = time_page(client, fmt, url, runs=runs, warm=False)
                if item.status != 200:
                    raise CommandError(f"{url} answered {item.status}.")
                pages = _page_count(item.content) if fmt == "pdf" else ""
                name = f"{region.code} {region.name}"[:33]
                self.stdout.write(
                    f"{name:<34}{actors:>7}{pairs:>7}{fmt:>7}{item.median_ms / 1000:>9.2f}"
                    f"{item.queries:>9}{item.kib:>8.0f}{pages:>7}"
                )


def _page_count(pdf: bytes) -> int | str:
    """Pages of a PDF, when pypdf (a development dependency) is there to count them."""
    try:
        from pypdf import PdfReader
    except ImportError:
        return "?"
    return len(PdfReader(io.BytesIO(pdf)).pages)
