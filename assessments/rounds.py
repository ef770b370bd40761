"""Writes for rounds and their rosters: the life of a round (draft → open → closed, and
reopened with a reason) and who is on it. The admin, the API and the pages call these;
none of them holds part of the rules.

- A round is held for a province or a district (or the nation), optionally for one of its
  programmes, within that programme's period.
- At most one round of a region and programme is open at a time.
- Its roster may hold actors homed in its region, below it (kecamatan, desa) and at the
  levels above it (the provincial and national offices): ``Region.admits``.
- The roster is edited while the round is a draft or open; a member with scored pairs
  stays. Closing freezes every member as it stands (``RoundMember.freeze``); the round's
  figures never change again. Reopening needs a reason, kept in the round's history.
"""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from accounts.scoping import can_administer
from actors.models import Actor, Programme, Region
from assessments.models import AssessmentRound, PairAssessment, RoundMember, RoundStatus
from assessments.summaries import refresh_round_summary
from convergence.validators import validate_plain_name

ROUND_FIELDS = ("name", "period_start", "period_end", "programme")


def eligible_actors(region: Region):
    """The actors that may be on a round of ``region`` (see ``Region.admits``)."""
    return Actor.objects.filter(region.members_q())


def previous_round(
    *, region: Region, programme: Programme | None, before: AssessmentRound | None = None
) -> AssessmentRound | None:
    """The region's latest round of the same programme (any programme if it has none),
    other than ``before`` and not newer than it."""
    rounds = AssessmentRound.objects.filter(region=region).exclude(status=RoundStatus.DRAFT)
    if before is not None:
        rounds = rounds.exclude(pk=before.pk).filter(
            Q(period_start__lt=before.period_start)
            | Q(period_start=before.period_start, pk__lt=before.pk)
        )
    same_programme = rounds.filter(programme=programme).latest_first().first()
    return same_programme or rounds.latest_first().first()


def proposed_roster(*, region: Region, programme: Programme | None = None) -> list[Actor]:
    """What a new round proposes: the previous round's members that are still active and
    may take part; without a previous round, the active actors homed in the region and
    below it (the provincial offices are added by hand)."""
    previous = previous_round(region=region, programme=programme)
    actors = eligible_actors(region).filter(is_active=True)
    if previous is not None:
        actors = actors.filter(memberships__round=previous)
    else:
        actors = actors.filter(region.subtree_q("home_region__"))
    return list(actors.select_related("sector").order_by("name", "pk"))


def _require_admin(user, region: Region) -> None:
    if not can_administer(user, region):
        raise PermissionDenied(_("Only an admin of this region may manage its rounds."))


def _lock(round: AssessmentRound) -> AssessmentRound:
    """The round's row, locked until the transaction ends, as stored now."""
    return AssessmentRound.objects.select_for_update().select_related("region").get(pk=round.pk)


def check_round_fields(
    *,
    region: Region,
    name: str,
    period_start: date,
    period_end: date,
    programme: Programme | None,
) -> None:
    errors = {}
    if not region.is_mapping_unit:
        errors["region"] = _("Rounds are held for a province or a district.")
    name = (name or "").strip()
    if not name:
        errors["name"] = _("Give the round a name.")
    else:
        try:
            validate_plain_name(name)
        except ValidationError as error:
            errors["name"] = error.messages[0]
    if period_start and period_end and period_end < period_start:
        errors["period_end"] = _("The period must end after it starts.")
    if programme is not None:
        if not (region.contains(programme.region) or programme.region.contains(region)):
            errors["programme"] = _("The programme must belong to the round's region.")
        elif (
            period_start
            and period_end
            and (period_start < programme.period_start or period_end > programme.period_end)
        ):
            errors["period_start"] = _(
                "The round's period must fall within its programme's (%(start)s to %(end)s)."
            ) % {"start": programme.period_start, "end": programme.period_end}
    if errors:
        raise ValidationError(errors)


def check_members(region: Region, actors: list[Actor]) -> None:
    actors = list(
        Actor.objects.filter(pk__in=[actor.pk for actor in actors]).select_related("home_region")
    )
    refused = [actor for actor in actors if not region.admits(actor.home_region)]
    if refused:
        raise ValidationError(
            {
                "members": _(
                    "Not homed in %(region)s, below it or at a level above it: %(actors)s."
                )
                % {"region": region.name, "actors": ", ".join(a.name for a in refused)}
            }
        )
    inactive = [actor for actor in actors if not actor.is_active]
    if inactive:
        raise ValidationError(
            {
                "members": _("No longer active, so not added: %(actors)s.")
                % {"actors": ", ".join(actor.name for actor in inactive)}
            }
        )


def _check_one_open(round: AssessmentRound) -> None:
    others = AssessmentRound.objects.filter(
        region=round.region_id, programme=round.programme_id, status=RoundStatus.OPEN
    ).exclude(pk=round.pk)
    other = others.first()
    if other is not None:
        raise ValidationError(
            {
                "status": _(
                    "“%(other)s” is already open for this region and programme: close it "
                    "before opening another."
                )
                % {"other": other.name}
            }
        )


@transaction.atomic
def round_create(
    *,
    user,
    region: Region,
    name: str,
    period_start: date,
    period_end: date,
    programme: Programme | None = None,
    members: Iterable[Actor] | None = None,
    open_now: bool = False,
) -> AssessmentRound:
    """A new round, a draft (or open with ``open_now``). Without ``members`` it takes the
    proposed roster (``proposed_roster``)."""
    _require_admin(user, region)
    check_round_fields(
        region=region,
        name=name,
        period_start=period_start,
        period_end=period_end,
        programme=programme,
    )
    actors = (
        proposed_roster(region=region, programme=programme) if members is None else _unique(members)
    )
    check_members(region, actors)
    round_ = AssessmentRound.objects.create(
        region=region,
        name=name.strip(),
        period_start=period_start,
        period_end=period_end,
        programme=programme,
        status=RoundStatus.DRAFT,
    )
    bulk_create_with_history(
        [RoundMember(round=round_, actor=actor) for actor in actors],
        RoundMember,
        default_user=user,
    )
    if open_now:
        _set_status(round_, RoundStatus.OPEN, user=user)
    refresh_round_summary(round_.pk)
    return round_


@transaction.atomic
def round_update(*, user, round: AssessmentRound, **values) -> AssessmentRound:
    """Change the round's name, period or programme (``ROUND_FIELDS``); not once closed."""
    unknown = set(values) - set(ROUND_FIELDS)
    if unknown:
        raise TypeError(f"round_update() does not change {sorted(unknown)}")
    _require_admin(user, round.region)
    current = _lock(round)
    if current.status == RoundStatus.CLOSED:
        raise ValidationError(_("This round is closed: it can no longer be changed."))
    for field, value in values.items():
        setattr(current, field, value)
    check_round_fields(
        region=current.region,
        name=current.name,
        period_start=current.period_start,
        period_end=current.period_end,
        programme=current.programme,
    )
    current.name = current.name.strip()
    current.save()
    return current


def check_roster(
    round: AssessmentRound, actors: Iterable[Actor]
) -> tuple[list[Actor], list[RoundMember]]:
    """What making ``actors`` the roster would add and remove, or ValidationError: a closed
    round's roster is frozen, an added actor must be admitted and active, and a member with
    scored pairs in the round stays."""
    if round.status == RoundStatus.CLOSED:
        raise ValidationError(
            {"members": _("This round is closed: its roster is frozen.")}, code="closed"
        )
    wanted = _unique(actors)
    members = {member.actor_id: member for member in round.members.select_related("actor")}
    added = [actor for actor in wanted if actor.pk not in members]
    check_members(round.region, added)
    removed_ids = set(members) - {actor.pk for actor in wanted}
    if removed_ids:
        scored = PairAssessment.objects.filter(round=round).filter(
            Q(actor_a__in=removed_ids) | Q(actor_b__in=removed_ids)
        )
        kept = set(scored.values_list("actor_a", flat=True)) | set(
            scored.values_list("actor_b", flat=True)
        )
        blocked = sorted(members[pk].actor.name for pk in removed_ids & kept)
        if blocked:
            raise ValidationError(
                {
                    "members": _(
                        "These members have scored pairs in this round and stay on its "
                        "roster: %(actors)s."
                    )
                    % {"actors": ", ".join(blocked)}
                }
            )
    return added, [members[pk] for pk in removed_ids]


@transaction.atomic
def roster_set(*, user, round: AssessmentRound, actors: Iterable[Actor]) -> None:
    """The roster becomes exactly ``actors`` (see ``check_roster``)."""
    _require_admin(user, round.region)
    current = _lock(round)
    added, removed = check_roster(current, actors)
    for member in removed:
        member.delete()  # one history record each
    bulk_create_with_history(
        [RoundMember(round=current, actor=actor) for actor in added],
        RoundMember,
        default_user=user,
    )
    refresh_round_summary(current.pk)


@transaction.atomic
def round_open(*, user, round: AssessmentRound) -> AssessmentRound:
    _require_admin(user, round.region)
    current = _lock(round)
    if current.status == RoundStatus.OPEN:
        return current
    if current.status == RoundStatus.CLOSED:
        raise ValidationError(
            {"status": _("A closed round is reopened with a reason (see “Reopen”).")}
        )
    _set_status(current, RoundStatus.OPEN, user=user)
    return current


@transaction.atomic
def round_close(*, user, round: AssessmentRound) -> AssessmentRound:
    """Close the round and freeze its roster as the actors stand now (members frozen at an
    earlier closing keep what they were)."""
    _require_admin(user, round.region)
    current = _lock(round)
    if current.status == RoundStatus.CLOSED:
        return current
    if current.status == RoundStatus.DRAFT:
        raise ValidationError({"status": _("A draft round is opened before it is closed.")})
    moment = timezone.now()
    members = list(current.members.filter(frozen_at__isnull=True).select_related("actor__sector"))
    for member in members:
        member.freeze(member.actor, moment)
    bulk_update_with_history(
        members,
        RoundMember,
        [
            "frozen_at",
            "name",
            "short_name",
            "kind",
            "sector",
            "sector_is_health",
            "government_level",
            "home_region",
        ],
        default_user=user,
        default_change_reason=_("round closed"),
    )
    _set_status(current, RoundStatus.CLOSED, user=user)
    return current


@transaction.atomic
def round_reopen(*, user, round: AssessmentRound, reason: str) -> AssessmentRound:
    """Reopen a closed round; the reason is kept in its history. Members keep what they
    were frozen as."""
    _require_admin(user, round.region)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reopen_reason": _("Say why this closed round is reopened.")})
    validate_plain_name(reason)
    current = _lock(round)
    if current.status != RoundStatus.CLOSED:
        raise ValidationError({"status": _("Only a closed round is reopened.")})
    _set_status(current, RoundStatus.OPEN, user=user, reason=reason[:100])
    return current


def check_status_change(*, round: AssessmentRound, status: str, reason: str = "") -> None:
    """Refuse a change of status that ``round_set_status`` would refuse (for forms)."""
    if status == round.status:
        return
    if status == RoundStatus.DRAFT:
        raise ValidationError({"status": _("An open or closed round does not go back to draft.")})
    if status == RoundStatus.CLOSED and round.status == RoundStatus.DRAFT:
        raise ValidationError({"status": _("A draft round is opened before it is closed.")})
    if status == RoundStatus.OPEN:
        if round.status == RoundStatus.CLOSED and not (reason or "").strip():
            raise ValidationError({"reopen_reason": _("Say why this closed round is reopened.")})
        _check_one_open(round)


def round_set_status(*, user, round: AssessmentRound, status: str, reason: str = ""):
    """One entry for forms and serializers that edit the status as a field."""
    if status == round.status:
        return round
    if status == RoundStatus.OPEN:
        if round.status == RoundStatus.CLOSED:
            return round_reopen(user=user, round=round, reason=reason)
        return round_open(user=user, round=round)
    if status == RoundStatus.CLOSED:
        return round_close(user=user, round=round)
    raise ValidationError({"status": _("An open or closed round does not go back to draft.")})


def _set_status(round: AssessmentRound, status: str, *, user, reason: str = "") -> None:
    if status == RoundStatus.OPEN:
        _check_one_open(round)
    round.status = status
    round._history_user = user
    if reason:
        round._change_reason = reason
    round.save(update_fields=["status"])
    refresh_round_summary(round.pk)  # what was built while it was open is stale now


def withdraw_inactive_members(actor_ids: Iterable[int]) -> int:
    """Deactivated actors leave the rosters of the rounds not yet closed where nobody scored
    them (an actor no longer active is not scored); closed rounds keep them. Called for
    every deactivation (``assessments.signals`` and the actor import). Returns in how many
    rounds memberships ended."""
    ids = list(actor_ids)
    if not ids:
        return 0
    members = RoundMember.objects.filter(
        actor_id__in=ids,
        actor__is_active=False,
        frozen_at__isnull=True,
        round__status__in=[RoundStatus.DRAFT, RoundStatus.OPEN],
    )
    scored = PairAssessment.objects.filter(
        Q(actor_a=OuterRef("actor_id")) | Q(actor_b=OuterRef("actor_id")),
        round=OuterRef("round_id"),
    )
    rounds = set()
    for member in members.exclude(Exists(scored)):
        member.delete()  # one history record each
        rounds.add(member.round_id)
    for round_id in rounds:
        refresh_round_summary(round_id)
    return len(rounds)


def _unique(actors: Iterable[Actor]) -> list[Actor]:
    seen, unique = set(), []
    for actor in actors:
        if actor.pk not in seen:
            seen.add(actor.pk)
            unique.append(actor)
    return unique
