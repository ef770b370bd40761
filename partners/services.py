"""Writes of the partners' views. Every page goes through these functions.

A link's token is ``secrets.token_urlsafe(32)``; only its SHA-256 is stored, so the link
is shown once (when made or renewed) and a stolen database holds no working link.
"""

import hashlib
import secrets
from collections.abc import Iterable, Mapping
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from simple_history.utils import update_change_reason

from accounts.scoping import can_score
from actors.models import Actor
from assessments.models import (
    EVIDENCE_FIELDS,
    AssessmentRound,
    PairAssessment,
    RoundMember,
    RoundStatus,
)
from assessments.services import (
    CHOICE_LIST_FIELDS,
    canonical_pair,
    clean_pair_values,
    derive_level,
    lock_open_round,
    pair_assessment_save,
    validate_level,
    validate_scorable_pair,
)
from convergence.validators import (
    normalize_newlines,
    unsafe_free_text_message,
    unsafe_text_message,
)
from partners.models import (
    REASON_MAX_LENGTH,
    RESPONDENT_MAX_LENGTH,
    Invitation,
    PartnerAnswer,
    Reconciliation,
)
from partners.selectors import pair_views, view_snapshot
from partners.selectors import views_version as selectors_views_version

# simple-history's change reason holds 100 characters; the whole reason is on the record.
HISTORY_REASON_LENGTH = 100


class LinkGone(Exception):
    """The link exists but may no longer be used (revoked, expired, round not open)."""

    def __init__(self, reason: str, message: str):
        self.reason = reason
        self.message = message
        super().__init__(message)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def _expiry():
    return timezone.now() + timedelta(days=settings.INVITATION_TTL_DAYS)


def _require_manager(user, round: AssessmentRound) -> None:
    if not can_score(user, round.region):
        raise PermissionDenied(_("You may not manage the invitations of this round."))


def _require_open(round: AssessmentRound) -> None:
    if round.status != RoundStatus.OPEN:
        raise ValidationError(
            _("Partners can be invited only while the round is open."), code="round_not_open"
        )


@transaction.atomic
def invite(
    *, round: AssessmentRound, actors: Iterable[Actor], user
) -> list[tuple[Invitation, str]]:
    """Make a link for each of ``actors`` (members of the round's roster) that has none
    yet. Returns the new invitations with their tokens (the only time they are known).
    Admins and scorers of the round's region, open rounds only."""
    _require_manager(user, round)
    _require_open(round)
    actors = list({actor.pk: actor for actor in actors}.values())
    if not actors:
        raise ValidationError(_("Choose at least one member to invite."), code="no_actor")
    members = set(
        RoundMember.objects.filter(round=round, actor__in=actors).values_list("actor_id", flat=True)
    )
    outside = [actor for actor in actors if actor.pk not in members]
    if outside:
        raise ValidationError(
            _("Not on the roster of this round: %(actors)s.")
            % {"actors": ", ".join(str(actor) for actor in outside)},
            code="actor_not_in_round",
        )
    invited = set(
        Invitation.objects.filter(round=round, actor__in=actors).values_list("actor_id", flat=True)
    )
    made = []
    for actor in actors:
        if actor.pk in invited:
            continue
        token, digest = _new_token()
        invitation = Invitation.objects.create(
            round=round, actor=actor, token_hash=digest, created_by=user, expires_at=_expiry()
        )
        made.append((invitation, token))
    return made


@transaction.atomic
def revoke(*, invitation: Invitation, user) -> Invitation:
    """The link stops working at once; the answers already given stay."""
    _require_manager(user, invitation.round)
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation


@transaction.atomic
def renew(*, invitation: Invitation, user) -> str:
    """A new link (new token, new expiry) for the same member: the old link stops working,
    a revoked invitation works again, and the answers given so far are kept."""
    _require_manager(user, invitation.round)
    _require_open(invitation.round)
    token, digest = _new_token()
    invitation.token_hash = digest
    invitation.expires_at = _expiry()
    invitation.revoked_at = None
    invitation.save(update_fields=["token_hash", "expires_at", "revoked_at"])
    return token


# The partner's side ----------------------------------------------------------------------


def invitation_for_token(token: str) -> Invitation | None:
    """The invitation of a link's token, or None (unknown or tampered)."""
    if not isinstance(token, str) or not 20 <= len(token) <= 100:
        return None
    return (
        Invitation.objects.select_related("round__region", "actor")
        .filter(token_hash=hash_token(token))
        .first()
    )


def check_usable(invitation: Invitation, *, round_status: str | None = None) -> None:
    """Raise LinkGone if the link may no longer be used."""
    if invitation.revoked_at is not None:
        raise LinkGone("revoked", _("This link has been withdrawn by the health office."))
    if invitation.expires_at <= timezone.now():
        raise LinkGone("expired", _("This link has expired. Ask the health office for a new one."))
    status = round_status or invitation.round.status
    if status != RoundStatus.OPEN:
        raise LinkGone(
            "round_not_open",
            _("This mapping round is closed: answers can no longer be given or changed."),
        )
    if not RoundMember.objects.filter(
        round_id=invitation.round_id, actor_id=invitation.actor_id
    ).exists():
        raise LinkGone(
            "not_member",
            _("Your organisation is no longer on the roster of this mapping round."),
        )


def _lock_usable(invitation: Invitation) -> Invitation:
    """The invitation re-read under a lock, with its round's status locked too, so that
    neither a revocation nor a closing slips in between the check and the write."""
    status = (
        AssessmentRound.objects.select_for_update()
        .values_list("status", flat=True)
        .get(pk=invitation.round_id)
    )
    current = Invitation.objects.select_for_update().select_related("round").get(pk=invitation.pk)
    if current.token_hash != invitation.token_hash:
        # Renewed since the link was read: the old link no longer works.
        raise LinkGone("replaced", _("This link has been replaced by a newer one."))
    check_usable(current, round_status=status)
    return current


def _clean_respondent_text(value) -> str:
    if not isinstance(value, str):
        raise ValidationError(_("Enter text."), code="invalid")
    value = " ".join(value.split())
    if not value:
        raise ValidationError(_("Fill in this field."), code="required")
    if len(value) > RESPONDENT_MAX_LENGTH:
        raise ValidationError(
            _("At most %(max)d characters.") % {"max": RESPONDENT_MAX_LENGTH}, code="too_long"
        )
    if problem := unsafe_text_message(value):
        raise ValidationError(problem, code="unsafe_text")
    return value


@transaction.atomic
def identify(*, invitation: Invitation, name, position) -> Invitation:
    """The respondent's name and position, given once."""
    current = _lock_usable(invitation)
    errors = {}
    cleaned = {}
    for field, value in (("respondent_name", name), ("respondent_position", position)):
        try:
            cleaned[field] = _clean_respondent_text(value)
        except ValidationError as error:
            errors[field] = error
    if errors:
        raise ValidationError(errors)
    if current.respondent_name:
        return current  # given already: once
    for field, value in cleaned.items():
        setattr(current, field, value)
    current.save(update_fields=list(cleaned))
    return current


def other_member(invitation: Invitation, actor_id) -> Actor | None:
    """The other roster member the holder may answer about, or None (itself, or anyone not
    on the round's roster)."""
    try:
        actor_id = int(actor_id)
    except (TypeError, ValueError):
        return None
    if actor_id == invitation.actor_id:
        return None
    member = (
        RoundMember.objects.filter(round_id=invitation.round_id, actor_id=actor_id)
        .select_related("actor__sector")
        .first()
    )
    return member.as_actor() if member else None


NOT_WORKING_TOGETHER = "none"
DONT_KNOW = "unknown"
ANSWERED = "answers"


@transaction.atomic
def answer_save(*, invitation: Invitation, other_actor: Actor, answers: Mapping) -> PartnerAnswer:
    """Store what the holder of ``invitation`` says about ``other_actor``.

    ``answers``: ``kind`` (ANSWERED, NOT_WORKING_TOGETHER or DONT_KNOW), ``evidence``
    (the four answers in EVIDENCE_FIELDS order), ``level`` (chosen only with confirmed
    inconsistent answers), ``confirm_inconsistent``, the three lists and ``note``. The level
    is derived by the scorer's own rules (``clean_pair_values``): consistent answers decide
    it; answers that skip a step must be confirmed, and the level is then chosen.

    Raises LinkGone (nothing written) if the link may no longer be used, ValidationError if
    the answers cannot be stored.
    """
    current = _lock_usable(invitation)
    if other_member(current, other_actor.pk) is None:
        raise ValidationError(
            _("You can answer only about the other members of this round."), code="not_member"
        )
    existing = PartnerAnswer.objects.filter(invitation=current, other_actor=other_actor).first()
    held = {name: getattr(existing, name) for name in CHOICE_LIST_FIELDS} if existing else None
    kind = answers.get("kind", ANSWERED)
    lists = {name: answers.get(name) or () for name in CHOICE_LIST_FIELDS}
    if kind == ANSWERED:
        evidence = answers.get("evidence")
        if evidence is None or all(answer is None for answer in evidence):
            raise ValidationError(
                _(
                    "Answer at least the first question, or tap “We do not work together” "
                    "or “I don't know”."
                ),
                code="no_answer",
            )
        values = clean_pair_values(
            level=answers.get("level"),
            note=answers.get("note", ""),
            evidence=evidence,
            confirm_inconsistent=answers.get("confirm_inconsistent") is True,
            held=held,
            **lists,
        )
    elif kind in (NOT_WORKING_TOGETHER, DONT_KNOW):
        # No evidence: level 0 for "we do not work together", none for "I don't know";
        # the note and the lists are checked by the same rules.
        values = clean_pair_values(level=0, note=answers.get("note", ""), held=held, **lists)
        if kind == DONT_KNOW:
            values["level"] = None
    else:
        raise ValidationError(_("Unknown kind of answer."), code="invalid_kind")
    values["level"] = None if values["level"] is None else int(values["level"])
    values["not_working_together"] = kind == NOT_WORKING_TOGETHER
    values["dont_know"] = kind == DONT_KNOW
    answer, _created = PartnerAnswer.objects.update_or_create(
        invitation=current, other_actor=other_actor, defaults=values
    )
    return answer


@transaction.atomic
def submit(*, invitation: Invitation) -> Invitation:
    """The holder says they are done (they may still change answers while the link works)."""
    current = _lock_usable(invitation)
    if not current.answers.exists():
        raise ValidationError(
            _("Answer about at least one member before you submit."), code="nothing_answered"
        )
    current.submitted_at = timezone.now()
    current.save(update_fields=["submitted_at"])
    return current


# The scorer's reconciliation ----------------------------------------------------------------


class StaleViews(ValidationError):
    """A partner changed its answer (or a link was revoked) since the scorer opened the pair."""


def _clean_reason(reason) -> str:
    if not isinstance(reason, str):
        raise ValidationError(_("The reason must be text."), code="invalid")
    reason = normalize_newlines(reason).strip()
    if not reason:
        raise ValidationError(
            _("Say why you set this level: the reason is kept in the pair's history."),
            code="required",
        )
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            _("At most %(max)d characters.") % {"max": REASON_MAX_LENGTH}, code="too_long"
        )
    if problem := unsafe_free_text_message(reason):
        raise ValidationError(problem, code="unsafe_text")
    return reason


def _kept_evidence(existing: PairAssessment | None, level: int) -> dict:
    """What the official assessment keeps when the scorer reconciles it: its note and lists
    always; its evidence answers only where they still support the level set (consistent
    answers deriving that level, or answers that skip a step and were confirmed)."""
    if existing is None:
        return {}
    kept = {"note": existing.note, **{name: getattr(existing, name) for name in CHOICE_LIST_FIELDS}}
    answers = tuple(getattr(existing, name) for name in EVIDENCE_FIELDS)
    result = derive_level(answers)
    if result.has_evidence and (
        (result.inconsistent and existing.evidence_inconsistency_confirmed)
        or (not result.inconsistent and result.level == level)
    ):
        kept["evidence"] = answers
        kept["confirm_inconsistent"] = result.inconsistent
    return kept


@transaction.atomic
def reconcile(
    *,
    round: AssessmentRound,
    actor_a: Actor,
    actor_b: Actor,
    level,
    reason,
    user,
    views_version: str,
    expected_version: int | None = None,
) -> Reconciliation:
    """The scorer sets the official level of a pair from both partners' views and says why.

    The level is set through ``pair_assessment_save`` (so every scoring rule applies: the
    scorer's rights, an open round, the roster, the version read, the round's summary and
    the assessment's history), and the decision is kept with both views as the scorer saw
    them. ``views_version`` is ``selectors.views_version`` of the views shown: if they have
    changed since, StaleViews is raised. Nothing is written when anything is refused.
    """
    if not can_score(user, round.region):
        raise PermissionDenied(_("You may not score pairs in this region."))
    lock_open_round(round)
    errors = {}
    try:
        validate_level(level)
    except ValidationError as error:
        errors["level"] = error
    try:
        reason = _clean_reason(reason)
    except ValidationError as error:
        errors["reason"] = error
    if errors:
        raise ValidationError(errors)
    validate_scorable_pair(round=round, actor_a=actor_a, actor_b=actor_b)
    first, second = canonical_pair(actor_a, actor_b)
    views = pair_views(round, first.pk, second.pk)
    if views is None:
        raise ValidationError(
            _("Neither partner has answered about this pair: there are no views to reconcile."),
            code="no_views",
        )
    if views_version != selectors_views_version(views):
        raise StaleViews(
            _(
                "A partner changed its answer about this pair since you opened it. Nothing "
                "was saved: read both views again and decide."
            ),
            code="stale_views",
        )
    existing = PairAssessment.objects.filter(round=round, actor_a=first, actor_b=second).first()
    assessment = pair_assessment_save(
        round=round,
        actor_a=first,
        actor_b=second,
        level=level,
        user=user,
        expected_version=expected_version,
        **_kept_evidence(existing, level),
    )
    # The assessment's own history says the change came from a reconciliation.
    update_change_reason(assessment, Truncator(reason).chars(HISTORY_REASON_LENGTH))
    return Reconciliation.objects.create(
        round=round,
        actor_a=first,
        actor_b=second,
        a_view=view_snapshot(views.a_view),
        b_view=view_snapshot(views.b_view),
        a_level=views.a_level,
        b_level=views.b_level,
        proposed_level=views.proposed,
        previous_level=existing.level if existing else None,
        level=assessment.level,
        assessment_version=assessment.version,
        reason=reason,
        decided_by=user,
    )
