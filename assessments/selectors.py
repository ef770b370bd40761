"""Reads shared by the pages, the API and the reports. Each issues a fixed number of queries."""

import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime, time
from itertools import groupby

from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import get_language

from actors.models import Actor, Sector
from actors.selectors import Vocabularies, read_vocabularies
from assessments.models import (
    EVIDENCE_FIELDS,
    AssessmentRound,
    Level,
    PairAssessment,
    RoundMember,
    RoundSummary,
    frozen_actor,
)


@dataclass
class Matrix:
    """The who × who matrix of one round: actors grouped by sector, and the scored levels."""

    round: AssessmentRound
    actors: list[Actor]
    levels: dict[tuple[int, int], int] = field(default_factory=dict)

    def level(self, actor_a_id: int, actor_b_id: int) -> int | None:
        """The level of the pair, or None when it is not assessed (never 0)."""
        key = (actor_a_id, actor_b_id) if actor_a_id < actor_b_id else (actor_b_id, actor_a_id)
        return self.levels.get(key)

    @property
    def sector_groups(self) -> list[tuple[Sector, list[Actor]]]:
        return [
            (sector, list(members))
            for sector, members in groupby(self.actors, key=lambda actor: actor.sector)
        ]

    @property
    def possible_pairs(self) -> int:
        n = len(self.actors)
        return n * (n - 1) // 2

    @property
    def summary(self) -> "LevelSummary":
        return summarize_levels(self.levels.values(), possible=self.possible_pairs)


def matrix_order(actor: Actor) -> tuple:
    """Health sectors first, then by sector order and name, then by the actor's name."""
    sector = actor.sector
    return (not sector.is_health, sector.sort_order, sector.name_id, actor.name, actor.pk)


def round_actors(
    *,
    round: AssessmentRound,
    sector_ids=(),
    government_level=None,
    programme=None,
    as_of=None,
) -> list[Actor]:
    """The members of the round's roster, as the round reads them (``RoundMember.as_actor``:
    as they are, or as they were when the round was closed), in matrix order.

    One query (two more with ``as_of``, one more with both ``as_of`` and ``programme``).
    With ``as_of`` (an aware datetime), the roster and the actors are those the history
    held at that moment. Filters apply to the values the round reads (a member moved to
    another sector after closing is filtered on its sector then).
    """
    if as_of is None:
        members = RoundMember.objects.filter(round_id=round.pk).select_related(
            "actor__sector", "actor__home_region", "sector", "home_region"
        )
        if programme is not None:
            members = members.filter(actor__participations__programme=programme)
            programme = None
        actors = [member.as_actor() for member in members]
    else:
        actors = _round_actors_as_of(round, as_of)
    if sector_ids:
        wanted = set(sector_ids)
        actors = [actor for actor in actors if actor.sector_id in wanted]
    if government_level is not None:
        actors = [actor for actor in actors if actor.government_level == government_level]
    if programme is not None:
        taking_part = set(programme.participants.values_list("actor_id", flat=True))
        actors = [actor for actor in actors if actor.pk in taking_part]
    return sorted(actors, key=matrix_order)


def _round_actors_as_of(round: AssessmentRound, moment: datetime) -> list[Actor]:
    """The roster as it stood at ``moment``: members frozen by then as frozen, the others
    as the actor's history held them (with today's sector records)."""
    members = list(
        RoundMember.history.as_of(moment)
        .filter(round_id=round.pk)
        .select_related("sector", "home_region")
    )
    live_ids = [member.actor_id for member in members if member.frozen_at is None]
    past = {
        actor.pk: actor
        # ``id``, the actor's: a historical record's own pk is its history id.
        for actor in Actor.history.as_of(moment)
        .filter(id__in=live_ids)
        .select_related("sector", "home_region")
    }
    # An actor whose history starts later (imported or restored since) is read as it is.
    missing = [pk for pk in live_ids if pk not in past]
    if missing:
        past.update(Actor.objects.select_related("sector", "home_region").in_bulk(missing))
    return [
        frozen_actor(member) if member.frozen_at is not None else past[member.actor_id]
        for member in members
        if member.frozen_at is not None or member.actor_id in past
    ]


def round_member_ids(round: AssessmentRound) -> set[int]:
    """The ids of the actors on the round's roster (one query)."""
    return set(RoundMember.objects.filter(round_id=round.pk).values_list("actor_id", flat=True))


def round_has_actors(*, round: AssessmentRound, actor_ids) -> bool:
    """Whether every id in ``actor_ids`` (at least two, all different) names an actor of
    ``round``: one query. The scoring panel answers 404 otherwise, naming no one."""
    wanted = set(actor_ids)
    if len(wanted) < 2 or len(wanted) != len(actor_ids):
        return False
    members = RoundMember.objects.filter(round_id=round.pk, actor_id__in=wanted)
    return members.count() == len(wanted)


def end_of_day(day: date) -> datetime:
    """The last moment of ``day`` in the site's time zone (for "as of a date")."""
    return timezone.make_aware(datetime.combine(day, time.max))


_reused_matrices: ContextVar[dict | None] = ContextVar("reused_matrices", default=None)


@contextmanager
def reuse_matrices():
    """Within this block, ``matrix_for_round`` reads each round (with the same filters) once.

    A report calls several selectors that each need the same round's matrix (dashboard,
    sector matrix, by level, comparison); the pages call one or two and need no cache.
    """
    token = _reused_matrices.set({})
    try:
        yield
    finally:
        _reused_matrices.reset(token)


def matrix_for_round(
    *, round: AssessmentRound, sector_ids=(), government_level=None, programme=None, as_of=None
) -> Matrix:
    """The who × who matrix of ``round``: two queries (none when reused, see above)."""
    cache = _reused_matrices.get()
    if cache is None:
        return _read_matrix(round, sector_ids, government_level, programme, as_of)
    key = (
        round.pk,
        tuple(sorted(sector_ids)),
        government_level,
        programme.pk if programme is not None else None,
        as_of,
    )
    if key not in cache:
        cache[key] = _read_matrix(round, sector_ids, government_level, programme, as_of)
    return cache[key]


def _read_matrix(round, sector_ids, government_level, programme, as_of) -> Matrix:
    """Two queries: the actors (with their sectors) and the levels of the round.

    With ``as_of`` (an aware datetime) the levels are those the history held at that
    moment: a pair scored later is not assessed yet, a pair changed later has its old level.
    """
    actors = list(
        round_actors(
            round=round,
            sector_ids=sector_ids,
            government_level=government_level,
            programme=programme,
        )
    )
    levels = round_levels(round=round, actors=actors, as_of=as_of)
    return Matrix(round=round, actors=actors, levels=levels)


def round_version(round: AssessmentRound, *, as_loaded: bool = False) -> int | None:
    """The version of the round's summary (``RoundSummary.version``: every write to its
    pairs or roster moves it on); None for a round never written. One query.

    With ``as_loaded``, no query when the round was read with its summary
    (``select_related("summary")``, as ``rounds_visible_to`` reads a page's rounds): the
    version as it stood when the round was read, earlier in the same request."""
    if as_loaded and AssessmentRound.summary.is_cached(round):
        summary = getattr(round, "summary", None)  # cached as None: never written
        return summary.version if summary is not None else None
    return RoundSummary.objects.filter(round_id=round.pk).values_list("version", flat=True).first()


# What ``round_actors`` reads of each member to draw it in a matrix, as plain values: the
# member's own copy (the round's, once frozen) and its actor's live fields, each with its
# sector's names, order and health mark.
ROSTER_FIELDS = (
    "actor_id",
    "frozen_at",
    "name",
    "short_name",
    "kind",
    "government_level",
    "sector_id",
    "sector_is_health",
    "sector__code",
    "sector__name_id",
    "sector__name_en",
    "sector__sort_order",
    "actor__name",
    "actor__short_name",
    "actor__kind",
    "actor__government_level",
    "actor__is_active",
    "actor__sector_id",
    "actor__sector__code",
    "actor__sector__name_id",
    "actor__sector__name_en",
    "actor__sector__sort_order",
    "actor__sector__is_health",
)


def round_roster_key(round: AssessmentRound, version: int, *, programme=None) -> str:
    """A name for the round as its matrix shows it, for what is built from it and cached
    (the matrix page): its ``version`` (its levels and roster), the round's name, the
    language, and a digest of its members' rows (``ROSTER_FIELDS``: each member's own copy
    and its actor's live fields, both read whether the member is frozen or not). The same
    name, the same actors in the same order with the same names, sectors, levels and kinds
    (``round_actors``). ``programme`` keeps its participants only, as ``round_actors`` does.

    One narrow query, and no actor built: a repeat view of a 200-actor matrix costs the
    rows, not the instances."""
    members = RoundMember.objects.filter(round_id=round.pk)
    if programme is not None:
        members = members.filter(actor__participations__programme=programme)
    return _roster_key(round, version, members.order_by("pk").values_list(*ROSTER_FIELDS))


def round_roster_keys(versions: Mapping[AssessmentRound, int]) -> dict[int, str]:
    """``round_roster_key`` of several rounds (each with its version), by round id, in one
    query: a page that names two rounds' states (the comparison) reads both rosters at
    once."""
    rows: dict[int, list[tuple]] = {round.pk: [] for round in versions}
    members = RoundMember.objects.filter(round_id__in=rows).order_by("round_id", "pk")
    for round_id, *row in members.values_list("round_id", *ROSTER_FIELDS):
        rows[round_id].append(tuple(row))
    return {
        round.pk: _roster_key(round, version, rows[round.pk]) for round, version in versions.items()
    }


def _roster_key(round: AssessmentRound, version: int, rows: Iterable[tuple]) -> str:
    digest = hashlib.sha256()
    digest.update(repr((round.name, get_language())).encode())
    for row in rows:
        digest.update(repr(row).encode())
    return f"{round.pk}:{version}:{digest.hexdigest()}"


def round_levels(*, round: AssessmentRound, actors, as_of=None) -> dict[tuple[int, int], int]:
    """The levels of the round's pairs between ``actors``, keyed by (lower id, higher id):
    one query. A pair not assessed is absent (never 0)."""
    shown = {actor.pk for actor in actors}
    source = PairAssessment.objects if as_of is None else PairAssessment.history.as_of(as_of)
    return {
        (a, b): level
        for a, b, level in source.filter(round_id=round.pk).values_list(
            "actor_a_id", "actor_b_id", "level"
        )
        if a in shown and b in shown
    }


def pairs_in_matrix_order(actors: list[Actor]):
    """Every pair of ``actors`` (given in matrix order) as the matrix reads them: row by
    row, and in each row the columns to the right of the diagonal; as (row, column) ids."""
    for index, row in enumerate(actors):
        for column in actors[index + 1 :]:
            yield row.pk, column.pk


def next_unscored_pair(
    matrix: Matrix, *, after: tuple[int, int] | None = None
) -> tuple[Actor, Actor] | None:
    """The first pair of ``matrix`` after the pair ``after`` (two actor ids, either order)
    in matrix order that is not assessed, going round to the first row after the last;
    None when every pair is assessed. ``after`` itself comes last (it may still be
    unscored). A pair not in the matrix (filtered out) starts from the first row. No query.
    """
    pairs = list(pairs_in_matrix_order(matrix.actors))
    start = 0
    if after is not None:
        position = {actor.pk: index for index, actor in enumerate(matrix.actors)}
        a, b = after
        if a in position and b in position and a != b:
            row, column = sorted((position[a], position[b]))
            start = pairs.index((matrix.actors[row].pk, matrix.actors[column].pk)) + 1
    by_id = {actor.pk: actor for actor in matrix.actors}
    for row_id, column_id in pairs[start:] + pairs[:start]:
        if matrix.level(row_id, column_id) is None:
            return by_id[row_id], by_id[column_id]
    return None


def next_pair_to_score(
    *,
    round: AssessmentRound,
    after: tuple[int, int] | None = None,
    sector_ids=(),
    government_level=None,
    programme=None,
) -> tuple[Actor, Actor] | None:
    """The next pair of the round's matrix (with these filters) that no one has scored,
    after ``after`` (see ``next_unscored_pair``): two queries, as ``matrix_for_round``."""
    matrix = matrix_for_round(
        round=round,
        sector_ids=sector_ids,
        government_level=government_level,
        programme=programme,
    )
    return next_unscored_pair(matrix, after=after)


def only_actors_with_unscored_pairs(matrix: Matrix) -> Matrix:
    """The matrix without the actors whose every pair (in it) is assessed: what is left
    to score, rows and columns. Every unscored pair keeps both its actors. No query."""
    open_ids = {
        actor_id
        for pair in pairs_in_matrix_order(matrix.actors)
        if matrix.level(*pair) is None
        for actor_id in pair
    }
    actors = [actor for actor in matrix.actors if actor.pk in open_ids]
    kept = {
        key: level
        for key, level in matrix.levels.items()
        if key[0] in open_ids and key[1] in open_ids
    }
    return Matrix(round=matrix.round, actors=actors, levels=kept)


@dataclass(frozen=True)
class LevelSummary:
    """Coverage, distribution and convergence index of a set of scored pairs.

    ``possible`` is the number of pairs that could be scored; ``mean`` is None when none is.
    """

    assessed: int
    possible: int
    counts: dict[int, int]
    mean: float | None
    highest: int | None

    @property
    def coverage(self) -> float | None:
        """Share of possible pairs assessed, 0–1."""
        return self.assessed / self.possible if self.possible else None

    @property
    def index_percent(self) -> float | None:
        """The convergence index as a percentage: mean level / 4 × 100."""
        return None if self.mean is None else self.mean / 4 * 100


def summarize_levels(levels, *, possible: int) -> LevelSummary:
    """Summarise scored levels (an iterable of 0–4); "not assessed" pairs are not in it."""
    values = list(levels)
    counts = Counter(values)
    return LevelSummary(
        assessed=len(values),
        possible=possible,
        counts={level: counts.get(level, 0) for level in Level.values},
        mean=sum(values) / len(values) if values else None,
        highest=max(values) if values else None,
    )


@dataclass(frozen=True)
class PairRow:
    """One scored pair of a round with everything recorded about it.

    ``evidence`` holds the answers to the four questions in scale order (``EVIDENCE_FIELDS``):
    True, False, or None when the question was not answered. ``scored_by`` is the scorer's
    name, empty when the user is gone. The lists hold codes; their labels come from the
    vocabularies read with the rows.
    """

    actor_a: Actor
    actor_b: Actor
    level: Level
    evidence: tuple[bool | None, ...]
    mechanisms: list[str]
    facilitating_factors: list[str]
    hindering_factors: list[str]
    note: str
    scored_by: str
    scored_at: datetime
    vocabularies: Vocabularies = field(repr=False, compare=False)

    @property
    def mechanism_labels(self) -> list[str]:
        return self.vocabularies.mechanisms.labels(self.mechanisms)

    @property
    def facilitating_labels(self) -> list[str]:
        return self.vocabularies.facilitating_factors.labels(self.facilitating_factors)

    @property
    def hindering_labels(self) -> list[str]:
        return self.vocabularies.hindering_factors.labels(self.hindering_factors)


# The pairs' lists of codes (JSON lists in the database).
CODE_LISTS = ("mechanisms", "facilitating_factors", "hindering_factors")


def pair_rows_for_round(
    *,
    round: AssessmentRound,
    vocabularies: Vocabularies | None = None,
    pks: Iterable[int] | None = None,
    actors: list[Actor] | None = None,
) -> list[PairRow]:
    """Every scored pair of the round, in matrix order (by the sector, then the name, of
    actor A, then of actor B; A and B in the stored canonical order).

    Three queries: the round's actors with their sectors, the pairs as plain values
    with the scorer's name, and the vocabularies for the labels (none when given); the
    actors are shared between rows instead of being built again for each of thousands
    of pairs. The lists of codes are read as their JSON text and each distinct text is
    decoded once (pairs share few combinations). ``pks``: only these pairs; ``actors``: the
    round's actors when the caller has read them (``Matrix.actors``), one query less.
    """
    if vocabularies is None:
        vocabularies = read_vocabularies()
    if actors is None:
        actors = list(round_actors(round=round))
    by_id = {actor.pk: actor for actor in actors}
    position = {actor.pk: index for index, actor in enumerate(actors)}
    fields = (
        "actor_a_id",
        "actor_b_id",
        "level",
        *EVIDENCE_FIELDS,
        *(f"{name}_text" for name in CODE_LISTS),
        "note",
        "scored_by__username",
        "scored_by__first_name",
        "scored_by__last_name",
        "scored_at",
    )
    pairs = PairAssessment.objects.filter(round=round)
    if pks is not None:
        pairs = pairs.filter(pk__in=list(pks))
    decoded: dict[str, list] = {}

    def codes(text: str | None) -> list:
        if not text:
            return []
        found = decoded.get(text)
        if found is None:
            found = decoded[text] = list(json.loads(text) or ())
        return list(found)  # each row its own list

    pairs = pairs.annotate(**{f"{name}_text": Cast(name, TextField()) for name in CODE_LISTS})
    rows = []
    for values in pairs.values_list(*fields):
        a, b, level, *rest = values
        evidence, rest = tuple(rest[: len(EVIDENCE_FIELDS)]), rest[len(EVIDENCE_FIELDS) :]
        mechanisms, facilitating, hindering, note, username, first, last, scored_at = rest
        full_name = f"{first or ''} {last or ''}".strip()
        rows.append(
            PairRow(
                actor_a=by_id[a],
                actor_b=by_id[b],
                level=Level(level),
                evidence=evidence,
                mechanisms=codes(mechanisms),
                facilitating_factors=codes(facilitating),
                hindering_factors=codes(hindering),
                note=note,
                scored_by=full_name or username or "",
                scored_at=scored_at,
                vocabularies=vocabularies,
            )
        )
    rows.sort(key=lambda row: (position[row.actor_a.pk], position[row.actor_b.pk]))
    return rows
