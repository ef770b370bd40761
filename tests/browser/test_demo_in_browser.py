"""The demo, as a planner sees it in the browser: Sigi's by-level view reads like Kim et
al.'s Table 2 (a degree, mechanisms, factors and a main role for each level, and the links
between levels), and its network names brokers worth discussing. Leaves screenshots in
test-artifacts/screenshots/ (demo-by-level.png, demo-network.png)."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from demo.levels import MAIN_ROLES
from tests.browser.conftest import log_in

expect = pytest.importorskip("playwright.sync_api", reason="playwright is not installed").expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_planner(db):
    call_command("seed_demo", stdout=StringIO())
    planner = get_user_model().objects.get(username="perencana")
    planner.set_password("pw-perencana-demo")  # the demo prints a fresh one each run
    planner.save()
    return planner


def test_the_demo_s_by_level_view_reads_like_kim_s_table(
    page, live_server, screenshot, demo_planner
):
    log_in(page, live_server, "perencana", "pw-perencana-demo")
    page.goto(f"{live_server.url}/regions/72.10/levels/")
    table = page.locator("table.by-level")
    expect(table).to_be_visible()
    rows = table.locator("tbody tr")
    ids = [rows.nth(index).get_attribute("id") for index in range(rows.count())]
    # Province, district, kecamatan and desa, each followed by its link to the level below.
    for expected in ("level-1", "link-1-2", "level-2", "link-2-3", "level-3", "link-3-4"):
        assert expected in ids, expected
    for level in (1, 2, 3, 4):
        row = page.locator(f"#level-{level}")
        expect(row).to_contain_text(MAIN_ROLES[level][0][:40])
        # A degree (the median level) and mechanisms recorded, not dashes.
        expect(row.locator(".median")).to_be_visible()
        assert row.locator("ul.tally li").count() >= 2
    # The link district ↔ kecamatan names how they work together and what gets in the way.
    link = page.locator("#link-2-3")
    expect(link.locator(".median")).to_be_visible()
    assert link.locator("ul.tally li").count() >= 3
    screenshot(page, "demo-by-level", full_page=True)


def test_the_demo_s_network_names_its_brokers(page, live_server, screenshot, demo_planner):
    log_in(page, live_server, "perencana", "pw-perencana-demo")
    page.goto(f"{live_server.url}/regions/72.10/network/")
    expect(page.locator("#network-figures")).to_be_visible()
    expect(page.locator("#density")).to_contain_text("%")
    brokers = page.locator("#brokers tr.broker")
    assert brokers.count() >= 3
    # The drawing is there, with its legend of sectors.
    assert page.locator("svg").count() >= 1
    screenshot(page, "demo-network", full_page=True)
