"""The demo's follow-up actions: Sigi's 2025 round in every status, some done and followed
by an improved pair in 2026, some overdue on the tests' date."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from assessments.models import AssessmentRound, RoundStatus
from followup.models import ActionStatus, FollowUpAction
from followup.selectors import action_progress, action_results, improvement_with_actions


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
