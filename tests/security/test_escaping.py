"""Names with markup, stored through the admin (the ORM: the admin does not refuse them),
are shown as text everywhere: escaped in every page, literal in the PDF, XLSX and CSV."""

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from assessments.models import RoundStatus
from tests.factories import ActorFactory, ProgrammeFactory, RoundFactory, SectorFactory, score
from tests.security.conftest import page_client

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
DROP = "'; DROP TABLE actors_actor; --"
ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"


@pytest.fixture
def hostile(district, actors, health, open_round):
    """A hostile actor, programme and note in Sigi, scored in two rounds."""
    a, b, c, _d = actors
    sector = SectorFactory(code="hostile", name_id=IMG, name_en=SCRIPT, sort_order=5)
    actor = ActorFactory(name=SCRIPT, short_name=IMG, sector=sector, home_region=district)
    sql = ActorFactory(name=DROP, short_name="1 OR 1=1", sector=health, home_region=district)
    programme = ProgrammeFactory(region=district, lead_actor=actor, name=f"Program {IMG}")
    programme.participants.create(actor=actor, role="lead", stages=["planning"])
    programme.participants.create(actor=a, role="implementer", stages=["planning"])
    previous = RoundFactory(
        region=district,
        name="Pemetaan 2025",
        status=RoundStatus.CLOSED,
        period_start=date(2025, 1, 1),
        period_end=date(2025, 6, 30),
    )
    score(previous, actor, a, 1)
    score(open_round, actor, a, 3, note=f"Catatan {SCRIPT}")
    score(open_round, actor, c, 2)
    score(open_round, sql, b, 1)
    return {"actor": actor, "programme": programme, "previous": previous, "round": open_round}


PAGES = [
    "/regions/72.10/",  # names none of them: only the absence of raw markup is checked
    "/regions/72.10/matrix/",
    "/regions/72.10/sectors/",
    "/regions/72.10/levels/",
    "/regions/72.10/network/",
    "/regions/72.10/network.svg",
    "/regions/72.10/compare/?previous={previous}",
    "/regions/72.10/overlaps/",
    "/programmes/{programme}/who-how/",
    "/rounds/{round}/pairs/{actor}-{other}/",
    "/admin/actors/actor/",
    "/admin/assessments/pairassessment/",
]


@pytest.mark.parametrize("url", PAGES)
def test_markup_in_names_is_escaped_on_every_page(hostile, admin_user, actors, url):
    url = url.format(
        previous=hostile["previous"].pk,
        programme=hostile["programme"].pk,
        round=hostile["round"].pk,
        actor=hostile["actor"].pk,
        other=actors[0].pk,
    )
    response = page_client(admin_user).get(url)
    assert response.status_code == 200
    html = response.content.decode()
    for raw in (SCRIPT, IMG):
        assert raw not in html
    if url != "/regions/72.10/":
        # The name is there, as text (escaped), not dropped.
        assert ESCAPED_SCRIPT in html or "&lt;img src=x onerror=alert(1)&gt;" in html


def test_the_sql_like_name_is_stored_and_shown_as_text(hostile, scorer):
    html = page_client(scorer).get("/regions/72.10/matrix/").content.decode()
    assert "&#x27;; DROP TABLE actors_actor; --" in html


def test_the_pdf_prints_the_name_as_text(hostile, planner):
    response = page_client(planner).get("/regions/72.10/report.pdf")
    assert response.status_code == 200
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "alert(1)" in text
    assert "<script>" in text.replace("\n", "")


def test_the_xlsx_holds_the_literal_name(hostile, planner):
    response = page_client(planner).get("/regions/72.10/report.xlsx")
    workbook = load_workbook(io.BytesIO(response.content))
    values = {
        cell.value
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    }
    assert SCRIPT in values
    assert DROP in values


def test_the_csv_holds_the_literal_name_and_note(hostile, planner):
    response = page_client(planner).get("/regions/72.10/report.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    cells = {cell for row in rows for cell in row}
    assert SCRIPT in cells
    assert f"Catatan {SCRIPT}" in cells
    assert DROP in cells
