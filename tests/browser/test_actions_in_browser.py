"""Follow-up actions in a real browser: from a gap on an actor's page to a saved action,
then marked done; the list and the form fit a phone."""

from datetime import date

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader, PdfWriter

from followup.models import FollowUpAction
from followup.services import action_create
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_planner_creates_an_action_from_a_gap_and_marks_it_done(
    page, live_server, screenshot, mapped_district, planner, actors, open_round, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    dinkes, puskesmas, *_ = actors
    log_in(page, live_server, "perencana", "pw-perencana")
    page.goto(f"{live_server.url}/regions/72.10/actors/{puskesmas.pk}/?round={open_round.pk}")
    page.get_by_role("link", name="Buat RTL", exact=True).first.click()
    expect(page.locator("h1")).to_contain_text("Tindak lanjut baru")
    page.select_option("#id_mechanism", "joint_planning_meeting")
    page.select_option("#id_owner", str(puskesmas.pk))
    page.select_option("#id_aksi", "3")
    page.fill("#id_due_date", "2027-03-31")
    screenshot(page, "action-new", full_page=True)
    page.get_by_role("button", name="Simpan").click()
    expect(page.locator(".messages")).to_contain_text("Tindak lanjut telah disimpan")
    action = FollowUpAction.objects.get()
    assert action.owner == puskesmas
    assert action.round == open_round

    # The minutes, as a PDF: attached, then listed with a download link.
    minutes = tmp_path / "notulen-lokmin.pdf"
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    with minutes.open("wb") as out:
        writer.write(out)
    page.fill("#id_document_title", "Notulen lokakarya mini")
    page.set_input_files("#id_document_file", str(minutes))
    page.get_by_role("button", name="Tambahkan dokumen").click()
    expect(page.locator(".messages")).to_contain_text("Dokumen telah ditambahkan")
    expect(page.locator(".documents")).to_contain_text("notulen-lokmin.pdf")
    with page.expect_download() as download:
        page.get_by_role("link", name="notulen-lokmin.pdf").click()
    assert download.value.suggested_filename == "notulen-lokmin.pdf"
    assert len(PdfReader(download.value.path()).pages) == 1

    page.select_option("#id_status", "done")
    page.get_by_role("button", name="Simpan").click()
    expect(page.locator(".facts")).to_contain_text("Selesai")
    expect(page.locator(".history")).to_contain_text("perencana")
    action.refresh_from_db()
    assert action.status == "done"
    screenshot(page, "action-edit", full_page=True)


@pytest.mark.parametrize("path", ["/regions/72.10/actions/", "/regions/72.10/actions/new/"])
def test_the_action_pages_fit_a_phone(
    phone_page, live_server, screenshot, mapped_district, planner, actors, open_round, path
):
    dinkes, puskesmas, bappeda, disdik = actors
    action_create(
        user=planner,
        round=open_round,
        actor_a=puskesmas,
        actor_b=bappeda,
        target_level=3,
        mechanism="mou_or_decree_team",
        owner=bappeda,
        involved=[dinkes, disdik],
        aksi=4,
        due_date=date(2026, 11, 1),
        notes="Rancangan peraturan bupati tentang peran desa dalam konvergensi stunting.",
    )
    page = phone_page
    log_in(page, live_server, "perencana", "pw-perencana")
    page.goto(live_server.url + path)
    expect(page.locator("h1")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{path} is {width} px wide on a 390 px screen"
    screenshot(page, "phone-actions" + path.replace("/", "-"), full_page=True)
