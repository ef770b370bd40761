"""Issue 14 in a real browser: the demo's aksi page on a phone and on paper, and a scorer
who files a document on a pair from the matrix's panel (htmx, multipart), a refused file
first. Leaves screenshots in test-artifacts/screenshots/ (phone-demo-aksi.png,
pair-documents.png)."""

import pytest

from assessments.models import AssessmentRound, RoundStatus
from followup.models import EvidenceDocument
from tests.browser.conftest import log_in
from tests.browser.test_demo_in_browser import demo_planner  # noqa: F401  (fixture)
from tests.followup.test_documents import pdf_bytes

expect = pytest.importorskip("playwright.sync_api", reason="playwright is not installed").expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_demo_s_aksi_page_on_a_phone_and_on_paper(
    phone_page,
    live_server,
    screenshot,
    demo_planner,  # noqa: F811
):
    later = AssessmentRound.objects.get(region__code="72.10", status=RoundStatus.OPEN)
    page = phone_page
    log_in(page, live_server, "perencana", "pw-perencana-demo")
    page.goto(f"{live_server.url}/regions/72.10/aksi/?round={later.pk}")
    expect(page.locator("section.aksi")).to_have_count(8)
    expect(page.locator("#aksi-1")).to_contain_text("Laporan analisis situasi")
    expect(page.locator("#aksi-2")).to_contain_text("SK Tim Percepatan Penurunan Stunting")
    expect(page.locator("#aksi-5")).to_contain_text("Belum ada dokumen.")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the aksi page is {width} px wide on a 390 px screen"
    page.locator("#aksi-2").scroll_into_view_if_needed()
    screenshot(page, "phone-demo-aksi")
    # On paper: the lists stay, the upload forms go.
    page.emulate_media(media="print")
    expect(page.locator("#aksi-1 .documents")).to_be_visible()
    expect(page.locator("#aksi-1 form.document-form")).to_be_hidden()


def test_a_scorer_files_a_document_on_a_pair_from_the_panel(
    page, live_server, screenshot, open_round, actors, scorer, tmp_path
):
    dinkes, _pkm, bappeda, _disdik = actors
    log_in(page, live_server, "penilai_sigi", "pw-penilai_sigi")
    page.goto(f"{live_server.url}/regions/72.10/matrix/")
    page.locator(f"#c{dinkes.pk}-{bappeda.pk} a").click()
    section = page.locator("#pair-documents")
    expect(section).to_contain_text("Belum ada dokumen pada pasangan ini")

    forged = tmp_path / "foto.png"
    forged.write_bytes(pdf_bytes())
    section.locator("input[type=file]").set_input_files(str(forged))
    section.get_by_role("button", name="Tambahkan dokumen").click()
    expect(page.locator("#pair-documents .errors")).to_contain_text("tidak sesuai dengan namanya")
    assert not EvidenceDocument.objects.exists()

    minutes = tmp_path / "notulen.pdf"
    minutes.write_bytes(pdf_bytes())
    section = page.locator("#pair-documents")
    section.locator("input[name=title]").fill("Notulen rapat TPPS")
    section.locator("select[name=aksi]").select_option("3")
    section.locator("input[type=file]").set_input_files(str(minutes))
    section.get_by_role("button", name="Tambahkan dokumen").click()
    expect(page.locator("#pair-documents")).to_contain_text("Notulen rapat TPPS")
    # Still the matrix: the panel changed in place.
    assert page.url.endswith("/regions/72.10/matrix/")
    screenshot(page, "pair-documents")
    document = EvidenceDocument.objects.get()
    assert (document.actor_a, document.actor_b, document.aksi) == (dinkes, bappeda, 3)
