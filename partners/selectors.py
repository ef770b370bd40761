"""Reads of the partners' views: the invitations of a round with their response, and
each pair's two views (A about B, B about A) beside each other."""

import hashlib
from dataclasses import dataclass, field

from django.db.models import Count, Exists, Max, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actors.models import Actor
from assessments.models import EVIDENCE_FIELDS, AssessmentRound, PairAssessment, RoundMember
from assessments.selectors import round_actors
from partners.models import Invitation, InvitationStatus, PartnerAnswer, Reconciliation


def invitation_status(invitation: Invitation | None, answered: int, others: int) -> str:
    if invitation is None:
        return InvitationStatus.NOT_SENT
    if invitation.revoked_at is not None:
        return InvitationStatus.REVOKED
    if invitation.submitted_at is not None or (others and answered >= others):
        return InvitationStatus.ANSWERED
    if invitation.expires_at <= timezone.now():
        return InvitationStatus.EXPIRED
    return InvitationStatus.PARTLY if answered else InvitationStatus.WAITING


@dataclass
class InvitationRow:
    actor: Actor
    invitation: Invitation | None
    answered: int
    others: int
    status: str

    @property
    def status_label(self) -> str:
        return InvitationStatus(self.status).label

    @property
    def rate(self) -> int | None:
        """Percent of the other members this actor has answered about."""
        return round(100 * self.answered / self.others) if self.others else None


@dataclass
class ResponseSummary:
    rows: list[InvitationRow] = field(default_factory=list)

    @property
    def members(self) -> int:
        return len(self.rows)

    @property
    def invited(self) -> int:
        return sum(1 for row in self.rows if row.invitation is not None)

    @property
    def responded(self) -> int:
        """Members that answered about at least one other member."""
        return sum(1 for row in self.rows if row.answered)

    @property
    def response_rate(self) -> int | None:
        """Percent of the roster that responded."""
        return round(100 * self.responded / self.members) if self.members else None

    @property
    def answer_rate(self) -> int | None:
        """Percent of all the answers the roster could give (each member about each other)."""
        possible = sum(row.others for row in self.rows)
        return round(100 * sum(row.answered for row in self.rows) / possible) if possible else None

    @property
    def not_answered(self) -> list[InvitationRow]:
        return [row for row in self.rows if not row.answered]


def invitations_for_round(round: AssessmentRound) -> ResponseSummary:
    """Every roster member (matrix order) with its invitation, status and response."""
    actors = round_actors(round=round)
    others = max(len(actors) - 1, 0)
    invitations = {
        invitation.actor_id: invitation
        for invitation in Invitation.objects.filter(round=round).select_related("created_by")
    }
    members = {actor.pk for actor in actors}
    counts: dict[int, int] = {}
    for actor_id, other_id in PartnerAnswer.objects.filter(invitation__round=round).values_list(
        "invitation__actor_id", "other_actor_id"
    ):
        if other_id in members:
            counts[actor_id] = counts.get(actor_id, 0) + 1
    rows = []
    for actor in actors:
        invitation = invitations.get(actor.pk)
        answered = counts.get(actor.pk, 0)
        rows.append(
            InvitationRow(
                actor=actor,
                invitation=invitation,
                answered=answered,
                others=others,
                status=invitation_status(invitation, answered, others),
            )
        )
    return ResponseSummary(rows=rows)


@dataclass(frozen=True)
class ResponseRate:
    invited: int  # roster members with a link
    answered: int  # of them, those that answered about at least one other member

    @property
    def percent(self) -> int | None:
        return round(100 * self.answered / self.invited) if self.invited else None


def response_rate(round: AssessmentRound) -> ResponseRate:
    """The round's partners' response (answered / invited), counted as
    ``invitations_for_round`` counts it, in one query: for the dashboard."""
    members = RoundMember.objects.filter(round_id=round.pk).values("actor_id")
    answers = PartnerAnswer.objects.filter(invitation=OuterRef("pk"), other_actor_id__in=members)
    counts = Invitation.objects.filter(round_id=round.pk, actor_id__in=members).aggregate(
        invited=Count("pk"), answered=Count("pk", filter=Q(Exists(answers)))
    )
    return ResponseRate(invited=counts["invited"], answered=counts["answered"])


# Both views of a tie -----------------------------------------------------------------------


def views_disagree(one: int | None, other: int | None) -> bool:
    """Two partners' levels of the same tie disagree when they differ by two levels or
    more, or one says 0 and the other 3 or more (implied by the first, said as the issue
    says it). A missing view ("I don't know", or no answer) disagrees with nothing."""
    if one is None or other is None:
        return False
    return abs(one - other) >= 2 or (min(one, other) == 0 and max(one, other) >= 3)


@dataclass(frozen=True)
class PairViews:
    actor_a_id: int
    actor_b_id: int
    a_view: PartnerAnswer | None  # A's answer about B
    b_view: PartnerAnswer | None  # B's answer about A

    @property
    def a_level(self) -> int | None:
        return self.a_view.level if self.a_view else None

    @property
    def b_level(self) -> int | None:
        return self.b_view.level if self.b_view else None

    @property
    def disagree(self) -> bool:
        return views_disagree(self.a_level, self.b_level)

    @property
    def proposed(self) -> int | None:
        """The level proposed to the scorer: the lower of the two views when both give a
        level (the tie that both partners' answers support), the one view when only one
        does, none otherwise. A proposal only: the scorer sets the official level."""
        levels = [level for level in (self.a_level, self.b_level) if level is not None]
        return min(levels) if levels else None


def directed_views(round: AssessmentRound, actor_ids=None) -> dict[tuple[int, int], PartnerAnswer]:
    """Each partner's answer about another member, keyed by (author id, other id). One query.

    Answers given through a revoked link are left out (a link is revoked when it reached
    the wrong hands); answers about or by actors no longer on the roster too."""
    members = RoundMember.objects.filter(round=round).values("actor_id")
    answers = PartnerAnswer.objects.filter(
        invitation__round=round,
        invitation__revoked_at__isnull=True,
        invitation__actor_id__in=members,
        other_actor_id__in=members,
    ).select_related("invitation")
    if actor_ids is not None:
        answers = answers.filter(invitation__actor_id__in=actor_ids, other_actor_id__in=actor_ids)
    return {(answer.invitation.actor_id, answer.other_actor_id): answer for answer in answers}


def pair_views_for_round(
    round: AssessmentRound, actor_ids=None
) -> dict[tuple[int, int], PairViews]:
    """Each pair that has at least one partner view, keyed by (lower id, higher id), from
    ``directed_views`` (one query)."""
    by_direction = directed_views(round, actor_ids=actor_ids)
    pairs = {}
    for author, other in by_direction:
        first, second = sorted((author, other))
        if (first, second) in pairs:
            continue
        pairs[(first, second)] = PairViews(
            actor_a_id=first,
            actor_b_id=second,
            a_view=by_direction.get((first, second)),
            b_view=by_direction.get((second, first)),
        )
    return pairs


def pair_views(round: AssessmentRound, actor_x_id: int, actor_y_id: int) -> PairViews | None:
    first, second = sorted((actor_x_id, actor_y_id))
    return pair_views_for_round(round, actor_ids=[first, second]).get((first, second))


def answers_of(invitation: Invitation) -> dict[int, PartnerAnswer]:
    """The holder's own answers, by the other member's id."""
    return {answer.other_actor_id: answer for answer in invitation.answers.all()}


@dataclass(frozen=True)
class Disagreement:
    actor_a: Actor
    actor_b: Actor
    views: PairViews
    official: int | None  # the scorer's level, None when not assessed


def disagreements_for_round(round: AssessmentRound) -> list[Disagreement]:
    """The pairs whose two partners' views disagree (``views_disagree``), in matrix order,
    with the official level beside them."""
    views = [item for item in pair_views_for_round(round).values() if item.disagree]
    if not views:
        return []
    actors = {actor.pk: actor for actor in round_actors(round=round)}
    position = {pk: index for index, pk in enumerate(actors)}
    official = {
        (first, second): level
        for first, second, level in PairAssessment.objects.filter(round=round).values_list(
            "actor_a_id", "actor_b_id", "level"
        )
    }
    rows = [
        Disagreement(
            actor_a=actors[item.actor_a_id],
            actor_b=actors[item.actor_b_id],
            views=item,
            official=official.get((item.actor_a_id, item.actor_b_id)),
        )
        for item in views
        if item.actor_a_id in actors and item.actor_b_id in actors
    ]
    return sorted(rows, key=lambda row: (position[row.actor_a.pk], position[row.actor_b.pk]))


@dataclass(frozen=True)
class PairViewsRow:
    views: PairViews
    official: int | None  # the scorer's level, None when not assessed


def pair_views_with_official(round: AssessmentRound) -> list[PairViewsRow]:
    """Each pair with at least one partner view, with the official level beside it, in
    (actor_a id, actor_b id) order. Two queries, whatever the size of the roster."""
    views = pair_views_for_round(round)
    if not views:
        return []
    official = {
        (first, second): level
        for first, second, level in PairAssessment.objects.filter(round=round).values_list(
            "actor_a_id", "actor_b_id", "level"
        )
    }
    return [PairViewsRow(views=views[key], official=official.get(key)) for key in sorted(views)]


# Reconciliation ---------------------------------------------------------------------------

PROPOSAL_RULE = _(
    "How the level is proposed: the lower of the two partners' levels (the tie that both partners' "
    "answers support), or the one level given when only one partner gave a level. A "
    "proposal only: the scorer sets the official level."
)


def view_snapshot(answer: PartnerAnswer | None) -> dict | None:
    """One side's view as a reconciliation keeps it (JSON): what the scorer saw."""
    if answer is None:
        return None
    if answer.not_working_together:
        kind = "none"
    elif answer.dont_know:
        kind = "unknown"
    else:
        kind = "answers"
    return {
        "answer": answer.pk,
        "updated_at": answer.updated_at.isoformat(),
        "kind": kind,
        "level": answer.level,
        "evidence": [getattr(answer, name) for name in EVIDENCE_FIELDS],
        "inconsistency_confirmed": answer.evidence_inconsistency_confirmed,
        "note": answer.note,
        "respondent": answer.invitation.respondent_name,
    }


def views_version(views: PairViews | None) -> str:
    """A short fingerprint of both views as they stand: the reconcile form carries it, and
    the decision is refused if the views changed since the form was shown."""
    if views is None:
        return "none"
    parts = [
        f"{answer.pk}@{answer.updated_at.isoformat()}" if answer is not None else "-"
        for answer in (views.a_view, views.b_view)
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def pair_reconciliations(round: AssessmentRound, actor_x_id: int, actor_y_id: int, limit=10):
    """The decisions on one pair, latest first, with who decided. One query."""
    first, second = sorted((actor_x_id, actor_y_id))
    return list(
        Reconciliation.objects.filter(round=round, actor_a_id=first, actor_b_id=second)
        .select_related("decided_by", "actor_a", "actor_b")
        .order_by("-decided_at", "-pk")[:limit]
    )


def _latest_decisions(round: AssessmentRound):
    """The ids of the latest decision on each reconciled pair of the round (a subquery)."""
    return (
        Reconciliation.objects.filter(round=round)
        .order_by()
        .values("actor_a_id", "actor_b_id")
        .annotate(last=Max("pk"))
        .values_list("last", flat=True)
    )


def reconciled_pairs(round: AssessmentRound) -> dict[tuple[int, int], int]:
    """The pairs of the round that were reconciled, keyed by (lower id, higher id), with the
    level of the latest decision. One query, grouped in the database."""
    latest = _latest_decisions(round)
    return {
        (first, second): level
        for first, second, level in Reconciliation.objects.filter(pk__in=latest).values_list(
            "actor_a_id", "actor_b_id", "level"
        )
    }


def reconciliations_for_round(round: AssessmentRound):
    """Every decision of the round, latest first (the API lists them). One query."""
    return (
        Reconciliation.objects.filter(round=round)
        .select_related("decided_by")
        .order_by("-decided_at", "-pk")
    )


def latest_reconciliations(round: AssessmentRound) -> dict[tuple[int, int], Reconciliation]:
    """The latest decision on each reconciled pair of the round, keyed by (lower id, higher
    id), with who decided (the reports' pair lists). One query."""
    latest = _latest_decisions(round)
    return {
        (record.actor_a_id, record.actor_b_id): record
        for record in Reconciliation.objects.filter(pk__in=latest).select_related("decided_by")
    }
