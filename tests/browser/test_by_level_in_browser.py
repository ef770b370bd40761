"""The by-level page in the browser, as Kim et al.'s Table 2: a scorer records a level's
main role, and the links between levels read between the levels they join. Leaves
screenshots in test-artifacts/screenshots/ (by-level-table.png, by-level-role-saved.png)."""

import pytest

from actors.models import GovernmentLevel
from tests.browser.conftest import log_in
from tests.factories import ActorFactory, RegionFactory, score

expect = pytest.importorskip("playwright.sync_api", reason="playwright is not installed").expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def levels_round(open_round, actors, province, district, health, planning, scorer):
    a, b, c, d = actors
    p1 = ActorFactory(name="Dinas Kesehatan Provinsi Sulawesi Tengah", home_region=province)
    kecamatan = RegionFactory(
        code="72.10.01", name="Dolo", level=GovernmentLevel.SUBDISTRICT, parent=district
    )
    desa = RegionFactory(
        code="72.10.01.2001",
        name="Kotarindau",
        level=GovernmentLevel.VILLAGE,
        parent=kecamatan,
    )
    k1 = ActorFactory(name="Puskesmas Dolo", sector=health, home_region=kecamatan)
    v1 = ActorFactory(name="Pemerintah Desa Kotarindau", sector=planning, home_region=desa)
    score(
        open_round,
        p1,
        a,
        3,
        mechanisms=["joint_planning_meeting", "review_meeting"],
        facilitating_factors=["recognised_leadership"],
        hindering_factors=["different_priorities"],
    )
    score(
        open_round, p1, c, 1, mechanisms=["data_sharing"], hindering_factors=["little_data_sharing"]
    )
    score(open_round, a, c, 2, mechanisms=["joint_planning_meeting", "data_sharing"])
    score(
        open_round,
        a,
        b,
        4,
        mechanisms=["joint_supervision"],
        facilitating_factors=["clear_leadership"],
    )
    score(
        open_round, a, k1, 3, mechanisms=["joint_training"], hindering_factors=["low_participation"]
    )
    score(
        open_round,
        k1,
        v1,
        3,
        mechanisms=["village_health_nutrition_day", "joint_home_visits"],
        facilitating_factors=["shared_motivation", "close_communication"],
        hindering_factors=["heavy_workload", "unbalanced_incentives"],
    )
    return open_round


def test_a_scorer_records_a_main_role_in_the_table(
    page, live_server, screenshot, levels_round, scorer
):
    log_in(page, live_server, "penilai_sigi", "pw-penilai_sigi")
    page.goto(f"{live_server.url}/regions/72.10/levels/")
    table = page.locator("table.by-level")
    expect(table).to_be_visible()
    # The link province ↔ district sits between the two levels' rows.
    rows = table.locator("tbody tr")
    ids = [rows.nth(index).get_attribute("id") for index in range(rows.count())]
    assert ids[:5] == ["level-0", "level-1", "link-1-2", "level-2", "link-2-3"]
    expect(page.locator("#link-3-4")).to_contain_text("Hari kesehatan dan gizi desa bersama")
    screenshot(page, "by-level-table", full_page=True)

    district_row = page.locator("#level-2")
    district_row.locator("summary").click()
    district_row.locator("textarea[name=main_role]").fill(
        "Merencanakan dan menganggarkan tiap tahun; melatih petugas kecamatan"
    )
    district_row.locator("button[type=submit]").click()
    page.wait_for_load_state("load")
    expect(page.locator("#level-2 .main-role-text")).to_have_text(
        "Merencanakan dan menganggarkan tiap tahun; melatih petugas kecamatan"
    )
    expect(page.locator(".messages")).to_contain_text("Peran utama tingkat ini tersimpan")
    screenshot(page, "by-level-role-saved", full_page=True)
