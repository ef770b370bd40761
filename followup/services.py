"""Writes to follow-up actions. The pages and the API call these functions; each checks
who may write, checks the input against the round the action comes from, and either
writes everything or nothing (a ValidationError keyed by field, in the user's language)."""

import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.scoping import sees_drafts
from actors.models import Actor, Region, Sector
from actors.selectors import read_vocabularies
from assessments.models import AssessmentRound, Level, RoundMember, RoundStatus
from convergence.validators import normalize_newlines
from followup.access import can_delete_actions, can_manage_actions
from followup.documents import DocumentKind, detect_kind, extension_of
from followup.models import ActionStatus, Aksi, EvidenceDocument, FollowUpAction

# What action_update may change. The region, the round and the subject are what the
# action is about: another gap is another action.
UPDATABLE = (
    "target_level",
    "mechanism",
    "owner",
    "involved",
    "aksi",
    "due_date",
    "status",
    "notes",
)


@dataclass(frozen=True)
class Subject:
    actor_a: Actor | None = None
    actor_b: Actor | None = None
    sector_a: Sector | None = None
    sector_b: Sector | None = None


def action_subject(
    *,
    actor_a: Actor | None = None,
    actor_b: Actor | None = None,
    sector_a: Sector | None = None,
    sector_b: Sector | None = None,
) -> Subject:
    """The subject in its stored form: a pair of actors or of sectors in canonical order,
    or one actor. Refuses a mix, half a sector pair, nothing at all, or an actor paired
    with itself."""
    actors = [actor for actor in (actor_a, actor_b) if actor is not None]
    sectors = [sector for sector in (sector_a, sector_b) if sector is not None]
    if (actors and sectors) or (not actors and not sectors) or len(sectors) == 1:
        raise ValidationError(
            {"actor_a": _("Choose a pair of actors, a sector pair or one actor.")},
            code="subject",
        )
    if sectors:
        first, second = sorted(sectors, key=lambda sector: sector.pk)
        return Subject(sector_a=first, sector_b=second)
    if len(actors) == 1:
        return Subject(actor_a=actors[0])
    if actors[0].pk == actors[1].pk:
        raise ValidationError(
            {"actor_b": _("An actor cannot be paired with itself.")}, code="same_actor"
        )
    first, second = sorted(actors, key=lambda actor: actor.pk)
    return Subject(actor_a=first, actor_b=second)


def _check_may_write(user, round_: AssessmentRound) -> None:
    if not can_manage_actions(user, round_.region):
        raise PermissionDenied(_("You may not plan follow-up actions in this region."))
    if round_.status == RoundStatus.DRAFT and not sees_drafts(user):
        raise PermissionDenied(_("You may not plan follow-up actions in this region."))


def _validate(
    *,
    round_: AssessmentRound,
    subject: Subject,
    target_level,
    mechanism: str,
    owner: Actor | None,
    involved: list[Actor],
    aksi,
    due_date,
    status: str,
    held_mechanism: str | None = None,
) -> None:
    """Every rule about the values, all errors at once (keyed by field)."""
    errors: dict[str, list[str]] = {}

    def refuse(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if target_level not in Level.values or isinstance(target_level, bool):
        refuse("target_level", _("Choose a target level between 0 and 4."))
    if aksi not in Aksi.values or isinstance(aksi, bool):
        refuse("aksi", _("Choose one of the 8 aksi konvergensi."))
    if status not in ActionStatus.values:
        refuse("status", _("Choose a status: planned, in progress, done or dropped."))
    mechanisms = read_vocabularies().mechanisms
    # A mechanism the action already holds stays valid after its term is deactivated.
    if not mechanism or (mechanism not in mechanisms.active_codes and mechanism != held_mechanism):
        refuse("mechanism", _("Choose a mechanism from the list."))
    if not isinstance(due_date, date):
        refuse("due_date", _("Enter the due date."))
    elif due_date < round_.period_start:
        refuse(
            "due_date",
            _("The due date cannot be before the start of the round (%(start)s).")
            % {"start": date_format(round_.period_start, "DATE_FORMAT")},
        )
    if owner is None:
        refuse("owner", _("Choose the actor that leads the action."))

    named = {
        "actor_a": [subject.actor_a] if subject.actor_a else [],
        "actor_b": [subject.actor_b] if subject.actor_b else [],
        "owner": [owner] if owner else [],
        "involved": involved,
    }
    ids = {actor.pk for actors in named.values() for actor in actors}
    members = set(
        RoundMember.objects.filter(round_id=round_.pk, actor_id__in=ids).values_list(
            "actor_id", flat=True
        )
    )
    for field, actors in named.items():
        for actor in actors:
            if actor.pk not in members:
                refuse(
                    field,
                    _("%(actor)s is not on the roster of this round.") % {"actor": actor},
                )
    if errors:
        raise ValidationError(errors)


def _involved(involved: Iterable[Actor], owner: Actor | None) -> list[Actor]:
    """Each actor once, the owner left out (it leads; it is not also "involved")."""
    seen, kept = set(), []
    for actor in involved:
        if actor.pk in seen or (owner is not None and actor.pk == owner.pk):
            continue
        seen.add(actor.pk)
        kept.append(actor)
    return kept


@transaction.atomic
def action_create(
    *,
    user,
    round: AssessmentRound,
    target_level: int,
    mechanism: str,
    owner: Actor | None,
    aksi: int,
    due_date: date,
    actor_a: Actor | None = None,
    actor_b: Actor | None = None,
    sector_a: Sector | None = None,
    sector_b: Sector | None = None,
    involved: Iterable[Actor] = (),
    status: str = ActionStatus.PLANNED,
    notes: str = "",
) -> FollowUpAction:
    """A follow-up action on a gap of ``round``, by a scorer, planner or admin of its region."""
    round_ = round
    _check_may_write(user, round_)
    subject = action_subject(actor_a=actor_a, actor_b=actor_b, sector_a=sector_a, sector_b=sector_b)
    involved = _involved(involved, owner)
    _validate(
        round_=round_,
        subject=subject,
        target_level=target_level,
        mechanism=mechanism,
        owner=owner,
        involved=involved,
        aksi=aksi,
        due_date=due_date,
        status=status,
    )
    action = FollowUpAction(
        region=round_.region,
        round=round_,
        actor_a=subject.actor_a,
        actor_b=subject.actor_b,
        sector_a=subject.sector_a,
        sector_b=subject.sector_b,
        target_level=target_level,
        mechanism=mechanism,
        owner=owner,
        aksi=aksi,
        due_date=due_date,
        status=status,
        notes=normalize_newlines(notes or ""),
        created_by=user,
    )
    action._history_user = user
    action.full_clean()
    action.save()
    action.involved.set(involved)
    return action


@transaction.atomic
def action_update(*, action: FollowUpAction, user, **changes) -> FollowUpAction:
    """Change the values given (any of ``UPDATABLE``); the others stay as stored."""
    unknown = set(changes) - set(UPDATABLE)
    if unknown:
        raise TypeError(f"action_update cannot change {sorted(unknown)}")
    round_ = action.round
    _check_may_write(user, round_)
    owner = changes.get("owner", action.owner)
    involved_given = "involved" in changes
    involved = _involved(changes["involved"] if involved_given else action.involved.all(), owner)
    values = {
        name: changes.get(name, getattr(action, name))
        for name in ("target_level", "mechanism", "aksi", "due_date", "status", "notes")
    }
    _validate(
        round_=round_,
        subject=Subject(action.actor_a, action.actor_b, action.sector_a, action.sector_b),
        target_level=values["target_level"],
        mechanism=values["mechanism"],
        owner=owner,
        involved=involved,
        aksi=values["aksi"],
        due_date=values["due_date"],
        status=values["status"],
        held_mechanism=FollowUpAction.objects.filter(pk=action.pk)
        .values_list("mechanism", flat=True)
        .first(),
    )
    for name, value in values.items():
        setattr(action, name, value)
    action.notes = normalize_newlines(action.notes or "")
    action.owner = owner
    action._history_user = user
    action.full_clean()
    action.save()
    # Its documents stay filed under the action's aksi (the performance review's folders).
    for document in action.documents.exclude(aksi=action.aksi):
        document.aksi = action.aksi
        document._history_user = user
        document.save(update_fields=["aksi"])
    if involved_given or owner.pk in {actor.pk for actor in action.involved.all()}:
        action.involved.set(involved)
    return action


@transaction.atomic
def action_delete(*, action: FollowUpAction, user) -> None:
    """Admins delete; the history keeps the action as it was."""
    if not can_delete_actions(user, action.region):
        raise PermissionDenied(_("Only admins may delete follow-up actions."))
    action._history_user = user
    action.delete()


# Evidence documents --------------------------------------------------------------------


def check_document(file, *, name: str) -> DocumentKind:
    """The kind of an uploaded file, or a ValidationError that says what is wrong: empty,
    too large, a type not accepted, or content that does not match the name's extension."""
    limit = settings.EVIDENCE_MAX_BYTES
    if file.size is None or file.size == 0:
        raise ValidationError({"file": _("The file is empty.")}, code="empty")
    if file.size > limit:
        raise ValidationError(
            {
                "file": _("The file is too large: at most %(limit)s.")
                % {"limit": filesizeformat(limit)}
            },
            code="too_large",
        )
    kind = detect_kind(file)
    if kind is None:
        raise ValidationError(
            {"file": _("This type of file is not accepted: send a PDF, JPG, PNG, DOCX or XLSX.")},
            code="refused_type",
        )
    extension = extension_of(name)
    if extension not in kind.extensions:
        raise ValidationError(
            {
                "file": _(
                    "The content of this file does not match its name: it is a %(kind)s, "
                    "named %(extension)s."
                )
                % {"kind": kind.code.upper(), "extension": extension or "—"}
            },
            code="extension_mismatch",
        )
    return kind


def document_upload(
    *,
    user,
    file,
    title: str = "",
    action: FollowUpAction | None = None,
    round: AssessmentRound | None = None,
    actor_a: Actor | None = None,
    actor_b: Actor | None = None,
    region: Region | None = None,
    aksi: int | None = None,
) -> EvidenceDocument:
    """Attach ``file`` (an uploaded file) as evidence for one subject:

    - an ``action`` (the document takes the action's region, round and aksi);
    - a pair of actors of a ``round`` (``actor_a`` and ``actor_b``, both on its roster;
      ``aksi`` optional);
    - one ``aksi`` of a ``region`` (``round`` optional: the year it belongs to).

    Checked before anything is stored; the file is removed again if the row cannot be
    written."""
    if action is not None:
        region, round, aksi = action.region, action.round, action.aksi
        actor_a = actor_b = None
    elif actor_a is not None or actor_b is not None:
        if round is None or actor_a is None or actor_b is None:
            raise TypeError("a pair's document needs its round and both actors")
        region = round.region
    elif round is not None:
        region = round.region
    if region is None:
        raise TypeError("document_upload needs an action, a pair or a region's aksi")
    if not can_manage_actions(user, region):
        raise PermissionDenied(_("You may not add documents in this region."))
    if round is not None and round.status == RoundStatus.DRAFT and not sees_drafts(user):
        raise PermissionDenied(_("You may not add documents in this region."))
    errors: dict[str, list[str]] = {}
    if action is None and actor_a is not None:
        if actor_a.pk == actor_b.pk:
            errors.setdefault("actor_b", []).append(_("An actor cannot be paired with itself."))
        else:
            actor_a, actor_b = sorted((actor_a, actor_b), key=lambda actor: actor.pk)
            on_roster = set(
                RoundMember.objects.filter(round=round, actor__in=[actor_a, actor_b]).values_list(
                    "actor_id", flat=True
                )
            )
            if on_roster != {actor_a.pk, actor_b.pk}:
                errors.setdefault("actor_a", []).append(
                    _("Both actors must take part in the round.")
                )
    elif action is None and aksi is None:
        errors.setdefault("aksi", []).append(_("Choose the aksi this document is evidence for."))
    if aksi is not None and aksi not in Aksi.values:
        errors.setdefault("aksi", []).append(_("Choose one of the 8 aksi."))
    if errors:
        raise ValidationError(errors)
    name = os.path.basename(file.name or "")
    kind = check_document(file, name=name)
    document = EvidenceDocument(
        region=region,
        action=action,
        round=round,
        actor_a=actor_a,
        actor_b=actor_b,
        aksi=aksi,
        title=(title or "").strip(),
        original_name=name[:255],
        kind=kind.code,
        size=file.size,
        uploaded_by=user,
    )
    document.full_clean(exclude=["file"])
    document._history_user = user
    file.seek(0)
    document.file.save(name, file, save=False)
    try:
        with transaction.atomic():
            document.save()
    except Exception:
        document.file.delete(save=False)
        raise
    return document


@transaction.atomic
def document_delete(*, document: EvidenceDocument, user) -> None:
    """Admins delete a document: it leaves the list and the downloads, and its row, file
    and history stay as the trace of what was there."""
    if not can_delete_actions(user, document.region):
        raise PermissionDenied(_("Only admins may delete documents."))
    document.deleted_at = timezone.now()
    document.deleted_by = user
    document._history_user = user
    document.save(update_fields=["deleted_at", "deleted_by"])
