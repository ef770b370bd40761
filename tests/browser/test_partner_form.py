"""Issue 15 in a real browser: a scorer makes two partners' links; on a phone (390 × 844)
each partner opens theirs, answers, leaves, comes back and submits; the scorer sees the
two views of their tie flagged as a disagreement on the pair panel and on the matrix's
disagreement view, reconciles the pair with a reason, and the pair's history shows both
views and the decision."""

import re

import pytest

from assessments.models import PairAssessment
from partners.models import Invitation, PartnerAnswer, Reconciliation
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

    # The Puskesmas's respondent says they do not work with Dinkes, and that they share
    # information and work with Bappeda; leaves, comes back and submits.
    phone.goto(links[puskesmas.name])
    phone.get_by_label("Nama Anda").fill("Pak Budi")
    phone.get_by_label("Jabatan Anda di organisasi").fill("Kepala Puskesmas")
    phone.get_by_role("button", name="Lanjut").click()
    phone.locator(f"#m{dinkes.pk} a").click()
    phone.get_by_role("button", name="Kami tidak bekerja sama").click()
    phone.get_by_text(f"Tersimpan: {dinkes.name}.").wait_for()
    phone.locator(f"#m{bappeda.pk} a").click()
    answer_questions(phone, {"shares_information": "yes", "joint_activities": "yes"})
    phone.get_by_role("button", name="Simpan", exact=True).click()
    phone.get_by_text(f"Tersimpan: {bappeda.name}.").wait_for()
    phone.goto("about:blank")
    phone.goto(links[puskesmas.name])
    phone.get_by_text("2 dari 3 anggota sudah dijawab.").wait_for()
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
        (puskesmas.pk, bappeda.pk): 2,
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

    # The matrix's disagreement view flags the pair (4 against 0), not Dinkes–Bappeda (one
    # view only); the partners' view shows both sides of each cell.
    matrix_url = f"{live_server.url}/regions/{open_round.region.code}/matrix/?round={open_round.pk}"
    page.goto(matrix_url)
    page.get_by_role("link", name="Pandangan mitra", exact=True).click()
    expect(page.locator(f"#c{dinkes.pk}-{puskesmas.pk}")).to_have_text("40")
    expect(page.locator(f"#c{puskesmas.pk}-{bappeda.pk}")).to_have_text("2–")
    screenshot(page, "partners-matrix-partners-view", full_page=True)
    page.get_by_role("link", name="Ketidaksejalanan", exact=True).click()
    cell = page.locator(f"#c{dinkes.pk}-{puskesmas.pk}")
    expect(cell).to_have_class(re.compile(r"\bdisagree\b"))
    expect(page.locator(f"#c{dinkes.pk}-{bappeda.pk}")).to_have_class(re.compile(r"\bquiet\b"))
    screenshot(page, "partners-matrix-disagreement", full_page=True)

    # The scorer opens the pair from the cell and reconciles it: the proposed level (the
    # lower view, 0) is chosen, the rule shown; a decision without a reason is refused.
    cell.locator("a").click()
    form = page.locator("#pair-panel .reconcile-form")
    expect(form.locator("input[name='reconcile-level'][value='0']")).to_be_checked()
    expect(page.locator("#pair-panel .proposal-rule")).to_contain_text("yang lebih rendah")
    form.locator("input[name='reconcile-level'][value='2']").check()
    form.get_by_role("button", name="Rekonsiliasi", exact=True).click()
    expect(page.locator("#pair-panel .reconcile-form")).to_contain_text("Sebutkan mengapa")
    assert not Reconciliation.objects.exists()
    form = page.locator("#pair-panel .reconcile-form")
    form.locator("input[name='reconcile-level'][value='2']").check()
    reason = "Dicek di rapat TPPS: rapat bersama ada, tim SK bersama belum ada."
    form.locator("textarea").fill(reason)
    screenshot(page, "partners-reconcile-form")
    form.get_by_role("button", name="Rekonsiliasi", exact=True).click()
    history = page.locator("#pair-panel .pair-history")
    history.locator("summary").click()
    decision = history.locator(".reconciliation").first
    expect(decision).to_contain_text(reason)
    expect(decision).to_contain_text("penilai_sigi")
    expect(decision).to_contain_text(f"{dinkes.name} tentang {puskesmas.name}")
    expect(decision).to_contain_text("Ibu Rahma")
    expect(decision).to_contain_text("Kami tidak bekerja sama")
    decision.scroll_into_view_if_needed()
    screenshot(page, "partners-pair-history-reconciled")
    record = Reconciliation.objects.get()
    assert (record.level, record.proposed_level, record.decided_by) == (2, 0, scorer)
    assert PairAssessment.objects.get(round=open_round).level == 2

    # The disagreement view now shows the pair reconciled; on a phone the page does not
    # scroll sideways (the matrix scrolls in its own box), and it prints.
    page.goto(f"{matrix_url}&view=disagreement")
    expect(page.locator(f"#c{dinkes.pk}-{puskesmas.pk}")).to_have_class(
        re.compile(r"\breconciled\b")
    )
    page.set_viewport_size({"width": 390, "height": 844})
    no_sideways_scroll(page)
    screenshot(page, "partners-phone-matrix-disagreement", full_page=True)
    page.emulate_media(media="print")
    expect(page.locator(".view-hint")).to_be_visible()
    expect(page.locator(".view-switch")).to_be_hidden()
    screenshot(page, "partners-matrix-disagreement-print", full_page=True)


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
