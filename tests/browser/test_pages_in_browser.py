"""Every main page in the browser, in Indonesian: it renders, fetches nothing from another
host, and leaves a screenshot in test-artifacts/screenshots/ for a person to look at."""

import pytest

from tests.browser.conftest import log_in, watch_hosts

expect = pytest.importorskip("playwright.sync_api", reason="playwright is not installed").expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def main_pages(world, actors):
    """(screenshot name, path) of each main page of Sigi, as the scorer of Sigi sees it."""
    dinkes, puskesmas = actors[0].pk, actors[1].pk
    current, previous, programme = world.current.pk, world.previous.pk, world.programme.pk
    return [
        ("home", "/"),
        ("dashboard", "/regions/72.10/"),
        ("matrix", "/regions/72.10/matrix/"),
        ("pair-form", f"/rounds/{current}/pairs/{dinkes}-{puskesmas}/"),
        ("sector-matrix", "/regions/72.10/sectors/"),
        ("by-level", f"/regions/72.10/levels/?programme={programme}"),
        ("who-how", f"/programmes/{programme}/who-how/"),
        ("network", "/regions/72.10/network/"),
        ("comparison", f"/regions/72.10/compare/?round={current}&previous={previous}"),
        ("overlaps", "/regions/72.10/overlaps/"),
    ]


def test_every_main_page_renders_in_indonesian_from_the_app_alone(
    page, live_server, screenshot, mapped_district, actors, scorer, other_district
):
    foreign = watch_hosts(page, live_server)
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.locator("input[name=username]")).to_be_visible()
    screenshot(page, "login", full_page=True)
    log_in(page, live_server, "penilai_sigi", "pw-penilai_sigi")

    for name, path in main_pages(mapped_district, actors):
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        page.wait_for_load_state("load")
        expect(page.locator("html")).to_have_attribute("lang", "id")
        # The pair form's page has no h1 (its heading is the pair's h2).
        expect(page.locator("main h1, main h2").first).to_be_visible()
        # The stylesheet arrived and applied (the header is a flex bar, not a bare list).
        assert page.locator(".site-header").evaluate("e => getComputedStyle(e).display") == "flex"
        screenshot(page, name, full_page=True)

    response = page.goto(f"{live_server.url}/regions/72.71/")
    assert response.status == 403
    assert "Tidak diizinkan" in page.locator("h1").inner_text()
    screenshot(page, "403", full_page=True)

    assert foreign == [], f"requests to other hosts: {foreign}"


@pytest.mark.parametrize(
    "name, path",
    [("home", "/"), ("matrix", "/regions/72.10/matrix/"), ("dashboard", "/regions/72.10/")],
)
def test_pages_fit_a_phone(
    phone_page, live_server, screenshot, mapped_district, scorer, name, path
):
    """390 px wide: nothing but the matrix's own scroll box is wider than the screen."""
    page = phone_page
    log_in(page, live_server, "penilai_sigi", "pw-penilai_sigi")
    page.goto(live_server.url + path)
    expect(page.locator("h1")).to_be_visible()
    page_width = page.evaluate("document.documentElement.scrollWidth")
    assert page_width <= 390, f"{path} is {page_width} px wide on a 390 px screen"
    screenshot(page, f"phone-{name}", full_page=True)
