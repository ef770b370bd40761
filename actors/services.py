"""Writes for programmes: a programme and its participants are saved together, checked by
the models' own rules (``Programme.clean``, ``ProgrammeParticipant.clean``), by the admin
and the API alike. Who may write is the door's question (``accounts.scoping``); what may be
written is answered here."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from actors.models import Programme, ProgrammeParticipant

PARTICIPANT_FIELDS = (
    "role",
    "stages",
    "intervention_type",
    "contributions",
    "contribution_note",
)


class ParticipantsRefused(ValidationError):
    """Some participants cannot be saved: ``rows`` holds each one's errors by field (an
    empty dict for a good row), in the order given."""

    def __init__(self, rows: list[dict[str, list[str]]]):
        self.rows = rows
        super().__init__({"participants": _("Some participants cannot be saved.")})


@transaction.atomic
def programme_save(*, programme: Programme, participants: list[dict] | None = None) -> Programme:
    """Save ``programme`` (new or changed; its fields already set) and, when
    ``participants`` is given, make the participants exactly that list: dicts with
    ``actor`` and any of ``PARTICIPANT_FIELDS``, matched on the actor. A refusal writes
    nothing."""
    programme.full_clean()
    programme.save()
    if participants is not None:
        participants_set(programme=programme, participants=participants)
    return programme


@transaction.atomic
def participants_set(*, programme: Programme, participants: list[dict]) -> None:
    rows: list[dict[str, list[str]]] = []
    seen: set[int] = set()
    current = {p.actor_id: p for p in programme.participants.all()}
    keep = []
    for data in participants:
        actor = data["actor"]
        if actor.pk in seen:
            rows.append({"actor": [_("This actor is already a participant of the programme.")]})
            continue
        seen.add(actor.pk)
        participant = current.get(actor.pk) or ProgrammeParticipant(programme=programme)
        participant.actor = actor
        for field in PARTICIPANT_FIELDS:
            if field in data:
                setattr(participant, field, data[field])
        try:
            participant.full_clean(validate_unique=False)
        except ValidationError as error:
            rows.append(error.message_dict)
            continue
        rows.append({})
        keep.append(participant)
    if any(rows):
        raise ParticipantsRefused(rows)
    programme.participants.exclude(actor_id__in=seen).delete()
    for participant in keep:
        participant.save()
