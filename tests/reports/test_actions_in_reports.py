"""The round's follow-up actions (RTL) in the XLSX and PDF reports, read back with openpyxl
and pypdf: owner, due date, status, target and the result in the next round."""

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from followup.services import action_create
from tests.reports.conftest import english, report_url
from tests.reports.test_pdf import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def actions(admin_user, previous_round, scored_round, actors, health, planning):
    """2025: a–b target 3, done (3 in 2026: reached); b–c target 3, in progress, due
    2025-12-31 (overdue; 1 in 2026: below). 2026: a–d target 2, planned, due 2027-03-31;
    the sector pair health × planning target 3, planned, due 2026-06-30 (overdue)."""
    a, b, c, d = actors

    def make(round_, *, status, due, target, owner, **subject):
        return action_create(
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

    make(
        previous_round,
        status="done",
        due=date(2025, 9, 30),
        target=3,
        owner=c,
        actor_a=a,
        actor_b=b,
    )
    make(
        previous_round,
        status="in_progress",
        due=date(2025, 12, 31),
        target=3,
        owner=b,
        actor_a=b,
        actor_b=c,
    )
    make(
        scored_round,
        status="planned",
        due=date(2027, 3, 31),
        target=2,
        owner=d,
        actor_a=a,
        actor_b=d,
    )
    make(
        scored_round,
        status="planned",
        due=date(2026, 6, 30),
        target=3,
        owner=c,
        sector_a=health,
        sector_b=planning,
    )


def action_rows(client, district, **params):
    response = english(client, report_url(district, "xlsx", **params))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content))["Actions (RTL)"]
    rows = list(sheet.iter_rows(values_only=True))
    assert sheet.page_setup.orientation == "landscape"
    assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == "$1:$1"
    return rows


def test_the_xlsx_lists_the_rounds_actions_with_their_result(
    planner_client, district, previous_round, actions
):
    rows = action_rows(planner_client, district, round=previous_round.pk)
    assert rows[0][:11] == (
        "About",
        "Aksi",
        "Mechanism",
        "Target level",
        "Owner",
        "Due date",
        "Status",
        "Overdue",
        "Checked in",
        "Level there",
        "Target reached",
    )
    listed = [row[:11] for row in rows[1:3]]
    assert [row[0] for row in listed] == [
        "Dinas Kesehatan Kabupaten Sigi ↔ Puskesmas Biromaru",
        "Puskesmas Biromaru ↔ Bappeda Kabupaten Sigi",
    ]
    done, late = listed
    assert done[1] == "3. Rembuk stunting"
    assert done[2] == "Joint planning meeting"
    assert done[3:5] == (3, "Bappeda Kabupaten Sigi")
    assert done[5].date() == date(2025, 9, 30)
    assert done[6:] == ("Done", "No", "Pemetaan Sigi 2026", 3, "Yes")
    assert late[4] == "Puskesmas Biromaru"
    assert late[6:] == ("In progress", "Yes", "Pemetaan Sigi 2026", 1, "No")


def test_the_latest_rounds_actions_have_no_result_yet(planner_client, district, actions):
    rows = action_rows(planner_client, district)
    listed = [row[:11] for row in rows[1:3]]
    assert [(row[0], row[6], row[7], row[8], row[10]) for row in listed] == [
        ("Health × Planning", "Planned", "Yes", None, None),
        (
            "Dinas Kesehatan Kabupaten Sigi ↔ Dinas Pendidikan Kabupaten Sigi",
            "Planned",
            "No",
            None,
            None,
        ),
    ]


def test_a_round_without_actions_says_so(planner_client, district, scored_round):
    rows = action_rows(planner_client, district)
    assert rows[1][0] == "No follow-up action (RTL) was planned in this round."


def test_the_pdf_lists_the_rounds_actions_with_their_result(
    planner_client, district, previous_round, actions
):
    text = pdf_text(english(planner_client, report_url(district, "pdf", round=previous_round.pk)))
    section = text[text.index("Follow-up actions (RTL)") : text.index("Evidence questions")]
    assert "Dinas Kesehatan Kabupaten Sigi ↔ Puskesmas Biromaru" in section
    assert "3 in Pemetaan Sigi 2026: target reached" in section
    assert "1 in Pemetaan Sigi 2026: below the target" in section
    assert "overdue" in section and "In progress" in section and "Done" in section
    assert "Bappeda Kabupaten Sigi" in section


def test_the_pdf_of_the_latest_round(planner_client, district, actions):
    text = pdf_text(english(planner_client, report_url(district, "pdf")))
    section = text[text.index("Follow-up actions (RTL)") : text.index("Evidence questions")]
    assert "Health × Planning" in section
    assert section.count("No later round yet") == 2
    assert section.count("overdue") == 1
