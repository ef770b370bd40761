"""Writes to assessments. Every path (page, API, import) goes through these functions."""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.scoping import can_score
from actors.models import Actor
from actors.selectors import TermList, Vocabularies, read_vocabularies
from assessments.models import (
    EVIDENCE_FIELDS,
    NOTE_MAX_LENGTH,
    AssessmentRound,
    Level,
    PairAssessment,
    RoundMember,
    RoundStatus,
)
from assessments.summaries import refresh_round_summary
from convergence.validators import normalize_newlines, unsafe_free_text_message

# The lists kept with each pair, each from its own vocabulary (actors.VocabularyTerm).
CHOICE_LIST_FIELDS = ("mechanisms", "facilitating_factors", "hindering_factors")
CHOICE_LIST_VOCABULARIES = {
    name: PairAssessment._meta.get_field(name).vocabulary for name in CHOICE_LIST_FIELDS
}


def _has_items(value) -> bool:
    """Whether a list value has something to check against the terms (a refusal of its
    type needs none)."""
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        return False
    if isinstance(value, Sequence):
        return len(value) > 0
    return True


def canonical_pair(actor_a: Actor, actor_b: Actor) -> tuple[Actor, Actor]:
    return (actor_a, actor_b) if actor_a.pk < actor_b.pk else (actor_b, actor_a)


def validate_pair(
    *, round: AssessmentRound, actor_a: Actor, actor_b: Actor, members: set[int] | None = None
) -> None:
    """Refuse a pair that cannot be scored in ``round``, with a message for the user: the
    same actor twice, or an actor that is not on the round's roster. ``members`` (the
    roster's actor ids) saves the query when many pairs are checked."""
    if actor_a.pk == actor_b.pk:
        raise ValidationError(_("An actor cannot be paired with itself."), code="same_actor")
    if members is None:
        members = set(
            RoundMember.objects.filter(
                round_id=round.pk, actor_id__in=[actor_a.pk, actor_b.pk]
            ).values_list("actor_id", flat=True)
        )
    for actor in (actor_a, actor_b):
        if actor.pk not in members:
            raise ValidationError(
                _("%(actor)s is not on the roster of this round.") % {"actor": actor},
                code="actor_not_in_round",
            )


@dataclass(frozen=True)
class EvidenceResult:
    """What the four evidence answers say about a pair.

    ``level`` is None when no question was answered: there is no evidence, and the scorer
    picks the level directly. ``skipped`` lists the questions (numbered from 1) below the
    highest yes that are not answered yes; any such gap makes the answers inconsistent.
    """

    level: Level | None
    highest_yes: int = 0
    skipped: tuple[int, ...] = ()

    @property
    def has_evidence(self) -> bool:
        return self.level is not None

    @property
    def inconsistent(self) -> bool:
        return bool(self.skipped)


def derive_level(answers: Sequence[bool | None]) -> EvidenceResult:
    """The level that the answers to the four questions support, in EVIDENCE_FIELDS order.

    The levels are cumulative (a Guttman scale): the derived level is the highest question
    answered yes with every lower one also yes, and 0 when question 1 is not yes. A yes
    above a question that is not yes skips a step and makes the answers inconsistent.

    A question left unanswered (None) counts as "not yes", both for the level and for the
    gaps: (yes, yes, None, None) supports level 2, and (None, yes, None, None) skips
    question 1 just as (no, yes, no, no) does. Only when no question at all is answered is
    there no evidence.
    """
    if len(answers) != len(EVIDENCE_FIELDS):
        raise ValueError(f"Expected {len(EVIDENCE_FIELDS)} answers, got {len(answers)}.")
    if all(answer is None for answer in answers):
        return EvidenceResult(level=None)
    level = 0
    while level < len(answers) and answers[level] is True:
        level += 1
    highest_yes = max(
        (number for number, answer in enumerate(answers, start=1) if answer is True), default=0
    )
    skipped = tuple(number for number in range(1, highest_yes) if answers[number - 1] is not True)
    return EvidenceResult(level=Level(level), highest_yes=highest_yes, skipped=skipped)


def _evidence_answers(evidence) -> tuple[bool | None, ...]:
    """The four answers, refused unless each is exactly True, False or None."""
    if evidence is None:
        return (None,) * len(EVIDENCE_FIELDS)
    if (
        isinstance(evidence, str | bytes | Mapping)
        or not isinstance(evidence, Sequence)
        or len(evidence) != len(EVIDENCE_FIELDS)
        # Identity, not equality: 1, 0 and "yes" are not answers to coerce.
        or any(
            answer is not True and answer is not False and answer is not None for answer in evidence
        )
    ):
        raise ValidationError(
            _("Answer each of the four evidence questions with yes, no or not answered."),
            code="invalid_evidence",
        )
    return tuple(evidence)


def _choice_list(field_name: str, value, *, terms: TermList, held: Iterable[str] = ()) -> list[str]:
    """``value`` as stored: codes of the field's vocabulary (``terms``), deduplicated, in
    the list's order.

    Only active terms may be chosen. A term made inactive since stays on the pairs that
    hold it (``held``: the codes the pair holds now), so a pair re-saved with it is
    accepted; choosing it anew is refused, as is a code no term has.
    """
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        raise ValidationError(_("Choose from the list."), code="invalid")
    items = list(value)
    if not items:
        return []  # the common case, and nothing to check
    # Only strings can be codes; anything else (even unhashable) is named as such.
    unknown = [str(item) for item in items if not isinstance(item, str)]
    unknown += [item for item in items if isinstance(item, str) and item not in terms.codes]
    if unknown:
        raise ValidationError(
            _("Not in the list of choices: %(items)s."),
            code="invalid_choice",
            params={"items": ", ".join(unknown)},
        )
    kept = set(held)
    retired = [item for item in terms.in_order(items) if item not in terms.active_codes | kept]
    if retired:
        raise ValidationError(
            _("No longer offered, so it cannot be newly chosen: %(items)s."),
            code="inactive_choice",
            params={"items": ", ".join(f"{terms.label(item)} ({item})" for item in retired)},
        )
    return terms.in_order(items)


def _level_from_evidence(level, result: EvidenceResult, *, confirmed: bool) -> Level:
    """The level to store, given the chosen ``level`` (a valid level or None) and the evidence.

    Without evidence the scorer's level is stored. Consistent evidence decides the level:
    the scorer may leave it to the answers or choose the same one. Inconsistent evidence is
    never coerced into a level: the scorer confirms the answers and chooses the level.
    """
    if not result.has_evidence:
        if level is None:
            raise ValidationError(
                {
                    "level": ValidationError(
                        _("Choose a level, or answer the evidence questions to derive it."),
                        code="level_required",
                    )
                }
            )
        return Level(level)
    if result.inconsistent:
        if not confirmed:
            raise ValidationError(
                ngettext(
                    "These answers skip a step: question %(question)d is yes but question "
                    "%(skipped)s below it is not. Correct the answers, or confirm them and "
                    "choose the level yourself.",
                    "These answers skip steps: question %(question)d is yes but questions "
                    "%(skipped)s below it are not. Correct the answers, or confirm them and "
                    "choose the level yourself.",
                    len(result.skipped),
                )
                % {
                    "question": result.highest_yes,
                    "skipped": ", ".join(str(number) for number in result.skipped),
                },
                code="inconsistent_evidence",
            )
        if level is None:
            raise ValidationError(
                {
                    "level": ValidationError(
                        _(
                            "No level can be derived from answers that skip a step: "
                            "choose the level yourself."
                        ),
                        code="level_required",
                    )
                }
            )
        return Level(level)
    if level is not None and level != result.level:
        raise ValidationError(
            {
                "level": ValidationError(
                    _(
                        "The answers support level %(derived)d (%(derived_name)s), but level "
                        "%(chosen)d (%(chosen_name)s) was chosen. Change the level or the "
                        "answers."
                    )
                    % {
                        "derived": result.level,
                        "derived_name": result.level.label,
                        "chosen": level,
                        "chosen_name": Level(level).label,
                    },
                    code="level_contradicts_evidence",
                )
            }
        )
    return result.level


# The checks below are shared by pair_assessment_save, the bulk import of pair
# assessments (imports/pairs.py) and the restore of a round (assessments/backup.py),
# which check every row with them and then write in bulk: one set of rules, three ways of
# writing. Only the live save asks for an open round and a user who may score there.


def lock_open_round(round: AssessmentRound) -> None:
    """Refuse a round that is not open; lock its row until the transaction ends, so that it
    cannot be closed between this check and the write."""
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


def validate_level(level) -> None:
    """Refuse anything but a whole number from 0 to 4 (not a bool, not a string)."""
    if isinstance(level, bool) or not isinstance(level, int) or level not in Level.values:
        raise ValidationError(
            _("The level must be a whole number from 0 to 4."), code="invalid_level"
        )


def clean_pair_values(
    *,
    level: int | None,
    note: str | None = "",
    evidence: Sequence[bool | None] | None = None,
    mechanisms: Iterable[str] = (),
    facilitating_factors: Iterable[str] = (),
    hindering_factors: Iterable[str] = (),
    confirm_inconsistent: bool = False,
    held: Mapping[str, Iterable[str]] | None = None,
    vocabularies: Vocabularies | None = None,
) -> dict:
    """The values of one pair assessment as they are stored, checked by the scoring rules.

    The one place for them: the scoring page and the API (``pair_assessment_save``), the
    pair import and the restore of a round all call it. The arguments mean what they mean
    for ``pair_assessment_save``. Returns the model's fields (level, note, the four
    answers, the confirmation, the three lists); raises ValidationError, keyed by field
    where one field is wrong, with every such refusal at once.

    The lists take codes of the active terms of their vocabularies; ``held`` gives, by
    field name, the codes the pair holds now, which may stay even if their terms have
    been made inactive since. ``vocabularies`` (``read_vocabularies()``) saves reading
    the terms again when many pairs are checked; they are read (one query) only when a
    list is not empty.
    """
    # First each value on its own, all refusals together; then how they fit each other.
    errors: dict[str, ValidationError] = {}
    if level is not None:
        try:
            validate_level(level)
        except ValidationError as error:
            errors["level"] = error
    note = normalize_newlines(note or "").strip() if isinstance(note, str | None) else note
    if not isinstance(note, str):
        errors["note"] = ValidationError(_("The note must be text."), code="invalid_note")
    elif problem := unsafe_free_text_message(note):
        errors["note"] = ValidationError(problem, code="unsafe_text")
    elif len(note) > NOTE_MAX_LENGTH:
        errors["note"] = ValidationError(
            _("The note is too long (at most %(max)d characters).") % {"max": NOTE_MAX_LENGTH},
            code="note_too_long",
        )
    try:
        answers = _evidence_answers(evidence)
    except ValidationError as error:
        errors["evidence"] = error
    lists = {}
    held = held or {}
    for field_name, value in zip(
        CHOICE_LIST_FIELDS, (mechanisms, facilitating_factors, hindering_factors), strict=True
    ):
        if vocabularies is None and _has_items(value):
            vocabularies = read_vocabularies()
        terms = vocabularies.of(CHOICE_LIST_VOCABULARIES[field_name]) if vocabularies else None
        try:
            lists[field_name] = _choice_list(
                field_name, value, terms=terms or TermList(""), held=held.get(field_name, ())
            )
        except ValidationError as error:
            errors[field_name] = error
    if errors:
        raise ValidationError(errors)

    result = derive_level(answers)
    return {
        "level": _level_from_evidence(level, result, confirmed=confirm_inconsistent is True),
        "note": note,
        **dict(zip(EVIDENCE_FIELDS, answers, strict=True)),
        # Only answers that skip a step need (and have had) a confirmation.
        "evidence_inconsistency_confirmed": result.inconsistent,
        **lists,
    }


def validate_scorable_pair(
    *, round: AssessmentRound, actor_a: Actor, actor_b: Actor, members: set[int] | None = None
) -> None:
    """``validate_pair``, and both actors still active (an inactive actor is not scored;
    said first, since a deactivated actor also leaves the rosters of open rounds)."""
    for actor in (actor_a, actor_b) if actor_a.pk != actor_b.pk else ():
        if not actor.is_active:
            raise ValidationError(
                _("%(actor)s is no longer active and cannot be scored.") % {"actor": actor},
                code="inactive_actor",
            )
    validate_pair(round=round, actor_a=actor_a, actor_b=actor_b, members=members)


# Rules about a pair's new level that belong to an app above this one (``followup``: a
# document on the pair before level 4, when the evidence policy asks for it). They are
# registered at start-up (the app's ``AppConfig.ready``), so that this app imports none of
# them, and every path that writes a level (``pair_assessment_save``, the pair import)
# runs them all through ``level_refusals``. A rule takes the round and the new levels by
# pair (canonical actor ids) and returns the refused pairs with the message for each.
LevelRule = Callable[
    [AssessmentRound, Mapping[tuple[int, int], int]], Mapping[tuple[int, int], str]
]
_LEVEL_RULES: list[LevelRule] = []


def register_level_rule(rule: LevelRule) -> None:
    if rule not in _LEVEL_RULES:
        _LEVEL_RULES.append(rule)


def level_refusals(
    *, round: AssessmentRound, levels: Mapping[tuple[int, int], int]
) -> dict[tuple[int, int], str]:
    """The pairs of ``levels`` ((first id, second id) in canonical order: new level) that a
    registered rule refuses, each with the first rule's message. A fixed number of queries
    per rule, whatever the number of pairs."""
    refused: dict[tuple[int, int], str] = {}
    for rule in _LEVEL_RULES:
        for pair, message in rule(round, levels).items():
            refused.setdefault(pair, message)
    return refused


class StaleAssessment(ValidationError):
    """The pair changed since the scorer read it; ``current`` is what is stored now (with
    who saved it, ``scored_by``, and when, ``scored_at``). ``user``, the one whose save was
    refused, is told when it was they who saved it (in another tab or on another device)."""

    def __init__(self, current: PairAssessment | None, *, user=None):
        self.current = current
        if current is None:
            message = _("This assessment was removed since you opened it. Reload and score again.")
            super().__init__(message, code="stale")
            return
        scorer = current.scored_by
        values = {
            "level": f"{current.level} {current.get_level_display()}",
            "when": local_moment(current.scored_at),
        }
        if scorer is not None and user is not None and scorer.pk == user.pk:
            message = _(
                "You saved this pair yourself in another tab or on another device on "
                "%(when)s (now: %(level)s). These changes were not saved; review the current "
                "value and save again."
            )
        else:
            message = _(
                "Someone else saved this pair since you opened it. Saved by %(who)s on "
                "%(when)s (now: %(level)s). Your changes were not saved; review the current "
                "value and save again."
            )
            values["who"] = scorer_name(scorer)
        super().__init__(message % values, code="stale")


def scorer_name(user) -> str:
    """A scorer as people know them: "Full Name (username)", or the username alone."""
    if user is None:
        return _("a user who no longer exists")
    full_name = user.get_full_name()
    return f"{full_name} ({user.username})" if full_name else user.username


def local_moment(moment) -> str:
    """A moment as the site's users read it: the local date and time and the time zone."""
    local = timezone.localtime(moment)
    return f"{date_format(local, 'DATETIME_FORMAT')} {local.tzname()}"


def _write_pair(
    *, round, first, second, values, expected_version
) -> tuple[PairAssessment, int | None]:
    """Insert or update the pair's row under a row lock, checking the version read; with
    the level it had before (None: not scored)."""
    lookup = {"round": round, "actor_a": first, "actor_b": second}
    for _attempt in range(2):
        current = (
            PairAssessment.objects.select_for_update(of=("self",))
            .select_related("scored_by")
            .filter(**lookup)
            .first()
        )
        if current is None:
            if expected_version not in (None, 0):
                raise StaleAssessment(None)
            try:
                # A savepoint: a concurrent insert of the same pair fails here alone, and
                # the loop then updates the row the other scorer created.
                with transaction.atomic():
                    return PairAssessment.objects.create(**lookup, **values, version=1), None
            except IntegrityError:
                if expected_version == 0:
                    raise StaleAssessment(
                        PairAssessment.objects.select_related("scored_by").get(**lookup),
                        user=values.get("scored_by"),
                    ) from None
                continue
        if expected_version is not None and expected_version != current.version:
            raise StaleAssessment(current, user=values.get("scored_by"))
        level_before = current.level
        for field, value in values.items():
            setattr(current, field, value)
        current.version += 1
        current.save()
        return current, level_before
    raise StaleAssessment(None)  # pragma: no cover - the row vanished between two reads


@transaction.atomic
def pair_assessment_save(
    *,
    round: AssessmentRound,
    actor_a: Actor,
    actor_b: Actor,
    level: int | None,
    note: str = "",
    user,
    evidence: Sequence[bool | None] | None = None,
    mechanisms: Iterable[str] = (),
    facilitating_factors: Iterable[str] = (),
    hindering_factors: Iterable[str] = (),
    confirm_inconsistent: bool = False,
    expected_version: int | None = None,
) -> PairAssessment:
    """Create or update the one assessment of this pair in this round.

    ``expected_version`` is the version the scorer's form (or API client) read: 0 when
    the pair was not assessed yet. If someone saved since, StaleAssessment is raised with
    the current assessment, and nothing is written. None skips the check (last write wins).

    ``evidence`` holds the answers to the four questions in EVIDENCE_FIELDS order (True,
    False or None for not answered), or is None when the scorer chose the level directly.
    With evidence, ``level`` may be None to store the derived level. Answers that skip a
    step are refused unless ``confirm_inconsistent`` is True; then the scorer's ``level``
    is stored and the confirmation with it.

    The save replaces the whole assessment: evidence, lists and note not given are cleared.
    The lists take the codes of active terms; a term made inactive since the pair was
    scored with it may stay on the pair, not be chosen anew.

    Raises PermissionDenied for a user who may not score here, ValidationError for input
    that cannot be saved; nothing is written in either case.
    """
    if not can_score(user, round.region):
        raise PermissionDenied(_("You may not score pairs in this region."))
    lock_open_round(round)

    first, second = canonical_pair(actor_a, actor_b)
    lists = (mechanisms, facilitating_factors, hindering_factors)
    held = None
    if any(_has_items(value) for value in lists):
        # A term made inactive stays on the pair that holds it (see _choice_list).
        held = (
            PairAssessment.objects.filter(round=round, actor_a=first, actor_b=second)
            .values(*CHOICE_LIST_FIELDS)
            .first()
        )
    values = clean_pair_values(
        level=level,
        note=note,
        evidence=evidence,
        mechanisms=mechanisms,
        facilitating_factors=facilitating_factors,
        hindering_factors=hindering_factors,
        confirm_inconsistent=confirm_inconsistent,
        held=held,
    )
    validate_scorable_pair(round=round, actor_a=actor_a, actor_b=actor_b)
    refused = level_refusals(round=round, levels={(first.pk, second.pk): values["level"]})
    if refused:
        raise ValidationError({"level": list(refused.values())}, code="level_refused")
    values["scored_by"] = user
    assessment, level_before = _write_pair(
        round=round, first=first, second=second, values=values, expected_version=expected_version
    )
    refresh_round_summary(round.pk, scored=(first.pk, second.pk, level_before, assessment.level))
    return assessment
