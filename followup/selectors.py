"""Reads of follow-up actions shared by the pages and the API."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from accounts.scoping import can_read_details, scope, sees_drafts
from actors.models import Actor, Region, Sector
from assessments.models import AssessmentRound, PairAssessment, RoundStatus
from assessments.selectors import Matrix, matrix_for_round
from followup.models import (
    OPEN_STATUSES,
    ActionStatus,
    Aksi,
    EvidenceDocument,
    FollowUpAction,
)
from insights.selectors.structure import SectorMatrix, sector_matrix


def actions_visible_to(user) -> QuerySet:
    """The actions of the user's jurisdiction, from the rounds the user may see."""
    rounds = AssessmentRound.objects.visible_to(user)
    return scope(FollowUpAction.objects.all(), user).filter(round__in=rounds)


def filter_actions(
    actions: QuerySet,
    *,
    status: str | None = None,
    owner: Actor | None = None,
    aksi: int | None = None,
    overdue: bool = False,
    round: AssessmentRound | None = None,
    region: Region | None = None,
    today: date | None = None,
) -> QuerySet:
    """``actions`` narrowed by the list's filters, soonest due first, with what a row shows.
    Overdue: still to be done and due before today in the site's time zone (WITA)."""
    if region is not None:
        actions = actions.filter(region=region)
    if round is not None:
        actions = actions.filter(round=round)
    if status:
        actions = actions.filter(status=status)
    if owner is not None:
        actions = actions.filter(owner=owner)
    if aksi:
        actions = actions.filter(aksi=aksi)
    if overdue:
        actions = actions.overdue(today or timezone.localdate())
    return (
        actions.select_related(
            "region", "round", "actor_a", "actor_b", "sector_a", "sector_b", "owner"
        )
        .prefetch_related("involved")
        .order_by("due_date", "id")
    )


def action_owners(region: Region) -> QuerySet:
    """The actors that own an action of ``region``, for the list's owner filter."""
    return Actor.objects.filter(owned_actions__region=region).distinct().order_by("name")


@dataclass(frozen=True)
class ActionResult:
    """How an action's subject stood in the round after the one it came from: the pair's
    level, or the mean level of the sector pair's or of the actor's assessed pairs (None
    when nothing of it is assessed there), against the action's target."""

    round: AssessmentRound
    level: float | None

    @property
    def assessed(self) -> bool:
        return self.level is not None

    def reached(self, target: int) -> bool | None:
        return None if self.level is None else self.level >= target


def _sector_level(action: FollowUpAction, sectors: SectorMatrix) -> float | None:
    try:
        return sectors.between(action.sector_a_id, action.sector_b_id).mean
    except KeyError:  # a sector with no actor in that round
        return None


def _actor_level(action: FollowUpAction, matrix: Matrix) -> float | None:
    """The pair's level, or the mean of one actor's assessed ties."""
    if action.actor_b_id is not None:
        level = matrix.level(action.actor_a_id, action.actor_b_id)
        return None if level is None else float(level)
    ties = [level for pair, level in matrix.levels.items() if action.actor_a_id in pair]
    return sum(ties) / len(ties) if ties else None


def action_results(
    actions: Iterable[FollowUpAction], rounds: Iterable[AssessmentRound]
) -> dict[int, ActionResult]:
    """Each action (by id) checked in the first of ``rounds`` (the region's rounds the user
    sees) that starts after the action's own round; actions with no such round are left
    out. Reads each round's matrix once, whatever the number of actions (the matrix and
    sector × sector selectors of the pages)."""
    ordered = sorted(rounds, key=lambda round_: (round_.period_start, round_.pk))
    matrices: dict[int, Matrix] = {}
    sector_matrices: dict[int, SectorMatrix] = {}
    results = {}
    for action in actions:
        following = next(
            (
                round_
                for round_ in ordered
                if round_.period_start > action.round.period_start
                and round_.region_id == action.region_id
            ),
            None,
        )
        if following is None:
            continue
        if action.sector_a_id is not None:
            if following.pk not in sector_matrices:
                sector_matrices[following.pk] = sector_matrix(round=following)
            level = _sector_level(action, sector_matrices[following.pk])
        else:
            if following.pk not in matrices:
                matrices[following.pk] = matrix_for_round(round=following)
            level = _actor_level(action, matrices[following.pk])
        results[action.pk] = ActionResult(round=following, level=level)
    return results


# The dashboard's figures ---------------------------------------------------------------


def _share(part: int, whole: int) -> float | None:
    return part / whole * 100 if whole else None


@dataclass(frozen=True)
class ActionProgress:
    """How far a region's actions (from the rounds the reader sees) have got: ``done``
    and ``overdue`` (still to be done and due before today) out of ``total`` (every
    status, dropped ones included)."""

    total: int
    done: int
    overdue: int
    dropped: int

    @property
    def done_percent(self) -> float | None:
        return _share(self.done, self.total)

    @property
    def overdue_percent(self) -> float | None:
        return _share(self.overdue, self.total)


def action_progress(
    *, region: Region, rounds: Iterable[AssessmentRound], today: date
) -> ActionProgress:
    """One query, whatever the number of actions."""
    counts = FollowUpAction.objects.filter(
        region=region, round__in=[round_.pk for round_ in rounds]
    ).aggregate(
        total=Count("pk"),
        done=Count("pk", filter=Q(status=ActionStatus.DONE)),
        overdue=Count("pk", filter=Q(status__in=OPEN_STATUSES, due_date__lt=today)),
        dropped=Count("pk", filter=Q(status=ActionStatus.DROPPED)),
    )
    return ActionProgress(**counts)


@dataclass(frozen=True)
class ImprovementSplit:
    """The pairs scored in both a round and the round before it (like for like, as
    ``insights.selectors.trends.round_changes``), split by whether an action of the
    earlier round was about the pair (dropped actions left out): how many of each group
    rose in level."""

    with_action: int
    with_action_improved: int
    without_action: int
    without_action_improved: int

    @property
    def paired(self) -> int:
        return self.with_action + self.without_action

    @property
    def with_action_percent(self) -> float | None:
        return _share(self.with_action_improved, self.with_action)

    @property
    def without_action_percent(self) -> float | None:
        return _share(self.without_action_improved, self.without_action)


def improvement_with_actions(
    *, round: AssessmentRound, previous: AssessmentRound
) -> ImprovementSplit:
    """One query: the pairs of both rounds grouped by their two actors (stored in canonical
    order in both tables), each with its level in each round; those scored in both are
    counted by whether a pair action of ``previous`` (not dropped) names them and whether
    their level rose. No correlated subquery: its cost follows the number of pairs
    whatever the planner knows of the tables (as ``insights.selectors.trends.round_changes``)."""
    pairs = connection.ops.quote_name(PairAssessment._meta.db_table)
    actions = connection.ops.quote_name(FollowUpAction._meta.db_table)
    sql = f"""
        SELECT acted.actor_a_id IS NOT NULL, COUNT(*),
            SUM(CASE WHEN scored.now_level > scored.before_level THEN 1 ELSE 0 END)
        FROM (
            SELECT actor_a_id, actor_b_id,
                MAX(CASE WHEN round_id = %s THEN level END) AS now_level,
                MAX(CASE WHEN round_id = %s THEN level END) AS before_level
            FROM {pairs}
            WHERE round_id IN (%s, %s)
            GROUP BY actor_a_id, actor_b_id
        ) scored
        LEFT JOIN (
            SELECT DISTINCT actor_a_id, actor_b_id FROM {actions}
            WHERE round_id = %s AND status <> %s
                AND actor_a_id IS NOT NULL AND actor_b_id IS NOT NULL
        ) acted ON acted.actor_a_id = scored.actor_a_id AND acted.actor_b_id = scored.actor_b_id
        WHERE scored.now_level IS NOT NULL AND scored.before_level IS NOT NULL
        GROUP BY acted.actor_a_id IS NOT NULL
    """
    params = [round.pk, previous.pk, round.pk, previous.pk, previous.pk, ActionStatus.DROPPED]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        counts = {bool(acted): (count, int(improved or 0)) for acted, count, improved in cursor}
    with_action, with_improved = counts.get(True, (0, 0))
    without_action, without_improved = counts.get(False, (0, 0))
    return ImprovementSplit(
        with_action=with_action,
        with_action_improved=with_improved,
        without_action=without_action,
        without_action_improved=without_improved,
    )


# The round comparison ------------------------------------------------------------------


@dataclass(frozen=True)
class CheckedAction:
    """An action and how its subject stood in a later round (``result`` None when that
    round does not start after the action's round)."""

    action: FollowUpAction
    result: ActionResult | None

    @property
    def round(self) -> AssessmentRound | None:
        return self.result.round if self.result else None

    @property
    def level(self) -> float | None:
        return self.result.level if self.result else None

    @property
    def reached(self) -> bool | None:
        return self.result.reached(self.action.target_level) if self.result else None


def actions_checked_in(
    *, user, previous: AssessmentRound, current: AssessmentRound, sector: Sector | None = None
) -> list[CheckedAction]:
    """The actions of ``previous`` the user sees (with ``sector``: those about an actor or
    a sector pair of that sector), each checked in ``current`` by ``action_results``.
    One query for the actions, then ``action_results``'s reads of ``current`` (its matrix,
    its sector matrix), none at all for the matrix when there is no action."""
    actions = actions_visible_to(user).filter(region_id=previous.region_id, round=previous)
    if sector is not None:
        actions = actions.filter(
            Q(actor_a__sector=sector)
            | Q(actor_b__sector=sector)
            | Q(sector_a=sector)
            | Q(sector_b=sector)
        )
    return _checked(actions, [current])


def round_actions_checked(
    *, round: AssessmentRound, rounds: Iterable[AssessmentRound]
) -> list[CheckedAction]:
    """The actions of ``round`` (a report's round), soonest due first, each checked in the
    next of ``rounds`` (the region's rounds the reader sees), as the action list does. One
    query; the next round's matrix besides when there is one and an action to check."""
    return _checked(FollowUpAction.objects.filter(region_id=round.region_id, round=round), rounds)


def _checked(actions: QuerySet, rounds: Iterable[AssessmentRound]) -> list[CheckedAction]:
    actions = _with_actors(
        actions.select_related("round", "sector_a", "sector_b").order_by("due_date", "id")
    )
    results = action_results(actions, rounds) if actions else {}
    return [CheckedAction(action=action, result=results.get(action.pk)) for action in actions]


def _with_actors(actions: QuerySet) -> list[FollowUpAction]:
    """``actions`` with the actors they name (subject and owner) read in one more query,
    none when there is no action: joining the actor table three more times costs more to
    plan than most rounds' actions cost to read, and most comparisons have none."""
    actions = list(actions)
    if actions:
        named = {
            actor_id
            for action in actions
            for actor_id in (action.actor_a_id, action.actor_b_id, action.owner_id)
        }
        actors = Actor.objects.in_bulk(named - {None})
        for action in actions:
            action.actor_a = actors.get(action.actor_a_id)
            action.actor_b = actors.get(action.actor_b_id)
            action.owner = actors[action.owner_id]
    return actions


# Documents and the 8 aksi ---------------------------------------------------------------

DOCUMENT_RELATIONS = (
    "round",
    "uploaded_by",
    "actor_a",
    "actor_b",
    "action__actor_a",
    "action__actor_b",
    "action__sector_a",
    "action__sector_b",
)


def documents_visible_to(user) -> QuerySet:
    """The present documents the user may read: those of the regions where the user reads
    details (scorers, planners, admins; none for viewers), not of a draft round unless
    the user sees drafts."""
    documents = scope(EvidenceDocument.objects.present(), user)
    if not sees_drafts(user):
        documents = documents.exclude(round__status=RoundStatus.DRAFT)
    return documents


def pair_documents(*, round: AssessmentRound, actor_a_id: int, actor_b_id: int) -> QuerySet:
    """The present documents attached to a pair in ``round`` (either order), newest first."""
    first, second = sorted((actor_a_id, actor_b_id))
    return (
        EvidenceDocument.objects.present()
        .filter(round=round, actor_a_id=first, actor_b_id=second)
        .select_related("uploaded_by")
        .order_by("-uploaded_at", "-id")
    )


@dataclass(frozen=True)
class AksiGap:
    """Something an aksi still lacks. ``code``: ``no_action``, ``no_document``,
    ``overdue`` (an action still to do, past its due date) or ``done_without_document``
    (an action marked done with no document to prove it); ``action`` the action concerned."""

    code: str
    action: FollowUpAction | None = None


@dataclass(frozen=True)
class AksiEntry:
    """One of the 8 aksi in a region and round: its actions (of the round, soonest due
    first, each with whether it is overdue) and its documents (attached to an action of
    the round, to a pair of the round or to the aksi itself, newest first)."""

    aksi: int
    label: str
    actions: tuple[FollowUpAction, ...]
    overdue_ids: frozenset[int]
    documents: tuple[EvidenceDocument, ...]
    gaps: tuple[AksiGap, ...]

    @property
    def overdue(self) -> tuple[FollowUpAction, ...]:
        return tuple(action for action in self.actions if action.pk in self.overdue_ids)

    def documents_of(self, kind: str) -> tuple[EvidenceDocument, ...]:
        return tuple(document for document in self.documents if document.subject_kind == kind)

    @property
    def complete(self) -> bool:
        return not self.gaps


@dataclass(frozen=True)
class AksiOverview:
    """The 8 aksi of ``region`` in ``round`` as ``aksi_overview`` reads them for ``user``:
    ``documents_shown`` is False for the users who do not read documents (viewers), whose
    entries then hold no document and no document gap."""

    region: Region
    round: AssessmentRound | None
    today: date
    documents_shown: bool
    entries: tuple[AksiEntry, ...]
    # Documents of the round's pairs filed under no aksi.
    unfiled: tuple[EvidenceDocument, ...] = ()

    def entry(self, aksi: int) -> AksiEntry:
        return self.entries[aksi - 1]


def round_documents(region: Region, round: AssessmentRound | None) -> QuerySet:
    """The region's present documents of ``round`` (its actions', its pairs', its aksi's)
    and those filed under an aksi with no round, newest first, with what is shown of them:
    one query. The aksi page and the performance-review pack read the same set."""
    of_round = Q(round__isnull=True, action__isnull=True, actor_a__isnull=True)
    if round is not None:
        of_round |= Q(round=round)
    return (
        EvidenceDocument.objects.present()
        .filter(of_round, region=region)
        .select_related(*DOCUMENT_RELATIONS)
        .order_by("-uploaded_at", "-id")
    )


def aksi_overview(
    region: Region, round: AssessmentRound | None, user, *, today: date | None = None
) -> AksiOverview:
    """Per aksi (all 8, in order): the actions of ``round`` in ``region``, the documents
    that prove them, and what is missing. ``round`` is one the user may see (the page's
    ``pick_round``); None reads the documents filed under an aksi with no round only.

    Documents: those of the round's actions, of its pairs, and of the region's aksi
    (those of this round and those filed with no round). Read only for the users who read
    details in ``region`` (not viewers).

    Two queries whatever the number of actions and documents (the actions, the
    documents), one when the user reads no documents. Shared by the aksi page, the API
    and the performance-review pack: keep its shape stable."""
    today = today or timezone.localdate()
    actions = []
    if round is not None:
        actions = list(
            FollowUpAction.objects.filter(region=region, round=round)
            .select_related("owner", "actor_a", "actor_b", "sector_a", "sector_b")
            .order_by("due_date", "id")
        )
    shown = can_read_details(user, region)
    documents = list(round_documents(region, round)) if shown else []
    documented_actions = {document.action_id for document in documents if document.action_id}
    entries = []
    for aksi in Aksi:
        own_actions = tuple(action for action in actions if action.aksi == aksi)
        own_documents = tuple(document for document in documents if document.aksi == aksi)
        overdue = frozenset(action.pk for action in own_actions if action.is_overdue(today))
        gaps = []
        if not own_actions:
            gaps.append(AksiGap("no_action"))
        if shown and not own_documents:
            gaps.append(AksiGap("no_document"))
        gaps += [AksiGap("overdue", action) for action in own_actions if action.pk in overdue]
        if shown:
            gaps += [
                AksiGap("done_without_document", action)
                for action in own_actions
                if action.status == ActionStatus.DONE and action.pk not in documented_actions
            ]
        entries.append(
            AksiEntry(
                aksi=int(aksi),
                label=str(aksi.label),
                actions=own_actions,
                overdue_ids=overdue,
                documents=own_documents,
                gaps=tuple(gaps),
            )
        )
    return AksiOverview(
        region=region,
        round=round,
        today=today,
        documents_shown=shown,
        entries=tuple(entries),
        unfiled=tuple(document for document in documents if document.aksi is None),
    )


# The performance-review pack ------------------------------------------------------------


@dataclass(frozen=True)
class AksiDocuments:
    """One aksi's present documents, in the order they were uploaded (``aksi`` None: the
    pairs' documents filed under no aksi)."""

    aksi: Aksi | None
    documents: list[EvidenceDocument]

    @property
    def missing(self) -> bool:
        return not self.documents


@dataclass(frozen=True)
class ReviewDocuments:
    """What the annual performance review (aksi 8) files, aksi by aksi: the region's
    present documents of ``round`` and those of the region's aksi that belong to no
    round. ``by_aksi`` holds all 8 aksi in their order, those without a document too."""

    region: Region
    round: AssessmentRound
    by_aksi: list[AksiDocuments]
    unfiled: AksiDocuments

    @property
    def missing(self) -> list[Aksi]:
        return [group.aksi for group in self.by_aksi if group.missing]

    @property
    def count(self) -> int:
        return sum(len(group.documents) for group in self.groups)

    @property
    def groups(self) -> list[AksiDocuments]:
        """The 8 aksi, then the documents under no aksi when there are any."""
        return self.by_aksi + ([self.unfiled] if self.unfiled.documents else [])


def review_documents(region: Region, round: AssessmentRound) -> ReviewDocuments:
    """One query, whatever the number of documents: the documents of ``round_documents``
    (the aksi page's), oldest first, grouped by aksi."""
    # The aksi page's set, in the order the documents were uploaded.
    documents = reversed(list(round_documents(region, round)))
    grouped: dict[int | None, list[EvidenceDocument]] = {}
    for document in documents:
        grouped.setdefault(document.aksi, []).append(document)
    return ReviewDocuments(
        region=region,
        round=round,
        by_aksi=[AksiDocuments(aksi, grouped.get(aksi.value, [])) for aksi in Aksi],
        unfiled=AksiDocuments(None, grouped.get(None, [])),
    )
