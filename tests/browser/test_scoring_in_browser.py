import re

import pytest

from assessments.models import PairAssessment
from tests.browser.conftest import log_in
from tests.factories import score

expect = pytest.importorskip("playwright.sync_api", reason="playwright is not installed").expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_scorer_scores_a_pair_and_sees_the_matrix_change(
    page, live_server, screenshot, open_round, actors, scorer
):
    score(open_round, actors[0], actors[2], 1)
    log_in(page, live_server, "penilai_sigi", "pw-penilai_sigi")
    screenshot(page, "home-scorer")

    page.goto(f"{live_server.url}/regions/72.10/matrix/")
    first, second = actors[0].pk, actors[1].pk
    cell = page.locator(f"#c{first}-{second}")
    mirror = page.locator(f"#c{second}-{first}")
    assert cell.get_attribute("class") == "na"
    screenshot(page, "matrix-scorer")

    cell.locator("a").click()
    panel = page.locator("#pair-panel")
    panel.get_by_text("Dinas Kesehatan Kabupaten Sigi ↔ Puskesmas Biromaru").wait_for()
    panel.locator("input[name=level][value='3']").check()
    panel.locator("textarea[name=note]").fill("SK Tim Percepatan Penurunan Stunting")
    panel.get_by_role("button", name="Simpan").click()

    panel.get_by_text("Tersimpan: Kolaborasi.").wait_for()
    # htmx settles the swapped cells' classes a few milliseconds after the swap.
    expect(cell).to_have_class(re.compile(r"^l3( |$)"))
    expect(mirror).to_have_class(re.compile(r"^l3( |$)"))
    expect(cell).to_have_text("3")
    # The page was not reloaded: the URL is still the matrix.
    assert page.url.endswith("/regions/72.10/matrix/")
    screenshot(page, "matrix-after-scoring")

    saved = PairAssessment.objects.get(round=open_round, actor_a=actors[0], actor_b=actors[1])
    assert (saved.level, saved.note, saved.scored_by) == (
        3,
        "SK Tim Percepatan Penurunan Stunting",
        scorer,
    )


def test_a_scorer_of_another_district_is_refused(
    page, live_server, screenshot, open_round, actors, other_scorer
):
    log_in(page, live_server, "penilai_palu", "pw-penilai_palu")
    response = page.goto(f"{live_server.url}/regions/72.10/matrix/")
    assert response.status == 403
    assert "Tidak diizinkan" in page.content()
    assert "Dinas Kesehatan Kabupaten Sigi" not in page.content()
    screenshot(page, "refused-outsider")


def test_the_language_switch_turns_the_page_to_english(
    page, live_server, open_round, actors, viewer
):
    log_in(page, live_server, "pembaca", "pw-pembaca")
    page.goto(f"{live_server.url}/regions/72.10/matrix/")
    assert page.locator("h1").inner_text().startswith("Matriks siapa × siapa")
    page.select_option("#language-select", "en")
    page.wait_for_load_state("load")
    page.locator("h1", has_text="Who × who matrix").wait_for()


def test_a_scorer_scores_a_pair_from_the_evidence_questions(
    page, live_server, screenshot, open_round, actors, scorer
):
    """Yes, yes, yes, no: the level is derived (collaboration, 3), not picked."""
    log_in(page, live_server, "penilai_sigi", "pw-penilai_sigi")
    page.goto(f"{live_server.url}/regions/72.10/matrix/")
    puskesmas, disdik = actors[1].pk, actors[3].pk
    cell = page.locator(f"#c{puskesmas}-{disdik}")
    mirror = page.locator(f"#c{disdik}-{puskesmas}")
    expect(cell).to_have_class("na")

    cell.locator("a").click()
    panel = page.locator("#pair-panel")
    panel.get_by_text("Puskesmas Biromaru ↔ Dinas Pendidikan Kabupaten Sigi").wait_for()
    # No level is picked: it is left to the answers.
    expect(panel.locator("input[name=level][value='']")).to_be_checked()
    for question, answer in (
        ("shares_information", "yes"),
        ("joint_activities", "yes"),
        ("shared_roles_and_resources", "yes"),
        ("formal_structure", "no"),
    ):
        panel.locator(f"input[name={question}][value={answer}]").check()
    mechanisms = panel.locator("details", has=page.locator("input[name=mechanisms]"))
    mechanisms.locator("summary").click()
    panel.locator("input[name=mechanisms][value=joint_training]").check()
    screenshot(page, "pair-evidence-filled")
    panel.locator("#score-form button[type=submit]").click()

    panel.get_by_text("Tersimpan: Kolaborasi.").wait_for()
    expect(cell).to_have_class(re.compile(r"^l3( |$)"))
    expect(mirror).to_have_class(re.compile(r"^l3( |$)"))
    expect(cell).to_have_text("3")
    # The form shows what was stored: the answers, and still no level picked by hand.
    expect(panel.locator("input[name=formal_structure][value=no]")).to_be_checked()
    expect(panel.locator("input[name=level][value='']")).to_be_checked()
    screenshot(page, "matrix-after-evidence")

    saved = PairAssessment.objects.get(round=open_round, actor_a=actors[1], actor_b=actors[3])
    assert saved.level == 3
    assert (
        saved.shares_information,
        saved.joint_activities,
        saved.shared_roles_and_resources,
        saved.formal_structure,
    ) == (True, True, True, False)
    assert saved.mechanisms == ["joint_training"]
    assert saved.scored_by == scorer
