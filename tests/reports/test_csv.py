"""The pair list as CSV: read back with the csv module and compared with the database."""

import csv
import io

import pytest
from django.conf import settings
from django.utils import timezone

from assessments.models import EVIDENCE_FIELDS, PairAssessment
from tests.conftest import SITE_TODAY
from tests.reports.conftest import english, report_url

HEADER = [
    "Actor A",
    "Sector of actor A",
    "Actor B",
    "Sector of actor B",
    "Level",
    "Level name",
    "Partner's view: A about B",
    "Partner's view: B about A",
    "They share information or data with each other",
    "They carry out activities together (joint meetings, training, field work)",
    "They agreed shared roles and pooled resources toward a common target",
    "Both sit in a formal cross-sector structure and share capacity",
    "Mechanisms",
    "Facilitating factors",
    "Hindering factors",
    "Note",
    "Scored by",
    "Scored at",
]


def read_csv(response):
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf")  # the BOM that tells Excel it is UTF-8
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def unneutralised(text: str) -> str:
    return text[1:] if text[:1] == "'" and text[1:2] in "=+-@\t\r" else text


@pytest.mark.dates
def test_the_csv_is_the_pair_list(planner_client, district, scored_round):
    response = english(planner_client, report_url(district, "csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="peta-konvergensi-kabupaten-sigi-pemetaan-sigi-2026.csv"'
    )
    header, *rows = read_csv(response)
    assert header == HEADER

    answers = {True: "Yes", False: "No", None: ""}
    stored = PairAssessment.objects.filter(round=scored_round).select_related(
        "actor_a__sector", "actor_b__sector", "scored_by"
    )
    expected = {
        (pair.actor_a.name, pair.actor_b.name): [
            pair.actor_a.name,
            pair.actor_a.sector.name_en,
            pair.actor_b.name,
            pair.actor_b.sector.name_en,
            str(pair.level),
            pair.get_level_display(),
            "",  # no partner's view
            "",
            *(answers[getattr(pair, name)] for name in EVIDENCE_FIELDS),
            pair.note,
            pair.scored_by.username if pair.scored_by else "",
            timezone.localtime(pair.scored_at).strftime("%Y-%m-%d %H:%M"),
        ]
        for pair in stored
    }
    assert len(rows) == len(expected) == 6
    for row in rows:
        values = [unneutralised(value) for value in row]
        key = (values[0], values[2])
        assert values[:12] + values[15:] == expected.pop(key)
        assert values[-1].startswith(f"{SITE_TODAY:%Y-%m-%d} ")  # the WITA date, not UTC
    assert expected == {}


def test_the_partners_views_are_two_columns(planner_client, district, partner_answers):
    header, *rows = read_csv(english(planner_client, report_url(district, "csv")))
    views = {
        (row[0], row[2]): (
            row[header.index("Partner's view: A about B")],
            row[header.index("Partner's view: B about A")],
        )
        for row in rows
    }
    dinkes, puskesmas, bappeda = (
        "Dinas Kesehatan Kabupaten Sigi",
        "Puskesmas Biromaru",
        "Bappeda Kabupaten Sigi",
    )
    disdik = "Dinas Pendidikan Kabupaten Sigi"
    assert views[(dinkes, puskesmas)] == ("4", "not working together")
    assert views[(puskesmas, disdik)] == ("", "don't know")
    assert views[(dinkes, bappeda)] == ("", "")  # given through a revoked link
    assert views[(dinkes, disdik)] == ("", "")
    # In Bahasa Indonesia, the user's language by default.
    del planner_client.cookies[settings.LANGUAGE_COOKIE_NAME]
    header, *rows = read_csv(planner_client.get(report_url(district, "csv")))
    row = next(row for row in rows if (row[0], row[2]) == (dinkes, puskesmas))
    assert row[6:8] == ["4", "tidak bekerja sama"]
    assert header[6:8] == ["Pandangan mitra: A tentang B", "Pandangan mitra: B tentang A"]
    row = next(row for row in rows if (row[0], row[2]) == (puskesmas, disdik))
    assert row[6:8] == ["", "tidak tahu"]


def test_lists_and_notes_survive_the_round_trip(planner_client, district, scored_round):
    header, *rows = read_csv(english(planner_client, report_url(district, "csv")))
    by_pair = {(row[0], row[2]): dict(zip(header, row, strict=True)) for row in rows}
    first = by_pair[("Dinas Kesehatan Kabupaten Sigi", "Puskesmas Biromaru")]
    assert first["Mechanisms"] == "Joint planning meeting; Data sharing"
    assert first["Facilitating factors"] == "A regulation or decree that assigns roles"
    assert first["Hindering factors"] == "Budget limited or not aligned"
    quoted = by_pair[("Puskesmas Biromaru", "Dinas Pendidikan Kabupaten Sigi")]
    assert quoted["Note"] == 'Rapat "bulanan", notulen dibagi\nbaris kedua'


def test_formula_like_text_is_neutralised(planner_client, district, scored_round):
    """A note "=SUM(A1:A9)" and the actor "@Forum Anak Sigi" must not run in Excel."""
    header, *rows = read_csv(english(planner_client, report_url(district, "csv")))
    cells = [value for row in rows for value in row]
    assert "'=SUM(A1:A9)" in cells and "=SUM(A1:A9)" not in cells
    assert "'@Forum Anak Sigi" in cells and "@Forum Anak Sigi" not in cells
    assert not any(value[:1] in ("=", "+", "-", "@") for value in cells)


def test_headers_follow_the_users_language(planner_client, district, scored_round):
    """Bahasa Indonesia by default: the pair's fields keep their translated names."""
    header, *_rows = read_csv(planner_client.get(report_url(district, "csv")))
    assert header[4] == "Tingkat"  # Level
    assert "Catatan" in header  # Note


def test_a_round_without_pairs_has_the_header_only(planner_client, district, open_round):
    header, *rows = read_csv(english(planner_client, report_url(district, "csv")))
    assert header == HEADER and rows == []


def test_a_region_without_rounds_has_no_csv(planner_client, district):
    assert planner_client.get(report_url(district, "csv")).status_code == 404


# The "Excel (Indonesia)" variant: semicolons, for Excel with Indonesian settings ----------


def test_the_excel_variant_separates_with_semicolons(planner_client, district, scored_round):
    """Excel with Indonesian regional settings (comma as the decimal separator) splits a
    double-clicked CSV on semicolons: same table as the standard CSV, other separator."""
    excel = english(planner_client, report_url(district, "csv", variant="excel-id"))
    assert excel.status_code == 200
    assert excel["Content-Type"] == "text/csv; charset=utf-8"
    assert excel["Content-Disposition"] == (
        'attachment; filename="peta-konvergensi-kabupaten-sigi-pemetaan-sigi-2026-excel.csv"'
    )
    body = excel.content
    assert body.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads the file as UTF-8
    text = body.decode("utf-8-sig")
    first_line = text.split("\r\n", 1)[0]
    assert first_line.count(";") == len(HEADER) - 1  # no header holds a semicolon
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert rows[0] == HEADER
    standard = read_csv(english(planner_client, report_url(district, "csv")))
    assert rows == standard  # the same cells, commas inside them kept whole
    quoted = next(row for row in rows if row[0] == "Puskesmas Biromaru" and row[4] == "2")
    assert quoted[HEADER.index("Note")] == 'Rapat "bulanan", notulen dibagi\nbaris kedua'
    first = next(row for row in rows if row[2] == "Puskesmas Biromaru")
    assert first[HEADER.index("Mechanisms")] == "Joint planning meeting; Data sharing"


@pytest.mark.parametrize("variant", ["excel", "tab", "EXCEL-ID", "excel-id;"])
def test_an_unknown_csv_variant_is_400(planner_client, district, scored_round, variant):
    response = english(planner_client, report_url(district, "csv", variant=variant))
    assert response.status_code == 400
    assert "There is no CSV variant" in response.content.decode()
    assert "Content-Disposition" not in response


@pytest.mark.parametrize("persona", ["viewer_client", "other_scorer_client"])
def test_the_excel_variant_is_refused_as_the_csv_is(request, persona, district, scored_round):
    client = request.getfixturevalue(persona)
    assert client.get(report_url(district, "csv", variant="excel-id")).status_code == 403
