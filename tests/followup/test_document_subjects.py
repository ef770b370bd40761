"""What a document is evidence for: an action, a pair of actors of a round, or one of the
region's 8 aksi. Every document is filed under an aksi, and refusals store nothing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from assessments.models import RoundStatus
from followup.models import EvidenceDocument
from followup.services import action_create, action_delete, action_update, document_upload
from tests.followup.test_documents import pdf_bytes, stored_files

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def a_pdf(name="notulen.pdf"):
    return SimpleUploadedFile(name, pdf_bytes())


def documents():
    return list(EvidenceDocument.objects.order_by("pk").values())


def test_a_pair_document_is_stored_in_canonical_order(scorer, open_round, actors):
    dinkes, _, bappeda, _ = actors
    first, second = sorted((dinkes, bappeda), key=lambda actor: actor.pk)
    document = document_upload(
        user=scorer, file=a_pdf(), title="MoU", round=open_round, actor_a=second, actor_b=first
    )
    assert (document.actor_a, document.actor_b) == (first, second)
    assert document.region == open_round.region
    assert document.aksi is None
    assert document.action is None


def test_a_pair_document_may_carry_an_aksi(scorer, open_round, actors):
    dinkes, _, bappeda, _ = actors
    document = document_upload(
        user=scorer, file=a_pdf(), round=open_round, actor_a=dinkes, actor_b=bappeda, aksi=4
    )
    assert document.aksi == 4


def test_a_pair_off_the_roster_or_with_itself_is_refused(
    scorer, open_round, actors, outsider, media
):
    dinkes = actors[0]
    before = documents()
    with pytest.raises(ValidationError) as refused:
        document_upload(
            user=scorer, file=a_pdf(), round=open_round, actor_a=dinkes, actor_b=outsider
        )
    assert "actor_a" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        document_upload(user=scorer, file=a_pdf(), round=open_round, actor_a=dinkes, actor_b=dinkes)
    assert "actor_b" in refused.value.message_dict
    assert documents() == before
    assert stored_files(media) == []


def test_an_aksi_document_needs_its_aksi(scorer, district, media):
    before = documents()
    with pytest.raises(ValidationError) as refused:
        document_upload(user=scorer, file=a_pdf(), region=district)
    assert "aksi" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        document_upload(user=scorer, file=a_pdf(), region=district, aksi=9)
    assert "aksi" in refused.value.message_dict
    assert documents() == before
    assert stored_files(media) == []
    document = document_upload(user=scorer, file=a_pdf("sk-tpps.pdf"), region=district, aksi=4)
    assert (document.aksi, document.round, document.action) == (4, None, None)


def test_outsiders_and_viewers_may_not_attach(
    other_scorer, viewer, district, open_round, actors, media
):
    dinkes, _, bappeda, _ = actors
    before = documents()
    for user in (other_scorer, viewer):
        with pytest.raises(PermissionDenied):
            document_upload(user=user, file=a_pdf(), region=district, aksi=1)
        with pytest.raises(PermissionDenied):
            document_upload(
                user=user, file=a_pdf(), round=open_round, actor_a=dinkes, actor_b=bappeda
            )
    assert documents() == before
    assert stored_files(media) == []


def test_a_draft_round_is_closed_to_those_who_do_not_see_drafts(scorer, open_round, actors):
    open_round.status = RoundStatus.DRAFT
    open_round.save()
    dinkes, _, bappeda, _ = actors
    with pytest.raises(PermissionDenied):
        document_upload(
            user=scorer, file=a_pdf(), round=open_round, actor_a=dinkes, actor_b=bappeda
        )
    assert documents() == []


def test_an_action_document_follows_its_action_aksi_and_outlives_it(
    admin_user, scorer, open_round, values
):
    action = action_create(user=admin_user, round=open_round, **values)
    document = document_upload(user=scorer, file=a_pdf(), action=action)
    assert (document.aksi, document.round, document.region) == (3, open_round, action.region)

    action_update(action=action, user=scorer, aksi=5)
    document.refresh_from_db()
    assert document.aksi == 5
    assert document.history.first().history_user == scorer

    action_delete(action=action, user=admin_user)
    document.refresh_from_db()
    assert document.action is None
    assert document.aksi == 5
