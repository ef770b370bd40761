"""The who × who matrix in the PDF: the one-page overview, the full pages up to
FULL_MATRIX_MAX_ACTORS actors, one sector's pages on request (?sector=), read back with
pypdf."""

import io
import re

import pytest
from pypdf import PdfReader

from actors.models import Actor, Sector
from assessments.models import AssessmentRound, PairAssessment
from reports import builds
from reports import pdf as pdf_module
from tests.factories import ActorFactory, SectorFactory, score
from tests.reports.conftest import english, report_url


def pages_text(response) -> list[str]:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return [re.sub(r"\s+", " ", page.extract_text()) for page in reader.pages]


def overview_page(pages: list[str], count: int) -> int:
    """The index of the overview page, which must be exactly one."""
    caption = f"Who × who matrix · overview · {count} actors"
    found = [index for index, text in enumerate(pages) if caption in text]
    assert len(found) == 1, found
    return found[0]


def captions(pages: list[str]) -> list[str]:
    return [
        found
        for text in pages
        for found in re.findall(r"Who × who matrix · (Rows \d+–\d+, columns \d+–\d+)", text)
    ]


@pytest.fixture
def large_round(open_round, district, health, planning, education, settings):
    """120 actors, 40 a sector, a chain of pairs scored; its PDF built in the request (a
    round of this size is built in the background by default: tests/reports/
    test_background_builds.py)."""
    settings.REPORT_BACKGROUND_MIN_ACTORS = settings.REPORT_PDF_BACKGROUND_MIN_ACTORS = 1000
    made = [
        ActorFactory(name=f"Aktor {sector.code} {index:02d}", sector=sector, home_region=district)
        for sector in (health, planning, education)
        for index in range(40)
    ]
    for index in range(0, 119, 3):
        score(open_round, made[index], made[index + 1], index % 5)
    return open_round


def test_a_large_round_prints_the_overview_and_says_how_to_get_a_sector(
    planner_client, district, large_round, planning
):
    pages = pages_text(english(planner_client, report_url(district, "pdf")))
    at = overview_page(pages, 120)
    overview = pages[at]
    # The sectors label the bands (along both axes), with their number of actors.
    for band in ("Health (40)", "Planning (40)", "Education (40)"):
        assert overview.count(band) >= 2, band
    # Not each actor's name: a fraction of a millimetre high at this size.
    assert "Aktor planning 07" not in overview
    # The legend: levels, not assessed apart from 0, the actor itself.
    for key in ("0 None", "1 Cooperation", "4 Integration", "· Not assessed", "The actor itself"):
        assert key in overview
    # Why the full pages are left out, and how to get one sector's.
    assert (
        "The full matrix, with every actor's number and name, is printed for rounds of at "
        "most 60 actors; this round has 120." in overview
    )
    assert (
        f"Planning (40): /regions/72.10/report.pdf?round={large_round.pk}&sector={planning.pk}"
        in overview
    )
    # The cover's contents say it too.
    assert (
        f"Who × who matrix · {at + 1}: the overview on one page; the full pages are printed for "
        "rounds of at most 60 actors (this round has 120), or for one sector on request" in pages[0]
    )
    # No full page: the next page is the sector × sector table.
    assert captions(pages) == []
    assert "Sector × sector" in pages[at + 1]


def test_one_sectors_rows_against_all_on_request(planner_client, district, large_round, planning):
    url = report_url(district, "pdf", round=large_round.pk, sector=planning.pk)
    pages = pages_text(english(planner_client, url))
    at = overview_page(pages, 120)
    assert (
        "The pages after this one print the rows of the actors of Planning against all the "
        "actors" in pages[at]
    )
    assert "the overview on one page, then the rows of Planning on 8 pages" in pages[0]
    # Planning is rows 41–80: two row blocks of 20, each across four column blocks of 30.
    assert captions(pages) == [
        f"Rows {rows}, columns {columns}"
        for columns in ("1–30", "31–60", "61–90", "91–120")
        for rows in ("41–60", "61–80")
    ]
    # The pages follow the overview, one a page, with the sector's actors' names.
    assert all(captions([pages[at + offset]]) for offset in range(1, 9))
    assert "Aktor planning 00" in pages[at + 1] and "Aktor health 00" not in pages[at + 1]


def test_a_small_round_has_the_overview_and_the_full_pages(planner_client, district, scored_round):
    pages = pages_text(english(planner_client, report_url(district, "pdf")))
    at = overview_page(pages, 5)
    assert "The pages after this one print the full matrix" in pages[at]
    assert "(rounds of at most 60 actors)" in pages[at]
    assert "Health (2)" in pages[at] and "Education (2)" in pages[at]
    assert captions(pages) == ["Rows 1–5, columns 1–5"]
    assert captions([pages[at + 1]]) == ["Rows 1–5, columns 1–5"]
    # The labels are text on the full page: names, numbers, short names of the columns.
    assert "Dinas Kesehatan Kabupaten Sigi" in pages[at + 1]
    assert "Forum Anak" in pages[at + 1]


def test_the_full_pages_stop_above_the_limit(
    planner_client, district, scored_round, monkeypatch, health
):
    """The rule at its edge: a round of exactly the limit has its pages, one more has not."""
    monkeypatch.setattr(pdf_module, "FULL_MATRIX_MAX_ACTORS", 5)
    pages = pages_text(english(planner_client, report_url(district, "pdf")))
    assert captions(pages) == ["Rows 1–5, columns 1–5"]
    monkeypatch.setattr(pdf_module, "FULL_MATRIX_MAX_ACTORS", 4)
    pages = pages_text(english(planner_client, report_url(district, "pdf")))
    assert captions(pages) == []
    at = overview_page(pages, 5)
    assert "printed for rounds of at most 4 actors; this round has 5." in pages[at]
    assert f"sector={health.pk}" in pages[at]


def _snapshot():
    return (
        list(PairAssessment.objects.order_by("pk").values()),
        list(Actor.objects.order_by("pk").values()),
        list(Sector.objects.order_by("pk").values()),
        list(AssessmentRound.objects.order_by("pk").values()),
    )


@pytest.fixture
def nothing_built(monkeypatch):
    """Fails the test if the view reads the report or lays out a PDF."""

    def refuse(*args, **kwargs):
        raise AssertionError("a refused request built the report")

    monkeypatch.setattr(builds, "region_report", refuse)
    monkeypatch.setattr(builds, "build_pdf", refuse)


@pytest.mark.parametrize(
    "raw, status, message",
    [
        ("abc", 400, "The sector must be given by its number, not “abc”."),
        ("2.5", 400, "The sector must be given by its number, not “2.5”."),
        ("%3Cb%3E", 400, "The sector must be given by its number, not “&lt;b&gt;”."),
        ("999999", 404, "This round has no actor in the sector number 999999."),
    ],
)
def test_a_bad_sector_is_refused_and_nothing_built(
    planner_client, district, scored_round, nothing_built, raw, status, message
):
    before = _snapshot()
    response = english(planner_client, report_url(district, "pdf", sector=raw))
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    assert "Content-Disposition" not in response
    assert message in response.content.decode()
    assert _snapshot() == before


def test_another_regions_sector_is_refused(
    planner_client, district, other_district, other_round, scored_round, nothing_built
):
    """A sector only Palu's actors belong to has no row in Sigi's round."""
    fisheries = SectorFactory(code="perikanan", name_id="Perikanan", name_en="Fisheries")
    ActorFactory(name="Dinas Perikanan Palu", sector=fisheries, home_region=other_district)
    before = _snapshot()
    response = english(planner_client, report_url(district, "pdf", sector=fisheries.pk))
    assert response.status_code == 404
    content = response.content.decode()
    assert f"This round has no actor in the sector number {fisheries.pk}." in content
    assert "Fisheries" not in content
    assert _snapshot() == before


def test_the_sector_does_not_open_the_door(
    viewer_client, other_scorer_client, district, scored_round, health
):
    """The viewer and Palu's scorer are refused whatever the sector asked for."""
    for client in (viewer_client, other_scorer_client):
        response = english(client, report_url(district, "pdf", sector=health.pk))
        assert response.status_code == 403


def test_the_overview_squares_tell_0_from_not_assessed():
    """Read the overview's PNG back: a square a pair, by level; 0 and not assessed differ."""
    from PIL import Image

    from assessments.selectors import Matrix
    from reports.matrix_overview import (
        NOT_ASSESSED_FILL,
        PIXELS,
        overview_png,
    )
    from reports.matrix_svg import LEVEL_FILLS, SELF_FILL

    health = Sector(pk=1, name_id="Kesehatan", name_en="Health")
    a, b, c = (Actor(pk=pk, name=f"A{pk}", sector=health) for pk in (1, 2, 3))
    matrix = Matrix(round=AssessmentRound(pk=1), actors=[a, b, c], levels={(1, 2): 0, (2, 3): 4})
    image = Image.open(io.BytesIO(overview_png(matrix))).convert("RGB")
    assert image.size == (3 * PIXELS, 3 * PIXELS)

    def colour(row, column):
        red, green, blue = image.getpixel((column * PIXELS + 1, row * PIXELS + 1))
        return f"#{red:02x}{green:02x}{blue:02x}"

    assert colour(0, 1) == colour(1, 0) == LEVEL_FILLS[0]
    assert colour(1, 2) == colour(2, 1) == LEVEL_FILLS[4]
    assert colour(0, 2) == colour(2, 0) == NOT_ASSESSED_FILL != LEVEL_FILLS[0]
    assert colour(0, 0) == colour(1, 1) == colour(2, 2) == SELF_FILL
    # A white line between two squares.
    assert image.getpixel((PIXELS - 1, 1)) == (255, 255, 255)


def test_a_full_pages_labels_are_one_line_a_row():
    """The labels are blocks of lines laid over the cells: a name stored with a line break
    (before the rules) must not push the names below it off their rows."""
    from assessments.selectors import Matrix
    from reports.matrix_svg import matrix_pages

    health = Sector(pk=1, name_id="Kesehatan", name_en="Health")
    planning = Sector(pk=2, name_id="Perencanaan", name_en="Planning")
    actors = [
        Actor(pk=1, name="Dinas\nKesehatan", short_name="", sector=health),
        Actor(pk=2, name="Puskesmas <Biromaru>", short_name="PKM", sector=health),
        Actor(pk=3, name="Bappeda", short_name="Bappeda\r\nSigi", sector=planning),
    ]
    matrix = Matrix(round=AssessmentRound(pk=1), actors=actors, levels={(1, 2): 3})
    (page,) = matrix_pages(matrix)

    def lines(css_class):
        found = re.search(rf'<div class="{css_class}" style="[^"]*">(.*?)</div>', page.svg, re.S)
        return found.group(1).split("\n")

    assert lines("m-names") == ["Dinas Kesehatan", "Puskesmas &lt;Biromaru&gt;", "Bappeda"]
    assert lines("m-numbers") == ["1", "2", "3"]
    assert lines("m-sectors") == ["Kesehatan", "", "Perencanaan"]
    assert lines("m-columns") == ["1 Dinas Kesehatan", "2 PKM", "3 Bappeda Sigi"]
