"""The demo's follow-up actions: Sigi's 2025 round in every status, some done and followed
by an improved pair in 2026, some overdue on the tests' date."""

import io
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from assessments.models import AssessmentRound, RoundStatus
from followup.models import ActionStatus, EvidenceDocument, FollowUpAction
from followup.selectors import (
    action_progress,
    action_results,
    aksi_overview,
    improvement_with_actions,
)


@pytest.mark.django_db
def test_the_demo_has_actions_in_every_status_done_improved_and_overdue():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    rounds = AssessmentRound.objects.filter(region__code="72.10")
    first, later = rounds.get(status=RoundStatus.CLOSED), rounds.get(status=RoundStatus.OPEN)
    actions = list(
        FollowUpAction.objects.filter(round=first).select_related("round", "region", "owner")
    )
    assert {action.status for action in actions} == set(ActionStatus.values)
    assert not FollowUpAction.objects.exclude(round=first).exists()

    today = timezone.localdate()
    overdue = [action for action in actions if action.is_overdue(today)]
    assert len(overdue) == 4
    assert all(action.due_date.year == 2026 for action in overdue)

    levels = {
        round_.pk: {(p.actor_a_id, p.actor_b_id): p.level for p in round_.assessments.all()}
        for round_ in (first, later)
    }
    results = action_results(actions, [later, first])
    done_pairs = [a for a in actions if a.status == ActionStatus.DONE and a.actor_b_id]
    improved = [
        action
        for action in done_pairs
        if levels[later.pk][action.actor_a_id, action.actor_b_id]
        > levels[first.pk][action.actor_a_id, action.actor_b_id]
    ]
    assert len(improved) == 3
    assert all(results[action.pk].reached(action.target_level) for action in improved)
    # One done without reaching its target: the check tells them apart.
    assert len(done_pairs) == 4
    assert sum(results[a.pk].reached(a.target_level) for a in done_pairs) == 3
    # A sector pair too.
    assert any(action.sector_a_id for action in actions)

    # The dashboard's figures have something to show.
    progress = action_progress(region=first.region, rounds=[later, first], today=today)
    assert (progress.total, progress.done, progress.overdue) == (len(actions), 4, 4)
    split = improvement_with_actions(round=later, previous=first)
    assert split.with_action_improved == 3 and split.without_action > split.with_action
    assert split.with_action_percent > split.without_action_percent


@pytest.mark.django_db
def test_the_demo_s_open_round_has_its_summary():
    """The dashboards read a round's summary: the open 2026 round's counts its pairs (the
    demo writes them in bulk, as an import does, and refreshes the summary as it does)."""
    call_command("seed_demo", stdout=StringIO())
    for round_ in AssessmentRound.objects.select_related("summary"):
        assert round_.summary.assessed == round_.assessments.count() > 0, round_.name


@pytest.mark.django_db
def test_the_demo_files_evidence_for_actions_a_pair_and_an_aksi(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", stdout=StringIO())
    documents = list(EvidenceDocument.objects.select_related("action", "round"))
    kinds = sorted((document.subject_kind, document.kind) for document in documents)
    assert kinds == [("action", "pdf"), ("action", "png"), ("aksi", "pdf"), ("pair", "pdf")]
    assert {document.region.code for document in documents} == {"72.10"}
    for document in documents:
        with document.file.open("rb") as stored:
            content = stored.read()
        assert len(content) == document.size
        if document.kind == "pdf":
            reader = PdfReader(io.BytesIO(content))
            assert len(reader.pages) == 1
            assert reader.metadata.title in reader.pages[0].extract_text()
        else:
            assert Image.open(io.BytesIO(content)).size == (48, 32)
    # The action documents prove done actions; the pair's is of a pair scored 3 or more.
    assert all(d.action.status == ActionStatus.DONE for d in documents if d.action_id)
    pair = next(d for d in documents if d.subject_kind == "pair")
    assert pair.round.assessments.get(actor_a=pair.actor_a, actor_b=pair.actor_b).level >= 3

    # The aksi page of the open round has something under aksi 1 and 2.
    admin = get_user_model().objects.get(username="admin")
    later = AssessmentRound.objects.get(region__code="72.10", status=RoundStatus.OPEN)
    overview = aksi_overview(later.region, later, admin)
    assert [d.subject_kind for d in overview.entry(1).documents] == ["aksi"]
    assert [d.subject_kind for d in overview.entry(2).documents] == ["pair"]

    # Seeding again keeps them as they are.
    call_command("seed_demo", stdout=StringIO())
    assert EvidenceDocument.objects.count() == 4
