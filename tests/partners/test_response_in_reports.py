"""The reports carry the partners' response as the dashboard counts it (answered / invited),
and leave it out of a round where nobody was invited."""

import io

from openpyxl import load_workbook
from pypdf import PdfReader

from partners.services import answer_save
from tests.partners.test_pair_views import level_answer
from tests.reports.conftest import english, report_url


def pdf_text(client, region) -> str:
    response = english(client, report_url(region, "pdf"))
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def test_the_pdf_gives_the_response_rate(planner_client, district, open_round, actors, links):
    answer_save(invitation=links[0][0], other_actor=actors[1], answers=level_answer(2))
    answer_save(invitation=links[2][0], other_actor=actors[3], answers={"kind": "none"})
    text = pdf_text(planner_client, district)
    assert "Partners' response 50 %" in text
    assert "2 of 4 invited partners answered the partners' form" in text


def test_a_round_without_invitations_has_no_response_line(planner_client, district, open_round):
    text = pdf_text(planner_client, district)
    assert "Key figures" in text
    assert "Partners' response" not in text


def summary_rows(client, region) -> dict:
    response = english(client, report_url(region, "xlsx"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    return {row[0]: row[1:] for row in sheet.iter_rows(values_only=True) if row and row[0]}


def test_the_xlsx_gives_the_response_rate(planner_client, district, open_round, actors, links):
    answer_save(invitation=links[0][0], other_actor=actors[1], answers=level_answer(2))
    rows = summary_rows(planner_client, district)
    share, words = rows["Partners' response"][:2]
    assert share == 0.25
    assert words.startswith("1 of 4 invited partners answered the partners' form")


def test_the_xlsx_has_no_response_row_without_invitations(planner_client, district, open_round):
    rows = summary_rows(planner_client, district)
    assert "Key figures" in rows
    assert "Partners' response" not in rows
