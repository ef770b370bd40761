"""The demo's follow-up actions where a planner reads them: the dashboard's figures and the
comparison's list of last year's actions with their result, on a phone without sideways
scrolling. Leaves screenshots in test-artifacts/screenshots/ (phone-demo-dashboard-actions.png,
phone-demo-comparison-actions.png)."""

import pytest

from assessments.models import AssessmentRound, RoundStatus
from tests.browser.conftest import log_in
from tests.browser.test_demo_in_browser import demo_planner  # noqa: F401  (fixture)

expect = pytest.importorskip("playwright.sync_api", reason="playwright is not installed").expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_demo_s_actions_on_the_dashboard_and_the_comparison(
    phone_page,
    live_server,
    screenshot,
    demo_planner,  # noqa: F811
):
    later = AssessmentRound.objects.get(region__code="72.10", status=RoundStatus.OPEN)
    page = phone_page
    log_in(page, live_server, "perencana", "pw-perencana-demo")
    page.goto(f"{live_server.url}/regions/72.10/?round={later.pk}")
    progress = page.locator("#actions-progress")
    expect(progress).to_contain_text("4 dari 10 tindakan selesai")
    expect(progress).to_contain_text("Lewat tenggat: 4 (40 %)")
    effect = page.locator("#actions-effect")
    expect(effect).to_contain_text("Dengan tindak lanjut")
    expect(effect).to_contain_text("3 dari 8 pasangan membaik")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the dashboard is {width} px wide on a 390 px screen"
    effect.scroll_into_view_if_needed()
    screenshot(page, "phone-demo-dashboard-actions")

    page.goto(f"{live_server.url}/regions/72.10/compare/?round={later.pk}")
    section = page.locator("#previous-actions")
    expect(section.locator("tbody tr")).to_have_count(10)
    expect(section.locator("tr.reached")).to_have_count(3)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the comparison is {width} px wide on a 390 px screen"
    section.scroll_into_view_if_needed()
    screenshot(page, "phone-demo-comparison-actions")
