"""Report files are named after the region and the round, never after database ids."""

from datetime import date

import pytest
from django.http import HttpResponse

from actors.models import GovernmentLevel
from reports.filenames import attachment, report_filename
from tests.factories import RegionFactory, RoundFactory
from tests.reports.conftest import report_url


@pytest.mark.parametrize("fmt", ["pdf", "xlsx", "csv"])
def test_the_download_is_named_after_region_and_round(planner_client, district, scored_round, fmt):
    response = planner_client.get(report_url(district, fmt))
    name = "peta-konvergensi-kabupaten-sigi-pemetaan-sigi-2026"
    assert response["Content-Disposition"] == f'attachment; filename="{name}.{fmt}"'
    assert str(scored_round.pk) not in response["Content-Disposition"]


def test_an_older_round_is_named_after_itself(planner_client, district, previous_round):
    response = planner_client.get(report_url(district, "xlsx", round=previous_round.pk))
    assert response["Content-Disposition"] == (
        'attachment; filename="peta-konvergensi-kabupaten-sigi-pemetaan-sigi-2025.xlsx"'
    )


def test_a_region_without_rounds_is_named_after_the_region(planner_client, district):
    response = planner_client.get(report_url(district, "pdf"))
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="peta-konvergensi-kabupaten-sigi.pdf"'
    )


@pytest.mark.django_db
def test_names_are_ascii_slugs(province):
    region = RegionFactory(
        code="72.11",
        name="Kab. Banggai “Laut” – Pulau/Kepulauan",
        level=GovernmentLevel.DISTRICT,
        parent=province,
    )
    round_ = RoundFactory(region=region, name='Pemetaan ke-2: "Évaluasi" 2025/2026')
    name = report_filename(region, round_, "pdf")
    assert (
        name
        == "peta-konvergensi-kab-banggai-laut-pulaukepulauan-pemetaan-ke-2-evaluasi-20252026.pdf"
    )
    assert name.isascii() and '"' not in name and "/" not in name


@pytest.mark.django_db
def test_a_name_without_latin_letters_falls_back_to_code_and_year(province):
    region = RegionFactory(
        code="72.12", name="سيغي", level=GovernmentLevel.DISTRICT, parent=province
    )
    round_ = RoundFactory(
        region=region, name="—", period_start=date(2025, 1, 1), period_end=date(2025, 6, 30)
    )
    assert report_filename(region, round_, "csv") == "peta-konvergensi-72-12-2025.csv"


@pytest.mark.django_db
def test_a_long_name_is_cut(province):
    region = RegionFactory(
        code="72.13",
        name=("Kabupaten " + "Sangat Panjang " * 9).strip(),  # 144 of the 150 allowed
        level=GovernmentLevel.DISTRICT,
        parent=province,
    )
    name = report_filename(region, None, "xlsx", suffix="-excel")
    assert len(name) <= 120 + len("-excel.xlsx") and name.endswith("-excel.xlsx")
    assert "--" not in name


def test_a_name_that_is_not_ascii_is_also_sent_as_rfc_5987():
    header = attachment(HttpResponse(b""), "peta-konvergensi-sigi-ü.pdf")["Content-Disposition"]
    assert header == "attachment; filename*=utf-8''peta-konvergensi-sigi-%C3%BC.pdf"


@pytest.mark.parametrize("shape", ["edges", "matrix"])
@pytest.mark.parametrize("file_type", ["csv", "xlsx"])
def test_the_api_export_of_a_round_is_named_after_it(admin_client_, scored_round, shape, file_type):
    response = admin_client_.get(
        f"/api/v1/rounds/{scored_round.pk}/export/?file_type={file_type}&shape={shape}"
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="peta-konvergensi-kabupaten-sigi-pemetaan-sigi-2026-{shape}'
        f'.{file_type}"'
    )
