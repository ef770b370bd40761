"""The builders report their progress (a share from 0 to 1) to a caller that asks."""

import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from assessments.models import AssessmentRound, Level
from reports.pdf import build_pdf
from reports.selectors import region_report
from reports.xlsx import build_xlsx


@pytest.mark.parametrize("build", [build_pdf, build_xlsx])
def test_each_builder_reports_its_progress_from_0_to_1(district, scored_round, build):
    report = region_report(
        region=district,
        rounds=list(AssessmentRound.objects.filter(region=district).order_by("-period_start")),
        round=scored_round,
        target=Level.COLLABORATION,
        exported_by="perencana",
    )
    done = []
    content = build(report, progress=done.append)
    assert done[0] == 0.0 and done[-1] == 1.0
    assert done == sorted(done) and len(done) >= 4
    assert all(0 <= share <= 1 for share in done)
    # The same file as without it.
    if build is build_pdf:
        assert len(PdfReader(io.BytesIO(content)).pages) == len(
            PdfReader(io.BytesIO(build(report))).pages
        )
    else:
        assert load_workbook(io.BytesIO(content)).sheetnames == (
            load_workbook(io.BytesIO(build(report))).sheetnames
        )
