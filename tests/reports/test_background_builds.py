"""A big round's PDF and XLSX are built in the background (reports/builds.py): the download
leads to the build's page, which shows its progress and then the file; only the user who
asked sees it, and only while they may still export the region's reports.

The round of these tests has five actors: ``REPORT_BACKGROUND_MIN_ACTORS`` is set to 3 so
that it counts as big. The end-to-end tests run the real queue: the build is queued in the
database when the request commits and run by ``manage.py db_worker``.
"""

import io
from datetime import timedelta

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook
from pypdf import PdfReader

from accounts.models import Jurisdiction
from assessments.models import PairAssessment
from assessments.rounds import round_close
from reports import builds
from reports.models import BuildStatus, ReportBuild
from tests.factories import score
from tests.reports.conftest import english, report_url, run_task_worker


@pytest.fixture(autouse=True)
def _big_rounds(settings):
    settings.REPORT_BACKGROUND_MIN_ACTORS = 3


def ask(client, district, fmt="xlsx", **params):
    response = english(client, report_url(district, fmt, **params))
    assert response.status_code == 302, response.status_code
    build = ReportBuild.objects.get(pk=response.url.split("/")[-2])
    assert response.url == f"/reports/builds/{build.pk}/"
    return build


def workbook_values(content: bytes) -> dict:
    """Every sheet's rows, but the moment of export (the clock moves during a test)."""
    book = load_workbook(io.BytesIO(content), read_only=True)
    return {
        sheet.title: [
            row
            for row in sheet.iter_rows(values_only=True)
            if not (row and row[0] == "Exported at")
        ]
        for sheet in book.worksheets
    }


def snapshot() -> dict:
    return {
        "builds": list(ReportBuild.objects.order_by("pk").values()),
        "tasks": DBTaskResult.objects.count(),
        "pairs": list(PairAssessment.objects.order_by("pk").values("pk", "level")),
    }


@pytest.mark.django_db(transaction=True)
def test_the_xlsx_is_queued_built_by_the_worker_and_downloaded(
    planner_client, district, scored_round, settings
):
    build = ask(planner_client, district, "xlsx", target=4)
    assert build.status == BuildStatus.QUEUED and build.options == {"target": 4, "sector": None}
    assert build.language == "en"
    assert DBTaskResult.objects.filter(status="READY").count() == 1  # queued on commit

    waiting = english(planner_client, f"/reports/builds/{build.pk}/")
    assert waiting.status_code == 200
    assert b'<meta http-equiv="refresh" content="3">' in waiting.content
    assert "Waiting for its turn" in waiting.text
    assert waiting["Cache-Control"].startswith("max-age=0")

    run_task_worker()
    build.refresh_from_db()
    assert (build.status, build.progress, build.error) == (BuildStatus.DONE, 100, "")
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"

    ready = english(planner_client, f"/reports/builds/{build.pk}/")
    assert b"http-equiv" not in ready.content  # no more reloading
    assert f'href="/reports/builds/{build.pk}/download"' in ready.text
    assert "Download XLSX" in ready.text

    download = planner_client.get(f"/reports/builds/{build.pk}/download")
    assert download.status_code == 200
    assert download["Cache-Control"] == "private, no-store"
    assert download["Content-Disposition"].startswith("attachment;")
    assert ".xlsx" in download["Content-Disposition"]
    content = b"".join(download.streaming_content)
    assert len(content) == build.size

    # The same report as one built in the request.
    settings.REPORT_BACKGROUND_MIN_ACTORS = 1000
    direct = english(planner_client, report_url(district, "xlsx", target=4))
    assert direct.status_code == 200
    assert workbook_values(content) == workbook_values(direct.content)
    summary = dict(row[:2] for row in workbook_values(content)["Summary"] if row)
    assert summary["Pairs assessed"] == 6


@pytest.mark.django_db(transaction=True)
def test_the_pdf_of_one_sector_is_built_in_the_background(
    planner_client, district, scored_round, planning
):
    build = ask(planner_client, district, "pdf", sector=planning.pk)
    assert build.options == {"target": 3, "sector": planning.pk}
    run_task_worker()
    download = planner_client.get(f"/reports/builds/{build.pk}/download")
    content = b"".join(download.streaming_content)
    assert content.startswith(b"%PDF-")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert "Kabupaten Sigi" in text and "Bappeda" in text


def test_asking_again_gives_the_same_build_until_the_round_changes(
    planner_client, district, scored_round, actors, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as queued:
        first = ask(planner_client, district)
        again = ask(planner_client, district)
    assert again.pk == first.pk and len(queued) == 1
    assert DBTaskResult.objects.count() == 1

    # Another target, another language, another format: another build.
    assert ask(planner_client, district, target=4).pk != first.pk
    assert ask(planner_client, district, "pdf").pk != first.pk
    planner_client.cookies["django_language"] = "id"
    assert planner_client.get(report_url(district, "xlsx")).url != f"/reports/builds/{first.pk}/"

    # A pair scored since: the round's version moved on, so a new build.
    builds.run_build(str(first.pk))
    assert ask(planner_client, district).pk == first.pk  # ready, same version
    _a, _b, c, d = actors
    score(scored_round, c, d, 2)
    assert ask(planner_client, district).pk != first.pk


def test_only_the_user_who_asked_sees_the_build(
    planner_client, scorer_client, viewer_client, other_scorer_client, district, scored_round
):
    build = ask(planner_client, district)
    builds.run_build(str(build.pk))
    before = snapshot()
    for client in (scorer_client, viewer_client, other_scorer_client):
        for url in (f"/reports/builds/{build.pk}/", f"/reports/builds/{build.pk}/download"):
            assert english(client, url).status_code == 404, url
        assert str(build.pk) not in english(client, "/reports/builds/").text
    assert str(build.pk) in english(planner_client, "/reports/builds/").text
    assert snapshot() == before


def test_anonymous_users_are_sent_to_log_in(client, planner_client, district, scored_round):
    build = ask(planner_client, district)
    response = client.get(f"/reports/builds/{build.pk}/")
    assert response.status_code == 302 and "/login/" in response.url


def test_a_user_who_lost_the_region_gets_no_build(planner, planner_client, district, scored_round):
    """Asked while they could export; their jurisdiction removed before the worker ran."""
    build = ask(planner_client, district)  # in English
    Jurisdiction.objects.filter(user=planner).delete()
    builds.run_build(str(build.pk))
    build.refresh_from_db()
    assert build.status == BuildStatus.FAILED and build.file_name == ""
    assert build.error == "You may no longer export this report: ask your administrator."
    for url in (f"/reports/builds/{build.pk}/", f"/reports/builds/{build.pk}/download"):
        assert planner_client.get(url).status_code == 403


def test_a_ready_build_is_refused_once_the_user_may_not_export(
    planner, planner_client, district, scored_round
):
    build = ask(planner_client, district)
    builds.run_build(str(build.pk))
    assert planner_client.get(f"/reports/builds/{build.pk}/download").status_code == 200
    Jurisdiction.objects.filter(user=planner).delete()
    assert planner_client.get(f"/reports/builds/{build.pk}/download").status_code == 403
    assert planner_client.get(f"/reports/builds/{build.pk}/").status_code == 403


def test_a_build_that_fails_says_so_stores_nothing_and_can_be_asked_again(
    planner_client, district, scored_round, monkeypatch
):
    def broken(report, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(builds, "build_xlsx", broken)
    build = ask(planner_client, district)
    builds.run_build(str(build.pk))
    build.refresh_from_db()
    assert build.status == BuildStatus.FAILED and build.file_name == "" and build.size is None
    assert not default_storage.exists(builds.FOLDER)

    page = english(planner_client, f"/reports/builds/{build.pk}/")
    assert "The report could not be built. Ask for it again" in page.text
    assert b"http-equiv" not in page.content
    again = f"/regions/{district.code}/report.xlsx?round={scored_round.pk}&amp;target=3"
    assert again in page.text
    # The download of a build that failed leads to its page, which says so.
    download = planner_client.get(f"/reports/builds/{build.pk}/download")
    assert download.status_code == 302
    assert download["Location"] == f"/reports/builds/{build.pk}/"
    assert ask(planner_client, district).pk != build.pk  # a failed build is not given again


def test_the_page_shows_the_progress_while_the_report_is_built(
    planner_client, district, scored_round, monkeypatch
):
    seen = {}
    real = builds.build_xlsx

    def watched(report, **kwargs):
        seen["page"] = english(planner_client, f"/reports/builds/{build.pk}/").text
        return real(report, **kwargs)

    monkeypatch.setattr(builds, "build_xlsx", watched)
    build = ask(planner_client, district)
    # Clicked before it is ready (or an old link): the download leads to the build's page.
    early = planner_client.get(f"/reports/builds/{build.pk}/download")
    assert (early.status_code, early["Location"]) == (302, f"/reports/builds/{build.pk}/")
    builds.run_build(str(build.pk))
    # The figures are read (30 % of the work, after the 5 % of starting).
    assert "Being built: 32 %." in seen["page"]
    assert '<progress max="100" value="32"' in seen["page"]


def test_a_build_is_run_once(planner_client, district, scored_round, monkeypatch):
    build = ask(planner_client, district)
    builds.run_build(str(build.pk))
    done = ReportBuild.objects.get(pk=build.pk)
    builds.run_build(str(build.pk))  # a second delivery of the same task
    assert ReportBuild.objects.get(pk=build.pk).finished_at == done.finished_at


def test_a_closed_round_s_stored_report_is_given_at_once(
    planner_client, district, scored_round, previous_round
):
    build = ask(planner_client, district, round=previous_round.pk)
    builds.run_build(str(build.pk))
    # The worker stored the closed round's copy: the next download reads it at once.
    response = english(planner_client, report_url(district, "xlsx", round=previous_round.pk))
    assert response.status_code == 200
    assert ReportBuild.objects.count() == 1
    stored = b"".join(planner_client.get(f"/reports/builds/{build.pk}/download").streaming_content)
    assert response.content == stored


def test_builds_are_deleted_with_their_files_after_the_keeping_time(
    planner_client, district, scored_round, clock, settings
):
    settings.REPORT_BUILD_KEEP_HOURS = 48
    build = ask(planner_client, district)
    builds.run_build(str(build.pk))
    name = ReportBuild.objects.get(pk=build.pk).file_name
    assert default_storage.exists(name)
    with time_machine.travel(clock + timedelta(hours=47), tick=False):
        call_command("prune_report_builds", stdout=io.StringIO())
        assert ReportBuild.objects.filter(pk=build.pk).exists()
    with time_machine.travel(clock + timedelta(hours=49), tick=False):
        out = io.StringIO()
        call_command("prune_report_builds", stdout=out)
        assert out.getvalue() == "1 report build(s) deleted.\n"
        assert not ReportBuild.objects.exists() and not default_storage.exists(name)
        assert planner_client.get(f"/reports/builds/{build.pk}/").status_code == 404


def test_a_build_waiting_long_says_the_worker_may_be_stopped(
    planner_client, district, scored_round, clock
):
    build = ask(planner_client, district)
    assert "may not be running" not in english(planner_client, f"/reports/builds/{build.pk}/").text
    with time_machine.travel(clock + timedelta(minutes=5), tick=False):
        page = english(planner_client, f"/reports/builds/{build.pk}/")
    assert "the report builder (the task worker) may not be running" in page.text


@pytest.mark.parametrize(
    ("params", "status", "message"),
    [
        ({"target": "9"}, 400, "The target level must be a whole number from 0 to 4"),
        ({"target": "x"}, 400, "The target level must be a whole number from 0 to 4"),
        ({"sector": "abc"}, 400, "The sector must be given by its number"),
        ({"sector": "999999"}, 404, "This round has no actor in the sector number 999999"),
    ],
)
def test_bad_requests_queue_nothing(
    planner_client, district, scored_round, params, status, message
):
    before = snapshot()
    response = english(planner_client, report_url(district, "pdf", **params))
    assert response.status_code == status
    assert message in response.text
    assert snapshot() == before


@pytest.mark.parametrize(
    "url", ["/reports/builds/not-a-build/", "/reports/builds/00000000-0000-0000-0000-000000000000/"]
)
def test_an_unknown_build_is_not_found(planner_client, url):
    assert planner_client.get(url).status_code == 404


def test_the_pages_read_a_fixed_number_of_rows(
    planner_client, district, scored_round, django_assert_num_queries
):
    build = ask(planner_client, district)
    for target in (0, 1, 2, 4):
        ask(planner_client, district, target=target)
    # The session, the user, the build with its region and round, the user's roles and
    # regions.
    with django_assert_num_queries(5):
        planner_client.get(f"/reports/builds/{build.pk}/")
    # The session, the user, the builds with their regions and rounds, the roles and regions
    # (the menu's links).
    with django_assert_num_queries(5):
        planner_client.get("/reports/builds/")


def test_a_small_round_s_report_is_built_in_the_request(
    planner_client, district, scored_round, settings
):
    settings.REPORT_BACKGROUND_MIN_ACTORS = 6  # the round has five actors
    response = planner_client.get(report_url(district, "xlsx"))
    assert response.status_code == 200 and not ReportBuild.objects.exists()
    # A PDF from fewer actors than an XLSX (its full matrix pages take seconds sooner).
    settings.REPORT_PDF_BACKGROUND_MIN_ACTORS = 5
    assert planner_client.get(report_url(district, "pdf")).status_code == 302
    settings.REPORT_PDF_BACKGROUND_MIN_ACTORS = 6
    assert planner_client.get(report_url(district, "pdf")).status_code == 200


def test_closing_keeps_the_build_of_the_open_round_downloadable(
    planner_client, district, scored_round, admin_user
):
    build = ask(planner_client, district)
    builds.run_build(str(build.pk))
    round_close(user=admin_user, round=scored_round)
    assert planner_client.get(f"/reports/builds/{build.pk}/download").status_code == 200


def test_without_a_worker_the_immediate_backend_builds_in_the_request(
    planner_client, district, scored_round, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        build = ask(planner_client, district)
    build.refresh_from_db()
    assert build.status == BuildStatus.DONE
    assert not DBTaskResult.objects.exists()
    assert "Ready." in english(planner_client, f"/reports/builds/{build.pk}/").text


def test_the_dashboard_says_which_reports_are_built_in_the_background(
    planner_client, district, scored_round, settings
):
    page = english(planner_client, f"/regions/{district.code}/?round={scored_round.pk}")
    assert "This round has 5 actors: its PDF and XLSX take a moment" in page.text
    assert 'href="/reports/builds/"' in page.text
    settings.REPORT_BACKGROUND_MIN_ACTORS = 6  # the XLSX in the request, the PDF not
    settings.REPORT_PDF_BACKGROUND_MIN_ACTORS = 3
    page = english(planner_client, f"/regions/{district.code}/?round={scored_round.pk}")
    assert "This round has 5 actors: its PDF takes a moment" in page.text
    settings.REPORT_PDF_BACKGROUND_MIN_ACTORS = 6
    page = english(planner_client, f"/regions/{district.code}/?round={scored_round.pk}")
    assert "built in the background" not in page.text


def test_the_build_page_speaks_indonesian_first(planner_client, district, scored_round):
    response = planner_client.get(report_url(district, "xlsx"))
    page = planner_client.get(response.url).content.decode()
    assert "Menunggu giliran: laporan putaran besar disusun di latar belakang." in page
    assert "Halaman ini memeriksa lagi setiap 3 detik." in page
    assert ReportBuild.objects.get().language == "id"


def test_a_build_cut_short_is_said_so_and_asked_again(
    planner_client, district, scored_round, clock
):
    """The worker stopped in the middle of a build (killed, machine restarted)."""
    build = ask(planner_client, district)
    ReportBuild.objects.filter(pk=build.pk).update(status=BuildStatus.RUNNING, started_at=clock)
    with time_machine.travel(clock + timedelta(minutes=10), tick=False):
        page = english(planner_client, f"/reports/builds/{build.pk}/")
        assert "Being built" in page.text and b"http-equiv" in page.content
        assert ask(planner_client, district).pk == build.pk
    with time_machine.travel(clock + timedelta(minutes=16), tick=False):
        page = english(planner_client, f"/reports/builds/{build.pk}/")
        assert "The build stopped before it was done" in page.text
        assert b"http-equiv" not in page.content
        assert ask(planner_client, district).pk != build.pk


def test_a_storage_that_refuses_the_file_fails_the_build(
    planner_client, district, scored_round, monkeypatch
):
    def full(name, content, **kwargs):
        raise OSError(28, "No space left on device")

    build = ask(planner_client, district)
    monkeypatch.setattr(default_storage, "save", full)
    builds.run_build(str(build.pk))
    build.refresh_from_db()
    assert build.status == BuildStatus.FAILED and build.file_name == ""
    assert "could not be built" in build.error


@pytest.mark.parametrize("fmt", ["xlsx", "pdf"])
def test_the_progress_follows_the_file_as_it_is_written(
    planner_client, district, scored_round, monkeypatch, fmt
):
    """The builder's own progress (each sheet, each step of the PDF) moves the build's,
    from the 32 % of the figures read to 95 %, then 100 % once stored."""
    name = f"build_{fmt}"
    real, seen = getattr(builds, name), []

    def watched(report, *, progress, **kwargs):
        def spy(done):
            progress(done)
            seen.append(ReportBuild.objects.get(pk=build.pk).progress)

        return real(report, progress=spy, **kwargs)

    monkeypatch.setattr(builds, name, watched)
    build = ask(planner_client, district, fmt)
    builds.run_build(str(build.pk))
    assert seen == sorted(seen) and seen[0] == 32 and seen[-1] == 95
    assert len(set(seen)) >= 3  # seen moving, not only at the start and the end
    build.refresh_from_db()
    assert (build.status, build.progress) == (BuildStatus.DONE, 100)
