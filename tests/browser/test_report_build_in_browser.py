"""A big round's report in a real browser: the XLSX button opens the report's page, which
waits, reloads itself while the worker builds it, then gives the file."""

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from reports.models import BuildStatus, ReportBuild
from tests.browser.conftest import log_in
from tests.reports.conftest import run_task_worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_planner_waits_for_a_big_round_s_xlsx_and_downloads_it(
    page, live_server, screenshot, mapped_district, planner, open_round, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.REPORT_BACKGROUND_MIN_ACTORS = 2  # the round's four actors make a big round
    log_in(page, live_server, "perencana", "pw-perencana")
    page.goto(f"{live_server.url}/regions/72.10/?round={open_round.pk}")
    expect(page.get_by_role("region", name="Unduh laporan")).to_contain_text(
        "disusun di latar belakang"
    )
    page.get_by_role("region", name="Unduh laporan").get_by_role("button", name="XLSX").click()

    expect(page.locator("h1")).to_have_text("Laporan (XLSX)")
    expect(page.locator("[role=status]")).to_contain_text("Menunggu giliran")
    build = ReportBuild.objects.get()
    assert page.url == f"{live_server.url}/reports/builds/{build.pk}/"
    screenshot(page, "report-build-waiting")

    # The worker runs the queue; the page, reloading every 3 s, then offers the file.
    run_task_worker()
    assert ReportBuild.objects.get().status == BuildStatus.DONE
    link = page.get_by_role("link", name="Unduh XLSX")
    expect(link).to_be_visible(timeout=10_000)
    screenshot(page, "report-build-ready")
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.endswith(".xlsx")
    book = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()), read_only=True)
    summary = {row[0]: row[1] for row in book["Ringkasan"].iter_rows(values_only=True) if row}
    assert summary["Putaran"] == "Pemetaan Sigi 2026"

    # Listed among the planner's reports.
    page.get_by_role("link", name="Laporan yang disusun untuk saya").click()
    expect(page.locator("table")).to_contain_text("Pemetaan Sigi 2026")
    expect(page.locator("table")).to_contain_text("Siap")
