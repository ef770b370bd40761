"""The partners' services refuse on their own, whatever page calls them: each refusal
leaves the database as it was."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from assessments.models import RoundStatus
from partners.models import Invitation
from partners.services import LinkGone, answer_save, identify, revoke, submit
from tests.partners.conftest import snapshot


def make_revoked(invitation, open_round, scorer):
    revoke(invitation=invitation, user=scorer)


def make_expired(invitation, open_round, scorer):
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )


def make_closed(invitation, open_round, scorer):
    open_round.status = RoundStatus.CLOSED
    open_round.save()


@pytest.mark.parametrize(
    ("spoil", "reason"),
    [(make_revoked, "revoked"), (make_expired, "expired"), (make_closed, "round_not_open")],
)
def test_a_link_that_may_no_longer_be_used_writes_nothing(
    links, actors, open_round, scorer, spoil, reason
):
    invitation, _token = links[0]
    # The page read the invitation before it was spoiled: the service checks again.
    spoil(invitation, open_round, scorer)
    before = snapshot()
    for call in (
        lambda: answer_save(invitation=invitation, other_actor=actors[1], answers={"kind": "none"}),
        lambda: identify(invitation=invitation, name="A", position="B"),
        lambda: submit(invitation=invitation),
    ):
        with pytest.raises(LinkGone) as refused:
            call()
        assert refused.value.reason == reason
    assert snapshot() == before


@pytest.mark.parametrize(
    "answers",
    [
        {"kind": "whatever"},
        {"kind": "answers", "evidence": (None, None, None, None)},
        {"kind": "answers", "evidence": ("yes", None, None, None)},
        {"kind": "answers", "evidence": (False, True, None, None)},  # skips, not confirmed
        {"kind": "answers", "evidence": (True, None, None, None), "level": 3},  # contradicts
        {"kind": "none", "note": "x" * 4001},
        {"kind": "none", "mechanisms": ["no_such_term"]},
    ],
)
def test_answers_the_scorers_rules_refuse_are_refused(links, actors, answers):
    invitation, _token = links[0]
    before = snapshot()
    with pytest.raises(ValidationError):
        answer_save(invitation=invitation, other_actor=actors[1], answers=answers)
    assert snapshot() == before


def test_an_answer_about_oneself_or_a_non_member_is_refused(links, actors, other_actors):
    invitation, _token = links[0]
    before = snapshot()
    for other in (actors[0], other_actors[0]):
        with pytest.raises(ValidationError):
            answer_save(invitation=invitation, other_actor=other, answers={"kind": "none"})
    assert snapshot() == before


def test_the_respondent_is_given_once(links):
    invitation, _token = links[0]
    identify(invitation=invitation, name="Ibu  Rahma ", position="Kepala Bidang")
    identify(invitation=invitation, name="Someone Else", position="Other")
    invitation.refresh_from_db()
    assert (invitation.respondent_name, invitation.respondent_position) == (
        "Ibu Rahma",
        "Kepala Bidang",
    )


def test_a_link_renewed_while_its_page_was_open_writes_nothing(links, actors, scorer):
    from partners.services import renew

    invitation, _token = links[0]
    stale = Invitation.objects.get(pk=invitation.pk)  # as the old link's page read it
    renew(invitation=invitation, user=scorer)
    before = snapshot()
    with pytest.raises(LinkGone) as refused:
        answer_save(invitation=stale, other_actor=actors[1], answers={"kind": "none"})
    assert refused.value.reason == "replaced"
    assert snapshot() == before
