"""Every page of every role on a phone (390 × 844): no page scrolls sideways (wide tables
scroll inside their own frame), the menu folds behind one button, and what is tapped
(menu links, buttons, radio buttons and checkboxes with their labels) is at least 44 px.

Leaves test-artifacts/screenshots/phone-<page>.png and desktop-<page>.png (1366 px) of
each page for a person to look at."""

import pytest

from accounts.models import Role
from actors.models import GovernmentLevel
from tests.browser.conftest import log_in
from tests.factories import RegionFactory, make_user

expect = pytest.importorskip("playwright.sync_api", reason="playwright is not installed").expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_WIDTH = 390
TOUCH = 44

# Every fold open (the menu, the comparison's groups, the pair form's lists): a person may
# open any of them, and none may widen the page.
OPEN_EVERYTHING = """() => {
  document.querySelectorAll("details").forEach((item) => { item.open = true; });
  const toggle = document.querySelector(".menu-toggle");
  if (toggle && toggle.getAttribute("aria-expanded") !== "true") toggle.click();
}"""

# The elements wider than the screen that are not inside a frame that scrolls by itself:
# what makes a page scroll sideways, named for the failure message.
TOO_WIDE = """(width) => {
  const scrolls = (element) => {
    for (let node = element.parentElement; node; node = node.parentElement) {
      const style = getComputedStyle(node);
      if (["auto", "scroll", "hidden"].includes(style.overflowX) && node !== document.body
          && node !== document.documentElement) return true;
    }
    return false;
  };
  return [...document.querySelectorAll("body *")]
    .filter((e) => e.getBoundingClientRect().right > width + 0.5 && !scrolls(e))
    .slice(0, 5)
    .map((e) => {
      const classes = typeof e.className === "string" && e.className
        ? "." + e.className.split(" ").join(".") : "";
      const right = Math.round(e.getBoundingClientRect().right);
      return e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + classes + " " + right + "px";
    });
}"""

# The boxes a finger aims at, with their size: for a radio button or a checkbox, its label
# (a tap on the label picks the box).
TARGETS = """(selector) => [...document.querySelectorAll(selector)]
  .filter((e) => e.offsetParent !== null && e.type !== "hidden")
  .map((e) => {
    const target = (e.type === "radio" || e.type === "checkbox") && e.closest("label")
      ? e.closest("label") : e;
    const box = target.getBoundingClientRect();
    return [e.outerHTML.slice(0, 80), Math.round(box.width), Math.round(box.height)];
  })"""


@pytest.fixture
def nation(db):
    return RegionFactory(code="ID", name="Indonesia", level=GovernmentLevel.NATIONAL)


def pages_of(persona, world, actors):
    """(name, path) of each page this persona may open."""
    dinkes, puskesmas = actors[0].pk, actors[1].pk
    current, previous, programme = world.current.pk, world.previous.pk, world.programme.pk
    if persona == "nasional":
        return [("national", "/regions/ID/"), ("province-dashboard-national", "/regions/72/")]
    pages = [
        ("home", "/"),
        ("dashboard", "/regions/72.10/"),
        ("matrix", "/regions/72.10/matrix/"),
        ("sectors", "/regions/72.10/sectors/"),
        ("by-level", f"/regions/72.10/levels/?programme={programme}"),
        ("who-how", f"/programmes/{programme}/who-how/"),
        ("network", "/regions/72.10/network/"),
        ("comparison", f"/regions/72.10/compare/?round={current}&previous={previous}"),
        ("comparison-all-improved", "/regions/72.10/compare/?kind=improved#improved"),
        ("overlaps", "/regions/72.10/overlaps/"),
        ("actor", f"/regions/72.10/actors/{dinkes}/"),
    ]
    if persona in ("admin", "penilai_sigi"):
        pages.append(("pair", f"/rounds/{current}/pairs/{dinkes}-{puskesmas}/"))
    if persona in ("admin", "perencana"):
        pages.append(("province-dashboard", "/regions/72/"))
    if persona == "admin":
        pages.append(("imports", "/imports/"))
    if persona == "pembaca":
        # A viewer asking for a file is refused on a page of its own.
        pages.append(("report-refused", "/regions/72.10/report.pdf"))
    return pages


# Each page's screenshots are taken once, by the persona listed first that opens it.
PERSONAS = ["admin", "penilai_sigi", "perencana", "pembaca", "nasional"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_page_scrolls_sideways_on_a_phone(
    request,
    browser,
    phone_page,
    live_server,
    screenshot,
    mapped_district,
    actors,
    admin_user,
    scorer,
    planner,
    viewer,
    nation,
    persona,
):
    if persona == "nasional":
        make_user("nasional", role=Role.PLANNER, regions=[nation])
    earlier = PERSONAS[: PERSONAS.index(persona)]
    shot_before = {
        name for other in earlier for name, _path in pages_of(other, mapped_district, actors)
    }
    page = phone_page
    log_in(page, live_server, persona, f"pw-{persona}")
    desktop = browser.new_context(viewport={"width": 1366, "height": 768}, locale="id-ID")
    wide = desktop.new_page()
    log_in(wide, live_server, persona, f"pw-{persona}")
    failures = []
    for name, path in pages_of(persona, mapped_district, actors):
        response = page.goto(live_server.url + path)
        expected = 403 if name == "report-refused" else 200
        assert response.status == expected, (persona, path, response.status)
        expect(page.locator("main h1, main h2").first).to_be_visible()
        if name not in shot_before:
            screenshot(page, f"phone-{name}", full_page=True)
        page.evaluate(OPEN_EVERYTHING)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE_WIDTH:
            culprits = page.evaluate(TOO_WIDE, PHONE_WIDTH)
            failures.append(f"{path}: {width} px wide ({', '.join(culprits)})")
        if name not in shot_before:
            wide.goto(live_server.url + path)
            screenshot(wide, f"desktop-{name}", full_page=True)
    desktop.close()
    assert failures == [], f"{persona} on a {PHONE_WIDTH} px screen:\n" + "\n".join(failures)


def test_the_menu_folds_behind_one_button_on_a_phone_and_not_on_a_laptop(
    phone_page, page, live_server, screenshot, mapped_district, admin_user
):
    log_in(phone_page, live_server, "admin", "pw-admin")
    phone_page.goto(f"{live_server.url}/regions/72.10/")
    toggle = phone_page.locator(".menu-toggle")
    expect(toggle).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(phone_page.locator(".site-nav")).to_be_hidden()
    # Folded, the header is one row: the brand and the button.
    assert phone_page.locator(".site-header").bounding_box()["height"] <= 60
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(phone_page.locator(".site-nav")).to_be_visible()
    expect(phone_page.get_by_role("link", name="Siapa × bagaimana")).to_be_visible()
    expect(phone_page.get_by_role("link", name="Impor", exact=True)).to_be_visible()
    expect(phone_page.get_by_role("link", name="Admin", exact=True)).to_be_visible()
    screenshot(phone_page, "phone-menu-open")
    small = [
        target
        for target in phone_page.evaluate(
            TARGETS, ".site-menu a, .site-menu button, .site-menu select, .menu-toggle"
        )
        if target[2] < TOUCH
    ]
    assert small == [], f"menu targets under {TOUCH} px tall: {small}"
    toggle.click()
    expect(phone_page.locator(".site-nav")).to_be_hidden()

    log_in(page, live_server, "admin", "pw-admin")
    page.goto(f"{live_server.url}/regions/72.10/")
    expect(page.locator(".menu-toggle")).to_be_hidden()
    expect(page.locator(".site-nav")).to_be_visible()


def test_buttons_radio_buttons_and_checkboxes_are_big_enough_to_tap(
    phone_page, live_server, mapped_district, actors, scorer
):
    page = phone_page
    log_in(page, live_server, "penilai_sigi", "pw-penilai_sigi")
    dinkes, puskesmas = actors[0].pk, actors[1].pk
    page.goto(f"{live_server.url}/rounds/{mapped_district.current.pk}/pairs/{dinkes}-{puskesmas}/")
    page.evaluate(OPEN_EVERYTHING)
    targets = page.evaluate(
        TARGETS, "main button, main .button, main input[type=radio], main input[type=checkbox]"
    )
    kinds = {html.split()[1] if html.startswith("<input") else "button" for html, *_ in targets}
    assert {'type="radio"', 'type="checkbox"', "button"} <= kinds, kinds
    small = [target for target in targets if target[1] < TOUCH or target[2] < TOUCH]
    assert small == [], f"targets under {TOUCH} × {TOUCH} px: {small}"
    # The box itself is drawn larger than the browser's 13 px.
    radio = page.locator("main input[type=radio]").first.bounding_box()
    assert radio["width"] >= 20 and radio["height"] >= 20

    # The matrix's filters: checkboxes, lists, a date, buttons.
    page.goto(f"{live_server.url}/regions/72.10/matrix/")
    targets = page.evaluate(
        TARGETS, "form.filters input, form.filters select, form.filters button, .button"
    )
    assert any('type="checkbox"' in html for html, *_ in targets)
    small = [target for target in targets if target[2] < TOUCH]
    assert small == [], f"targets under {TOUCH} px tall: {small}"


def test_the_comparison_opens_short_on_a_phone(
    phone_page, live_server, screenshot, mapped_district, viewer
):
    """Counts first and each kind folded: the page is a few screens tall at most."""
    page = phone_page
    log_in(page, live_server, "pembaca", "pw-pembaca")
    page.goto(f"{live_server.url}/regions/72.10/compare/")
    expect(page.locator("#change-counts")).to_be_visible()
    groups = page.locator("details.change-group")
    assert groups.count() == 5
    for index in range(groups.count()):
        expect(groups.nth(index)).not_to_have_attribute("open", "")
    page.locator("#change-counts a").first.click()
    expect(page.locator("details#improved")).to_have_attribute("open", "")
    expect(page.locator("details#improved table")).to_be_visible()
    # On paper every kind shows its rows, folded or not.
    page.goto(f"{live_server.url}/regions/72.10/compare/")
    page.emulate_media(media="print")
    expect(page.locator("details#declined table")).to_be_visible()
    expect(page.locator(".menu-toggle")).to_be_hidden()
