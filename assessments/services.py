"""Writes to assessments. Every path (page, API, import) goes through these functions."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.access import can_score
from actors.models import Actor
from assessments.models import (
    NOTE_MAX_LENGTH,
    AssessmentRound,
    Level,
    PairAssessment,
    RoundStatus,
)


def canonical_pair(actor_a: Actor, actor_b: Actor) -> tuple[Actor, Actor]:
    return (actor_a, actor_b) if actor_a.pk < actor_b.pk else (actor_b, actor_a)


def validate_pair(*, round: AssessmentRound, actor_a: Actor, actor_b: Actor) -> None:
    """Refuse a pair that cannot be scored in ``round``, with a message for the user."""
    if actor_a.pk == actor_b.pk:
        raise ValidationError(_("An actor cannot be paired with itself."), code="same_actor")
    for actor in (actor_a, actor_b):
        if not actor.belongs_to_mapping_unit(round.region):
            raise ValidationError(
                _("%(actor)s does not belong to the region of this round.") % {"actor": actor},
                code="actor_outside_region",
            )


@transaction.atomic
def pair_assessment_save(
    *,
    round: AssessmentRound,
    actor_a: Actor,
    actor_b: Actor,
    level: int,
    note: str = "",
    user,
) -> PairAssessment:
    """Create or update the one assessment of this pair in this round.

    Raises PermissionDenied for a user who may not score here, ValidationError for input
    that cannot be saved; nothing is written in either case.
    """
    if not can_score(user, round.region):
        raise PermissionDenied(_("You may not score pairs in this region."))
    # Lock the round so that it cannot be closed between this check and the write.
    status = (
        AssessmentRound.objects.select_for_update()
        .values_list("status", flat=True)
        .get(pk=round.pk)
    )
    if status != RoundStatus.OPEN:
        if status == RoundStatus.CLOSED:
            message = _("This round is closed: its assessments can no longer be changed.")
        else:
            message = _("This round is not open for scoring yet.")
        raise ValidationError(message, code="round_not_open")
    if isinstance(level, bool) or not isinstance(level, int) or level not in Level.values:
        raise ValidationError(
            {"level": _("The level must be a whole number from 0 to 4.")}, code="invalid_level"
        )
    note = (note or "").strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError(
            {
                "note": _("The note is too long (at most %(max)d characters).")
                % {"max": NOTE_MAX_LENGTH}
            },
            code="note_too_long",
        )
    validate_pair(round=round, actor_a=actor_a, actor_b=actor_b)
    for actor in (actor_a, actor_b):
        if not actor.is_active:
            raise ValidationError(
                _("%(actor)s is no longer active and cannot be scored.") % {"actor": actor},
                code="inactive_actor",
            )
    first, second = canonical_pair(actor_a, actor_b)
    assessment, _created = PairAssessment.objects.update_or_create(
        round=round,
        actor_a=first,
        actor_b=second,
        defaults={"level": level, "note": note, "scored_by": user},
    )
    return assessment
