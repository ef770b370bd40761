"""The PDF report: its text read back with pypdf."""

import io
import re

import pytest
from pypdf import PdfReader

from actors.models import GovernmentLevel
from tests.factories import ActorFactory, RoundFactory, score
from tests.reports.conftest import english, report_url


def pdf_text(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(response.content))
    # One space between words whatever the layout put there.
    return re.sub(r"\s+", " ", "\n".join(page.extract_text() for page in reader.pages))


def test_the_report_names_region_round_and_figures(planner_client, district, scored_round):
    response = english(planner_client, report_url(district, "pdf"))
    assert response["Content-Disposition"] == (
        'attachment; filename="peta-konvergensi-kabupaten-sigi-pemetaan-sigi-2026.pdf"'
    )
    text = pdf_text(response)
    assert "Convergence report" in text
    assert "Kabupaten Sigi 72.10" in text
    assert "Pemetaan Sigi 2026" in text
    assert "Exported by perencana" in text
    # The level distribution: counts of the 6 assessed pairs, and the 4 not assessed.
    for row in (
        "0 None 1 16.7 %",
        "1 Cooperation 1 16.7 %",
        "2 Coordination 2 33.3 %",
        "3 Collaboration 1 16.7 %",
        "4 Integration 1 16.7 %",
        "· Not assessed 4 40.0 %",
    ):
        assert row in text
    assert "6 of 10 pairs assessed" in text
    assert "Coverage 60.0 %" in text and "Convergence index 50.0 %" in text


@pytest.mark.dates
def test_the_sections_of_the_report(planner_client, district, scored_round):
    text = pdf_text(english(planner_client, report_url(district, "pdf")))
    # Change since the previous round: a–b improved (2 → 3), b–c declined (2 → 1).
    assert "Previous round: Pemetaan Sigi 2025" in text
    assert (
        "Puskesmas Biromaru (Health) ↔ Bappeda Kabupaten Sigi (Planning): "
        "2 Coordination → 1 Cooperation" in text
    )
    # The matrices, by level, the network.
    assert "Who × who matrix · Rows 1–5, columns 1–5 · 5 actors" in text
    assert "Sector × sector" in text and "Health ↔ non-health" in text
    assert "By government level" in text and "MoU or decree-based team (1)" in text
    assert "Network" in text and "Isolated actors: @Forum Anak Sigi" not in text
    network = text[text.index("Brokers between health and non-health") :]
    assert "Density among the assessed pairs 83.3 %" in text
    assert network.startswith(
        "Brokers between health and non-health Rank Actor Sector Brokerage Links "
        "1 Dinas Kesehatan Kabupaten Sigi Health 66.7 % 2 "
        "2 Bappeda Kabupaten Sigi Planning 50.0 % 3 "
        "3 Puskesmas Biromaru Health 33.3 % 3"
    )
    assert "a link's length is 1 / level" in network
    # The gaps below collaboration, largest shortfall first.
    assert "Gaps: pairs below 3 Collaboration" in text
    gaps = text[text.index("Gaps: pairs below") :]
    first = gaps.index("Dinas Kesehatan Kabupaten Sigi (Health) ↔ Dinas Pendidikan")
    assert first < gaps.index("Puskesmas Biromaru (Health) ↔ Bappeda Kabupaten Sigi")
    # The pair list with evidence, mechanisms, factors and notes.
    pairs = text[text.index("Pairs assessed Evidence questions") :]
    assert (
        "1. Dinas Kesehatan Kabupaten Sigi (Health) ↔ Puskesmas Biromaru (Health): 3 Collaboration"
        in pairs
    )
    assert "Evidence (questions 1–4): yes, yes, yes, no" in pairs
    assert "Mechanisms: Joint planning meeting; Data sharing" in pairs
    assert "Facilitating: A regulation or decree that assigns roles" in pairs
    assert "Hindering: Budget limited or not aligned" in pairs
    assert "Note: =SUM(A1:A9)" in pairs
    # Dates in WITA: the pairs were scored, and the report exported, on 30 November.
    assert "scored by penilai_sigi, 11/30/2026" in pairs
    assert "Exported Nov. 30, 2026," in text


def test_the_target_level_changes_the_gaps(planner_client, district, scored_round):
    text = pdf_text(english(planner_client, report_url(district, "pdf", target=1)))
    assert "Gaps: pairs below 1 Cooperation" in text
    assert "Pairs assessed below the target 1 " in text  # a–d at 0 only


def test_the_report_is_in_bahasa_indonesia_by_default(planner_client, district, scored_round):
    text = pdf_text(planner_client.get(report_url(district, "pdf")))
    assert "Sebaran tingkat" in text  # Level distribution
    assert "3 Kolaborasi 1 16,7 %" in text
    assert "Matriks siapa × siapa" in text


def test_a_large_matrix_is_cut_into_pages(planner_client, district, health, open_round):
    """35 actors: two column blocks of 18 and 17, each down two row blocks."""
    actors = ActorFactory.create_batch(35, sector=health, home_region=district)
    for index in range(34):
        score(open_round, actors[index], actors[index + 1], index % 5)
    text = pdf_text(english(planner_client, report_url(district, "pdf")))
    for caption in (
        "Rows 1–18, columns 1–18",
        "Rows 19–35, columns 1–18",
        "Rows 1–18, columns 19–35",
        "Rows 19–35, columns 19–35",
    ):
        assert f"Who × who matrix · {caption} · 35 actors" in text
    # Every page repeats the row headers: the first actor heads rows 1–18 twice.
    assert text.count(actors[0].name) >= 2


def test_names_are_text_not_markup(planner_client, district, health, open_round, actors):
    odd = ActorFactory(
        name='<b>Dinas</b> & "Co"', short_name="<i>", sector=health, home_region=district
    )
    score(open_round, actors[0], odd, 2, note="<script>alert(1)</script>")
    text = pdf_text(english(planner_client, report_url(district, "pdf")))
    assert '<b>Dinas</b> & "Co"' in text
    assert "Note: <script>alert(1)</script>" in text


def test_the_province_report(planner_client, province, district, scored_round, health, settings):
    settings.RANKING_MIN_COVERAGE_PERCENT = 0
    settings.RANKING_MIN_PAIRS = 1
    dinkes = ActorFactory(
        name="Dinas Kesehatan Provinsi",
        sector=health,
        home_region=province,
        government_level=GovernmentLevel.PROVINCE,
    )
    bappeda = ActorFactory(name="Bappeda Provinsi", sector=health, home_region=province)
    own = RoundFactory(region=province, name="Pemetaan Provinsi 2026")
    score(own, dinkes, bappeda, 4)
    text = pdf_text(english(planner_client, report_url(province, "pdf")))
    assert "Sulawesi Tengah 72" in text and "Pemetaan Provinsi 2026" in text
    assert "Districts ranked by convergence index" in text
    assert (
        "1 Kabupaten Sigi 72.10 Pemetaan Sigi 2026 (Open) 50.0 % 2.00 60.0 % 6 / 10 5 "
        "0.0 on 3 pairs" in text
    )
    assert "at least 0 % of their possible pairs scored, and at least 1 pairs" in text
    assert "Who × who matrix · Rows 1–2, columns 1–2 · 2 actors" in text


def test_a_province_without_its_own_round_still_ranks(planner_client, province, scored_round):
    """Under the default rule Sigi's 6 of 10 pairs are too few to rank: listed apart."""
    text = pdf_text(english(planner_client, report_url(province, "pdf")))
    assert "This region has no assessment round yet." in text
    assert "Districts ranked by convergence index" in text
    assert (
        "Not enough scored to rank – Kabupaten Sigi 72.10 Pemetaan Sigi 2026 (Open) 50.0 %" in text
    )
    assert "at least 50 % of their possible pairs scored, and at least 20 pairs" in text


def _report(district, round_):
    from assessments.models import AssessmentRound, Level
    from reports.selectors import region_report

    return region_report(
        region=district,
        rounds=list(AssessmentRound.objects.filter(region=district).order_by("-period_start")),
        round=round_,
        target=Level.COLLABORATION,
        exported_by="perencana",
    )


def test_a_long_pair_list_prints_the_pairs_with_notes_first(district, scored_round, actors):
    """Above the limit, the pairs with a note (a–b, b–d), then those with mechanisms or
    factors (a–c), in matrix order, read from the database without building every pair's
    row; the same pairs as when the whole list was read (the XLSX read it first)."""
    a, b, c, d = actors
    alone = _report(district, scored_round).content
    printed, total = alone.pairs_to_print(3)
    assert "pairs" not in alone.__dict__  # the 6 rows were not all built
    assert total == 6
    chosen = [{row.actor_a.pk, row.actor_b.pk} for row in printed]
    assert sorted(map(sorted, chosen)) == sorted(
        sorted(pair) for pair in ({a.pk, b.pk}, {b.pk, d.pk}, {a.pk, c.pk})
    )
    whole = _report(district, scored_round).content
    every = whole.pairs
    assert [row for row in every if row in printed] == printed  # in matrix order
    again, total_again = whole.pairs_to_print(3)
    assert (again, total_again) == (printed, total)
    assert printed[0].note == "=SUM(A1:A9)" and printed[0].mechanism_labels
    # Two are asked for: the two pairs with a note.
    assert {row.note for row in alone.pairs_to_print(2)[0]} == {
        "=SUM(A1:A9)",
        'Rapat "bulanan", notulen dibagi\nbaris kedua',
    }
    # At or under the limit, every pair.
    assert alone.pairs_to_print(6) == (alone.pairs, 6)


def test_the_pdf_says_how_many_pairs_it_leaves_out(
    monkeypatch, planner_client, district, scored_round
):
    from reports import pdf

    monkeypatch.setattr(pdf, "PAIR_ROWS", 3)
    text = pdf_text(english(planner_client, report_url(district, "pdf")))
    pairs = text[text.index("Pairs assessed Evidence questions") :]
    assert (
        "Printed here: 3 of the 6 pairs assessed, those with a note first, then those with "
        "mechanisms or factors recorded, in matrix order. The 3 left out are in the XLSX and "
        "CSV reports, which list every pair." in pairs
    )
    assert "Note: =SUM(A1:A9)" in pairs and "Mechanisms: MoU or decree-based team" in pairs
    listed = pairs[pairs.index("which list every pair.") :]
    assert listed.count(" ↔ ") == 3 and "3. " in listed and "4. " not in listed
    assert "Bappeda Kabupaten Sigi (Planning) ↔ @Forum Anak Sigi" not in pairs  # nothing written


def test_ten_weak_pairs_rescored_higher_show_a_rise(planner_client, district, rescored):
    text = pdf_text(english(planner_client, report_url(district, "pdf")))
    change = text[text.index("Change since the previous round") :]
    assert (
        "Convergence index +25.0 percentage points of the convergence index, on the 10 pairs "
        "scored in both rounds" in change
    )
    assert "Mean level of these pairs: 1.00 → 2.00 (+1.00)" in change
    assert "−7.1" not in change and "-7.1" not in change
    assert "Improved Declined Unchanged Newly scored Not yet scored in this round" in change
    assert "10 0 0 0 18" in change
