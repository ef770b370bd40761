"""Evidence documents of every subject through /api/v1/documents/: listed within the
jurisdiction for detail readers, uploaded as multipart, downloaded as an attachment,
deleted by admins with a trace."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from followup.models import EvidenceDocument
from tests.api.conftest import api_client
from tests.followup.conftest import make_action
from tests.followup.test_documents import PNG, pdf_bytes, stored_files

pytestmark = pytest.mark.django_db

URL = "/api/v1/documents/"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def post(user, **data):
    data.setdefault("file", SimpleUploadedFile("mou.pdf", pdf_bytes()))
    data = {key: value for key, value in data.items() if value is not None}
    return api_client(user).post(URL, data, format="multipart")


def test_the_list_holds_every_subject_of_the_jurisdiction_newest_first(planner, filed):
    response = api_client(planner).get(URL)
    assert response.status_code == 200
    rows = response.json()["results"] if isinstance(response.json(), dict) else response.json()
    kinds = {row["title"] or row["original_name"]: row["subject_kind"] for row in rows}
    assert kinds == {
        "Notulen": "action",
        "Analisis situasi 2026": "aksi",
        "MoU data gizi": "pair",
        "foto.pdf": "pair",
    }
    pair = next(row for row in rows if row["title"] == "MoU data gizi")
    assert pair["region"] == "72.10" and pair["aksi"] == 6
    assert pair["download"].endswith(f"/api/v1/documents/{filed['pair'].pk}/file/")


def test_the_list_filters_by_subject_aksi_and_actor(planner, filed, actors, other_district):
    client = api_client(planner)

    def titles(query):
        data = client.get(URL + query).json()
        assert "detail" not in data and "results" in data or isinstance(data, list), (query, data)
        rows = data["results"] if isinstance(data, dict) else data
        return sorted(row["original_name"] for row in rows)

    assert titles("?subject=pair") == ["foto.pdf", "mou.pdf"]
    assert titles("?subject=aksi") == ["analisis.png"]
    assert titles("?aksi=3") == ["notulen-rembuk.pdf"]
    assert titles(f"?actor={actors[1].pk}") == ["foto.pdf"]
    assert titles("?region=72.71") == []


def test_viewers_outsiders_and_no_role_read_no_document(
    viewer, other_scorer, users_without_role, filed
):
    assert api_client(viewer).get(URL).status_code == 403
    assert api_client(viewer).get(f"{URL}{filed['pair'].pk}/file/").status_code == 403
    assert api_client(users_without_role).get(URL).status_code == 403
    assert api_client().get(URL).status_code == 401
    # Another district: an empty list, and Sigi's documents are not found.
    data = api_client(other_scorer).get(URL).json()
    assert (data["results"] if isinstance(data, dict) else data) == []
    assert api_client(other_scorer).get(f"{URL}{filed['pair'].pk}/").status_code == 404
    assert api_client(other_scorer).get(f"{URL}{filed['pair'].pk}/file/").status_code == 404


@pytest.fixture
def users_without_role(district):
    from tests.factories import make_user

    return make_user("tanpa_peran", regions=[district])


def test_the_file_is_an_attachment_read_back(scorer, filed):
    response = api_client(scorer).get(f"{URL}{filed['minutes'].pk}/file/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"] == 'attachment; filename="notulen-rembuk.pdf"'
    assert len(PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages) == 1


def test_a_planner_uploads_to_a_pair_an_aksi_and_an_action(planner, admin_user, open_round, actors):
    dinkes, _pkm, bappeda, _disdik = actors
    pair = post(
        planner, round=open_round.pk, actor_a=bappeda.pk, actor_b=dinkes.pk, aksi=2, title="SK"
    )
    assert pair.status_code == 201, pair.content
    assert pair.json()["subject_kind"] == "pair"
    assert (pair.json()["actor_a"], pair.json()["actor_b"]) == (dinkes.pk, bappeda.pk)
    aksi = post(
        planner,
        region="72.10",
        aksi=4,
        file=SimpleUploadedFile("perbup.png", PNG),
        title="Perbup",
    )
    assert aksi.status_code == 201, aksi.content
    assert (aksi.json()["subject_kind"], aksi.json()["round"]) == ("aksi", None)
    action = make_action(admin_user, open_round, actors, aksi=5)
    done = post(planner, action=action.pk)
    assert done.status_code == 201, done.content
    assert (done.json()["subject_kind"], done.json()["aksi"]) == ("action", 5)
    assert EvidenceDocument.objects.count() == 3


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"aksi": 3}, "region"),  # no subject
        ({"region": "72.10"}, "aksi"),  # an aksi's document without its aksi
        ({"region": "72.10", "aksi": 9}, "aksi"),
        ({"region": "73", "aksi": 3}, "region"),  # outside the jurisdiction
        ({"actor_a": "A", "actor_b": "B"}, "round"),
        ({"round": "R", "actor_a": "A"}, "actor_b"),
        ({"round": "R", "actor_a": "A", "actor_b": "C"}, "actor_a"),  # not on the roster
        ({"region": "72.10", "aksi": 1, "file": SimpleUploadedFile("x.png", b"%PDF-1.4")}, "file"),
    ],
)
def test_bad_uploads_are_refused_by_field_with_nothing_stored(
    planner, open_round, actors, other_actors, media, data, field
):
    ids = {"A": actors[0].pk, "B": actors[2].pk, "C": other_actors[0].pk, "R": open_round.pk}
    data = {
        key: ids.get(value, value) if isinstance(value, str) else value
        for key, value in data.items()
    }
    response = post(planner, **data)
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()
    assert not EvidenceDocument.objects.exists() and stored_files(media) == []


def test_viewers_and_outsiders_may_not_upload(viewer, other_scorer, open_round, media):
    assert post(viewer, region="72.10", aksi=1).status_code == 403
    response = post(other_scorer, region="72.10", aksi=1)
    assert response.status_code == 400  # Sigi is not a region Palu's scorer may name
    response = post(other_scorer, round=open_round.pk, region=None, aksi=1)
    assert response.status_code == 400
    assert not EvidenceDocument.objects.exists() and stored_files(media) == []


def test_only_admins_delete_and_the_trace_stays(admin_user, planner, filed):
    url = f"{URL}{filed['pair'].pk}/"
    assert api_client(planner).delete(url).status_code == 403
    assert api_client(admin_user).delete(url).status_code == 204
    document = EvidenceDocument.objects.get(pk=filed["pair"].pk)
    assert document.deleted_at is not None and document.file
    assert api_client(admin_user).get(url).status_code == 404
