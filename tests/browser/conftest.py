"""Playwright driving Debian's Chromium against the live test server.

Playwright's own browser download does not work here, so the tests launch
/usr/bin/chromium and skip, saying why, when it is missing.
"""

import os
import shutil
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest

from actors.models import ParticipantRole, ProgrammeParticipant
from assessments.models import RoundStatus
from tests.factories import ProgrammeFactory, RoundFactory, score

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed (pip install '.[dev]')")
    # Playwright runs an event loop in this thread; the ORM calls of the test itself are
    # synchronous and safe here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def screenshot():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(page, name, *, full_page=False):
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full_page)

    return take


def log_in(page, live_server, username, password):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit].button")
    page.wait_for_url(f"{live_server.url}/")


@pytest.fixture
def phone_page(browser):
    """A phone's screen (390 × 844, as an iPhone 12-15), touch and a mobile user agent off:
    what matters here is the width."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def watch_hosts(page, live_server) -> list[str]:
    """Every request the page makes to a host other than the live server, as it happens.

    Offices have slow links: every asset must come from the application itself."""
    own = urlsplit(live_server.url).netloc
    foreign = []

    def check(request):
        parts = urlsplit(request.url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.netloc != own:
            foreign.append(request.url)

    page.on("request", check)
    return foreign


@pytest.fixture
def mapped_district(district, actors, open_round, scorer):
    """Sigi mapped twice, with a programme, so that every page has something to show.

    2025 (closed): Dinkes–Puskesmas 2, Dinkes–Bappeda 4, Puskesmas–Bappeda 2.
    2026 (open):   Dinkes–Puskesmas 3 (from evidence), Dinkes–Bappeda 4, Puskesmas–Bappeda 1,
                   Dinkes–Disdik 0; the other two pairs are not assessed.
    The programme "Stunting Sigi 2026" is led by Bappeda; a second programme with the same
    target group overlaps it.
    """
    dinkes, puskesmas, bappeda, disdik = actors
    previous = RoundFactory(
        region=district,
        name="Pemetaan Sigi 2025",
        status=RoundStatus.CLOSED,
        period_start=date(2025, 1, 1),
        period_end=date(2025, 6, 30),
    )
    score(previous, dinkes, puskesmas, 2)
    score(previous, dinkes, bappeda, 4)
    score(previous, puskesmas, bappeda, 2)
    score(
        open_round,
        dinkes,
        puskesmas,
        3,
        shares_information=True,
        joint_activities=True,
        shared_roles_and_resources=True,
        formal_structure=False,
        mechanisms=["joint_planning_meeting", "data_sharing"],
        note="Rapat koordinasi bulanan",
        scored_by=scorer,
    )
    score(open_round, dinkes, bappeda, 4, mechanisms=["mou_or_decree_team"], scored_by=scorer)
    score(open_round, puskesmas, bappeda, 1)
    score(open_round, dinkes, disdik, 0)
    programme = ProgrammeFactory(
        region=district,
        lead_actor=bappeda,
        name="Stunting Sigi 2026",
        target_groups=["children_0_59", "pregnant_women"],
    )
    ProgrammeFactory(
        region=district,
        lead_actor=disdik,
        name="Gizi Anak Sekolah Sigi",
        target_groups=["children_0_59"],
    )
    for actor, role, stages in (
        (bappeda, ParticipantRole.LEAD, ["planning", "budgeting"]),
        (dinkes, ParticipantRole.IMPLEMENTER, ["planning", "implementation", "monitoring"]),
        (disdik, ParticipantRole.DATA_PROVIDER, ["monitoring"]),
    ):
        ProgrammeParticipant.objects.create(
            programme=programme, actor=actor, role=role, stages=stages
        )
    return SimpleNamespace(previous=previous, current=open_round, programme=programme)
