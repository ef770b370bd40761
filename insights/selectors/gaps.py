"""Gaps: the pairs of a round assessed below a target level, for planners to act on.

A pair that is not assessed has no level, so it is no gap: it is counted apart, never as
a pair at 0. Pages, the API and the reports call these functions.
"""

from collections import Counter
from dataclasses import dataclass

from actors.models import Actor
from assessments.models import AssessmentRound, Level
from assessments.selectors import Matrix, matrix_for_round

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


@dataclass(frozen=True)
class GapList:
    """The gaps of a round, largest shortfall first; health ↔ non-health pairs first among
    equal shortfalls, then in matrix order."""

    round: AssessmentRound
    target: Level
    gaps: list[Gap]
    assessed: int
    possible: int

    @property
    def not_assessed(self) -> int:
        return self.possible - self.assessed

    @property
    def reaching_target(self) -> int:
        """Assessed pairs at the target or above."""
        return self.assessed - len(self.gaps)

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
