"""One actor's page: its ties in a round, their change since the previous round, its
programmes and roles, its gaps below a target, and its history.

A fixed number of queries, whatever the number of actors: the round's roster, the actor's
pairs in the round and in the previous one, its programmes, its history and the latest
changes to its pairs.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q

from actors.models import Actor, ProgrammeParticipant
from assessments.models import AssessmentRound, Level, PairAssessment
from assessments.selectors import round_actors

# The changes to the actor's pairs that its page lists.
RECENT_CHANGES = 15


@dataclass(frozen=True)
class Tie:
    """The actor's pair with ``other`` in the round; a level is None where not assessed."""

    other: Actor
    level: int | None
    previous: int | None
    scored_in_previous: bool

    @property
    def change(self) -> int | None:
        if self.level is None or self.previous is None:
            return None
        return self.level - self.previous

    @property
    def level_label(self):
        return None if self.level is None else Level(self.level).label


@dataclass(frozen=True)
class PairChangeRecord:
    other_name: str
    level: int
    when: datetime
    who: str
    change_type: str


@dataclass(frozen=True)
class ActorProfile:
    actor: Actor
    round: AssessmentRound
    previous_round: AssessmentRound | None
    target: Level
    ties: list[Tie]
    programmes: list[ProgrammeParticipant]
    history: list
    pair_changes: list[PairChangeRecord]

    @property
    def assessed(self) -> list[Tie]:
        return [tie for tie in self.ties if tie.level is not None]

    @property
    def not_assessed(self) -> list[Tie]:
        return [tie for tie in self.ties if tie.level is None]

    @property
    def gaps(self) -> list[Tie]:
        """Assessed ties below the target, largest shortfall first."""
        return sorted(
            (tie for tie in self.assessed if tie.level < self.target),
            key=lambda tie: (tie.level, tie.other.name),
        )

    @property
    def compared(self) -> list[Tie]:
        """Ties scored in both rounds: the like-for-like change."""
        return [tie for tie in self.ties if tie.change is not None]

    @property
    def mean_change(self) -> float | None:
        compared = self.compared
        return sum(tie.change for tie in compared) / len(compared) if compared else None

    @property
    def improved(self) -> int:
        return sum(1 for tie in self.compared if tie.change > 0)

    @property
    def declined(self) -> int:
        return sum(1 for tie in self.compared if tie.change < 0)

    @property
    def mean_level(self) -> float | None:
        assessed = self.assessed
        return sum(tie.level for tie in assessed) / len(assessed) if assessed else None


def _levels_of(actor_id: int, round_id: int) -> dict[int, int]:
    pairs = PairAssessment.objects.filter(round_id=round_id).filter(
        Q(actor_a_id=actor_id) | Q(actor_b_id=actor_id)
    )
    return {
        (b if a == actor_id else a): level
        for a, b, level in pairs.values_list("actor_a_id", "actor_b_id", "level")
    }


def actor_profile(
    *,
    actor_id: int,
    round: AssessmentRound,
    previous_round: AssessmentRound | None,
    target: int,
) -> ActorProfile | None:
    """The actor's page in ``round`` (None when it is not on the round's roster)."""
    members = round_actors(round=round)
    by_id = {member.pk: member for member in members}
    actor = by_id.get(actor_id)
    if actor is None:
        return None
    levels = _levels_of(actor_id, round.pk)
    before = _levels_of(actor_id, previous_round.pk) if previous_round is not None else {}
    ties = [
        Tie(
            other=other,
            level=levels.get(other.pk),
            previous=before.get(other.pk),
            scored_in_previous=other.pk in before,
        )
        for other in members
        if other.pk != actor_id
    ]
    ties.sort(key=lambda tie: (tie.level is None, -(tie.level or 0), tie.other.name, tie.other.pk))
    programmes = list(
        ProgrammeParticipant.objects.filter(actor_id=actor_id)
        .select_related("programme__region")
        .order_by("-programme__period_start", "programme__name")
    )
    history = list(
        Actor.history.filter(id=actor_id)
        .select_related("history_user", "sector", "home_region")
        .order_by("-history_date")[:10]
    )
    changes = (
        PairAssessment.history.filter(round_id=round.pk)
        .filter(Q(actor_a_id=actor_id) | Q(actor_b_id=actor_id))
        .select_related("history_user")
        .order_by("-history_date")[:RECENT_CHANGES]
    )
    names = {member.pk: member.name for member in members}
    pair_changes = [
        PairChangeRecord(
            other_name=names.get(
                record.actor_b_id if record.actor_a_id == actor_id else record.actor_a_id, "–"
            ),
            level=record.level,
            when=record.history_date,
            who=record.history_user.username if record.history_user else "–",
            change_type=record.get_history_type_display(),
        )
        for record in changes
    ]
    return ActorProfile(
        actor=actor,
        round=round,
        previous_round=previous_round,
        target=Level(target),
        ties=ties,
        programmes=programmes,
        history=history,
        pair_changes=pair_changes,
    )
