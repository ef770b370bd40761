"""The matrix as a scorer works in it: the next pair in one click, the count rising with
each save without a reload, the cell being scored marked, and a stale save in a second
tab told who saved and when, with the cell showing what is stored."""

import re

import pytest

from assessments.models import PairAssessment
from tests.browser.conftest import log_in
from tests.factories import score

expect = pytest.importorskip("playwright.sync_api", reason="playwright is not installed").expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEXT = "Pasangan berikutnya untuk dinilai"


def test_a_scorer_scores_the_next_pair_and_the_count_rises_without_a_reload(
    page, live_server, screenshot, open_round, actors, scorer
):
    dinkes, puskesmas, bappeda, disdik = actors
    score(open_round, dinkes, puskesmas, 2)
    log_in(page, live_server, "penilai_sigi", "pw-penilai_sigi")
    page.goto(f"{live_server.url}/regions/72.10/matrix/")
    summary = page.locator("#matrix-summary")
    expect(summary).to_contain_text("1 dari 6 pasangan dinilai")
    # A mark that a reload would lose.
    page.evaluate("window.notReloaded = true")

    # One click: the first unscored pair in matrix order, Dinkes × Bappeda.
    page.get_by_role("link", name=NEXT).click()
    panel = page.locator("#pair-panel")
    panel.get_by_text("Dinas Kesehatan Kabupaten Sigi ↔ Bappeda Kabupaten Sigi").wait_for()
    cell = page.locator(f"#c{dinkes.pk}-{bappeda.pk}")
    mirror = page.locator(f"#c{bappeda.pk}-{dinkes.pk}")
    expect(cell).to_have_class(re.compile(r"\bediting\b"))
    expect(cell).to_have_attribute("aria-current", "true")
    expect(mirror).to_have_class(re.compile(r"\bediting\b"))
    assert page.locator(".matrix td.editing").count() == 2

    panel.locator("input[name=level][value='2']").check()
    panel.get_by_role("button", name="Simpan").click()
    panel.get_by_text("Tersimpan: Koordinasi.").wait_for()
    expect(panel.get_by_role("link", name=NEXT)).to_be_in_viewport()
    expect(summary).to_contain_text("2 dari 6 pasangan dinilai")
    expect(cell).to_have_class(re.compile(r"^l2\b"))
    expect(cell).to_have_text("2")
    # The swapped cell is still marked: its pair is still in the panel.
    expect(cell).to_have_class(re.compile(r"\bediting\b"))
    assert page.evaluate("window.notReloaded") is True
    assert page.url.endswith("/regions/72.10/matrix/")

    # From the panel, the next one: Dinkes × Disdik; the mark moves with it.
    panel.get_by_role("link", name=NEXT).click()
    panel.get_by_text("Dinas Kesehatan Kabupaten Sigi ↔ Dinas Pendidikan Kabupaten Sigi").wait_for()
    expect(page.locator(f"#c{dinkes.pk}-{disdik.pk}")).to_have_class(re.compile(r"\bediting\b"))
    expect(cell).not_to_have_class(re.compile(r"\bediting\b"))
    # The sector headers are whole abbreviations, named in the key under the matrix.
    heads = page.locator(".matrix .sector-head abbr").all_inner_texts()
    assert heads == ["Kes", "Per", "Pen"]
    expect(page.locator(".sector-key")).to_contain_text("Perencanaan")
    screenshot(page, "matrix-workplace")

    saved = PairAssessment.objects.get(round=open_round, actor_a=dinkes, actor_b=bappeda)
    assert (saved.level, saved.scored_by) == (2, scorer)


def test_a_stale_save_in_a_second_tab_says_who_and_when_and_shows_the_stored_cell(
    page, live_server, screenshot, open_round, actors, scorer
):
    dinkes, _puskesmas, _bappeda, disdik = actors
    log_in(page, live_server, "penilai_sigi", "pw-penilai_sigi")
    matrix = f"{live_server.url}/regions/72.10/matrix/"
    page.goto(matrix)
    first_tab_cell = page.locator(f"#c{dinkes.pk}-{disdik.pk}")
    first_tab_cell.locator("a").click()
    panel = page.locator("#pair-panel")
    panel.get_by_text("Dinas Kesehatan Kabupaten Sigi ↔ Dinas Pendidikan Kabupaten Sigi").wait_for()

    # The same scorer, in another tab, scores the pair first.
    other_tab = page.context.new_page()
    other_tab.goto(matrix)
    other_tab.locator(f"#c{disdik.pk}-{dinkes.pk} a").click()
    other_panel = other_tab.locator("#pair-panel")
    other_panel.locator("input[name=level][value='4']").check()
    other_panel.get_by_role("button", name="Simpan").click()
    other_panel.get_by_text("Tersimpan: Integrasi.").wait_for()
    expect(other_tab.locator("#matrix-summary")).to_contain_text("1 dari 6 pasangan dinilai")
    other_tab.close()

    # Back in the first tab, still on version 0: refused, and told so.
    panel.locator("input[name=level][value='1']").check()
    panel.get_by_role("button", name="Simpan").click()
    message = panel.locator(".errors[role=alert]")
    expect(message).to_contain_text("Anda sendiri menyimpannya di tab atau perangkat lain pada")
    expect(message).to_contain_text(re.compile(r"pada \d{1,2} \w+\.? \d{4}, \d{1,2}\.\d{2} WITA"))
    # The panel shows its top, where the message is, not the button the scorer pressed.
    expect(message).to_be_in_viewport()
    # The cell and the count show what is stored now.
    expect(first_tab_cell).to_have_class(re.compile(r"^l4\b"))
    expect(first_tab_cell).to_have_text("4")
    expect(page.locator("#matrix-summary")).to_contain_text("1 dari 6 pasangan dinilai")
    screenshot(page, "matrix-stale")
    assert PairAssessment.objects.get().level == 4


def test_the_matrix_with_sector_checkboxes_fits_a_phone(
    phone_page, live_server, screenshot, open_round, actors, scorer, health
):
    page = phone_page
    log_in(page, live_server, "penilai_sigi", "pw-penilai_sigi")
    page.goto(f"{live_server.url}/regions/72.10/matrix/")
    page.get_by_role("checkbox", name="Kesehatan").check()
    page.get_by_role("button", name="Tampilkan").click()
    page.wait_for_url(re.compile(rf"sector={health.pk}"))
    expect(page.get_by_role("checkbox", name="Kesehatan")).to_be_checked()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the matrix page is {width} px wide on a 390 px screen"
    screenshot(page, "phone-matrix-sectors", full_page=True)


def test_the_next_pair_keeps_to_the_sectors_ticked(
    page, live_server, open_round, actors, scorer, health, education
):
    """With health and education ticked, Bappeda (planning) is never offered."""
    dinkes, puskesmas, _bappeda, disdik = actors
    score(open_round, dinkes, puskesmas, 2)
    log_in(page, live_server, "penilai_sigi", "pw-penilai_sigi")
    page.goto(f"{live_server.url}/regions/72.10/matrix/?sector={health.pk}&sector={education.pk}")
    summary = page.locator("#matrix-summary")
    expect(summary).to_contain_text("1 dari 3 pasangan dinilai")

    page.get_by_role("link", name=NEXT).click()
    panel = page.locator("#pair-panel")
    panel.get_by_text("Dinas Kesehatan Kabupaten Sigi ↔ Dinas Pendidikan Kabupaten Sigi").wait_for()
    panel.locator("input[name=level][value='1']").check()
    panel.get_by_role("button", name="Simpan").click()
    panel.get_by_text("Tersimpan: Kooperatif.").wait_for()
    expect(summary).to_contain_text("2 dari 3 pasangan dinilai")

    panel.get_by_role("link", name=NEXT).click()
    panel.get_by_text("Puskesmas Biromaru ↔ Dinas Pendidikan Kabupaten Sigi").wait_for()
    expect(page.locator(f"#c{puskesmas.pk}-{disdik.pk}")).to_have_class(re.compile(r"\bediting\b"))
