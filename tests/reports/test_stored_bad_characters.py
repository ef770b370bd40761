"""Every report and export survives characters that are not text, if they are already
stored: put there around the validation (``QuerySet.update``), as older data or another
program could have. Each URL answers 200 with a file that opens, the name still in it
with the bad character replaced by U+FFFD.

A lone surrogate cannot be stored by either database, and PostgreSQL refuses NUL in text:
those are tried where the database takes them.
"""

import csv
import io
import xml.etree.ElementTree as ElementTree

import networkx as nx
import pytest
from django.db import connection
from openpyxl import load_workbook
from pypdf import PdfReader

from actors.models import Actor, Programme, ProgrammeParticipant, Region, Sector
from assessments.models import AssessmentRound, PairAssessment
from convergence.validators import xml_safe
from tests.reports.conftest import english

BAD = {
    "NUL": "\x00",
    "U+0001": "\x01",
    "escape U+001B": "\x1b",
    "vertical tab": "\x0b",
    "U+FFFE": "\ufffe",
    "U+FFFF": "\uffff",
    # Allowed by XML 1.0, refused by the free-text rule: written as they are.
    "NEL U+0085": "\x85",
    "U+FDD0": "\ufdd0",
}


@pytest.fixture(params=BAD.values(), ids=BAD.keys())
def bad(request, db):
    if request.param == "\x00" and connection.vendor == "postgresql":
        pytest.skip("PostgreSQL cannot store NUL in text")
    return request.param


@pytest.fixture
def stored(bad, district, province, scored_round, previous_round, actors, planner):
    """Sigi's names, notes and descriptions, each holding ``bad``."""
    a, b, c, _d = actors
    programme = Programme.objects.create(
        name="Stunting Sigi",
        region=district,
        period_start=scored_round.period_start,
        period_end=scored_round.period_end,
        lead_actor=a,
    )
    ProgrammeParticipant.objects.create(programme=programme, actor=a, role="lead")
    Actor.objects.filter(pk=a.pk).update(name=f"Dinas{bad}Kesehatan", short_name=f"Din{bad}kes")
    Actor.objects.filter(pk=c.pk).update(name=f"Bappeda{bad}Sigi")
    Sector.objects.filter(pk=a.sector_id).update(name_id=f"Kese{bad}hatan", name_en=f"He{bad}alth")
    Region.objects.filter(pk=district.pk).update(name=f"Kabupaten{bad}Sigi")
    Region.objects.filter(pk=province.pk).update(name=f"Sulawesi{bad}Tengah")
    AssessmentRound.objects.filter(pk=scored_round.pk).update(name=f"Pemetaan{bad}2026")
    AssessmentRound.objects.filter(pk=previous_round.pk).update(name=f"Pemetaan{bad}2025")
    PairAssessment.objects.filter(round=scored_round, actor_a=a, actor_b=b).update(
        note=f"Rapat{bad}TPPS"
    )
    Programme.objects.filter(pk=programme.pk).update(
        name=f"Stunting{bad}Sigi", description=f"Tujuan{bad}gizi"
    )
    ProgrammeParticipant.objects.filter(programme=programme).update(contribution_note=f"APBD{bad}")
    type(planner).objects.filter(pk=planner.pk).update(first_name=f"Peren{bad}cana")
    return {"programme": programme, "round": scored_round, "previous": previous_round, "a": a}


def _expected(bad: str) -> str:
    """How a writer shows ``Dinas<bad>Kesehatan``."""
    return xml_safe(f"Dinas{bad}Kesehatan")


def _xlsx_text(content: bytes) -> set[str]:
    workbook = load_workbook(io.BytesIO(content))
    return {
        cell.value
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    }


def _csv_text(content: bytes) -> set[str]:
    rows = csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""))
    return {cell for row in rows for cell in row}


@pytest.mark.parametrize("region", ["72.10", "72"], ids=["district", "province"])
def test_the_xlsx_report_opens(stored, planner_client, bad, region):
    response = english(planner_client, f"/regions/{region}/report.xlsx")
    assert response.status_code == 200
    values = _xlsx_text(response.content)
    if region == "72.10":
        assert _expected(bad) in values


def test_the_pdf_report_opens(stored, planner_client, bad):
    response = english(planner_client, "/regions/72.10/report.pdf")
    assert response.status_code == 200
    pages = PdfReader(io.BytesIO(response.content)).pages
    # A character drawn from a fallback font can come out of pypdf as UTF-16 bytes.
    text = "".join(page.extract_text() for page in pages).replace("\x00", "")
    assert "Kesehatan" in text


def test_the_csv_report_opens(stored, planner_client, bad):
    response = english(planner_client, "/regions/72.10/report.csv")
    assert response.status_code == 200
    values = _csv_text(response.content)
    assert _expected(bad) in values
    assert xml_safe(f"Rapat{bad}TPPS") in values


def test_the_network_svg_is_xml(stored, planner_client, bad):
    response = english(planner_client, "/regions/72.10/network.svg")
    assert response.status_code == 200
    svg = ElementTree.fromstring(response.content)
    texts = {element.text for element in svg.iter() if element.text}
    assert any(_expected(bad)[:20] in text for text in texts)


@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
def test_the_network_files_are_xml(stored, planner_client, bad, fmt):
    """GEXF and GraphML read back with networkx: the names with the bad character
    replaced, and the file named in plain ASCII."""
    response = english(planner_client, f"/regions/72.10/network.{fmt}")
    assert response.status_code == 200
    read = nx.read_gexf if fmt == "gexf" else nx.read_graphml
    graph = read(io.BytesIO(response.content))
    labels = {data["label"] for _node, data in graph.nodes(data=True)}
    assert _expected(bad) in labels and xml_safe(f"Bappeda{bad}Sigi") in labels
    assert xml_safe(f"He{bad}alth") in {data["sector"] for _n, data in graph.nodes(data=True)}
    assert graph.graph["name"] == xml_safe(f"Pemetaan{bad}2026")
    disposition = response["Content-Disposition"]
    assert disposition.isascii() and disposition.isprintable()


@pytest.mark.parametrize("path", ["network-nodes.csv", "network-edges.csv"])
def test_the_network_lists_open(stored, planner_client, bad, path):
    response = english(planner_client, f"/regions/72.10/{path}")
    assert response.status_code == 200
    assert _expected(bad) in _csv_text(response.content)


PAGES = [
    "/regions/72.10/",
    "/regions/72.10/matrix/",
    "/regions/72.10/sectors/",
    "/regions/72.10/levels/",
    "/regions/72.10/network/",
    "/regions/72.10/compare/?previous={previous}",
    "/programmes/{programme}/who-how/",
    "/rounds/{round}/pairs/{a}-{c}/",
    "/regions/72/",
]


@pytest.mark.parametrize("url", PAGES)
def test_the_pages_answer(stored, admin_client_, actors, url):
    url = url.format(
        previous=stored["previous"].pk,
        programme=stored["programme"].pk,
        round=stored["round"].pk,
        a=actors[0].pk,
        c=actors[2].pk,
    )
    response = english(admin_client_, url)
    assert response.status_code == 200


API_EXPORTS = [
    "/api/v1/exports/actors/?file_type={file_type}",
    "/api/v1/exports/regions/?file_type={file_type}",
    "/api/v1/rounds/{round}/export/?file_type={file_type}&shape=edges",
    "/api/v1/rounds/{round}/export/?file_type={file_type}&shape=matrix",
]


@pytest.mark.parametrize("file_type", ["xlsx", "csv"])
@pytest.mark.parametrize("url", API_EXPORTS)
def test_the_api_exports_open(stored, admin_client_, bad, url, file_type):
    response = admin_client_.get(url.format(round=stored["round"].pk, file_type=file_type))
    assert response.status_code == 200, response.content[:300]
    values = _xlsx_text(response.content) if file_type == "xlsx" else _csv_text(response.content)
    if "regions" in url:
        assert xml_safe(f"Kabupaten{bad}Sigi") in values
    else:
        assert _expected(bad) in values
