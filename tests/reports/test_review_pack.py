"""The performance-review pack: a ZIP with a folder per aksi holding its present
documents byte for byte, under safe and unique names, and an index (PDF read with pypdf,
XLSX read with openpyxl) that lists them and names the aksi without a document."""

import io
import re
import zipfile
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook
from pypdf import PdfReader, PdfWriter

from followup.models import EvidenceDocument
from followup.selectors import review_documents
from followup.services import action_create, document_delete, document_upload
from reports.packs import build_review_zip, review_pack, safe_file_name
from tests.factories import RoundFactory
from tests.reports.conftest import english

pytestmark = pytest.mark.django_db

FOLDERS_EN = [
    "01-situation-analysis/",
    "02-activity-plan/",
    "03-rembuk-stunting/",
    "04-village-regulation/",
    "05-kpm-support/",
    "06-data-management/",
    "07-stunting-measurement/",
    "08-performance-review/",
]
FOLDERS_ID = [
    "01-analisis-situasi/",
    "02-rencana-kegiatan/",
    "03-rembuk-stunting/",
    "04-perbup-perwali-peran-desa/",
    "05-pembinaan-kpm/",
    "06-manajemen-data/",
    "07-pengukuran-publikasi-stunting/",
    "08-reviu-kinerja/",
]


def pdf_bytes(label: str) -> bytes:
    """A one-page PDF whose bytes differ by ``label``."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": label})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def review_url(region, **params):
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"/regions/{region.code}/performance-review.zip" + (f"?{query}" if query else "")


def upload(user, name, content, **subject):
    return document_upload(user=user, file=SimpleUploadedFile(name, content), **subject)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def filed(media, admin_user, scorer, open_round, previous_round, actors, other_round):
    """Sigi 2026: an action's minutes (aksi 3), a pair's MoU (no aksi), two aksi-1
    documents with the same name but for case, one with a stored name that climbs out of
    its folder, a decree of aksi 4 tied to no round; left out: a deleted document, one of
    2025, one of Palu."""
    a, b, c, d = actors
    action = action_create(
        user=admin_user,
        round=open_round,
        actor_a=a,
        actor_b=c,
        target_level=3,
        mechanism="joint_planning_meeting",
        owner=c,
        aksi=3,
        due_date=date(2027, 3, 31),
    )
    uploads = {
        "minutes": (
            upload(
                scorer, "Notulen rembuk.pdf", pdf_bytes("minutes"), action=action, title="Rapat"
            ),
            pdf_bytes("minutes"),
        ),
        "mou": (
            upload(scorer, "MoU.pdf", pdf_bytes("mou"), round=open_round, actor_a=b, actor_b=d),
            pdf_bytes("mou"),
        ),
        "first": (
            upload(
                admin_user,
                "Analisis.pdf",
                pdf_bytes("first"),
                region=open_round.region,
                round=open_round,
                aksi=1,
                title='=HYPERLINK("x")',
            ),
            pdf_bytes("first"),
        ),
        "second": (
            upload(
                admin_user,
                "analisis.PDF",
                pdf_bytes("second"),
                region=open_round.region,
                round=open_round,
                aksi=1,
            ),
            pdf_bytes("second"),
        ),
        "climbing": (
            upload(
                admin_user,
                "CON.pdf",
                pdf_bytes("climbing"),
                region=open_round.region,
                round=open_round,
                aksi=1,
            ),
            pdf_bytes("climbing"),
        ),
        "decree": (
            upload(
                admin_user,
                "SK Bupati: peran desa.pdf",
                pdf_bytes("decree"),
                region=open_round.region,
                aksi=4,
                title="Perbup peran desa",
            ),
            pdf_bytes("decree"),
        ),
    }
    # A name stored before names were cleaned: a path that climbs out of the folder.
    EvidenceDocument.objects.filter(pk=uploads["climbing"][0].pk).update(
        original_name="../../..\\Windows\\System32\\CON.pdf"
    )
    deleted = upload(
        admin_user, "Dihapus.pdf", pdf_bytes("deleted"), region=open_round.region, aksi=2
    )
    document_delete(document=deleted, user=admin_user)
    upload(
        admin_user,
        "Tahun lalu.pdf",
        pdf_bytes("2025"),
        region=open_round.region,
        round=previous_round,
        aksi=2,
    )
    upload(admin_user, "Palu.pdf", pdf_bytes("palu"), region=other_round.region, aksi=5)
    return uploads


def read_zip(response) -> zipfile.ZipFile:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    content = b"".join(response.streaming_content)
    assert int(response["Content-Length"]) == len(content)
    return zipfile.ZipFile(io.BytesIO(content))


def test_the_zip_holds_a_folder_per_aksi_and_the_documents_byte_for_byte(
    planner_client, district, open_round, filed
):
    response = english(planner_client, review_url(district, round=open_round.pk))
    assert response["Content-Disposition"] == (
        'attachment; filename="peta-konvergensi-kabupaten-sigi-pemetaan-sigi-2026'
        '-penilaian-kinerja.zip"'
    )
    archive = read_zip(response)
    assert archive.testzip() is None
    names = archive.namelist()
    folders = [name for name in names if name.endswith("/")]
    assert folders == FOLDERS_EN + ["09-pairs-without-aksi/"]
    files = sorted(name for name in names if not name.endswith("/"))
    assert files == [
        "00-index.pdf",
        "00-index.xlsx",
        "01-situation-analysis/Analisis.pdf",
        "01-situation-analysis/_CON.pdf",
        "01-situation-analysis/analisis (2).PDF",
        "03-rembuk-stunting/Notulen rembuk.pdf",
        "04-village-regulation/SK Bupati_ peran desa.pdf",
        "09-pairs-without-aksi/MoU.pdf",
    ]
    expected = {
        "01-situation-analysis/Analisis.pdf": "first",
        "01-situation-analysis/analisis (2).PDF": "second",
        "01-situation-analysis/_CON.pdf": "climbing",
        "03-rembuk-stunting/Notulen rembuk.pdf": "minutes",
        "04-village-regulation/SK Bupati_ peran desa.pdf": "decree",
        "09-pairs-without-aksi/MoU.pdf": "mou",
    }
    for path, key in expected.items():
        assert archive.read(path) == filed[key][1], path
    # Nothing outside its folder, nothing Windows refuses.
    for name in names:
        assert not name.startswith(("/", "..")) and "\\" not in name and ".." not in name
        assert not re.search(r'[<>:"|?*]', name), name


def test_the_index_lists_every_document_and_names_the_missing_aksi(
    planner_client, district, open_round, filed, scorer
):
    archive = read_zip(english(planner_client, review_url(district, round=open_round.pk)))

    sheet = load_workbook(io.BytesIO(archive.read("00-index.xlsx")))["Documents"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (
        "No.",
        "Aksi",
        "What it proves",
        "Attached to",
        "Uploaded by",
        "Uploaded",
        "File in the ZIP",
        "Type",
        "Size (KB)",
    )
    by_path = {row[6]: row for row in rows[1:]}
    assert set(by_path) == {
        name for name in archive.namelist() if "/" in name and not name.endswith("/")
    }
    minutes = by_path["03-rembuk-stunting/Notulen rembuk.pdf"]
    assert minutes[1] == "3. Rembuk stunting"
    assert minutes[2] == "Rapat"
    assert minutes[3] == ("Action: Dinas Kesehatan Kabupaten Sigi ↔ Bappeda Kabupaten Sigi")
    assert minutes[4] == "penilai_sigi"
    assert minutes[5].date() == date(2026, 11, 30)  # the WITA date, not the UTC one
    assert by_path["09-pairs-without-aksi/MoU.pdf"][3] == (
        "Pair: Puskesmas Biromaru ↔ Dinas Pendidikan Kabupaten Sigi"
    )
    assert by_path["04-village-regulation/SK Bupati_ peran desa.pdf"][3] == "The region's aksi"
    # A title that reads as a formula is kept as text.
    assert by_path["01-situation-analysis/Analisis.pdf"][2] == '=HYPERLINK("x")'

    aksi_rows = list(
        load_workbook(io.BytesIO(archive.read("00-index.xlsx")))["By aksi"].iter_rows(
            values_only=True
        )
    )
    missing = {row[0] for row in aksi_rows[1:] if row[4] == "No document"}
    assert missing == {2, 5, 6, 7, 8}
    counts = {row[0]: row[3] for row in aksi_rows[1:]}
    assert counts[1] == 3 and counts[3] == 1 and counts[4] == 1

    reader = PdfReader(io.BytesIO(archive.read("00-index.pdf")))
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))
    assert "Performance review pack: index" in text
    assert "Kabupaten Sigi 72.10" in text
    # A long path may wrap in its cell.
    for path in expected_paths(archive):
        assert path.replace(" ", "") in text.replace(" ", ""), path
    assert "Missing: 2. Activity plan; 5. Support for the human-development cadres (KPM)" in text
    assert "Dihapus" not in text and "Tahun lalu" not in text and "Palu.pdf" not in text


def expected_paths(archive):
    return [name for name in archive.namelist() if "/" in name and not name.endswith("/")]


def test_folders_and_index_follow_the_users_language(planner_client, district, open_round, filed):
    # No language cookie: the site's language, Bahasa Indonesia.
    archive = read_zip(planner_client.get(review_url(district, round=open_round.pk)))
    folders = [name for name in archive.namelist() if name.endswith("/")]
    assert folders[:8] == FOLDERS_ID
    assert "00-indeks.pdf" in archive.namelist() and "00-indeks.xlsx" in archive.namelist()
    text = " ".join(
        page.extract_text() for page in PdfReader(io.BytesIO(archive.read("00-indeks.pdf"))).pages
    )
    assert "Paket penilaian kinerja" in text


def test_a_file_gone_from_the_storage_is_marked_in_the_index_not_a_500(
    planner_client, district, open_round, filed
):
    filed["mou"][0].file.storage.delete(filed["mou"][0].file.name)
    archive = read_zip(english(planner_client, review_url(district, round=open_round.pk)))
    assert "09-pairs-without-aksi/MoU.pdf" not in archive.namelist()
    rows = list(load_workbook(io.BytesIO(archive.read("00-index.xlsx")))["Documents"].values)
    assert "09-pairs-without-aksi/MoU.pdf (file missing from the storage)" in [
        row[6] for row in rows
    ]


@pytest.mark.parametrize(
    ("stored", "kind", "safe"),
    [
        ("../../etc/passwd", "pdf", "passwd.pdf"),
        ("..\\..\\Windows\\win.ini", "pdf", "win.ini.pdf"),
        ("aux.docx", "docx", "_aux.docx"),
        ("Laporan: Q1? *final*.xlsx", "xlsx", "Laporan_ Q1_ _final_.xlsx"),
        ("  .hidden.pdf. ", "pdf", "hidden.pdf"),
        ("", "png", "dokumen-7.png"),
        ("foto.JPG", "jpeg", "foto.JPG"),
        ("a" * 300 + ".pdf", "pdf", "a" * 76 + ".pdf"),
    ],
)
def test_stored_names_become_safe_file_names(stored, kind, safe):
    assert safe_file_name(stored, kind=kind, fallback="dokumen-7") == safe


def test_no_round_is_a_404_and_a_bad_round_too(planner_client, district):
    assert planner_client.get(review_url(district)).status_code == 404
    RoundFactory(region=district, name="Pemetaan Sigi 2026")
    assert planner_client.get(review_url(district, round=999999)).status_code == 404


def test_building_the_pack_takes_the_same_queries_whatever_the_number_of_documents(
    django_assert_num_queries, admin_user, district, open_round, actors, health, planning, media
):
    a, b, c, d = actors
    pair_action = action_create(
        user=admin_user,
        round=open_round,
        actor_a=a,
        actor_b=b,
        target_level=3,
        mechanism="data_sharing",
        owner=a,
        aksi=6,
        due_date=date(2027, 1, 31),
    )
    sector_action = action_create(
        user=admin_user,
        round=open_round,
        sector_a=health,
        sector_b=planning,
        target_level=3,
        mechanism="data_sharing",
        owner=c,
        aksi=2,
        due_date=date(2027, 1, 31),
    )
    subjects = [
        {"action": pair_action},
        {"action": sector_action},
        {"round": open_round, "actor_a": c, "actor_b": d},
        {"region": district, "round": open_round, "aksi": 7},
        {"region": district, "aksi": 1},
    ]

    def build() -> int:
        pack = review_pack(region=district, round=open_round, exported_by="x")
        with zipfile.ZipFile(build_review_zip(pack)) as archive:
            return len(archive.namelist())

    for count in (2, 15):
        EvidenceDocument.objects.all().delete()
        for number in range(count):
            upload(
                admin_user, f"bukti-{number}.pdf", pdf_bytes(str(number)), **subjects[number % 5]
            )
        # One query: the present documents with their action (and its subject), their
        # pair and their uploader. Laying out the index reads nothing more.
        with django_assert_num_queries(1):
            files = build()
        folders = 9 if count > 2 else 8  # the pairs' folder once a pair has a document
        assert files == count + folders + 2  # the documents, the folders, the index


def test_the_selector_groups_all_8_aksi_in_one_query(
    django_assert_num_queries, district, open_round, filed
):
    with django_assert_num_queries(1):
        filed_documents = review_documents(district, open_round)
        groups = [(group.aksi, len(group.documents)) for group in filed_documents.groups]
    assert groups == [(1, 3), (2, 0), (3, 1), (4, 1), (5, 0), (6, 0), (7, 0), (8, 0), (None, 1)]
    assert [int(aksi) for aksi in filed_documents.missing] == [2, 5, 6, 7, 8]
    assert filed_documents.count == 6
