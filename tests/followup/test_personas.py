"""Every persona on every follow-up URL (pages, documents, API), as a table, in the style
of tests/security/test_personas.py.

Columns: admin (province 72), scorer of Sigi, scorer of Palu (another district), planner
(province 72), viewer (Sigi), a signed-in user with no role (Sigi), anonymous."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter

from followup.models import EvidenceDocument, FollowUpAction
from followup.services import action_create, document_upload
from tests.security.conftest import PERSONAS, api_client, page_client

# fmt: off
#            admin  scorer other planner viewer no-role anonymous
READ_SIGI    = (200, 200, 403, 200, 200, 403, 302)
PLAN_SIGI    = (200, 200, 403, 200, 403, 403, 302)
DOC_SIGI     = (200, 200, 403, 200, 403, 403, 302)  # documents: not for viewers
NOT_IN_PALU  = (404, 403, 404, 404, 403, 403, 302)  # a Sigi action under Palu's code
API_ANY      = (200, 200, 200, 200, 200, 403, 401)
API_SIGI     = (200, 200, 404, 200, 200, 403, 401)
READ_PALU    = (200, 403, 200, 200, 403, 403, 302)
API_DOCS     = (200, 200, 200, 200, 403, 403, 401)  # Palu's scorer: an empty list
API_DOC_SIGI = (200, 200, 404, 200, 403, 403, 401)
EXPORT_SIGI  = (200, 200, 403, 200, 403, 403, 302)  # the packs: as the reports
NOT_OURS     = (403, 403, 403, 403, 403, 403, 302)  # a region no persona reaches

TABLE = {
    "/regions/72.10/actions/":                            READ_SIGI,
    "/regions/72.10/actions/?overdue=on&status=planned":  READ_SIGI,
    "/regions/72.10/actions/new/":                        PLAN_SIGI,
    "/regions/72.10/actions/new/?round={round}&actor_a={a}&actor_b={b}": PLAN_SIGI,
    "/regions/72.10/actions/{action}/":                   READ_SIGI,
    "/regions/72.10/actions/{action}/documents/{document}/": DOC_SIGI,
    "/regions/72.71/actions/{action}/":                   NOT_IN_PALU,
    "/regions/72.71/actions/{action}/documents/{document}/": NOT_IN_PALU,
    "/regions/72.10/aksi/":                               READ_SIGI,
    "/regions/72.10/aksi/?round={round}":                 READ_SIGI,
    "/regions/72.71/aksi/":                               READ_PALU,
    "/regions/72.10/documents/{document}/":               DOC_SIGI,
    "/regions/72.10/documents/{pair_document}/":          DOC_SIGI,
    "/regions/72.10/documents/{aksi_document}/":          DOC_SIGI,
    "/regions/72.71/documents/{pair_document}/":          NOT_IN_PALU,
    "/regions/72.10/rembuk-stunting.pdf":                 EXPORT_SIGI,
    "/regions/72.10/rembuk-stunting.pdf?round={round}":   EXPORT_SIGI,
    "/regions/72.10/performance-review.zip?round={round}": EXPORT_SIGI,
    "/regions/72.71/performance-review.zip?round={round}": NOT_IN_PALU,  # Sigi's round
    "/regions/73.01/rembuk-stunting.pdf":                 NOT_OURS,
    "/regions/73.01/performance-review.zip":              NOT_OURS,
    "/api/v1/actions/":                                   API_ANY,
    "/api/v1/documents/":                                 API_DOCS,
    "/api/v1/documents/{pair_document}/":                 API_DOC_SIGI,
    "/api/v1/documents/{aksi_document}/file/":            API_DOC_SIGI,
    "/api/v1/actions/{action}/":                          API_SIGI,
}
# fmt: on

SIGI_DATA = [
    "Rapat perencanaan TPPS Sigi",
    "notulen-sigi.pdf",
    "Dinas Kesehatan Kabupaten Sigi",
    "MoU berbagi data gizi",
    "Analisis situasi Sigi",
]


def pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def sigi(world, users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    a, b, _c, _d = world["actors"]
    action = action_create(
        user=users["admin"],
        round=world["round"],
        actor_a=a,
        actor_b=b,
        target_level=3,
        mechanism="joint_planning_meeting",
        owner=a,
        aksi=3,
        due_date=date(2026, 12, 31),
        notes="Rapat perencanaan TPPS Sigi",
    )
    document = document_upload(
        action=action,
        user=users["admin"],
        file=SimpleUploadedFile("notulen-sigi.pdf", pdf()),
    )
    pair_document = document_upload(
        user=users["admin"],
        file=SimpleUploadedFile("mou-sigi.pdf", pdf()),
        title="MoU berbagi data gizi",
        round=world["round"],
        actor_a=a,
        actor_b=b,
        aksi=6,
    )
    aksi_document = document_upload(
        user=users["admin"],
        file=SimpleUploadedFile("analisis-sigi.pdf", pdf()),
        title="Analisis situasi Sigi",
        region=world["round"].region,
        aksi=1,
    )
    return {
        "a": a.pk,
        "b": b.pk,
        "round": world["round"].pk,
        "action": action.pk,
        "document": document.pk,
        "pair_document": pair_document.pk,
        "aksi_document": aksi_document.pk,
    }


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_follow_up_url_answers_each_persona_as_the_table_says(sigi, users, persona):
    user = users[persona]
    pages, api = page_client(user), api_client(user)
    got = {}
    for template in TABLE:
        url = template.format(**sigi)
        response = (api if url.startswith("/api/") else pages).get(url)
        got[template] = response.status_code
        if response.status_code == 302:
            assert response["Location"].startswith("/accounts/login/?next="), url
        elif response.status_code >= 400:
            body = response.content.decode()
            for secret in SIGI_DATA:
                assert secret not in body, (url, secret)
    column = PERSONAS.index(persona)
    assert got == {template: statuses[column] for template, statuses in TABLE.items()}


# What each persona may write: (method, URL, data) -> status per persona.
# fmt: off
ADMINS_ONLY = (302, 403, 403, 403, 403, 403, 302)
NOT_PALUS   = (404, 403, 404, 404, 403, 403, 302)  # a Sigi document under Palu's code
WRITES = {
    ("post", "/regions/72.10/actions/{action}/", "status"): (302, 302, 403, 302, 403, 403, 302),
    ("post", "/regions/72.71/actions/{action}/", "status"): (404, 403, 404, 404, 403, 403, 302),
    ("post", "/regions/72.10/actions/{action}/documents/{document}/delete/", ""): ADMINS_ONLY,
    ("post", "/regions/72.10/actions/{action}/delete/", ""): ADMINS_ONLY,
    ("post", "/regions/72.10/documents/{aksi_document}/delete/", ""): ADMINS_ONLY,
    ("post", "/regions/72.71/documents/{aksi_document}/delete/", ""): NOT_PALUS,
    ("delete", "/api/v1/documents/{pair_document}/", ""): (204, 403, 403, 403, 403, 403, 401),
    ("patch", "/api/v1/actions/{action}/", "status"): (200, 200, 404, 200, 403, 403, 401),
    ("delete", "/api/v1/actions/{action}/", ""): (204, 403, 403, 403, 403, 403, 401),
}
# fmt: on


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("write", list(WRITES), ids=lambda write: f"{write[0]} {write[1]}")
def test_each_write_answers_each_persona_as_the_table_says(sigi, users, persona, write):
    method, template, field = write
    user = users[persona]
    url = template.format(**sigi)
    expected = WRITES[write][PERSONAS.index(persona)]
    if url.startswith("/api/"):
        data = {"status": "done"} if field else None
        response = getattr(api_client(user), method)(url, data, format="json")
    else:
        action = FollowUpAction.objects.get(pk=sigi["action"])
        data = (
            {
                "target_level": 3,
                "mechanism": action.mechanism,
                "owner": action.owner_id,
                "aksi": 3,
                "due_date": "2026-12-31",
                "status": "done",
            }
            if field
            else {}
        )
        response = page_client(user).post(url, data)
    assert response.status_code == expected, (persona, method, url)
    changed = (
        FollowUpAction.objects.filter(pk=sigi["action"], status="done").exists()
        or not FollowUpAction.objects.filter(pk=sigi["action"]).exists()
        or EvidenceDocument.objects.filter(deleted_at__isnull=False).exists()
    )
    # Only an accepted write changes anything.
    assert changed == (expected in (200, 204) or (expected == 302 and user is not None))


@pytest.mark.parametrize("persona", PERSONAS)
def test_viewers_and_outsiders_see_no_document_on_the_aksi_page(sigi, users, persona):
    response = page_client(users[persona]).get("/regions/72.10/aksi/")
    body = response.content.decode()
    for secret in SIGI_DATA[1:2] + SIGI_DATA[3:]:
        assert (secret in body) == (persona in ("admin", "scorer", "planner")), secret


# Who may add a document: (URL, data) -> status per persona.
# fmt: off
UPLOADS = {
    ("/rounds/{round}/pairs/{a}-{b}/documents/", "pair"):   (302, 302, 403, 302, 403, 403, 302),
    ("/regions/72.10/aksi/2/documents/", "aksi"):           (302, 302, 403, 302, 403, 403, 302),
    ("/regions/72.71/aksi/2/documents/", "aksi"):           (302, 403, 302, 302, 403, 403, 302),
    ("/api/v1/documents/", "api"):                          (201, 201, 400, 201, 403, 403, 401),
}
# fmt: on


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("upload", list(UPLOADS), ids=lambda upload: upload[0])
def test_each_upload_answers_each_persona_as_the_table_says(sigi, users, persona, upload):
    template, kind = upload
    user = users[persona]
    url = template.format(**sigi)
    before = EvidenceDocument.objects.count()
    data = {"title": "Daftar hadir", "file": SimpleUploadedFile("hadir.pdf", pdf())}
    if kind == "api":
        data.update(region="72.10", aksi=3)
        response = api_client(user).post(url, data, format="multipart")
    else:
        response = page_client(user).post(url, data)
    expected = UPLOADS[upload][PERSONAS.index(persona)]
    assert response.status_code == expected, (persona, url, response.content[:300])
    stored = EvidenceDocument.objects.count() - before
    assert stored == (1 if expected in (201,) or (expected == 302 and user is not None) else 0)
