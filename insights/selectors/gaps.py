"""Gaps: the pairs of a round assessed below a target level, for planners to act on.

A pair that is not assessed has no level, so it is no gap: it is counted apart, never as
a pair at 0. Pages, the API and the reports call these functions.
"""

from collections import Counter
from dataclasses import dataclass

from django.db import connection

from actors.models import Actor
from assessments.models import AssessmentRound, Level, PairAssessment
from assessments.selectors import LevelSummary, Matrix, matrix_for_round, round_actors

# Kim et al. (2017): roles and resources shared toward a common goal.
DEFAULT_TARGET = Level.COLLABORATION


@dataclass(frozen=True)
class Gap:
    """A pair assessed below the target; ``actor_a`` comes first in the matrix order."""

    actor_a: Actor
    actor_b: Actor
    level: Level
    target: Level

    @property
    def shortfall(self) -> int:
        return self.target - self.level

    @property
    def crosses_health(self) -> bool:
        """One actor of a health sector and one of another sector."""
        return self.actor_a.sector.is_health != self.actor_b.sector.is_health


class _GapCounts:
    """What a list of gaps says of the round's other pairs (``count``: its gaps)."""

    @property
    def not_assessed(self) -> int:
        return self.possible - self.assessed

    @property
    def reaching_target(self) -> int:
        """Assessed pairs at the target or above."""
        return self.assessed - self.count


@dataclass(frozen=True)
class GapList(_GapCounts):
    """The gaps of a round, largest shortfall first; health ↔ non-health pairs first among
    equal shortfalls, then in matrix order."""

    round: AssessmentRound
    target: Level
    gaps: list[Gap]
    assessed: int
    possible: int

    @property
    def count(self) -> int:
        return len(self.gaps)

    @property
    def by_level(self) -> list[tuple[Level, int]]:
        """How many gaps stand at each level below the target, lowest level first."""
        counts = Counter(gap.level for gap in self.gaps)
        return [(level, counts.get(level, 0)) for level in Level if level < self.target]


def pairs_below_target(*, matrix: Matrix, target: int = DEFAULT_TARGET) -> GapList:
    """The gaps of a matrix already read; no query. ``target`` must be a level (0–4)."""
    target = Level(target)  # ValueError outside 0–4
    actors = {actor.pk: actor for actor in matrix.actors}
    order = {pk: position for position, pk in enumerate(actors)}
    gaps = []
    for (a, b), level in matrix.levels.items():
        if level >= target:
            continue
        first, second = (a, b) if order[a] <= order[b] else (b, a)
        gaps.append(Gap(actors[first], actors[second], Level(level), target))
    gaps.sort(
        key=lambda gap: (
            -gap.shortfall,
            not gap.crosses_health,
            order[gap.actor_a.pk],
            order[gap.actor_b.pk],
        )
    )
    return GapList(
        round=matrix.round,
        target=target,
        gaps=gaps,
        assessed=len(matrix.levels),
        possible=matrix.possible_pairs,
    )


def gaps_for_round(*, round: AssessmentRound, target: int = DEFAULT_TARGET) -> GapList:
    """Two queries: those of ``matrix_for_round``."""
    return pairs_below_target(matrix=matrix_for_round(round=round), target=target)


@dataclass(frozen=True)
class GapHead(_GapCounts):
    """The first ``len(gaps)`` gaps of a round in the gap list's order, and the counts of
    the whole list: what the dashboard shows without reading every pair."""

    round: AssessmentRound
    target: Level
    gaps: list[Gap]
    count: int  # every gap of the round
    assessed: int
    possible: int

    @property
    def left_out(self) -> int:
        return self.count - len(self.gaps)


def largest_gaps(
    *, round: AssessmentRound, summary: LevelSummary, limit: int, target: int = DEFAULT_TARGET
) -> GapHead:
    """The ``limit`` largest gaps of ``round``, in the order of ``pairs_below_target``
    (largest shortfall, health ↔ non-health first, then matrix order), sorted and cut in
    the database: two queries (the roster, the gaps), whatever the number of pairs.

    The counts come from the round's ``summary`` (the dashboard's, read from the round's
    summary row), so the page's figures agree with each other."""
    target = Level(target)
    actors = round_actors(round=round)
    count = sum(summary.counts.get(level, 0) for level in Level.values if level < target)
    gaps: list[Gap] = []
    if actors and count and limit > 0:
        by_id = {actor.pk: actor for actor in actors}
        # Each member's place in the matrix order and whether it is of a health sector,
        # as a table the query joins: integers read from the database, never user input.
        rows = ", ".join(
            f"({int(actor.pk)}, {position}, {int(bool(actor.sector.is_health))})"
            for position, actor in enumerate(actors)
        )
        table = PairAssessment._meta.db_table
        sql = (
            f"WITH place (actor_id, position, health) AS (VALUES {rows}) "
            f"SELECT pair.actor_a_id, pair.actor_b_id, pair.level FROM {table} pair "
            "JOIN place a ON a.actor_id = pair.actor_a_id "
            "JOIN place b ON b.actor_id = pair.actor_b_id "
            "WHERE pair.round_id = %s AND pair.level < %s "
            "ORDER BY pair.level, CASE WHEN a.health <> b.health THEN 0 ELSE 1 END, "
            "CASE WHEN a.position < b.position THEN a.position ELSE b.position END, "
            "CASE WHEN a.position < b.position THEN b.position ELSE a.position END "
            "LIMIT %s"
        )
        order = {actor.pk: position for position, actor in enumerate(actors)}
        with connection.cursor() as cursor:
            cursor.execute(sql, [round.pk, int(target), limit])
            for a, b, level in cursor.fetchall():
                first, second = (a, b) if order[a] <= order[b] else (b, a)
                gaps.append(Gap(by_id[first], by_id[second], Level(level), target))
    return GapHead(
        round=round,
        target=target,
        gaps=gaps,
        count=count,
        assessed=summary.assessed,
        possible=summary.possible,
    )
