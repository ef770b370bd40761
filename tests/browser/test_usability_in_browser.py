"""Where the matrix is used: a laptop, a keyboard, paper, a slow link."""

import pytest

from tests.browser.conftest import ARTIFACTS, log_in, watch_hosts
from tests.factories import ActorFactory

expect = pytest.importorskip("playwright.sync_api", reason="playwright is not installed").expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def many_actors(district, health, planning, education, actors):
    """40 actors: the matrix is larger than its box on a 1366 × 768 screen both ways."""
    sectors = [health, planning, education]
    return actors + [
        ActorFactory(
            name=f"Puskesmas Contoh {number:02d}",
            short_name=f"PKM {number:02d}",
            sector=sectors[number % 3],
            home_region=district,
        )
        for number in range(36)
    ]


def box(locator):
    return locator.bounding_box()


def test_the_matrix_keeps_its_headers_in_view_while_it_scrolls(
    page, live_server, screenshot, open_round, many_actors, scorer
):
    log_in(page, live_server, "penilai_sigi", "pw-penilai_sigi")
    page.goto(f"{live_server.url}/regions/72.10/matrix/")
    scroller = page.locator(".matrix-scroll")
    column_head = page.locator(".matrix thead .col-head").first
    sector_head = page.locator(".matrix thead .sector-head").first
    row_head = page.locator(".matrix tbody .row-head").first
    container = box(scroller)

    scroller.evaluate("e => { e.scrollTop = 400; e.scrollLeft = 300; }")
    scrolled = scroller.evaluate("e => [e.scrollTop, e.scrollLeft]")
    assert scrolled[0] > 100 and scrolled[1] > 100, "the matrix does not overflow its box"
    # The first body row has gone up out of sight, its row header with it...
    first_row = page.locator(".matrix tbody tr").first
    assert box(first_row)["y"] < container["y"]
    # ...but the header rows stay at the top of the box, and the row headers at its left.
    assert abs(box(sector_head)["y"] - container["y"]) <= 2
    assert box(column_head)["y"] >= container["y"]
    assert box(column_head)["y"] <= box(sector_head)["y"] + box(sector_head)["height"] + 2
    visible_row_head = page.locator(".matrix tbody tr").nth(30).locator(".row-head")
    assert abs(box(visible_row_head)["x"] - container["x"]) <= 2
    assert box(row_head)["x"] == pytest.approx(box(visible_row_head)["x"], abs=1)
    screenshot(page, "matrix-scrolled")


def focused(page) -> str:
    """What has the keyboard focus, as id, name and tag, to recognise it."""
    return page.evaluate(
        """() => {
            const e = document.activeElement;
            const cell = e.closest('.matrix td');
            return [e.tagName.toLowerCase(), e.id, e.getAttribute('name') || '',
                    e.getAttribute('type') || '', cell ? 'matrix-cell' : '',
                    e.closest('#pair-panel') ? 'panel' : ''].join('|');
        }"""
    )


def tab_until(page, wanted, limit=120) -> list[str]:
    """Press Tab until ``wanted(description)`` holds; the descriptions passed on the way."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        description = focused(page)
        seen.append(description)
        if wanted(description):
            return seen
    raise AssertionError(f"not reached with Tab; focus went through {seen}")


def test_the_keyboard_reaches_every_control_of_the_matrix_and_the_pair_form(
    page, live_server, screenshot, open_round, actors, scorer
):
    log_in(page, live_server, "penilai_sigi", "pw-penilai_sigi")
    page.goto(f"{live_server.url}/regions/72.10/matrix/")
    page.locator("body").click(position={"x": 1, "y": 1})

    on_the_way = tab_until(page, lambda d: "matrix-cell" in d)
    assert any(d.startswith("select|language-select") for d in on_the_way)
    for filter_id in ("id_round", "id_programme"):
        assert any(f"|{filter_id}|" in d for d in on_the_way), filter_id
    assert any(d.startswith("button|") and "|submit|" in d for d in on_the_way)
    # The focused cell is visibly marked (:focus-visible outline).
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    screenshot(page, "keyboard-cell-focus")

    page.keyboard.press("Enter")
    panel = page.locator("#score-form")
    panel.wait_for()
    # From the cell, Tab goes on into the form: the level, the questions, then Save.
    on_the_way = tab_until(page, lambda d: d.startswith("button|") and "panel" in d, limit=200)
    assert any("|level|radio|" in d for d in on_the_way)
    for question in (
        "shares_information",
        "joint_activities",
        "shared_roles_and_resources",
        "formal_structure",
    ):
        assert any(f"|{question}|radio|" in d for d in on_the_way), question
    assert any("|mechanisms|checkbox|" in d for d in on_the_way) or any(
        d.startswith("summary|") for d in on_the_way
    )
    # A radio button is chosen with the keyboard: "yes" to the first question.
    page.locator("input[name=shares_information]").first.focus()
    page.keyboard.press("Space")
    expect(page.locator("input[name=shares_information][value=yes]")).to_be_checked()
    screenshot(page, "keyboard-pair-form")


def test_the_printed_matrix_has_no_navigation_and_shows_everything(
    page, live_server, open_round, actors, scorer
):
    log_in(page, live_server, "penilai_sigi", "pw-penilai_sigi")
    page.goto(f"{live_server.url}/regions/72.10/matrix/")
    expect(page.locator(".site-nav")).to_be_visible()
    page.emulate_media(media="print")
    for hidden in (".site-nav", ".site-tools", "form.filters", "#pair-panel"):
        expect(page.locator(hidden)).to_be_hidden()
    expect(page.locator(".matrix")).to_be_visible()
    expect(page.locator(".legend")).to_be_visible()
    # Nothing is cut by the scroll box on paper.
    overflow = page.locator(".matrix-scroll").evaluate("e => getComputedStyle(e).overflow")
    assert overflow == "visible"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.pdf(path=str(ARTIFACTS.parent / "print-matrix.pdf"), format="A4", landscape=True)


def test_pages_fetch_nothing_from_other_hosts(page, live_server, open_round, actors, scorer):
    """No CDN, no web font, no analytics: a slow office link loads the app's own files only."""
    foreign = watch_hosts(page, live_server)
    own = []
    page.on("request", lambda request: own.append(request.url))
    log_in(page, live_server, "penilai_sigi", "pw-penilai_sigi")
    page.goto(f"{live_server.url}/regions/72.10/matrix/")
    page.locator(f"#c{actors[0].pk}-{actors[1].pk} a").click()
    page.locator("#score-form").wait_for()
    assert foreign == []
    # The test would not notice anything if no request were seen at all.
    assert any(url.endswith(".css") for url in own) and any(url.endswith(".js") for url in own)
