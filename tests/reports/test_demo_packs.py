"""The demo's packs (``seed_demo``): Sigi's 2026 rembuk pack looks back on the 2025
actions, and its review pack files what the demo holds, both read back."""

import io
import re
import zipfile
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from openpyxl import load_workbook
from pypdf import PdfReader, PdfWriter

from assessments.models import AssessmentRound, RoundStatus
from followup.models import FollowUpAction
from followup.selectors import round_actions_checked
from followup.services import document_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", stdout=StringIO())
    planner = get_user_model().objects.get(username="perencana")
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(planner)
    rounds = AssessmentRound.objects.filter(region__code="72.10")
    return {
        "client": client,
        "admin": get_user_model().objects.get(username="admin"),
        "first": rounds.get(status=RoundStatus.CLOSED),
        "later": rounds.get(status=RoundStatus.OPEN),
    }


def test_the_demos_rembuk_pack_reads_back_last_years_results(demo):
    response = demo["client"].get(f"/regions/72.10/rembuk-stunting.pdf?round={demo['later'].pk}")
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))
    assert "4. Last year's actions and their result" in text
    checked = round_actions_checked(round=demo["first"], rounds=[demo["later"]])
    assert len(checked) == FollowUpAction.objects.filter(round=demo["first"]).count() > 0
    reached = sum(1 for row in checked if row.reached)
    below = sum(1 for row in checked if row.reached is False)
    assert reached and below  # the demo shows both
    assert f"Target reached: {reached} · Still below the target: {below}" in text
    for row in checked:
        assert row.action.owner.name[:20] in text


def test_the_demos_review_pack_files_an_uploaded_decree_and_names_the_missing_aksi(demo):
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    content = io.BytesIO()
    writer.write(content)
    document_upload(
        user=demo["admin"],
        file=SimpleUploadedFile("SK TPPS Sigi.pdf", content.getvalue()),
        region=demo["later"].region,
        round=demo["later"],
        aksi=4,
        title="SK Tim Percepatan Penurunan Stunting",
    )
    response = demo["client"].get(f"/regions/72.10/performance-review.zip?round={demo['later'].pk}")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert archive.read("04-village-regulation/SK TPPS Sigi.pdf") == content.getvalue()
    by_aksi = list(load_workbook(io.BytesIO(archive.read("00-index.xlsx")))["By aksi"].values)
    # The demo files 2026's situation analysis (aksi 1) and a decree on a pair (aksi 2).
    assert {row[0] for row in by_aksi[1:] if row[4] == "No document"} == {3, 5, 6, 7, 8}
    assert archive.read("01-situation-analysis/analisis-situasi.pdf").startswith(b"%PDF-")
    pages = PdfReader(io.BytesIO(archive.read("00-index.pdf"))).pages
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in pages))
    assert "SK Tim Percepatan Penurunan Stunting" in text
