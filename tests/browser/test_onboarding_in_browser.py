"""A new user learns from the page itself what to do next, and what is missing.

The "what next" wording is new and not translated yet: the tests assert the structure
(a numbered list per role, where its links lead), not the Indonesian words."""

import pytest

from assessments.models import RoundStatus
from tests.browser.conftest import log_in
from tests.factories import RoundFactory, make_user

expect = pytest.importorskip("playwright.sync_api", reason="playwright is not installed").expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def steps(page, role):
    return page.locator(f".next-steps ol.steps[data-role={role}] > li")


def test_a_scorer_is_led_to_the_matrix_of_the_open_round(
    page, live_server, screenshot, district, open_round, actors, scorer
):
    # A closed round of the same district is not offered for scoring.
    RoundFactory(region=district, name="Pemetaan Sigi 2025", status=RoundStatus.CLOSED)
    log_in(page, live_server, "penilai_sigi", "pw-penilai_sigi")
    expect(steps(page, "scorer")).to_have_count(3)
    links = steps(page, "scorer").first.locator("a")
    expect(links).to_have_count(1)
    expect(links).to_have_text("Kabupaten Sigi — Pemetaan Sigi 2026")
    screenshot(page, "home-what-next-scorer")

    links.click()
    page.wait_for_url(f"**/regions/72.10/matrix/?round={open_round.pk}")
    assert page.locator(f"#c{actors[0].pk}-{actors[1].pk} a").count() == 1


def test_a_scorer_without_an_open_round_is_told_whom_to_ask(
    page, live_server, district, actors, scorer
):
    RoundFactory(region=district, name="Pemetaan Sigi 2025", status=RoundStatus.CLOSED)
    log_in(page, live_server, "penilai_sigi", "pw-penilai_sigi")
    first = steps(page, "scorer").first
    expect(first.locator("a")).to_have_count(0)
    assert len(first.inner_text()) > 40


def test_a_planner_is_led_to_the_dashboard_and_its_reports(
    page, live_server, screenshot, province, district, open_round, planner
):
    log_in(page, live_server, "perencana", "pw-perencana")
    expect(steps(page, "planner")).to_have_count(3)
    expect(page.locator(".next-steps ol.steps[data-role=scorer]")).to_have_count(0)
    first_link = steps(page, "planner").first.locator("a")
    expect(first_link).to_have_attribute("href", "/regions/72/")
    assert "Sulawesi Tengah" in first_link.inner_text()
    screenshot(page, "home-what-next-planner")
    first_link.click()
    page.wait_for_url("**/regions/72/")
    # The reports the third step speaks of are on that dashboard.
    expect(page.locator("section.downloads:not(.packs)")).to_be_visible()


def test_an_admin_is_led_to_actors_and_rounds(page, live_server, admin_user):
    log_in(page, live_server, "admin", "pw-admin")
    hrefs = [
        link.get_attribute("href")
        for link in page.locator(".next-steps ol.steps[data-role=admin] a").all()
    ]
    assert hrefs == ["/admin/actors/actor/", "/admin/assessments/assessmentround/add/", "/admin/"]


def test_a_user_without_a_role_is_told_to_ask_for_one(page, live_server, district):
    make_user("baru", regions=[district])
    log_in(page, live_server, "baru", "pw-baru")
    expect(page.locator(".next-steps")).to_have_count(0)
    expect(page.locator(".region-list")).to_have_count(0)
    expect(page.locator("main p.empty")).to_have_count(1)


def test_a_matrix_without_actors_says_what_is_missing(
    page, live_server, screenshot, open_round, admin_user
):
    log_in(page, live_server, "admin", "pw-admin")
    page.goto(f"{live_server.url}/regions/72.10/matrix/")
    empty = page.locator("main p.empty")
    expect(empty).to_have_count(1)
    expect(page.locator(".matrix")).to_have_count(0)
    # An admin is given the way to add one.
    expect(empty.locator("a")).to_have_attribute("href", "/admin/actors/actor/add/")
    screenshot(page, "empty-matrix-without-actors")


def test_a_region_without_rounds_says_what_is_missing(
    page, live_server, screenshot, district, actors, scorer
):
    log_in(page, live_server, "penilai_sigi", "pw-penilai_sigi")
    for name, path in (("dashboard", "/regions/72.10/"), ("matrix", "/regions/72.10/matrix/")):
        page.goto(live_server.url + path)
        empty = page.locator("main p.empty")
        expect(empty).to_have_count(1)
        # Indonesian, and it names who acts: an admin creates and opens a round.
        assert "putaran" in empty.inner_text().lower()
        assert "admin" in empty.inner_text().lower()
        screenshot(page, f"empty-{name}-without-rounds")
    # The scorer's home says no round is open yet, instead of offering a dead link.
    page.goto(live_server.url + "/")
    expect(steps(page, "scorer").first.locator("a")).to_have_count(0)
