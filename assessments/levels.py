"""Writes of the main role or action of each government level in a round (Kim et al. 2017,
Table 2, first column). The by-level page and the API call ``level_role_set``."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.scoping import can_score
from actors.models import GovernmentLevel
from assessments.models import MAIN_ROLE_MAX_LENGTH, AssessmentRound, LevelRole, RoundStatus
from convergence.validators import normalize_newlines, validate_free_text


def clean_main_role(main_role) -> str:
    """The text as stored (newlines normalised, spaces trimmed), or ValidationError."""
    if not isinstance(main_role, str):
        raise ValidationError(
            {"main_role": ValidationError(_("The main role must be text."), code="invalid")}
        )
    text = normalize_newlines(main_role).strip()
    try:
        validate_free_text(text)
    except ValidationError as error:
        raise ValidationError({"main_role": error}) from None
    if len(text) > MAIN_ROLE_MAX_LENGTH:
        raise ValidationError(
            {
                "main_role": ValidationError(
                    _("The main role is too long (at most %(max)d characters).")
                    % {"max": MAIN_ROLE_MAX_LENGTH},
                    code="too_long",
                )
            }
        )
    return text


@transaction.atomic
def level_role_set(
    *, round: AssessmentRound, government_level: int, main_role: str, user
) -> LevelRole | None:
    """Record (or change) what ``government_level`` mainly does in ``round``; an empty text
    removes it, and None is returned.

    Admins and scorers of the round's region may, while the round is not closed (a closed
    round reads as it was). Raises PermissionDenied for anyone else, ValidationError for a
    closed round, an unknown level or text that cannot be stored; nothing is written then.
    """
    if not can_score(user, round.region):
        raise PermissionDenied(
            _("Only the admins and scorers of this region may record the levels' main roles.")
        )
    if (
        isinstance(government_level, bool)
        or not isinstance(government_level, int)
        or government_level not in GovernmentLevel.values
    ):
        raise ValidationError(
            {
                "government_level": ValidationError(
                    _("Choose a government level from 0 (national) to 4 (village)."),
                    code="invalid_level",
                )
            }
        )
    text = clean_main_role(main_role)
    # Lock the round's row: it cannot be closed between this check and the write.
    status = (
        AssessmentRound.objects.select_for_update()
        .values_list("status", flat=True)
        .get(pk=round.pk)
    )
    if status == RoundStatus.CLOSED:
        raise ValidationError(
            _("This round is closed: the main roles of its levels can no longer be changed."),
            code="round_closed",
        )
    current = (
        LevelRole.objects.select_for_update()
        .filter(round=round, government_level=government_level)
        .first()
    )
    if not text:
        if current is not None:
            current.delete()
        return None
    if current is None:
        return LevelRole.objects.create(
            round=round, government_level=government_level, main_role=text, updated_by=user
        )
    if current.main_role != text:
        current.main_role = text
        current.updated_by = user
        current.save()
    return current
