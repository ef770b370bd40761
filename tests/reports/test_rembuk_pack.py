"""The rembuk stunting pack: one PDF read back with pypdf — the dashboard's figures, the
largest gaps, this round's proposed actions (owner, due date, status) and last year's
actions with their result in this round."""

import io
import re
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from assessments.access import rounds_visible_to
from assessments.models import Level
from followup.services import action_create
from reports.packs import build_rembuk_pdf, rembuk_pack
from tests.reports.conftest import english

pytestmark = pytest.mark.django_db

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture
def actions(admin_user, previous_round, scored_round, actors, health, planning):
    """2025: a–b target 3, done, owner Bappeda (3 in 2026: reached); b–c target 3, in
    progress, owner Puskesmas (1 in 2026: below). 2026: a–d target 2, planned, owner Disdik,
    due 2027-03-31; health × planning target 3, planned, owner Bappeda, due 2026-06-30
    (overdue on the tests' date)."""
    a, b, c, d = actors
    sectors = {"sector_a": health, "sector_b": planning}
    for round_, status, due, target, owner, subject in (
        (previous_round, "done", date(2025, 9, 30), 3, c, {"actor_a": a, "actor_b": b}),
        (previous_round, "in_progress", date(2025, 12, 31), 3, b, {"actor_a": b, "actor_b": c}),
        (scored_round, "planned", date(2027, 3, 31), 2, d, {"actor_a": a, "actor_b": d}),
        (scored_round, "planned", date(2026, 6, 30), 3, c, sectors),
    ):
        action_create(
            user=admin_user,
            round=round_,
            target_level=target,
            mechanism="joint_planning_meeting",
            owner=owner,
            aksi=3,
            due_date=due,
            status=status,
            **subject,
        )


def rembuk_url(region, **params):
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"/regions/{region.code}/rembuk-stunting.pdf" + (f"?{query}" if query else "")


def read_pdf(response) -> tuple[PdfReader, str]:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = re.sub(r"\s+", " ", "\n".join(page.extract_text() for page in reader.pages))
    return reader, text


def test_the_pack_holds_the_maps_figures_gaps_and_actions(
    planner_client, district, scored_round, actions
):
    response = english(planner_client, rembuk_url(district, round=scored_round.pk))
    assert response["Content-Disposition"] == (
        'attachment; filename="peta-konvergensi-kabupaten-sigi-pemetaan-sigi-2026'
        '-rembuk-stunting.pdf"'
    )
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "rembuk-stunting-sigi-2026-en.pdf").write_bytes(response.content)
    reader, text = read_pdf(response)
    # A4 portrait on every page.
    for page in reader.pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (
            595,
            842,
        )
    assert "Rembuk stunting pack" in text and "Kabupaten Sigi 72.10" in text
    sections = [
        "1. The map in figures",
        "2. The largest gaps: pairs below 3 Collaboration",
        "3. Proposed follow-up actions (RTL) of this round",
        "4. Last year's actions and their result",
    ]
    positions = [text.index(section) for section in sections]
    assert positions == sorted(positions)

    # The dashboard's figures, with what they are computed on.
    assert "Coverage 60.0 % 6 of 10 pairs assessed, among the 5 actors of the round." in text
    assert "Convergence index 50.0 % Mean level 2.00 of 4, computed on the 6 assessed pairs" in text
    assert "computed like for like on the 3 pairs scored both in this round and in " in text
    assert "Improved 1, declined 1, unchanged 1." in text
    assert "· Not assessed 4 40.0 %" in text

    # The gap list's order: largest shortfall first; the first one has an action.
    gaps = text[positions[1] : positions[2]]
    assert "4 assessed pairs below the target, 2 at the target or above, 4 not assessed." in gaps
    assert (
        "1 Dinas Kesehatan Kabupaten Sigi (Health) ↔ Dinas Pendidikan Kabupaten Sigi"
        " (Education) health ↔ non-health 0 None 3 planned" in gaps
    )
    assert "Puskesmas Biromaru (Health) ↔ Bappeda Kabupaten Sigi (Planning)" in gaps

    # This round's proposals: owner, due date (overdue on the day of the export), status.
    proposed = text[positions[2] : positions[3]]
    assert (
        "Health × Planning 3. Rembuk stunting Joint planning meeting 3 Collaboration"
        " Bappeda Kabupaten Sigi 06/30/2026 overdue Planned" in proposed
    )
    assert "Dinas Pendidikan Kabupaten Sigi 03/31/2027 Planned" in proposed
    assert "Puskesmas Biromaru ↔ Bappeda Kabupaten Sigi" not in proposed  # last year's

    # Last year's actions and their result in this round.
    last_year = text[positions[3] :]
    assert "The actions planned in Pemetaan Sigi 2025, checked in Pemetaan Sigi 2026." in last_year
    assert "Target reached: 1 · Still below the target: 1 · Not assessed: 0" in last_year
    assert (
        "Bappeda Kabupaten Sigi 09/30/2025 Done 3 in Pemetaan Sigi 2026: target reached"
        in last_year
    )
    assert (
        "Puskesmas Biromaru 12/31/2025 In progress 1 in Pemetaan Sigi 2026: below the target"
        in last_year
    )


def test_the_pack_is_in_the_users_language_indonesian_first(
    planner_client, district, scored_round, actions
):
    response = planner_client.get(rembuk_url(district, round=scored_round.pk))
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "rembuk-stunting-sigi-2026-id.pdf").write_bytes(response.content)
    _reader, text = read_pdf(response)
    for words in (
        "Paket rembuk stunting",
        "1. Peta dalam angka",
        "Cakupan 60,0 %",
        "4. Aksi tahun lalu dan hasilnya",
        "target tercapai",
    ):
        assert words in text, words
    assert "Coverage" not in text and "Last year" not in text


def test_a_first_round_says_there_is_nothing_to_look_back_on(
    planner_client, district, open_round, actors
):
    _reader, text = read_pdf(english(planner_client, rembuk_url(district)))
    assert "There is no earlier round of this region to compare this round with." in text
    assert "There is no earlier round of this region, so there are no earlier actions" in text
    assert "No follow-up action (RTL) was planned in this round yet." in text


def test_a_bad_target_is_refused_in_words_and_no_round_is_a_404(
    planner_client, district, scored_round
):
    response = english(planner_client, rembuk_url(district, target="tinggi"))
    assert response.status_code == 400
    assert "The target level must be a whole number from 0 to 4" in response.content.decode()
    assert english(planner_client, rembuk_url(district, round=999999)).status_code == 404


@pytest.fixture
def more_actions(admin_user, previous_round, scored_round, actors, health, planning, education):
    """Twelve more actions of each round, of every kind of subject."""
    a, b, c, d = actors
    subjects = [
        {"actor_a": a, "actor_b": c},
        {"actor_a": b},
        {"sector_a": health, "sector_b": education},
    ]
    for round_ in (previous_round, scored_round):
        for number in range(12):
            action_create(
                user=admin_user,
                round=round_,
                target_level=number % 5,
                mechanism="data_sharing",
                owner=[a, b, c, d][number % 4],
                aksi=number % 8 + 1,
                due_date=date(2026, 1 + number % 12, 1),
                **subjects[number % 3],
            )


def _build(district, planner):
    rounds = rounds_visible_to(planner, district)
    pack = rembuk_pack(
        region=district, rounds=rounds, round=rounds[0], target=Level(3), exported_by="x"
    )
    build_rembuk_pdf(pack)
    return pack


@pytest.mark.parametrize("more", [False, True], ids=["4 actions", "28 actions"])
def test_building_the_pack_takes_the_same_queries_whatever_the_number_of_actions(
    request, django_assert_num_queries, district, scored_round, actions, planner, more
):
    if more:
        request.getfixturevalue("more_actions")
    rounds = rounds_visible_to(planner, district)  # as the view reads them
    # This round's matrix 2 (actors, levels), the actions' progress 1, this round's actions
    # 2 (the actions, the actors they name), last year's actions 2, the vocabularies 1; the
    # change like for like is stored in the round's summary (read with the rounds), and the
    # sector matrix of the check comes from the same matrix. Laying out reads nothing.
    with django_assert_num_queries(8):
        pack = rembuk_pack(
            region=district, rounds=rounds, round=rounds[0], target=Level(3), exported_by="x"
        )
        build_rembuk_pdf(pack)
    assert len(pack.proposed) + len(pack.last_year) == (28 if more else 4)
