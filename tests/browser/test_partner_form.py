"""Issue 15 in a real browser: a scorer makes two partners' links; on a phone (390 × 844)
each partner opens theirs, answers, leaves, comes back and submits; the scorer sees the
two views of their tie flagged as a disagreement on the pair panel."""

import re

import pytest

from partners.models import Invitation, PartnerAnswer
from tests.browser.conftest import log_in

expect = pytest.importorskip("playwright.sync_api", reason="playwright is not installed").expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TOKEN_LINK = re.compile(r"/p/[A-Za-z0-9_-]{43}/$")


def no_sideways_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width}px wide at 390px"


def answer_questions(page, answers):
    for name, value in answers.items():
        page.locator(f"input[name={name}][value='{value}']").check()


def test_two_partners_answer_on_a_phone_and_the_scorer_sees_them_disagree(
    page, phone_page, live_server, screenshot, open_round, actors, scorer
):
    dinkes, puskesmas, bappeda, disdik = actors
    # The scorer makes the links of Dinkes and the Puskesmas.
    log_in(page, live_server, "penilai_sigi", "pw-penilai_sigi")
    page.goto(f"{live_server.url}/rounds/{open_round.pk}/invitations/")
    page.get_by_label(f"Undang {dinkes.name}").check()
    page.get_by_label(f"Undang {puskesmas.name}").check()
    page.get_by_role("button", name="Buat tautan untuk anggota yang dicentang").click()
    page.get_by_text("2 tautan dibuat").wait_for()
    expect(page.locator("img.qr")).to_have_count(2)
    screenshot(page, "partners-invitation-sheets", full_page=True)
    links = {}
    for sheet in page.locator(".invitation-sheet").all():
        name = sheet.locator("h1").inner_text()
        links[name] = sheet.locator(".partner-link a").get_attribute("href")
    assert set(links) == {dinkes.name, puskesmas.name}
    assert all(TOKEN_LINK.search(link) for link in links.values())

    # Dinkes's respondent, on a phone.
    phone = phone_page
    phone.goto(links[dinkes.name])
    phone.get_by_label("Nama Anda").fill("Ibu Rahma")
    phone.get_by_label("Jabatan Anda di organisasi").fill("Kepala Bidang Kesmas")
    screenshot(phone, "partners-phone-respondent")
    phone.get_by_role("button", name="Lanjut").click()
    phone.get_by_text("0 dari 3 anggota sudah dijawab.").wait_for()
    no_sideways_scroll(phone)
    # The search keeps only the members whose name matches.
    phone.wait_for_load_state("load")  # its script is deferred
    phone.get_by_label("Cari anggota").fill("bappeda")
    expect(phone.locator(f"#m{puskesmas.pk}")).to_be_hidden()
    expect(phone.locator(f"#m{bappeda.pk}")).to_be_visible()
    screenshot(phone, "partners-phone-search")
    phone.get_by_label("Cari anggota").fill("")

    # The Puskesmas: all four questions yes, level 4.
    phone.locator(f"#m{puskesmas.pk} a").click()
    answer_questions(
        phone,
        {
            "shares_information": "yes",
            "joint_activities": "yes",
            "shared_roles_and_resources": "yes",
            "formal_structure": "yes",
        },
    )
    no_sideways_scroll(phone)
    screenshot(phone, "partners-phone-questions", full_page=True)
    phone.get_by_role("button", name="Simpan", exact=True).click()
    phone.get_by_text(f"Tersimpan: {puskesmas.name}.").wait_for()
    # Bappeda: "we do not work together", one tap.
    phone.locator(f"#m{bappeda.pk} a").click()
    phone.get_by_role("button", name="Kami tidak bekerja sama").click()
    phone.get_by_text(f"Tersimpan: {bappeda.name}.").wait_for()
    # Disdik: answers that skip a step, confirmed, and the level chosen.
    phone.locator(f"#m{disdik.pk} a").click()
    answer_questions(phone, {"shares_information": "no", "joint_activities": "yes"})
    phone.get_by_role("button", name="Simpan", exact=True).click()
    phone.get_by_text("Jawaban ini melompati tahap").wait_for()
    screenshot(phone, "partners-phone-inconsistent", full_page=True)
    phone.locator("input[name=confirm_inconsistent]").check()
    phone.locator("input[name=level][value='2']").check()
    phone.get_by_role("button", name="Simpan", exact=True).click()
    phone.get_by_text(f"Tersimpan: {disdik.name}.").wait_for()

    # Leaves, and comes back later with the same link.
    phone.goto("about:blank")
    phone.goto(links[dinkes.name])
    phone.get_by_text("3 dari 3 anggota sudah dijawab.").wait_for()
    expect(phone.locator(f"#m{bappeda.pk}")).to_contain_text("Kami tidak bekerja sama")
    phone.get_by_role("button", name="Kirim jawaban saya").click()
    phone.get_by_text("Terima kasih").wait_for()
    no_sideways_scroll(phone)
    screenshot(phone, "partners-phone-submitted", full_page=True)

    # The Puskesmas's respondent says they do not work with Dinkes.
    phone.goto(links[puskesmas.name])
    phone.get_by_label("Nama Anda").fill("Pak Budi")
    phone.get_by_label("Jabatan Anda di organisasi").fill("Kepala Puskesmas")
    phone.get_by_role("button", name="Lanjut").click()
    phone.locator(f"#m{dinkes.pk} a").click()
    phone.get_by_role("button", name="Kami tidak bekerja sama").click()
    phone.get_by_text(f"Tersimpan: {dinkes.name}.").wait_for()
    phone.get_by_role("button", name="Kirim jawaban saya").click()
    phone.get_by_text("Terima kasih").wait_for()

    answers = {
        (answer.invitation.actor_id, answer.other_actor_id): answer.level
        for answer in PartnerAnswer.objects.select_related("invitation")
    }
    assert answers == {
        (dinkes.pk, puskesmas.pk): 4,
        (dinkes.pk, bappeda.pk): 0,
        (dinkes.pk, disdik.pk): 2,
        (puskesmas.pk, dinkes.pk): 0,
    }
    assert Invitation.objects.filter(submitted_at__isnull=False).count() == 2

    # The scorer sees the two views flagged on the pair panel.
    page.goto(f"{live_server.url}/rounds/{open_round.pk}/pairs/{dinkes.pk}-{puskesmas.pk}/")
    views = page.locator(".partner-views")
    expect(views).to_contain_text("Kedua pandangan tidak sejalan")
    expect(views).to_contain_text("Ibu Rahma")
    views.scroll_into_view_if_needed()
    screenshot(page, "partners-pair-views-disagree")
    page.goto(f"{live_server.url}/rounds/{open_round.pk}/invitations/")
    expect(page.locator(f"#inv-{dinkes.pk}")).to_contain_text("Sudah dijawab")
    screenshot(page, "partners-invitations-response", full_page=True)


def test_the_invitations_page_on_a_phone_and_the_sheet_on_paper(
    phone_page, live_server, screenshot, open_round, actors, scorer
):
    log_in(phone_page, live_server, "penilai_sigi", "pw-penilai_sigi")
    phone_page.goto(f"{live_server.url}/rounds/{open_round.pk}/invitations/")
    no_sideways_scroll(phone_page)
    screenshot(phone_page, "partners-phone-invitations", full_page=True)
    phone_page.get_by_label(f"Undang {actors[1].name}").check()
    phone_page.get_by_role("button", name="Buat tautan untuk anggota yang dicentang").click()
    phone_page.get_by_text("1 tautan dibuat").wait_for()
    no_sideways_scroll(phone_page)
    phone_page.emulate_media(media="print")
    # On paper: the sheet with its QR code and link, without the sending tools.
    expect(phone_page.locator("img.qr")).to_be_visible()
    expect(phone_page.locator(".partner-link")).to_be_visible()
    expect(phone_page.locator(".invitation-sheet textarea")).to_be_hidden()
    expect(phone_page.get_by_text("1 tautan dibuat")).to_be_hidden()
    screenshot(phone_page, "partners-sheet-print", full_page=True)
