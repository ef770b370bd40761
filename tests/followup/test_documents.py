"""Evidence documents of a follow-up action: the type told from the content, the size
limit, downloads inside the jurisdiction only, and a delete that keeps a trace."""

import base64
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook
from pypdf import PdfReader, PdfWriter

from followup.models import EvidenceDocument
from followup.services import action_create

pytestmark = pytest.mark.django_db

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64


def pdf_bytes() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": "Notulen rembuk stunting"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def xlsx_bytes() -> bytes:
    book = Workbook()
    book.active["A1"] = "Daftar hadir"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def zip_bytes(parts: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return out.getvalue()


def docx_bytes() -> bytes:
    return zip_bytes(
        {
            "[Content_Types].xml": (
                '<?xml version="1.0" encoding="UTF-8"?>'
                '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                '<Default Extension="xml" ContentType="application/xml"/>'
                '<Override PartName="/word/document.xml" ContentType="application/'
                'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
                "</Types>"
            ),
            "word/document.xml": "<w:document/>",
        }
    )


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(media) -> list:
    return sorted(path for path in media.rglob("*") if path.is_file()) if media.exists() else []


@pytest.fixture
def action(admin_user, open_round, values):
    return action_create(user=admin_user, round=open_round, **values)


def upload_url(action):
    return reverse("followup:document_add", args=[action.region.code, action.pk])


def upload(client, action, name, content, title="Notulen"):
    return client.post(
        upload_url(action), {"title": title, "file": SimpleUploadedFile(name, content)}
    )


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("notulen.pdf", pdf_bytes(), "pdf"),
        ("foto rapat.JPG", JPEG, "jpeg"),
        ("foto.png", PNG, "png"),
        ("sk-tpps.docx", docx_bytes(), "docx"),
        ("daftar-hadir.xlsx", xlsx_bytes(), "xlsx"),
    ],
)
def test_a_scorer_attaches_each_accepted_type(
    scorer_client, scorer, action, media, name, content, kind
):
    response = upload(scorer_client, action, name, content)
    assert response.status_code == 302
    document = EvidenceDocument.objects.get()
    assert (document.kind, document.original_name, document.size) == (kind, name, len(content))
    assert document.uploaded_by == scorer
    assert document.history.get().history_type == "+"
    # Stored under a random name, below MEDIA_ROOT, with the content as sent.
    [path] = stored_files(media)
    assert path.parent == media / "evidence"
    assert name not in path.name
    assert path.read_bytes() == content


def test_the_download_is_an_attachment_for_detail_readers_only(
    scorer_client, planner_client, viewer_client, other_scorer_client, action, other_district
):
    content = xlsx_bytes()
    upload(scorer_client, action, "daftar-hadir.xlsx", content)
    document = EvidenceDocument.objects.get()
    url = reverse("followup:document", args=["72.10", action.pk, document.pk])
    response = planner_client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="daftar-hadir.xlsx"'
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    body = b"".join(response.streaming_content)
    assert load_workbook(io.BytesIO(body)).active["A1"].value == "Daftar hadir"
    # Viewers read the map, not the details; another district sees nothing of Sigi.
    assert viewer_client.get(url).status_code == 403
    assert other_scorer_client.get(url).status_code == 403
    palu_url = reverse("followup:document", args=[other_district.code, action.pk, document.pk])
    assert other_scorer_client.get(palu_url).status_code == 404


def test_a_pdf_is_read_back(scorer_client, planner_client, action):
    upload(scorer_client, action, "notulen.pdf", pdf_bytes())
    document = EvidenceDocument.objects.get()
    response = planner_client.get(
        reverse("followup:document", args=["72.10", action.pk, document.pk])
    )
    reader = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    assert len(reader.pages) == 1
    assert reader.metadata.title == "Notulen rembuk stunting"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        # The content is a PDF, the name says PNG (and the other way round).
        ("foto.png", pdf_bytes(), "Isi berkas ini tidak sesuai dengan namanya"),
        ("notulen.pdf", PNG, "Isi berkas ini tidak sesuai dengan namanya"),
        # A workbook named as a Word document.
        ("sk.docx", xlsx_bytes(), "Isi berkas ini tidak sesuai dengan namanya"),
        # Types that are not taken, whatever their name.
        ("animasi.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "Jenis berkas ini tidak diterima"),
        ("notulen.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64, "tidak diterima"),
        ("catatan.pdf", b"Notulen rapat", "tidak diterima"),
        ("arsip.docx", zip_bytes({"a.txt": "x"}), "tidak diterima"),
        ("kosong.pdf", b"", "Berkas kosong."),
    ],
)
def test_a_forged_or_refused_file_is_refused_with_nothing_stored(
    scorer_client, action, media, name, content, message
):
    response = upload(scorer_client, action, name, content)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not EvidenceDocument.objects.exists()
    assert not EvidenceDocument.history.exists()
    assert stored_files(media) == []


def test_a_file_over_the_limit_is_refused(settings, scorer_client, action, media):
    settings.EVIDENCE_MAX_BYTES = 100
    response = upload(scorer_client, action, "notulen.pdf", pdf_bytes())
    assert response.status_code == 400
    assert "Berkas ini terlalu besar" in response.content.decode()
    assert not EvidenceDocument.objects.exists()
    assert stored_files(media) == []


def test_viewers_and_other_districts_may_not_upload(
    viewer_client, other_scorer_client, action, other_district, media
):
    assert upload(viewer_client, action, "notulen.pdf", pdf_bytes()).status_code == 403
    assert upload(other_scorer_client, action, "notulen.pdf", pdf_bytes()).status_code == 403
    palu = reverse("followup:document_add", args=[other_district.code, action.pk])
    response = other_scorer_client.post(
        palu, {"file": SimpleUploadedFile("notulen.pdf", pdf_bytes())}
    )
    assert response.status_code == 404
    assert not EvidenceDocument.objects.exists()
    assert stored_files(media) == []


def test_only_admins_delete_and_a_trace_stays(
    scorer_client, planner_client, admin_client_, admin_user, action, media
):
    upload(scorer_client, action, "notulen.pdf", pdf_bytes())
    document = EvidenceDocument.objects.get()
    delete = reverse("followup:document_delete", args=["72.10", action.pk, document.pk])
    download = reverse("followup:document", args=["72.10", action.pk, document.pk])
    assert planner_client.post(delete).status_code == 403
    assert admin_client_.post(delete).status_code == 302
    # Gone from the page and the downloads; the row, the file and the history stay.
    assert planner_client.get(download).status_code == 404
    page = planner_client.get(reverse("followup:edit", args=["72.10", action.pk]))
    assert "notulen.pdf" not in page.content.decode()
    document.refresh_from_db()
    assert document.deleted_by == admin_user
    assert document.deleted_at is not None
    assert len(stored_files(media)) == 1
    assert document.history.latest().history_user == admin_user


def test_the_service_refuses_an_empty_file(scorer, action, media):
    from django.core.exceptions import ValidationError

    from followup.services import document_upload

    with pytest.raises(ValidationError) as refused:
        document_upload(action=action, user=scorer, file=SimpleUploadedFile("a.pdf", b""))
    assert refused.value.message_dict["file"] == ["Berkas kosong."]
    assert stored_files(media) == []


# The API ---------------------------------------------------------------------------------


def api_upload(user, action, name, content):
    from tests.api.conftest import api_client

    return api_client(user).post(
        f"/api/v1/actions/{action.pk}/documents/",
        {"file": SimpleUploadedFile(name, content), "title": "SK TPPS"},
        format="multipart",
    )


def test_the_api_takes_a_document_and_gives_it_back(planner, scorer, action, media):
    from tests.api.conftest import api_client

    content = docx_bytes()
    response = api_upload(scorer, action, "sk-tpps.docx", content)
    assert response.status_code == 201, response.data
    body = response.json()
    assert (body["kind"], body["original_name"], body["size"]) == (
        "docx",
        "sk-tpps.docx",
        len(content),
    )
    listed = api_client(planner).get(f"/api/v1/actions/{action.pk}/documents/").json()
    assert [item["id"] for item in listed] == [body["id"]]
    download = api_client(planner).get(body["download"])
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="sk-tpps.docx"'
    assert b"".join(download.streaming_content) == content


@pytest.mark.parametrize(
    ("name", "content"),
    [("foto.png", pdf_bytes()), ("animasi.gif", b"GIF89a\x01\x00"), ("sk.docx", xlsx_bytes())],
)
def test_the_api_refuses_forged_and_refused_files(scorer, action, media, name, content):
    response = api_upload(scorer, action, name, content)
    assert response.status_code == 400
    assert "file" in response.json()
    assert not EvidenceDocument.objects.exists()
    assert stored_files(media) == []


def test_the_api_refuses_a_file_over_the_limit(settings, scorer, action, media):
    settings.EVIDENCE_MAX_BYTES = 100
    response = api_upload(scorer, action, "notulen.pdf", pdf_bytes())
    assert response.status_code == 400
    assert response.json()["file"] == ["The file is too large: at most 100\xa0bytes."]
    assert stored_files(media) == []


def test_the_api_keeps_documents_from_viewers_and_outsiders(
    scorer, viewer, other_scorer, action, media
):
    from tests.api.conftest import api_client

    document_id = api_upload(scorer, action, "notulen.pdf", pdf_bytes()).json()["id"]
    listing = f"/api/v1/actions/{action.pk}/documents/"
    one = f"{listing}{document_id}/"
    assert api_client(viewer).get(listing).status_code == 403
    assert api_client(viewer).get(one).status_code == 403
    assert api_upload(viewer, action, "notulen.pdf", pdf_bytes()).status_code == 403
    assert api_client(other_scorer).get(listing).status_code == 404
    assert api_client(other_scorer).get(one).status_code == 404
    assert api_upload(other_scorer, action, "notulen.pdf", pdf_bytes()).status_code == 404
    assert api_client().get(one).status_code == 401
    assert EvidenceDocument.objects.count() == 1
    assert len(stored_files(media)) == 1
