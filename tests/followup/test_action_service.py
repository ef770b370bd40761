"""The follow-up action service: who may write, and every refusal leaves nothing behind."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from actors.models import VocabularyTerm
from followup.models import ActionStatus, Aksi, FollowUpAction
from followup.services import action_create, action_delete, action_update
from tests.followup.conftest import snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in the source language here (the pages' tests read the
    Indonesian ones)."""
    with translation.override("en"):
        yield


def test_a_planner_creates_an_action_on_a_gap_pair(planner, open_round, actors, values):
    dinkes, _, bappeda, disdik = actors
    action = action_create(user=planner, round=open_round, **values)

    action.refresh_from_db()
    assert action.region == open_round.region
    # Stored in canonical order, whichever way round the pair was given.
    assert (action.actor_a, action.actor_b) == tuple(sorted([dinkes, bappeda], key=lambda a: a.pk))
    assert action.subject_kind == "pair"
    assert action.owner == bappeda
    # The owner leads: it is not listed again among the others involved.
    assert set(action.involved.all()) == {dinkes, disdik}
    assert action.status == ActionStatus.PLANNED
    assert action.created_by == planner
    assert action.history.earliest().history_type == "+"


def test_one_actor_and_a_sector_pair_are_subjects_too(scorer, open_round, actors, health, planning):
    dinkes, *_ = actors
    common = {
        "target_level": 2,
        "mechanism": "data_sharing",
        "owner": dinkes,
        "aksi": Aksi.DATA_MANAGEMENT,
        "due_date": date(2026, 6, 1),
    }
    one = action_create(user=scorer, round=open_round, actor_a=dinkes, **common)
    pair = action_create(
        user=scorer, round=open_round, sector_a=planning, sector_b=health, **common
    )
    assert one.subject_kind == "actor"
    assert pair.subject_kind == "sectors"
    assert {pair.sector_a, pair.sector_b} == {health, planning}
    assert pair.sector_a.pk < pair.sector_b.pk


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (
            {"due_date": date(2025, 12, 31)},
            "due_date",
            "The due date cannot be before the start of the round",
        ),
        ({"target_level": 5}, "target_level", "Choose a target level between 0 and 4."),
        ({"mechanism": "no_such_term"}, "mechanism", "Choose a mechanism from the list."),
        ({"aksi": 9}, "aksi", "Choose one of the 8 aksi konvergensi."),
        ({"actor_b": None, "sector_a": "health"}, "actor_a", "Choose a pair of actors"),
        ({"actor_b": "actor_a"}, "actor_b", "An actor cannot be paired with itself."),
    ],
)
def test_bad_values_are_refused_and_nothing_is_written(
    planner, open_round, values, health, change, field, message
):
    for name, value in change.items():
        if value == "health":
            value = health
        elif value == "actor_a":
            value = values["actor_a"]
        values[name] = value
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        action_create(user=planner, round=open_round, **values)
    assert message in " ".join(refused.value.message_dict[field])
    assert snapshot() == before


def test_an_owner_outside_the_roster_is_refused(planner, open_round, values, outsider):
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        action_create(user=planner, round=open_round, **{**values, "owner": outsider})
    assert refused.value.message_dict["owner"] == [
        "Yayasan Gizi Sigi is not on the roster of this round."
    ]
    assert snapshot() == before


@pytest.mark.parametrize("field", ["actor_a", "involved"])
def test_subject_and_involved_actors_must_be_on_the_roster(
    planner, open_round, values, outsider, field
):
    values[field] = [outsider] if field == "involved" else outsider
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        action_create(user=planner, round=open_round, **values)
    # A pair is stored in canonical order: the outsider may be either of the two.
    errors = refused.value.message_dict
    messages = errors.get(field, []) + (errors.get("actor_b", []) if field == "actor_a" else [])
    assert messages == ["Yayasan Gizi Sigi is not on the roster of this round."]
    assert snapshot() == before


def test_another_districts_actor_is_refused(planner, open_round, values, other_actors):
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        action_create(user=planner, round=open_round, **{**values, "owner": other_actors[0]})
    assert "owner" in refused.value.message_dict
    assert snapshot() == before


def test_an_inactive_mechanism_is_refused_for_a_new_action(planner, open_round, values):
    VocabularyTerm.objects.filter(code="joint_planning_meeting").update(is_active=False)
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        action_create(user=planner, round=open_round, **values)
    assert "mechanism" in refused.value.message_dict
    assert snapshot() == before


def test_an_action_keeps_its_mechanism_after_the_term_is_deactivated(planner, open_round, values):
    action = action_create(user=planner, round=open_round, **values)
    VocabularyTerm.objects.filter(code="joint_planning_meeting").update(is_active=False)
    action_update(action=action, user=planner, status=ActionStatus.IN_PROGRESS)
    action.refresh_from_db()
    assert (action.mechanism, action.status) == ("joint_planning_meeting", "in_progress")


@pytest.mark.parametrize("persona", ["viewer", "other_scorer"])
def test_viewers_and_other_districts_may_not_create(
    request, persona, open_round, values, viewer, other_scorer
):
    user = request.getfixturevalue(persona)
    before = snapshot()
    with pytest.raises(PermissionDenied):
        action_create(user=user, round=open_round, **values)
    assert snapshot() == before


def test_scorers_update_and_history_keeps_each_change(scorer, planner, open_round, values):
    action = action_create(user=planner, round=open_round, **values)
    action_update(action=action, user=scorer, status=ActionStatus.DONE, notes="Selesai.")
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE
    statuses = list(action.history.order_by("history_date").values_list("status", flat=True))
    assert statuses[0] == "planned"
    assert statuses[-1] == "done"
    assert action.history.latest().history_user == scorer


def test_an_update_with_a_bad_due_date_writes_nothing(planner, open_round, values):
    action = action_create(user=planner, round=open_round, **values)
    before = snapshot()
    with pytest.raises(ValidationError):
        action_update(
            action=action, user=planner, status=ActionStatus.DONE, due_date=date(2025, 1, 1)
        )
    assert snapshot() == before


def test_viewers_may_not_update_and_only_admins_delete(
    planner, viewer, admin_user, open_round, values
):
    action = action_create(user=planner, round=open_round, **values)
    before = snapshot()
    with pytest.raises(PermissionDenied):
        action_update(action=action, user=viewer, status=ActionStatus.DONE)
    with pytest.raises(PermissionDenied):
        action_delete(action=action, user=planner)
    assert snapshot() == before
    action_id = action.pk
    action_delete(action=action, user=admin_user)
    assert not FollowUpAction.objects.exists()
    # The trace of the deleted action stays in its history, with who deleted it.
    trace = FollowUpAction.history.get(id=action_id, history_type="-")
    assert trace.history_user == admin_user


def test_the_database_refuses_two_kinds_of_subject(open_round, actors, health, planning):
    dinkes, _, bappeda, _ = actors
    with pytest.raises(IntegrityError), transaction.atomic():
        FollowUpAction.objects.create(
            region=open_round.region,
            round=open_round,
            actor_a=dinkes,
            sector_a=health,
            sector_b=planning,
            target_level=3,
            mechanism="data_sharing",
            owner=bappeda,
            aksi=1,
            due_date=date(2026, 5, 1),
        )
