"""The convergence cycle in a real browser, from the map to the next round's result.

Sigi was mapped in 2025 (closed) with Dinkes ↔ Bappeda at 1 (cooperation), below the
target 3 (collaboration); in 2026 the pair is scored 3. A planner creates the follow-up
action from the 2025 dashboard's gap list, a scorer attaches the minutes (a real PDF), the
planner marks the action done, and the 2026 comparison shows that the pair reached its
target. Every date comes from the rounds, not from today.
"""

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect
from pypdf import PdfWriter

from assessments.models import RoundStatus
from followup.models import EvidenceDocument, FollowUpAction
from tests.browser.conftest import log_in
from tests.factories import RoundFactory, score

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cycle(district, actors, open_round):
    dinkes, puskesmas, bappeda, disdik = actors
    last_year = RoundFactory(
        region=district,
        name="Pemetaan Sigi 2025",
        status=RoundStatus.CLOSED,
        period_start=date(2025, 1, 1),
        period_end=date(2025, 6, 30),
    )
    score(last_year, dinkes, bappeda, 1)  # the gap
    score(last_year, dinkes, puskesmas, 3)
    score(open_round, dinkes, bappeda, 3)  # a year later, at the target
    score(open_round, dinkes, puskesmas, 3)
    return last_year, open_round


def minutes(tmp_path):
    path = tmp_path / "notulen-rapat-dinkes-bappeda.pdf"
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": "Notulen rapat perencanaan bersama"})
    with path.open("wb") as out:
        writer.write(out)
    return path


def test_from_a_gap_to_its_result_in_the_next_round(
    browser,
    page,
    live_server,
    screenshot,
    cycle,
    actors,
    district,
    planner,
    scorer,
    settings,
    tmp_path,
):
    settings.MEDIA_ROOT = tmp_path / "media"
    last_year, this_year = cycle
    dinkes, _, bappeda, _ = actors
    base = f"{live_server.url}/regions/{district.code}"

    # 1. The planner finds the gap on the 2025 dashboard and follows its link.
    log_in(page, live_server, "perencana", "pw-perencana")
    page.goto(f"{base}/?round={last_year.pk}")
    gaps = page.locator("#gaps")
    expect(gaps).to_contain_text("Kesenjangan: pasangan di bawah tingkat 3")
    gap = gaps.locator("li", has_text="Bappeda Kabupaten Sigi")
    expect(gap).to_contain_text("Dinas Kesehatan Kabupaten Sigi")
    screenshot(page, "cycle-1-dashboard-gap", full_page=True)
    gap.get_by_role("link", name="Buat RTL").click()

    # 2. The form comes with the pair, the round and the target; the planner completes it.
    expect(page.locator("h1")).to_contain_text("Tindak lanjut baru")
    expect(page.locator(".round-line")).to_contain_text("Pemetaan Sigi 2025")
    expect(page.locator("#id_actor_a")).to_have_value(str(min(dinkes.pk, bappeda.pk)))
    expect(page.locator("#id_actor_b")).to_have_value(str(max(dinkes.pk, bappeda.pk)))
    expect(page.locator("#id_target_level")).to_have_value("3")
    due = last_year.period_end + timedelta(days=92)  # the last quarter of 2025
    page.select_option("#id_mechanism", "joint_planning_meeting")
    page.select_option("#id_owner", str(bappeda.pk))
    page.select_option("#id_aksi", "2")
    page.fill("#id_due_date", due.isoformat())
    screenshot(page, "cycle-2-action-form", full_page=True)
    page.get_by_role("button", name="Simpan").click()
    expect(page.locator(".messages")).to_contain_text("Tindak lanjut telah disimpan")
    action = FollowUpAction.objects.get()
    assert (action.round, action.target_level, action.due_date) == (last_year, 3, due)
    assert {action.actor_a, action.actor_b} == {dinkes, bappeda}
    edit_url = page.url

    # 3. The scorer, in a browser of their own, attaches the minutes of the meeting.
    scorer_context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="id-ID")
    try:
        scorer_page = scorer_context.new_page()
        scorer_page.set_default_timeout(15_000)
        log_in(scorer_page, live_server, "penilai_sigi", "pw-penilai_sigi")
        scorer_page.goto(edit_url)
        scorer_page.fill("#id_document_title", "Notulen rapat perencanaan bersama")
        scorer_page.set_input_files("#id_document_file", str(minutes(tmp_path)))
        scorer_page.get_by_role("button", name="Tambahkan dokumen").click()
        expect(scorer_page.locator(".messages")).to_contain_text("Dokumen telah ditambahkan")
        expect(scorer_page.locator(".documents")).to_contain_text(
            "notulen-rapat-dinkes-bappeda.pdf"
        )
        screenshot(scorer_page, "cycle-3-minutes-attached", full_page=True)
    finally:
        scorer_context.close()
    document = EvidenceDocument.objects.get()
    assert (document.action, document.uploaded_by, document.kind) == (action, scorer, "pdf")

    # 4. The planner sees the minutes and marks the action done.
    page.reload()
    expect(page.locator(".documents")).to_contain_text("penilai_sigi")
    page.select_option("#id_status", "done")
    page.get_by_role("button", name="Simpan").click()
    expect(page.locator(".facts")).to_contain_text("Selesai")
    action.refresh_from_db()
    assert action.status == "done"
    screenshot(page, "cycle-4-action-done", full_page=True)

    # 5. The 2026 comparison shows the pair's result against the target.
    page.goto(f"{base}/compare/?round={this_year.pk}&previous={last_year.pk}")
    actions = page.locator("#previous-actions")
    expect(actions).to_contain_text("Tindak lanjut dari Pemetaan Sigi 2025")
    row = actions.locator("tr", has_text="Bappeda Kabupaten Sigi")
    expect(row).to_contain_text("Selesai")
    expect(row.locator(".result")).to_have_text("3 di Pemetaan Sigi 2026: target tercapai")
    screenshot(page, "cycle-5-comparison-result", full_page=True)


def test_a_scorer_plans_an_action_from_the_matrix_pair_panel(
    page, live_server, screenshot, open_round, actors, district, scorer
):
    """The level just saved is below the target: the panel offers the RTL at once."""
    dinkes, _, bappeda, _ = actors
    log_in(page, live_server, "penilai_sigi", "pw-penilai_sigi")
    page.goto(f"{live_server.url}/regions/{district.code}/matrix/?round={open_round.pk}")
    page.locator(f"#c{dinkes.pk}-{bappeda.pk} a").click()
    panel = page.locator("#pair-panel")
    panel.get_by_text("Dinas Kesehatan Kabupaten Sigi ↔ Bappeda Kabupaten Sigi").wait_for()
    # Not assessed yet: the link is there before any level.
    expect(panel.locator("#pair-action")).to_contain_text("Belum dinilai.")
    panel.locator("input[name=level][value='1']").check()
    panel.get_by_role("button", name="Simpan").click()
    panel.get_by_text("Tersimpan: Kooperatif.").wait_for()
    expect(panel.locator("#pair-action")).to_contain_text("Di bawah tingkat target 3.")
    screenshot(page, "cycle-matrix-pair-panel")
    panel.get_by_role("link", name="Buat RTL").click()

    expect(page.locator("h1")).to_contain_text("Tindak lanjut baru")
    expect(page.locator("#id_actor_a")).to_have_value(str(min(dinkes.pk, bappeda.pk)))
    expect(page.locator("#id_actor_b")).to_have_value(str(max(dinkes.pk, bappeda.pk)))
    expect(page.locator("#id_target_level")).to_have_value("3")
    page.select_option("#id_mechanism", "data_sharing")
    page.select_option("#id_owner", str(dinkes.pk))
    page.select_option("#id_aksi", "6")
    page.fill("#id_due_date", (open_round.period_start + timedelta(days=180)).isoformat())
    page.get_by_role("button", name="Simpan").click()
    expect(page.locator(".messages")).to_contain_text("Tindak lanjut telah disimpan")
    action = FollowUpAction.objects.get()
    assert {action.actor_a, action.actor_b} == {dinkes, bappeda}
    assert (action.round, action.created_by) == (open_round, scorer)
