"""Documents of a pair and of a region's aksi: the aksi page and its selector, the region's
document URLs (download, delete), and the pair panel's documents section."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from followup.models import EvidenceDocument
from followup.selectors import aksi_overview
from followup.services import document_upload
from tests.followup.conftest import make_action, pdf_file
from tests.followup.test_documents import PNG, pdf_bytes, stored_files
from tests.security.conftest import page_client

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


# The selector ----------------------------------------------------------------------------


def test_the_overview_files_every_document_under_its_aksi_and_says_what_is_missing(
    planner, open_round, filed
):
    overview = aksi_overview(open_round.region, open_round, planner, today=date(2026, 11, 30))
    assert [entry.aksi for entry in overview.entries] == list(range(1, 9))
    one, three, six, eight = (overview.entry(n) for n in (1, 3, 6, 8))
    assert [document.pk for document in one.documents] == [filed["analysis"].pk]
    assert one.documents[0].subject_kind == "aksi"
    assert [gap.code for gap in one.gaps] == ["overdue"]
    assert one.gaps[0].action == filed["late"]
    assert [action.pk for action in one.overdue] == [filed["late"].pk]
    assert three.complete and three.documents[0].subject_kind == "action"
    assert (
        three.documents[0].subject_label
        == "Dinas Kesehatan Kabupaten Sigi ↔ Bappeda Kabupaten Sigi"
    )
    assert [gap.code for gap in six.gaps] == ["no_action"]
    assert six.documents_of("pair") == (filed["pair"],)
    assert [gap.code for gap in eight.gaps] == ["no_document", "done_without_document"]
    assert [gap.code for gap in overview.entry(2).gaps] == ["no_action", "no_document"]
    assert overview.unfiled == (filed["unfiled"],)


def test_viewers_get_the_actions_and_no_document(viewer, open_round, filed):
    overview = aksi_overview(open_round.region, open_round, viewer, today=date(2026, 11, 30))
    assert not overview.documents_shown
    assert all(entry.documents == () for entry in overview.entries)
    assert overview.unfiled == ()
    assert [gap.code for gap in overview.entry(8).gaps] == []
    assert [gap.code for gap in overview.entry(2).gaps] == ["no_action"]


def test_another_rounds_documents_stay_out(admin_user, planner, district, open_round, filed):
    from tests.factories import RoundFactory

    later = RoundFactory(
        region=district,
        name="Pemetaan Sigi 2027",
        period_start=date(2027, 1, 1),
        period_end=date(2027, 6, 30),
    )
    overview = aksi_overview(district, later, planner)
    assert overview.entry(1).documents == () and overview.entry(3).actions == ()
    # A document filed under an aksi with no round belongs to every year's page.
    timeless = document_upload(
        user=admin_user, file=pdf_file(), region=district, aksi=4, title="Perbup peran desa"
    )
    assert aksi_overview(district, later, planner).entry(4).documents == (timeless,)


def test_the_overview_reads_two_queries_whatever_the_numbers(
    admin_user, planner, open_round, actors, filed, django_assert_num_queries
):
    def read():
        overview = aksi_overview(open_round.region, open_round, planner)
        # What the page shows of each document and action, with no query more.
        shown = []
        for entry in overview.entries:
            for document in entry.documents:
                shown.append((document.subject_label, document.uploaded_by, document.round))
            for action in entry.actions:
                shown.append((action.subject_label, action.owner.name))
        return shown

    planner.__dict__.pop("_convergence_access", None)
    read()  # the user's access is read once per request
    # The actions, the documents.
    with django_assert_num_queries(2):
        assert len(read()) == 6  # 3 actions, 3 documents filed under an aksi
    for aksi in range(1, 9):
        action = make_action(admin_user, open_round, actors, aksi=aksi)
        document_upload(user=admin_user, file=pdf_file(), action=action)
    with django_assert_num_queries(2):
        assert len(read()) == 6 + 16


# The page ---------------------------------------------------------------------------------


def aksi_url(round_=None):
    url = reverse("followup:aksi", args=["72.10"])
    return f"{url}?round={round_.pk}" if round_ else url


def test_the_page_shows_each_aksi_its_actions_documents_and_gaps(planner, open_round, filed):
    html = page_client(planner).get(aksi_url(open_round)).content.decode()
    assert html.count('class="card aksi"') == 8
    assert "Aksi 1: Situation analysis" in html
    assert "Analisis situasi 2026" in html and "The aksi itself" in html
    assert "Overdue: Dinas Kesehatan Kabupaten Sigi ↔ Bappeda Kabupaten Sigi" in html
    assert "Done without a document" in html
    assert "MoU data gizi" in html and "Pair: Dinas Kesehatan Kabupaten Sigi" in html
    assert "Pair documents filed under no aksi" in html
    link = reverse("followup:region_document", args=["72.10", filed["minutes"].pk])
    assert link in html
    # Planners upload; only admins delete.
    assert html.count('name="file"') == 8
    assert "/delete/" not in html


def test_viewers_see_the_actions_but_no_document(viewer, open_round, filed):
    response = page_client(viewer).get(aksi_url(open_round))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Overdue: Dinas Kesehatan" in html
    for secret in ("Analisis situasi 2026", "MoU data gizi", "Notulen", 'name="file"'):
        assert secret not in html
    assert "Documents are shown to scorers, planners and admins only." in html


def test_the_page_is_linked_from_the_region_nav_and_the_action_list(scorer_client, open_round):
    html = scorer_client.get(reverse("followup:list", args=["72.10"])).content.decode()
    assert html.count(f'href="{reverse("followup:aksi", args=["72.10"])}"') == 2


def test_outsiders_get_403(other_scorer_client, open_round, filed):
    assert other_scorer_client.get(aksi_url()).status_code == 403


def test_a_planner_files_a_document_under_an_aksi(planner, open_round, media):
    client = page_client(planner)
    response = client.post(
        reverse("followup:aksi_document_add", args=["72.10", 7]),
        {"title": "Publikasi data stunting", "round": open_round.pk, "file": pdf_file()},
    )
    assert response.status_code == 302
    assert response["Location"] == f"{aksi_url(open_round)}#aksi-7"
    document = EvidenceDocument.objects.get()
    assert (document.aksi, document.round, document.action, document.actor_a) == (
        7,
        open_round,
        None,
        None,
    )
    assert document.uploaded_by == planner
    assert len(stored_files(media)) == 1


def test_a_refused_aksi_upload_shows_the_error_in_that_aksi_and_stores_nothing(
    planner, open_round, media
):
    response = page_client(planner).post(
        reverse("followup:aksi_document_add", args=["72.10", 5]),
        {
            "title": "Foto",
            "round": open_round.pk,
            "file": SimpleUploadedFile("foto.png", pdf_bytes()),
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    section = html[html.index('id="aksi-5"') : html.index('id="aksi-6"')]
    assert "does not match its name" in section
    assert "does not match its name" not in html[: html.index('id="aksi-5"')]
    assert not EvidenceDocument.objects.exists() and stored_files(media) == []


def test_aksi_uploads_refuse_viewers_outsiders_and_unknown_aksi(
    viewer_client, other_scorer_client, planner_client, open_round, other_round, media
):
    def post(client, code="72.10", aksi=2, round_=open_round):
        return client.post(
            reverse("followup:aksi_document_add", args=[code, aksi]),
            {"round": round_.pk, "file": pdf_file()},
        )

    assert post(viewer_client).status_code == 403
    assert post(other_scorer_client).status_code == 403
    assert post(planner_client, aksi=9).status_code == 404
    # Another district's round under Sigi's code is not one of Sigi's rounds.
    assert post(planner_client, round_=other_round).status_code == 404
    assert not EvidenceDocument.objects.exists() and stored_files(media) == []


# The region's document URLs ---------------------------------------------------------------


def document_url(document, code="72.10", delete=False):
    name = "followup:region_document_delete" if delete else "followup:region_document"
    return reverse(name, args=[code, document.pk])


@pytest.mark.parametrize("which", ["minutes", "analysis", "pair"])
def test_any_document_downloads_from_its_region(planner_client, filed, which):
    response = planner_client.get(document_url(filed[which]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"].startswith("attachment;")
    body = b"".join(response.streaming_content)
    if which == "analysis":
        assert body == PNG
    else:
        assert len(PdfReader(io.BytesIO(body)).pages) == 1


def test_the_region_url_serves_only_its_region_and_its_readers(
    viewer_client, other_scorer_client, admin_client_, filed, other_district
):
    url = document_url(filed["pair"])
    assert viewer_client.get(url).status_code == 403
    assert other_scorer_client.get(url).status_code == 403
    # Palu's code with a Sigi document: not found, even for the province admin.
    assert admin_client_.get(document_url(filed["pair"], code="72.71")).status_code == 404
    assert (
        admin_client_.get(reverse("followup:region_document", args=["72.10", 999999])).status_code
        == 404
    )


def test_a_deleted_document_is_gone_but_its_trace_stays(admin_client_, scorer_client, filed, media):
    document = filed["analysis"]
    assert scorer_client.post(document_url(document, delete=True)).status_code == 403
    response = admin_client_.post(document_url(document, delete=True))
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.deleted_at is not None and document.deleted_by.username == "admin"
    assert admin_client_.get(document_url(document)).status_code == 404
    assert len(stored_files(media)) == 4  # the file stays, with the row and its history
    assert document.history.count() == 2
    assert admin_client_.post(document_url(document, delete=True)).status_code == 404


# The pair panel ---------------------------------------------------------------------------


def pair_page(round_, x, y):
    return reverse("assessments:pair", args=[round_.pk, x.pk, y.pk])


def pair_upload(round_, x, y):
    return reverse("followup:pair_document_add", args=[round_.pk, x.pk, y.pk])


def test_the_pair_panel_lists_the_pairs_documents_of_the_round(scorer, open_round, actors, filed):
    dinkes, _pkm, bappeda, _disdik = actors
    html = page_client(scorer).get(pair_page(open_round, bappeda, dinkes)).content.decode()
    assert "Documents (evidence)" in html
    assert "MoU data gizi" in html and document_url(filed["pair"]) in html
    assert "Notulen" not in html  # the action's minutes are the action's, not the pair's
    assert pair_upload(open_round, dinkes, bappeda) in html


def test_a_scorer_adds_a_document_to_a_pair_in_place(scorer, open_round, actors, media):
    dinkes, _pkm, bappeda, _disdik = actors
    response = page_client(scorer).post(
        pair_upload(open_round, bappeda, dinkes),
        {"title": "SK TPPS", "aksi": "2", "file": pdf_file("sk.pdf")},
        **HTMX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section class="pair-documents" id="pair-documents"')
    assert "SK TPPS" in html and "The document was added." in html
    document = EvidenceDocument.objects.get()
    assert (document.actor_a, document.actor_b, document.round, document.aksi) == (
        dinkes,
        bappeda,
        open_round,
        2,
    )


def test_a_refused_pair_upload_is_shown_in_the_panel_and_stores_nothing(
    scorer, open_round, actors, media
):
    dinkes, _pkm, bappeda, _disdik = actors
    client = page_client(scorer)
    for data, message in (
        ({"file": SimpleUploadedFile("sk.pdf", b"")}, "The file is empty."),
        ({"file": pdf_file(), "aksi": "12"}, "Choose one of the 8 aksi."),
        ({}, "Choose a file to upload."),
    ):
        response = client.post(pair_upload(open_round, dinkes, bappeda), data, **HTMX)
        assert response.status_code == 400
        assert message in response.content.decode()
    assert not EvidenceDocument.objects.exists() and stored_files(media) == []


def test_pair_uploads_refuse_viewers_outsiders_and_strangers(
    viewer_client, other_scorer_client, planner_client, scorer_client, open_round, actors,
    other_actors, media,
):  # fmt: skip
    dinkes, _pkm, bappeda, _disdik = actors
    url = pair_upload(open_round, dinkes, bappeda)
    assert viewer_client.post(url, {"file": pdf_file()}).status_code == 403
    assert other_scorer_client.post(url, {"file": pdf_file()}).status_code == 403
    # A pair that is not two actors of the round: 404, naming no one.
    for x, y in ((dinkes, other_actors[0]), (dinkes, dinkes)):
        response = scorer_client.post(pair_upload(open_round, x, y), {"file": pdf_file()})
        assert response.status_code == 404
    assert not EvidenceDocument.objects.exists() and stored_files(media) == []
    # Planners plan and file evidence, though they do not score: back to the aksi page.
    response = planner_client.post(url, {"file": pdf_file()})
    assert response.status_code == 302 and "/aksi/" in response["Location"]
    assert EvidenceDocument.objects.count() == 1


def test_the_page_reads_as_many_queries_whatever_the_numbers(
    admin_user, planner, open_round, actors, filed
):
    client = page_client(planner)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(aksi_url(open_round)).status_code == 200
        return len(queries)

    before = count()
    for aksi in range(1, 9):
        action = make_action(admin_user, open_round, actors, aksi=aksi)
        document_upload(user=admin_user, file=pdf_file(), action=action)
    assert count() == before
