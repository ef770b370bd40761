"""A planner downloads the region's reports from the dashboard, and reads them back."""

import csv
import io
import re
from pathlib import Path

import networkx as nx
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.browser.conftest import log_in

pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def download(page, button_name):
    with page.expect_download() as info:
        page.get_by_role("button", name=button_name, exact=True).click()
    return info.value


def test_a_planner_downloads_the_pdf_and_the_xlsx(
    page, live_server, screenshot, mapped_district, planner, tmp_path
):
    log_in(page, live_server, "perencana", "pw-perencana")
    page.goto(f"{live_server.url}/regions/72.10/")
    downloads = page.locator("section.downloads:not(.packs)")
    downloads.scroll_into_view_if_needed()
    screenshot(page, "dashboard-downloads")
    current = mapped_district.current.pk

    pdf = download(page, "PDF")
    assert re.search(rf"/regions/72\.10/report\.pdf\?round={current}(&|$)", pdf.url)
    assert pdf.suggested_filename == "peta-konvergensi-kabupaten-sigi-pemetaan-sigi-2026.pdf"
    reader = PdfReader(pdf.path())
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in reader.pages))
    # Names and figures, whatever the language of the labels around them.
    assert "Kabupaten Sigi 72.10" in text
    assert "Pemetaan Sigi 2026" in text
    assert "Pemetaan Sigi 2025" in text  # the previous round, for the change
    assert "Dinas Kesehatan Kabupaten Sigi" in text and "Bappeda Kabupaten Sigi" in text
    assert "perencana" in text  # who exported it

    xlsx = download(page, "XLSX")
    assert re.search(rf"/regions/72\.10/report\.xlsx\?round={current}(&|$)", xlsx.url)
    assert xlsx.suggested_filename == "peta-konvergensi-kabupaten-sigi-pemetaan-sigi-2026.xlsx"
    saved = tmp_path / xlsx.suggested_filename
    xlsx.save_as(saved)
    book = load_workbook(saved)
    assert len(book.sheetnames) == 9
    summary = {row[0]: row[1] for row in book.worksheets[0].iter_rows(values_only=True) if row}
    assert "Kabupaten Sigi" in summary.values()
    assert "Pemetaan Sigi 2026" in summary.values()
    # 4 actors, 6 possible pairs, 4 assessed: the figures are numbers, not text.
    numbers = [value for value in summary.values() if isinstance(value, int)]
    assert 4 in numbers and 6 in numbers
    # The matrix sheet: the four actors, and the level of Dinkes–Bappeda (4) in it.
    matrix = [row for row in book.worksheets[1].iter_rows(values_only=True)]
    cells = [value for row in matrix for value in row if value is not None]
    for name in ("Dinas Kesehatan Kabupaten Sigi", "Bappeda Kabupaten Sigi"):
        assert any(name in str(value) for value in cells)
    assert 4 in cells
    # The pair list: one row per assessed pair, with the evidence note.
    pairs = [row for row in book.worksheets[2].iter_rows(values_only=True)]
    assert any("Rapat koordinasi bulanan" in row for row in pairs)
    assert len([row for row in pairs[1:] if any(row)]) == 4


def test_a_planner_downloads_the_excel_csv_and_the_network_for_gephi(
    page, live_server, screenshot, mapped_district, planner, tmp_path
):
    log_in(page, live_server, "perencana", "pw-perencana")
    page.goto(f"{live_server.url}/regions/72.10/")
    downloads = page.locator("section.downloads:not(.packs)")
    downloads.scroll_into_view_if_needed()
    screenshot(page, "dashboard-downloads-network")
    current = mapped_district.current.pk
    stem = "peta-konvergensi-kabupaten-sigi-pemetaan-sigi-2026"

    excel = download(page, "CSV untuk Excel (Indonesia)")
    assert re.search(rf"/regions/72\.10/report\.csv\?round={current}&.*variant=excel-id", excel.url)
    assert excel.suggested_filename == f"{stem}-excel.csv"
    body = Path(excel.path()).read_bytes()
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows[0][:2] == ["Aktor A", "Sektor aktor A"] and len(rows) == 1 + 4

    with page.expect_download() as info:
        page.get_by_role("link", name="GEXF (Gephi)").click()
    gexf = info.value
    assert gexf.suggested_filename == f"{stem}-jaringan.gexf"
    graph = nx.read_gexf(gexf.path())
    names = {data["label"] for _node, data in graph.nodes(data=True)}
    assert {"Dinas Kesehatan Kabupaten Sigi", "Bappeda Kabupaten Sigi"} <= names
    assert graph.number_of_nodes() == 4

    # The block does not push the page sideways on a phone.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/regions/72.10/")
    page.locator("section.downloads:not(.packs)").scroll_into_view_if_needed()
    screenshot(page, "dashboard-downloads-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
