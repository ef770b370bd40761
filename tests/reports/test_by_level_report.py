"""The reports' "By government level" section read back (openpyxl, pypdf): Kim et al.'s
Table 2 with each level's main role, its own convergence and the links between levels."""

import io
import re

import pytest
from openpyxl import load_workbook

from actors.models import GovernmentLevel
from assessments.models import LevelRole
from tests.factories import ActorFactory, RegionFactory, score
from tests.reports.conftest import english, report_url
from tests.reports.test_pdf import pdf_text

P, D = GovernmentLevel.PROVINCE, GovernmentLevel.DISTRICT
K, V = GovernmentLevel.SUBDISTRICT, GovernmentLevel.VILLAGE


@pytest.fixture
def ladder(open_round, actors, province, district, health, planning):
    """Provincial Dinkes (P1); Sigi's four district actors (A–D); Puskesmas Dolo (K1) and
    Desa Kotarindau (V1).

        P1–A   3  joint planning meeting, review meeting; different priorities
        P1–C   1  data sharing;                           different priorities
        A–C    2  joint planning meeting
        A–K1   4  joint supervision;                      (+) clear leadership
        K1–V1  3  village health and nutrition day;       heavy workload

    Province ↔ district: 3 and 1 of 1·4 = 4 pairs → mean 2, median 2, one pair at 1 and one
    at 3. District ↔ kecamatan: 4, 1 of 4. Kecamatan ↔ desa: 3, 1 of 1. District: A–C 2,
    1 of 6. Province ↔ kecamatan, province ↔ desa, district ↔ desa: none scored.
    """
    a, b, c, d = actors
    p1 = ActorFactory(name="Dinas Kesehatan Provinsi Sulawesi Tengah", home_region=province)
    kecamatan = RegionFactory(code="72.10.01", name="Dolo", level=K, parent=district)
    desa = RegionFactory(code="72.10.01.2001", name="Kotarindau", level=V, parent=kecamatan)
    k1 = ActorFactory(name="Puskesmas Dolo", sector=health, home_region=kecamatan)
    v1 = ActorFactory(name="Pemerintah Desa Kotarindau", sector=planning, home_region=desa)
    score(
        open_round,
        p1,
        a,
        3,
        mechanisms=["joint_planning_meeting", "review_meeting"],
        hindering_factors=["different_priorities"],
    )
    score(
        open_round,
        p1,
        c,
        1,
        mechanisms=["data_sharing"],
        hindering_factors=["different_priorities"],
    )
    score(open_round, a, c, 2, mechanisms=["joint_planning_meeting"])
    score(
        open_round,
        a,
        k1,
        4,
        mechanisms=["joint_supervision"],
        facilitating_factors=["clear_leadership"],
    )
    score(
        open_round,
        k1,
        v1,
        3,
        mechanisms=["village_health_nutrition_day"],
        hindering_factors=["heavy_workload"],
    )
    LevelRole.objects.create(
        round=open_round, government_level=D, main_role="Plan annually; train kecamatan staff"
    )
    LevelRole.objects.create(
        round=open_round, government_level=V, main_role="Deliver services at the Posyandu"
    )
    return open_round


def test_the_xlsx_by_level_sheet_reads_like_kim_table_2(planner_client, district, ladder):
    response = english(planner_client, report_url(district, "xlsx"))
    book = load_workbook(io.BytesIO(response.content))
    rows = list(book["By level"].iter_rows(values_only=True))
    header = rows[0]
    assert header[:9] == (
        "Government level",
        "Pairs counted",
        "Main role or action",
        "Actors",
        "Actor names",
        "Possible pairs",
        "Pairs assessed",
        "Mean level",
        "Median level",
    )
    assert header[9:14] == (
        "Pairs at level 0 (None)",
        "Pairs at level 1 (Cooperation)",
        "Pairs at level 2 (Coordination)",
        "Pairs at level 3 (Collaboration)",
        "Pairs at level 4 (Integration)",
    )
    assert header[14:] == ("Key mechanisms", "Facilitating factors", "Hindering factors")
    table = {row[0]: row for row in rows[1:] if row and row[0]}
    order = [row[0] for row in rows[1:] if row and row[0] and row[1]]
    province, district_, kecamatan, desa = (level.label for level in (P, D, K, V))
    assert order == [
        GovernmentLevel.NATIONAL.label,
        province,
        f"{province} ↔ {district_}",
        district_,
        f"{district_} ↔ {kecamatan}",
        kecamatan,
        f"{kecamatan} ↔ {desa}",
        desa,
        f"{province} ↔ {kecamatan}",
        f"{province} ↔ {desa}",
        f"{district_} ↔ {desa}",
    ]
    link = table[f"{province} ↔ {district_}"]
    assert link[1] == "Between the two levels"
    assert link[5:9] == (4, 2, 2, 2)  # possible, assessed, mean, median
    assert link[9:14] == (0, 1, 0, 1, 0)
    assert link[14] == "Joint planning meeting (1); Review meeting (1); Data sharing (1)"
    assert link[16] == "Different priority actions between sectors (2)"
    assert table[f"{district_} ↔ {kecamatan}"][5:9] == (4, 1, 4, 4)
    assert table[f"{district_} ↔ {kecamatan}"][15] == "Clear leadership (1)"
    assert table[f"{kecamatan} ↔ {desa}"][14] == (
        "Joint village health and nutrition day (Posyandu) (1)"
    )
    assert table[f"{district_} ↔ {desa}"][5:9] == (4, 0, None, None)

    own = table[district_]
    assert own[1:4] == ("Within the level", "Plan annually; train kecamatan staff", 4)
    assert own[5:9] == (6, 1, 2, 2)
    assert table[desa][2] == "Deliver services at the Posyandu"


def test_the_pdf_by_level_section_reads_like_kim_table_2(planner_client, district, ladder):
    text = pdf_text(english(planner_client, report_url(district, "pdf")))
    start = text.index("By government level In the form")
    # A narrow column breaks "kabupaten/kota" after its slash.
    section = re.sub(r"(\w)/ ", r"\1/", text[start : text.index("Network", start)])
    assert "Main role or action" in section
    assert "Plan annually; train kecamatan staff" in section
    assert "Deliver services at the Posyandu" in section
    # The link between province and district, then the district's own row.
    link = section.index("Province (provinsi) ↔ District / city (kabupaten/kota)")
    assert link < section.index("Plan annually")
    after = section[link:]
    assert "1 × 4 actors 2 Coordination mean 2.0 · 0: 0, 1: 1, 2: 0, 3: 1, 4: 0" in after
    assert "2 of 4 pairs assessed" in after
    assert "Different priority actions between sectors (2)" in after
    assert "Joint village health and nutrition day (Posyandu) (1)" in section
    assert "Heavy workload (1)" in section


def test_the_reports_by_level_section_is_in_indonesian_by_default(planner_client, district, ladder):
    response = planner_client.get(report_url(district, "xlsx"))
    sheet = load_workbook(io.BytesIO(response.content))["Menurut tingkat"]
    cells = [value for row in sheet.iter_rows(values_only=True) for value in row if value]
    assert "Prioritas kegiatan antarsektor berbeda (2)" in cells
    assert "Beban kerja berat (1)" in cells
