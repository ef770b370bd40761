"""The XLSX report, opened with openpyxl and compared with the database."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from actors.models import GovernmentLevel
from assessments.models import PairAssessment
from assessments.selectors import matrix_for_round
from tests.conftest import SITE_TODAY
from tests.factories import ActorFactory, RegionFactory, RoundFactory, score
from tests.reports.conftest import english, report_url

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    return load_workbook(io.BytesIO(response.content))


@pytest.fixture
def book(planner_client, district, scored_round):
    return workbook(english(planner_client, report_url(district, "xlsx")))


def figures(sheet) -> dict:
    """The label → value pairs of the summary sheet (first two columns)."""
    return {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row and row[0]}


def test_the_sheets_and_the_file_name(planner_client, district, scored_round):
    response = english(planner_client, report_url(district, "xlsx"))
    assert response["Content-Disposition"] == (
        'attachment; filename="peta-konvergensi-kabupaten-sigi-pemetaan-sigi-2026.xlsx"'
    )
    assert workbook(response).sheetnames == [
        "Summary",
        "Matrix",
        "Pairs",
        "Sectors",
        "By level",
        "Network metrics",
        "Gaps",
        "Actions (RTL)",
        "Change",
    ]


def test_the_summary_figures(book, scored_round):
    """5 actors, 10 possible pairs, 6 assessed; mean (3+4+1+0+2+2)/6 = 2; index 50 %."""
    values = figures(book["Summary"])
    assert values["Region"] == "Kabupaten Sigi"
    assert values["Round"] == "Pemetaan Sigi 2026"
    assert values["Actors"] == 5
    assert values["Possible pairs"] == 10
    assert values["Pairs assessed"] == 6
    assert values["Not assessed"] == 4
    assert values["Coverage"] == pytest.approx(0.6)
    assert values["Mean level (0–4)"] == pytest.approx(2.0)
    assert values["Convergence index"] == pytest.approx(0.5)
    # 5 of the 6 assessed pairs are links (a–d is at "none").
    assert values["Density among the assessed pairs"] == pytest.approx(5 / 6)
    assert values["Previous round"] == "Pemetaan Sigi 2025"
    assert values["Pairs assessed below the target"] == 4
    levels = {
        row[1]: row[2]
        for row in book["Summary"].iter_rows(values_only=True)
        if row
        and row[1] in ("None", "Cooperation", "Coordination", "Collaboration")
        and isinstance(row[2], int)
    }
    assert levels == {"None": 1, "Cooperation": 1, "Coordination": 2, "Collaboration": 1}


def test_the_matrix_holds_the_levels(book, scored_round):
    sheet = book["Matrix"]
    rows = list(sheet.iter_rows(values_only=True))
    matrix = matrix_for_round(round=scored_round)
    names = [actor.name for actor in matrix.actors]
    assert list(rows[0][2:]) == names
    assert [row[0] for row in rows[1:]] == names
    for i, row_actor in enumerate(matrix.actors):
        for j, column_actor in enumerate(matrix.actors):
            value = rows[i + 1][j + 2]
            if i == j:
                assert value is None
            else:
                # Not assessed is a blank cell, never 0.
                assert value == matrix.level(row_actor.pk, column_actor.pk)
    assert sheet.freeze_panes == "C2"
    # Level 4 on the darkest blue: Dinkes × Bappeda.
    cell = sheet.cell(row=2, column=2 + names.index("Bappeda Kabupaten Sigi") + 1)
    assert cell.value == 4 and cell.fill.fgColor.rgb.endswith("08306B")


def test_the_pairs_sheet_has_the_partners_views(planner_client, district, partner_answers):
    sheet = workbook(english(planner_client, report_url(district, "xlsx")))["Pairs"]
    header, *rows = list(sheet.iter_rows(values_only=True))
    views = {
        (record["Actor A"], record["Actor B"]): (
            record["Partner's view: A about B"],
            record["Partner's view: B about A"],
        )
        for record in (dict(zip(header, row, strict=True)) for row in rows)
    }
    assert len(views) == 6
    assert views[("Dinas Kesehatan Kabupaten Sigi", "Puskesmas Biromaru")] == (
        4,
        "not working together",
    )
    assert views[("Puskesmas Biromaru", "Dinas Pendidikan Kabupaten Sigi")] == (None, "don't know")
    assert views[("Dinas Kesehatan Kabupaten Sigi", "Bappeda Kabupaten Sigi")] == (None, None)


def test_the_pairs_sheet_has_the_latest_reconciliation(
    planner_client, district, partner_answers, actors, scorer
):
    from partners.selectors import pair_views, views_version
    from partners.services import reconcile

    a, b = actors[0], actors[1]
    for level, reason in ((3, "Rapat pertama"), (1, "=Cek ulang: SK belum ada")):
        reconcile(
            round=partner_answers,
            actor_a=a,
            actor_b=b,
            level=level,
            reason=reason,
            user=scorer,
            views_version=views_version(pair_views(partner_answers, a.pk, b.pk)),
        )
    sheet = workbook(english(planner_client, report_url(district, "xlsx")))["Pairs"]
    header, *rows = list(sheet.iter_rows(values_only=True))
    column = "Reconciliation of the partners' views"
    assert header[-1] == column and header[-2] == "Scored at"
    records = {
        (record["Actor A"], record["Actor B"]): record
        for record in (dict(zip(header, row, strict=True)) for row in rows)
    }
    reconciled = records[("Dinas Kesehatan Kabupaten Sigi", "Puskesmas Biromaru")]
    assert reconciled["Level"] == 1
    # The latest decision only, as text (never a formula), with who, when and why.
    text = reconciled[column]
    assert text.startswith("1, by penilai_sigi on ") and text.endswith(": =Cek ulang: SK belum ada")
    assert records[("Dinas Kesehatan Kabupaten Sigi", "Bappeda Kabupaten Sigi")][column] is None


def wita(moment):
    """A stored moment as the spreadsheet shows it: the site's wall-clock time (WITA)."""
    return timezone.localtime(moment).replace(tzinfo=None)


@pytest.mark.dates
def test_the_pairs_sheet_matches_the_database(book, scored_round):
    sheet = book["Pairs"]
    header, *rows = list(sheet.iter_rows(values_only=True))
    assert header[:6] == (
        "Actor A",
        "Sector of actor A",
        "Actor B",
        "Sector of actor B",
        "Level",
        "Level name",
    )
    stored = {
        (pair.actor_a.name, pair.actor_b.name): pair
        for pair in PairAssessment.objects.filter(round=scored_round).select_related(
            "actor_a", "actor_b", "scored_by"
        )
    }
    assert len(rows) == len(stored) == 6
    for row in rows:
        record = dict(zip(header, row, strict=True))
        pair = stored[(record["Actor A"], record["Actor B"])]
        assert record["Level"] == pair.level
        assert record["Level name"] == pair.get_level_display()
        assert (record["Note"] or "") == pair.note
        assert (record["Scored by"] or "") == (pair.scored_by.username if pair.scored_by else "")
        # Scored today in WITA, whatever the UTC date (spreadsheets keep milliseconds).
        assert record["Scored at"].date() == SITE_TODAY
        assert abs(record["Scored at"] - wita(pair.scored_at)) < timedelta(milliseconds=1)
    first = dict(zip(header, rows[0], strict=True))
    assert first["Mechanisms"] == "Joint planning meeting; Data sharing"
    assert first["They share information or data with each other"] == "Yes"
    assert first["Both sit in a formal cross-sector structure and share capacity"] == "No"


@pytest.mark.dates
def test_the_export_moment_is_the_sites_time(book, clock):
    exported_at = figures(book["Summary"])["Exported at"]
    assert exported_at.date() == SITE_TODAY
    assert timedelta(0) <= exported_at - wita(clock) < timedelta(minutes=1)


def test_formula_like_text_is_stored_as_text(book):
    """Values, never formulas: "=SUM(A1:A9)" stays a string in a text cell."""
    note = next(
        cell for row in book["Pairs"].iter_rows() for cell in row if cell.value == "=SUM(A1:A9)"
    )
    assert note.data_type == "s" and note.quotePrefix
    forum = next(cell for cell in book["Matrix"]["A"] if cell.value == "@Forum Anak Sigi")
    assert forum.data_type == "s" and forum.quotePrefix
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            assert all(cell.data_type != "f" for cell in row)


def test_sectors_by_level_network_and_gaps(book):
    sectors = list(book["Sectors"].iter_rows(values_only=True))
    health_planning = next(row for row in sectors if row[:2] == ("Health", "Planning"))
    # Dinkes–Bappeda 4, Puskesmas–Bappeda 1: 2 of 2 possible pairs, mean 2.5, highest 4.
    assert health_planning[2:] == (2, 2, 1, 2.5, 4)
    by_level = list(book["By level"].iter_rows(values_only=True))
    district_row = next(row for row in by_level if row[0] == GovernmentLevel.DISTRICT.label)
    assert district_row[3] == 5 and district_row[6] == 6  # actors, pairs assessed
    network = {row[0]: row for row in book["Network metrics"].iter_rows(values_only=True)}
    # Dinkes: links to Puskesmas (3) and Bappeda (4); the pair with Disdik is at 0.
    assert network["Dinas Kesehatan Kabupaten Sigi"][2:4] == (2, 7)
    # Brokerage, lengths 12 / level: Puskesmas–Bappeda runs through Dinkes (4 + 3 < 12),
    # and so does Puskesmas–Forum (via Dinkes and Bappeda, 13 < 18): 2 of Dinkes's 3
    # pairs (Puskesmas with each non-health actor). Puskesmas: Dinkes–Disdik only, 1/3.
    # Bappeda: Dinkes–Forum and Puskesmas–Forum, 2 of its 4 pairs.
    header = network["Actor"]
    brokerage = {
        name: dict(zip(header, row, strict=True))["Brokerage"] for name, row in network.items()
    }
    assert brokerage["Dinas Kesehatan Kabupaten Sigi"] == pytest.approx(2 / 3)
    assert brokerage["Puskesmas Biromaru"] == pytest.approx(1 / 3)
    assert brokerage["Bappeda Kabupaten Sigi"] == pytest.approx(1 / 2)
    assert brokerage["Dinas Pendidikan Kabupaten Sigi"] == 0
    gaps = list(book["Gaps"].iter_rows(values_only=True))[1:]
    assert [(row[0], row[2], row[4]) for row in gaps] == [
        ("Dinas Kesehatan Kabupaten Sigi", "Dinas Pendidikan Kabupaten Sigi", 0),
        ("Puskesmas Biromaru", "Bappeda Kabupaten Sigi", 1),
        ("Puskesmas Biromaru", "Dinas Pendidikan Kabupaten Sigi", 2),
        ("Bappeda Kabupaten Sigi", "@Forum Anak Sigi", 2),
    ]


def test_the_target_level_picks_the_gaps(planner_client, district, scored_round):
    book = workbook(english(planner_client, report_url(district, "xlsx", target=4)))
    assert len(list(book["Gaps"].iter_rows())) - 1 == 5
    assert figures(book["Summary"])["Target level"] == "4 Integration"


def test_the_province_report_ranks_its_districts(
    planner_client, province, district, other_district, scored_round, other_actors, settings
):
    """The province's own round maps its province-level actors; the districts are ranked
    by their latest rounds (every scored round, the rule loosened): Sigi (mean 2) then
    Palu (mean 1). Sigi since 2025, like for like: a–b 2 → 3, a–c 4 → 4, b–c 2 → 1, 0.0."""
    settings.RANKING_MIN_COVERAGE_PERCENT = 0
    settings.RANKING_MIN_PAIRS = 1
    dinkes = ActorFactory(
        name="Dinas Kesehatan Provinsi",
        sector=scored_round.assessments.first().actor_a.sector,
        home_region=province,
        government_level=GovernmentLevel.PROVINCE,
    )
    bappeda = ActorFactory(name="Bappeda Provinsi", home_region=province)
    own = RoundFactory(region=province, name="Pemetaan Provinsi 2026")
    score(own, dinkes, bappeda, 3)
    palu = RoundFactory(region=other_district, name="Pemetaan Palu 2026")
    score(palu, *other_actors, 1)
    RegionFactory(
        code="72.01", name="Kabupaten Banggai", level=GovernmentLevel.DISTRICT, parent=province
    )

    book = workbook(english(planner_client, report_url(province, "xlsx")))
    assert book.sheetnames[-1] == "Districts"
    header, *rows = list(book["Districts"].iter_rows(values_only=True))
    ranking = [dict(zip(header, row, strict=True)) for row in rows[:3]]
    assert [(row["Rank"], row["District / city"], row["Round"]) for row in ranking] == [
        (1, "Kabupaten Sigi", "Pemetaan Sigi 2026"),
        (2, "Kota Palu", "Pemetaan Palu 2026"),
        (None, "Kabupaten Banggai", None),
    ]
    sigi = ranking[0]
    assert sigi["Convergence index"] == pytest.approx(0.5)
    assert sigi["Coverage"] == pytest.approx(0.6) and sigi["Status"] == "Open"
    assert sigi["Change since the previous round, index points"] == 0
    assert sigi["Pairs scored in both rounds"] == 3 and sigi["Ranked"] == "Yes"
    assert ranking[1]["Change since the previous round, index points"] is None
    assert ranking[2]["Ranked"] == "No round yet."
    assert any(
        row[0] and "at least 0 % of its possible pairs scored, and at least 1 pairs" in row[0]
        for row in rows[3:]
    )
    matrix = list(book["Matrix"].iter_rows(values_only=True))
    assert sorted(matrix[0][2:]) == ["Bappeda Provinsi", "Dinas Kesehatan Provinsi"]
    assert figures(book["Summary"])["Round"] == "Pemetaan Provinsi 2026"


def test_a_region_without_rounds_still_has_a_summary(planner_client, district):
    book = workbook(english(planner_client, report_url(district, "xlsx")))
    assert book.sheetnames == ["Summary"]
    assert "This region has no assessment round yet." in figures(book["Summary"])


def test_ten_weak_pairs_rescored_higher_show_a_rise(planner_client, district, rescored):
    """Like for like on the 10 pairs scored in both rounds: 1.0 → 2.0, +25 points (round
    against round the index fell 7.1 points: it is not what the report says)."""
    values = figures(workbook(english(planner_client, report_url(district, "xlsx")))["Summary"])
    assert values["Previous round"] == "Pemetaan Sigi 2025"
    assert values["Pairs scored in both rounds"] == 10
    assert values["Mean level of these pairs, previous round"] == 1.0
    assert values["Mean level of these pairs, this round"] == 2.0
    assert values["Mean level, difference"] == 1.0
    assert values["Convergence index, percentage points"] == 25.0
    assert (values["Improved"], values["Declined"], values["Unchanged"]) == (10, 0, 0)
    assert values["Newly scored in this round"] == 0
    assert values["Not yet scored in this round"] == 18
    assert values["Coverage, percentage points"] == pytest.approx(-64.2857, abs=1e-3)


def grid_block(rows, title) -> dict:
    """One block of the sector grid: {(row sector, column sector): value}."""
    header = rows[0]
    start = next(index for index, row in enumerate(rows) if row[0] == title) + 1
    block = {}
    for row in rows[start:]:
        if not row or row[0] is None:
            break
        for column, value in zip(header[2:], row[2:], strict=False):
            block[(row[0], column)] = value
    return block


def test_the_sectors_sheet_is_a_sector_by_sector_grid(book):
    """Health: Dinkes, Puskesmas; Planning: Bappeda; Education: Disdik, Forum."""
    sheet = book["Sectors"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("Sector", "Actors", "Health", "Planning", "Education")
    assert set(rows[0][5:]) == {None}  # the health table below is wider
    assert [row[:2] for row in rows[2:5]] == [("Health", 2), ("Planning", 1), ("Education", 2)]
    mean = grid_block(rows, "Mean level of the assessed pairs (0–4)")
    assert mean[("Health", "Health")] == 3
    assert mean[("Health", "Planning")] == mean[("Planning", "Health")] == 2.5
    assert mean[("Health", "Education")] == 1  # Dinkes–Disdik 0, Puskesmas–Disdik 2
    assert mean[("Planning", "Education")] == 2  # Bappeda–Forum
    assert mean[("Planning", "Planning")] == "—"  # one actor: no pair possible
    assert mean[("Education", "Education")] is None  # Disdik–Forum: not assessed, not 0
    highest = grid_block(rows, "Highest level")
    assert highest[("Health", "Planning")] == 4 and highest[("Education", "Health")] == 2
    coverage = grid_block(rows, "Coverage: pairs assessed / pairs possible")
    assert coverage[("Health", "Education")] == pytest.approx(0.5)
    assert coverage[("Education", "Education")] == 0
    assert coverage[("Planning", "Planning")] == "—"
    counts = grid_block(rows, "Pairs assessed / pairs possible")
    assert counts[("Health", "Education")] == "2/4" and counts[("Education", "Planning")] == "1/2"
    # The mean takes the colour of its level rounded half up (2.5 → 3, the dark blue).
    start = next(i for i, row in enumerate(rows) if row[0].startswith("Mean level")) + 1
    cell = sheet.cell(row=start + 1, column=4)  # Health × Planning
    assert cell.value == 2.5 and cell.fill.fgColor.rgb.endswith("2171B5")
    assert sheet.freeze_panes == "C2"


@pytest.mark.parametrize("region_kind", ["district", "province"])
def test_every_sheet_prints_landscape_fitted_to_the_width(
    request, planner_client, region_kind, scored_round
):
    region = request.getfixturevalue(region_kind)
    book = workbook(english(planner_client, report_url(region, "xlsx")))
    assert len(book.worksheets) == (9 if region_kind == "district" else 2)
    for sheet in book.worksheets:
        assert sheet.page_setup.orientation == "landscape", sheet.title
        assert sheet.page_setup.paperSize == 9, sheet.title  # A4
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
        # One page wide: fitToWidth left out is its default, 1 (ECMA-376 Part 1, 18.3.1.63).
        assert sheet.page_setup.fitToWidth in (None, 1), sheet.title
        assert sheet.page_setup.fitToHeight == 0, sheet.title  # as many pages long as needed
        assert sheet.print_title_rows == "$1:$1", sheet.title
    if region_kind == "district":
        assert book["Matrix"].print_title_cols == "$A:$B"
        assert book["Sectors"].print_title_cols == "$A:$B"


def test_the_network_sheet_has_the_partners_degrees(
    planner_client, district, partner_answers, actors
):
    a, b, c, d = actors
    book = workbook(english(planner_client, report_url(district, "xlsx")))
    rows = list(book["Network metrics"].iter_rows(values_only=True))
    header = rows[0]
    table = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:] if row and row[0]}
    assert table[a.name]["Named by (in-degree)"] == 0  # Puskesmas said no
    assert table[a.name]["Names (out-degree)"] == 1
    assert table[b.name]["Named by (in-degree)"] == 1
    # Disdik only said "I don't know": unknown, an empty cell, not 0.
    assert table[d.name]["Names (out-degree)"] is None
    assert table[d.name]["Named by (in-degree)"] is None
    notes = [row[0] for row in rows if row and row[0] and str(row[0]).startswith("Partners'")]
    assert notes == [
        "Partners' answers: computed on the answers of 2 of the 5 members of the round "
        "(3 invited). Reciprocity: 0.0 % — 0 of the 1 named ties whose other side answered "
        "are named back; 0 more point to members that have not answered about them."
    ]
