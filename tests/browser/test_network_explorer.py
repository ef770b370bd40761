"""The network explorer as a planner uses it: filters, one actor's ties, colours, under the
app's Content-Security-Policy, and on a phone. Leaves screenshots in
test-artifacts/screenshots/ (network-explorer.png, network-explorer-focus.png)."""

from io import StringIO

import networkx as nx
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from actors.models import GovernmentLevel
from tests.browser.conftest import log_in
from tests.factories import ActorFactory, RegionFactory, score

expect = pytest.importorskip("playwright.sync_api", reason="playwright is not installed").expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def explored(mapped_district, actors, district, education, planning):
    """Sigi's open round of ``mapped_district`` with two more actors, below the district:

    Dinkes–PKM 3, Dinkes–Bappeda 4, PKM–Bappeda 1, Dinkes–Disdik 0 (no link),
    Kecamatan–Dinkes 3, Kecamatan–Desa 2, Desa–PKM 4, Desa–Bappeda 1.

    6 actors, 7 links, 4 of them at level 3 or above; Dinkes is tied at 3 or above to PKM,
    Bappeda and the Kecamatan.
    """
    subdistrict = RegionFactory(
        code="72.10.01",
        name="Kecamatan Sigi Biromaru",
        level=GovernmentLevel.SUBDISTRICT,
        parent=district,
    )
    village = RegionFactory(
        code="72.10.01.2001",
        name="Desa Kalukubula",
        level=GovernmentLevel.VILLAGE,
        parent=subdistrict,
    )
    kecamatan = ActorFactory(
        name="Kantor Camat Sigi Biromaru",
        short_name="Camat",
        sector=planning,
        home_region=subdistrict,
    )
    desa = ActorFactory(
        name="Pemerintah Desa Kalukubula",
        short_name="Desa Kalukubula",
        sector=education,
        home_region=village,
    )
    dinkes, puskesmas, bappeda, _disdik = actors
    round_ = mapped_district.current
    score(round_, kecamatan, dinkes, 3)
    score(round_, kecamatan, desa, 2)
    score(round_, desa, puskesmas, 4)
    score(round_, desa, bappeda, 1)
    return round_


def open_network(page, live_server, round_):
    page.goto(f"{live_server.url}/regions/72.10/network/?round={round_.pk}")
    expect(page.locator("#network-explorer")).to_be_visible()
    page.wait_for_function("() => window.networkExplorer !== undefined")


def count(page, what):
    return page.evaluate(f"() => window.networkExplorer.{what}()")


def test_a_planner_filters_focuses_and_recolours_the_network(
    page, live_server, screenshot, explored, planner
):
    # Under the app's Content-Security-Policy: no refused style or script, no script error,
    # no warning from Cytoscape.
    problems = []
    page.on(
        "console",
        lambda message: (
            problems.append(message.text) if message.type in ("error", "warning") else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    log_in(page, live_server, "perencana", "pw-perencana")
    open_network(page, live_server, explored)

    # On screen the explorer stands in for the drawn map, which stays for paper.
    expect(page.locator("#network-print-figure")).to_be_hidden()
    assert page.locator("#network-print-figure img").count() == 1
    assert (count(page, "visibleNodes"), count(page, "visibleEdges")) == (6, 7)
    expect(page.locator("#explorer-status")).to_contain_text("6")
    # Cytoscape drew into its canvas (its container rule came from network.css).
    assert page.locator("#network-canvas canvas").count() >= 1
    assert (
        page.locator("#network-canvas").evaluate("e => getComputedStyle(e).position") == "relative"
    )

    page.select_option("#explorer-min-level", "3")
    assert (count(page, "visibleNodes"), count(page, "visibleEdges")) == (6, 4)

    # Leaving out the village level hides the Desa and its level-4 tie.
    page.locator(f"#explorer-government-levels input[value='{GovernmentLevel.VILLAGE}']").uncheck()
    assert (count(page, "visibleNodes"), count(page, "visibleEdges")) == (5, 3)
    page.locator(f"#explorer-government-levels input[value='{GovernmentLevel.VILLAGE}']").check()
    screenshot(page, "network-explorer", full_page=True)

    # Searching an actor shows only it and the actors tied to it at level 3 or above.
    page.fill("#explorer-search", "Dinas Kesehatan Kabupaten Sigi")
    page.click("#explorer-controls button[type=submit]")
    expect(page.locator("#explorer-focus")).to_be_visible()
    expect(page.locator("#explorer-focus-name")).to_have_text("Dinas Kesehatan Kabupaten Sigi")
    visible = page.evaluate("() => window.networkExplorer.visibleNodeIds()")
    names = page.evaluate(
        "() => window.networkExplorer.cy.nodes().not('.hidden').map(n => n.data('label')).sort()"
    )
    assert names == ["Bappeda", "Camat", "Dinkes", "PKM Biromaru"]
    assert len(visible) == 4
    assert count(page, "visibleEdges") == 3
    link = page.locator("#explorer-actor-link")
    expect(link).to_have_attribute(
        "href", f"/regions/72.10/actors/{visible_id(page, 'Dinkes')}/?round={explored.pk}"
    )

    # Colour by government level: the district actors change colour, the legend says so.
    before = node_colour(page, "Dinkes")
    page.check("input[name=colour][value=government_level]")
    after = node_colour(page, "Dinkes")
    assert before != after
    assert after == "rgb(230,85,13)"  # the district colour, #e6550d
    screenshot(page, "network-explorer-focus", full_page=True)

    # An unknown name says so and changes nothing.
    page.fill("#explorer-search", "Tidak Ada")
    page.click("#explorer-controls button[type=submit]")
    expect(page.locator("#explorer-message")).to_be_visible()
    assert count(page, "visibleNodes") == 4

    page.click("#explorer-show-all")
    expect(page.locator("#explorer-focus")).to_be_hidden()
    assert (count(page, "visibleNodes"), count(page, "visibleEdges")) == (6, 4)

    # Clicking an actor on the canvas focuses it too.
    position = page.evaluate(
        "() => { const n = window.networkExplorer.cy.nodes().filter(n => n.data('label') === "
        "'Disdik')[0]; return n.renderedPosition(); }"
    )
    page.locator("#network-canvas").scroll_into_view_if_needed()
    box = page.locator("#network-canvas").bounding_box()
    page.mouse.click(box["x"] + position["x"], box["y"] + position["y"])
    expect(page.locator("#explorer-focus-name")).to_have_text("Dinas Pendidikan Kabupaten Sigi")
    assert count(page, "visibleNodes") == 1

    # A planner reads details: the network files are offered.
    expect(page.locator("#download-gexf")).to_have_attribute(
        "href", f"/regions/72.10/network.gexf?round={explored.pk}"
    )
    expect(page.locator("#download-graphml")).to_have_attribute(
        "href", f"/regions/72.10/network.graphml?round={explored.pk}"
    )
    # Both files download and read back in networkx: every actor of the round, the links
    # at cooperation or above with their level.
    for file_type, read in (("gexf", nx.read_gexf), ("graphml", nx.read_graphml)):
        with page.expect_download() as download:
            page.click(f"#download-{file_type}")
        graph = read(download.value.path())
        labels = sorted(data["label"] for _node, data in graph.nodes(data=True))
        assert len(labels) == 6 and "Dinas Kesehatan Kabupaten Sigi" in labels, file_type
        assert graph.number_of_edges() == 7, file_type
        levels = sorted(int(data["level"]) for _a, _b, data in graph.edges(data=True))
        assert levels.count(4) >= 1 and min(levels) >= 1, (file_type, levels)
    with page.expect_download() as download:
        page.click("#download-png")
    path = download.value.path()
    with open(path, "rb") as png:
        assert png.read(8) == b"\x89PNG\r\n\x1a\n"

    # Paper: the explorer hides, the drawn map shows.
    page.emulate_media(media="print")
    expect(page.locator("#network-explorer")).to_be_hidden()
    expect(page.locator("#network-print-figure")).to_be_visible()
    # The drawing is an image of the SVG: loaded, with its size, ready for paper.
    assert (
        page.locator("#network-print-figure img").evaluate("i => i.complete && i.naturalWidth") > 0
    )
    page.emulate_media(media="screen")

    assert problems == []


def visible_id(page, label):
    return page.evaluate(
        "(label) => window.networkExplorer.cy.nodes().filter(n => n.data('label') === label)[0]"
        ".id()",
        label,
    )


def node_colour(page, label):
    return page.evaluate(
        "(label) => window.networkExplorer.cy.nodes().filter(n => n.data('label') === label)[0]"
        ".style('background-color').replace(/ /g, '')",
        label,
    )


def test_the_explorer_fits_a_phone(phone_page, live_server, screenshot, explored, planner):
    log_in(phone_page, live_server, "perencana", "pw-perencana")
    open_network(phone_page, live_server, explored)
    assert phone_page.evaluate("() => document.documentElement.scrollWidth") <= 390
    assert phone_page.locator("#network-canvas").bounding_box()["width"] <= 390
    screenshot(phone_page, "network-explorer-phone", full_page=True)


def test_the_demo_s_network_in_the_explorer(page, live_server, screenshot, transactional_db):
    """Sigi's demo round (50 actors, hundreds of links): the explorer shows the counts of
    the figures above it, and the filter by level thins it out."""
    call_command("seed_demo", stdout=StringIO())
    planner = get_user_model().objects.get(username="perencana")
    planner.set_password("pw-perencana-demo")  # the demo prints a fresh one each run
    planner.save()
    log_in(page, live_server, "perencana", "pw-perencana-demo")
    page.goto(f"{live_server.url}/regions/72.10/network/")
    page.wait_for_function("() => window.networkExplorer !== undefined")
    figures = page.locator("#network-figures dd")
    actors, links = int(figures.nth(0).inner_text()), int(figures.nth(2).inner_text())
    assert actors >= 30 and links >= 100
    assert (count(page, "visibleNodes"), count(page, "visibleEdges")) == (actors, links)
    page.locator("#network-canvas").scroll_into_view_if_needed()
    screenshot(page, "network-explorer-demo-all")
    page.select_option("#explorer-min-level", "4")
    strongest = count(page, "visibleEdges")
    assert 0 < strongest < links
    page.check("input[name=layout][value=circle]")
    assert count(page, "visibleEdges") == strongest
    screenshot(page, "network-explorer-demo", full_page=True)
