"""An admin imports the files an office has, in a real browser: the CSV that Indonesian Excel
saves (Windows-1252, semicolons, the interface's Indonesian labels) and the XLSX template
filled in with Indonesian labels. Each is previewed (nothing written), then confirmed.

A new actor joins no round by itself: the admin then puts the imported actors on the open
round's roster in the Django admin (the round's page, "Roster"), imports their pairs with
the edge-list template, and finds them, with their levels, in the who × who matrix.
"""

import io

import pytest
from openpyxl import load_workbook

from actors.models import Actor, ActorKind
from assessments.models import PairAssessment, RoundMember
from tests.browser.conftest import log_in
from tests.factories import SectorFactory

expect = pytest.importorskip("playwright.sync_api", reason="playwright is not installed").expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUPR = "Dinas Pekerjaan Umum & Penataan Ruang – Bidang Cipta Karya"
# As Excel's "CSV (dipisahkan koma)" writes it on a Windows set to Indonesian.
OFFICE_CSV = (
    "Nama;Nama singkat;Jenis;Sektor;Tingkat pemerintahan;Kode wilayah\r\n"
    f"{PUPR};Dinas PUPR;Pemerintah (OPD);Pekerjaan umum, air minum dan sanitasi;"
    "Kabupaten/kota;72.10\r\n"
).encode("cp1252")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def public_works(db):
    return SectorFactory(
        code="public_works",
        name_id="Pekerjaan umum, air minum dan sanitasi",
        name_en="Public works, water and sanitation",
    )


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload_and_preview(page, kind, name, content, mime, round_=None):
    """On the import page: choose what the file holds, attach it, ask for the preview."""
    page.check(f"input[name=kind][value={kind}]")
    if round_ is not None:
        page.select_option("#id_round", value=str(round_.pk))
    page.set_input_files("#id_file", {"name": name, "mimeType": mime, "buffer": content})
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/imports/")


def confirm(page):
    page.locator("form.confirm-import button[type=submit]").click()
    page.wait_for_url("**/imports/")
    expect(page.locator(".messages .message.success")).to_be_visible()


def download(page, link_selector) -> bytes:
    with page.expect_download() as info:
        page.locator(link_selector).click()
    return open(info.value.path(), "rb").read()


def xlsx(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_an_admin_imports_the_offices_files_and_sees_the_actors_in_the_matrix(
    page, live_server, screenshot, admin_user, district, actors, open_round, public_works
):
    log_in(page, live_server, "admin", "pw-admin")
    # The header leads to the import page, which has the site's navigation.
    page.locator("header.site-header a[href='/imports/']").click()
    page.wait_for_url("**/imports/")
    expect(page.locator("nav.site-nav a[aria-current=page]")).to_have_attribute("href", "/imports/")
    screenshot(page, "imports-page")

    # 1. The Windows-1252 semicolon CSV with Indonesian labels: preview, nothing written.
    upload_and_preview(page, "actors", "aktor.csv", OFFICE_CSV, "text/csv")
    summary = page.locator(".preview-summary")
    expect(summary).to_have_attribute("data-created", "1")
    expect(page.locator(".preview-create table")).to_contain_text(PUPR)
    expect(page.locator(".preview-create table")).to_contain_text(
        "Perangkat daerah / instansi pemerintah (OPD)"
    )
    screenshot(page, "imports-preview-office-csv", full_page=True)
    assert not Actor.objects.filter(name=PUPR).exists()
    confirm(page)
    pupr = Actor.objects.get(name=PUPR)
    assert (pupr.kind, pupr.sector, pupr.short_name) == (
        ActorKind.GOVERNMENT,
        public_works,
        "Dinas PUPR",
    )

    # 2. The actor template, downloaded in Indonesian and filled in with its own labels.
    workbook = load_workbook(io.BytesIO(download(page, "a[href='/imports/templates/actors.xlsx']")))
    lists = workbook["Daftar"]
    kinds = [cell.value for cell in lists["A"][1:] if cell.value]
    levels = [cell.value for cell in lists["C"][1:] if cell.value]
    assert "Lembaga swadaya masyarakat (LSM)" in kinds and "Kecamatan" in levels
    data = workbook["Data"]
    data.delete_rows(2)  # the example row
    data.append(["Yayasan Gizi Sulawesi", "YGS", "Lembaga swadaya masyarakat (LSM)",
                 "Kesehatan", "Kabupaten/kota", "72.10", "ya"])  # fmt: skip
    data.append(["Puskesmas Kalukubula", "PKM Kalukubula", "Fasilitas kesehatan", "Kesehatan",
                 "Kecamatan", "72.10", "ya"])  # fmt: skip
    upload_and_preview(page, "actors", "templat-aktor.xlsx", xlsx(workbook), XLSX)
    expect(page.locator(".preview-summary")).to_have_attribute("data-created", "2")
    expect(page.locator(".preview-create table")).to_contain_text("Fasilitas kesehatan")
    screenshot(page, "imports-preview-template", full_page=True)
    assert not Actor.objects.filter(short_name="YGS").exists()
    confirm(page)
    new = ["Dinas PUPR", "YGS", "PKM Kalukubula"]
    assert Actor.objects.filter(short_name__in=new).count() == 3

    # 3. They join no round by themselves: the admin adds them to the open round's roster.
    page.goto(f"{live_server.url}/admin/assessments/assessmentround/{open_round.pk}/change/")
    names = [PUPR, "Yayasan Gizi Sulawesi", "Puskesmas Kalukubula"]
    options = page.locator("#id_members_from option")
    labels = [text for text in options.all_inner_texts() if any(n in text for n in names)]
    assert len(labels) == 3, options.all_inner_texts()
    page.select_option("#id_members_from", label=labels)
    page.locator("#id_members_add").click()
    page.locator("input[name=_save]").click()
    page.wait_for_url("**/admin/assessments/assessmentround/")
    on_roster = RoundMember.objects.filter(round=open_round, actor__short_name__in=new)
    assert on_roster.count() == 3

    # 4. Their pairs, with the round's edge-list template and Indonesian level names.
    page.goto(f"{live_server.url}/imports/")
    workbook = load_workbook(
        io.BytesIO(download(page, f"a[href='/imports/templates/edges.xlsx?round={open_round.pk}']"))
    )
    data = workbook["Data"]
    data.delete_rows(2)
    data.append([PUPR, "Dinas Kesehatan Kabupaten Sigi", "3 – Kolaborasi"])
    data.append(["Yayasan Gizi Sulawesi", "Puskesmas Kalukubula", "Koordinasi"])
    upload_and_preview(page, "edges", "pasangan.xlsx", xlsx(workbook), XLSX, open_round)
    expect(page.locator(".preview-summary")).to_have_attribute("data-created", "2")
    assert not PairAssessment.objects.filter(round=open_round).exists()
    confirm(page)
    assert PairAssessment.objects.filter(round=open_round).count() == 2

    # 5. The who × who matrix shows them, and their levels.
    page.goto(f"{live_server.url}/regions/72.10/matrix/?round={open_round.pk}")
    for name in names:
        expect(page.locator(f".matrix th.row-head[title='{name}']")).to_have_count(1)
    dinkes = actors[0]
    first, second = sorted([pupr.pk, dinkes.pk])
    expect(page.locator(f"#c{first}-{second}")).to_contain_text("3")
    screenshot(page, "imports-actors-in-the-matrix", full_page=True)


def test_a_bad_office_file_is_previewed_with_its_problems_and_cannot_be_confirmed(
    page, live_server, screenshot, admin_user, district, actors
):
    bad = (
        "Nama;Nama singkat;Jenis;Sektor;Tingkat pemerintahan;Kode wilayah\r\n"
        f"{PUPR};Dinas PUPR;Dinas teknis;Pekerjaan umum;Kabupaten/kota;72.99\r\n"
    ).encode("cp1252")
    log_in(page, live_server, "admin", "pw-admin")
    page.goto(f"{live_server.url}/imports/")
    upload_and_preview(page, "actors", "aktor.csv", bad, "text/csv")
    errors = page.locator("table.import-errors")
    expect(errors).to_contain_text("Dinas teknis")
    expect(errors).to_contain_text("72.99")
    expect(page.locator("form.confirm-import")).to_have_count(0)
    screenshot(page, "imports-preview-refused", full_page=True)
    assert not Actor.objects.filter(name=PUPR).exists()
