"""Dashboards, rankings, round comparison and programme overlaps, built on ``matrix_for_round``.

Each function issues a fixed number of queries, whatever the number of actors (and, for
the province ranking and the national overview, of districts and provinces).
Pages, the API and the reports call these.

A change between two rounds is always taken like for like (DESIGN §6): on the pairs scored
in both rounds, with their number; pairs scored in one round only are counted beside it.
``round_changes`` pairs the rounds in the database for the dashboards and the rankings,
``compare_rounds`` pairs them in memory to list them; both hand their counts to
``RoundChange``, the one place where a change is worked out.
"""

import dataclasses
import hashlib
import heapq
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import combinations

from django.conf import settings
from django.core.cache import cache
from django.db import models
from django.utils.translation import gettext_lazy as _

from actors.models import Actor, GovernmentLevel, Programme, Region, Sector, TargetGroup
from assessments.models import AssessmentRound, Level, RoundStatus, RoundSummary
from assessments.selectors import (
    LevelSummary,
    matrix_for_round,
    round_actors,
    round_levels,
    round_roster_keys,
)
from assessments.summaries import paired_level_counts
from insights.selectors.structure import loaded_version


def _percent(share: float | None) -> float | None:
    return None if share is None else share * 100


def _index(mean: float | None) -> float | None:
    """The convergence index of a mean level: mean / 4 × 100 (as ``LevelSummary``)."""
    return None if mean is None else mean / 4 * 100


# Change between two rounds, like for like ----------------------------------------------


@dataclass(frozen=True)
class RoundChange:
    """From an earlier round to a later one, on the ``paired`` pairs scored in both rounds:
    the sums of their levels in each round, and how many rose, fell or held.

    Beside it, never mixed in: ``newly_scored`` pairs (scored in the later round only) and
    ``not_rescored`` pairs (scored in the earlier round only; while the later round is not
    closed, ``still_open``, they are "not yet scored in this round"). Means and index are
    None when no pair is scored in both rounds.
    """

    paired: int
    total_before: int
    total_now: int
    improved: int
    declined: int
    unchanged: int
    newly_scored: int
    not_rescored: int
    still_open: bool

    @property
    def mean_before(self) -> float | None:
        """Mean level of the paired pairs in the earlier round."""
        return self.total_before / self.paired if self.paired else None

    @property
    def mean_now(self) -> float | None:
        """Mean level of the same pairs in the later round."""
        return self.total_now / self.paired if self.paired else None

    @property
    def mean(self) -> float | None:
        """Change of their mean level (later minus earlier)."""
        return (self.total_now - self.total_before) / self.paired if self.paired else None

    @property
    def index_before(self) -> float | None:
        return _index(self.mean_before)

    @property
    def index_now(self) -> float | None:
        return _index(self.mean_now)

    @property
    def index_points(self) -> float | None:
        """Change of the convergence index on those pairs, in percentage points."""
        return _index(self.mean)


def like_for_like(
    *,
    transitions: Mapping[tuple[int, int], int],
    newly_scored: int,
    not_rescored: int,
    still_open: bool,
) -> RoundChange:
    """The change worked out from ``transitions``: how many pairs scored in both rounds
    went from each earlier level to each later level, ``{(earlier, later): count}``."""
    return RoundChange(
        paired=sum(transitions.values()),
        total_before=sum(before * count for (before, _now), count in transitions.items()),
        total_now=sum(now * count for (_before, now), count in transitions.items()),
        improved=sum(count for (before, now), count in transitions.items() if now > before),
        declined=sum(count for (before, now), count in transitions.items() if now < before),
        unchanged=sum(count for (before, now), count in transitions.items() if now == before),
        newly_scored=newly_scored,
        not_rescored=not_rescored,
        still_open=still_open,
    )


def pooled_change(changes: Iterable[RoundChange]) -> RoundChange | None:
    """Several regions' changes taken together (every pair counts once); None without any."""
    changes = list(changes)
    if not changes:
        return None
    counts = (
        "paired",
        "total_before",
        "total_now",
        "improved",
        "declined",
        "unchanged",
        "newly_scored",
        "not_rescored",
    )
    return RoundChange(
        **{name: sum(getattr(change, name) for change in changes) for name in counts},
        still_open=any(change.still_open for change in changes),
    )


def round_changes(
    *, links: Sequence[tuple[AssessmentRound, AssessmentRound]]
) -> dict[int, RoundChange]:
    """The change of each (later, earlier) pair of rounds of one region, by the later
    round's id. At most one link per region.

    No query for a link whose two rounds came with their summaries and whose later round's
    summary holds the change since that earlier round as it stands (``RoundSummary``, kept
    by every write): the dashboards, the rankings and the national overview read no pair.
    One query for the others, whatever the number of rounds, actors and pairs
    (``paired_level_counts``).
    """
    if not links:
        return {}
    regions = [later.region_id for later, _earlier in links]
    if len(set(regions)) != len(regions) or any(
        later.region_id != earlier.region_id or later.pk == earlier.pk for later, earlier in links
    ):
        raise ValueError("One link of two different rounds per region.")
    counts = {}
    for later, earlier in links:
        summary = _loaded_summary(later)
        stored = summary.change_since(_loaded_summary(earlier)) if summary else None
        if stored is not None:
            counts[later.pk] = stored
    missing = [(later.pk, earlier.pk) for later, earlier in links if later.pk not in counts]
    for pk, (transitions, newly, not_rescored) in paired_level_counts(missing).items():
        counts[pk] = {
            "transitions": transitions,
            "newly_scored": newly,
            "not_rescored": not_rescored,
        }
    return {
        later.pk: like_for_like(**counts[later.pk], still_open=later.status != RoundStatus.CLOSED)
        for later, _earlier in links
    }


def _loaded_summary(round: AssessmentRound) -> RoundSummary | None:
    """The round's summary when it came with the round (``select_related``), else None:
    never a query."""
    if not AssessmentRound.summary.is_cached(round):
        return None
    return getattr(round, "summary", None)


# Region dashboard ----------------------------------------------------------------------


@dataclass(frozen=True)
class RoundSnapshot:
    """Coverage, distribution and convergence index of one round."""

    round: AssessmentRound
    actor_count: int
    summary: LevelSummary

    @property
    def not_assessed(self) -> int:
        return self.summary.possible - self.summary.assessed

    @property
    def coverage_percent(self) -> float | None:
        return _percent(self.summary.coverage)


@dataclass(frozen=True)
class LevelBar:
    """One bar of the level distribution; ``level`` None is "not assessed"."""

    level: int | None
    label: str
    count: int
    share: float | None
    scale: float

    @property
    def percent(self) -> float | None:
        return _percent(self.share)

    @property
    def css_class(self) -> str:
        return "na" if self.level is None else f"l{self.level}"

    @property
    def width(self) -> str:
        """Bar length on a 0–100 axis, as an SVG attribute (never localised)."""
        return f"{self.scale * 100:.1f}"


@dataclass(frozen=True)
class RegionDashboard:
    """A round's figures and, when there is a round before it, the change since then
    (like for like, see ``RoundChange``)."""

    region: Region
    current: RoundSnapshot | None
    previous: RoundSnapshot | None
    change: RoundChange | None

    @property
    def distribution(self) -> list[LevelBar]:
        return level_distribution(summary=self.current.summary) if self.current else []

    @property
    def coverage_points(self) -> float | None:
        """Coverage now minus coverage then, in percentage points (two sets of pairs:
        shown beside the change, never as it)."""
        if self.current is None or self.previous is None:
            return None
        now, before = self.current.summary.coverage, self.previous.summary.coverage
        return None if now is None or before is None else (now - before) * 100


def round_snapshot(*, round: AssessmentRound) -> RoundSnapshot:
    """The round's figures from its ``RoundSummary``: no query when the summary came with
    the round (``rounds_visible_to`` loads it), one otherwise; never a read of its pairs."""
    summary, members = summary_of(round)
    return RoundSnapshot(round=round, actor_count=members, summary=summary)


def region_dashboard(
    *, region: Region, rounds: list[AssessmentRound], round: AssessmentRound | None = None
) -> RegionDashboard:
    """The dashboard of ``round`` (default: the latest) against the round before it.

    ``rounds`` are the region's rounds the reader may see, newest first (as
    ``rounds_visible_to`` returns them, with their summaries); the previous round is the
    next one in that list. One query (the change like for like); none without a previous
    round.
    """
    if not rounds:
        return RegionDashboard(region=region, current=None, previous=None, change=None)
    round = round or rounds[0]
    position = [item.pk for item in rounds].index(round.pk)
    current = round_snapshot(round=round)
    if position + 1 >= len(rounds):
        return RegionDashboard(region=region, current=current, previous=None, change=None)
    previous = round_snapshot(round=rounds[position + 1])
    change = round_changes(links=[(round, previous.round)])[round.pk]
    return RegionDashboard(region=region, current=current, previous=previous, change=change)


def level_distribution(*, summary: LevelSummary) -> list[LevelBar]:
    """Bars for levels 0–4 (share of the assessed pairs) and "not assessed" (share of the
    possible pairs), each scaled to the longest bar."""
    not_assessed = summary.possible - summary.assessed
    longest = max([*summary.counts.values(), not_assessed, 1])
    bars = [
        LevelBar(
            level=level.value,
            label=level.label,
            count=summary.counts[level.value],
            share=summary.counts[level.value] / summary.assessed if summary.assessed else None,
            scale=summary.counts[level.value] / longest,
        )
        for level in Level
    ]
    bars.append(
        LevelBar(
            level=None,
            label=_("Not assessed"),
            count=not_assessed,
            share=not_assessed / summary.possible if summary.possible else None,
            scale=not_assessed / longest,
        )
    )
    return bars


# Rankings: the districts of a province, the provinces of the nation --------------------


@dataclass(frozen=True)
class RankingRule:
    """Which rounds are ranked: at least ``min_coverage_percent`` of their possible pairs
    scored, and at least ``min_pairs`` pairs (settings ``RANKING_MIN_COVERAGE_PERCENT`` and
    ``RANKING_MIN_PAIRS``). Below that, one or two pairs decide a place: with 20 pairs, one
    pair scored a level differently moves the index by 1.25 points; with one pair, by 25."""

    min_coverage_percent: int
    min_pairs: int

    def admits(self, summary: LevelSummary | None) -> bool:
        if summary is None or not summary.possible:
            return False
        return (
            summary.assessed >= self.min_pairs
            and summary.assessed * 100 >= self.min_coverage_percent * summary.possible
        )


def ranking_rule() -> RankingRule:
    return RankingRule(
        min_coverage_percent=settings.RANKING_MIN_COVERAGE_PERCENT,
        min_pairs=settings.RANKING_MIN_PAIRS,
    )


@dataclass(frozen=True)
class DistrictStanding:
    """A district and the round it stands with: its latest visible (not draft) round scored
    enough to rank, else its latest visible round, with the change since the round before
    it. ``enough_scored``: the round passes the ``RankingRule``; ``rank`` is None for a
    district that is not ranked (no round, or none scored enough)."""

    district: Region
    round: AssessmentRound | None
    previous_round: AssessmentRound | None
    actor_count: int
    summary: LevelSummary | None
    change: RoundChange | None
    enough_scored: bool
    rank: int | None

    @property
    def coverage_percent(self) -> float | None:
        return _percent(self.summary.coverage) if self.summary else None


@dataclass(frozen=True)
class ProvinceRanking:
    province: Region
    rule: RankingRule
    standings: list[DistrictStanding]

    @property
    def ranked(self) -> list[DistrictStanding]:
        return [standing for standing in self.standings if standing.rank is not None]

    @property
    def not_enough_scored(self) -> list[DistrictStanding]:
        """Districts with a round, not scored enough to rank."""
        return [item for item in self.standings if item.round and not item.enough_scored]

    @property
    def without_round(self) -> list[DistrictStanding]:
        return [standing for standing in self.standings if standing.round is None]


def province_ranking(*, province: Region) -> ProvinceRanking:
    """The province's districts whose latest visible round is scored enough (``RankingRule``),
    ranked by its convergence index, then by coverage; the others listed after them.

    Three queries, whatever the number of districts: the districts, then those of
    ``district_standings``. Per district the figures are those of
    ``matrix_for_round(round=...).summary`` and of the dashboard's change.
    """
    districts = list(
        Region.objects.filter(parent=province, level=GovernmentLevel.DISTRICT).order_by("code")
    )
    rule = ranking_rule()
    standings = district_standings(districts=districts, rule=rule)
    return ProvinceRanking(province=province, rule=rule, standings=_ranked(standings))


def district_standings(*, districts: list[Region], rule: RankingRule) -> list[DistrictStanding]:
    """Each district's standing, unranked: its latest visible round scored enough to rank
    (``rule``), or, when none is, its latest visible round (listed as not enough scored),
    with the change since the round before it. A district whose new round is still being
    scored keeps its place with the last round that was scored enough; each row names its
    round and status.

    Two queries, whatever the number of districts, actors and pairs: the visible rounds
    with their summaries (``RoundSummary``, kept by every write), and the changes
    (``round_changes``)."""
    by_pk = {district.pk: district for district in districts}
    rounds: dict[int, list[AssessmentRound]] = {pk: [] for pk in by_pk}
    for round_ in (
        AssessmentRound.objects.visible()
        .filter(region__in=list(by_pk))
        .select_related("summary")
        .latest_first()
    ):
        round_.region = by_pk[round_.region_id]
        rounds[round_.region_id].append(round_)
    chosen: dict[int, tuple[AssessmentRound, AssessmentRound | None, LevelSummary, int]] = {}
    for district_id, district_rounds in rounds.items():
        figures = [(round_, *summary_of(round_)) for round_ in district_rounds]
        ranked = [index for index, (_r, summary, _n) in enumerate(figures) if rule.admits(summary)]
        index = ranked[0] if ranked else 0
        if figures:
            round_, summary, count = figures[index]
            earlier = district_rounds[index + 1] if index + 1 < len(district_rounds) else None
            chosen[district_id] = (round_, earlier, summary, count)
    changes = round_changes(
        links=[(round_, earlier) for round_, earlier, _s, _n in chosen.values() if earlier]
    )
    standings = []
    for district in districts:
        if district.pk not in chosen:
            standings.append(DistrictStanding(district, None, None, 0, None, None, False, None))
            continue
        round_, earlier, summary, count = chosen[district.pk]
        standings.append(
            DistrictStanding(
                district=district,
                round=round_,
                previous_round=earlier,
                actor_count=count,
                summary=summary,
                change=changes.get(round_.pk),
                enough_scored=rule.admits(summary),
                rank=None,
            )
        )
    return standings


def summary_of(round: AssessmentRound) -> tuple[LevelSummary, int]:
    """The round's ``LevelSummary`` and roster size from its ``RoundSummary`` (loaded with
    the round), as ``matrix_for_round(round=...).summary`` gives them."""
    stored = getattr(round, "summary", None)
    if stored is None:
        return _summary(dict.fromkeys(Level.values, 0), possible=0), 0
    return _summary(stored.counts, possible=stored.possible), stored.members


def _summary(counts: dict[int, int], *, possible: int) -> LevelSummary:
    """A ``LevelSummary`` from counts by level (as ``summarize_levels`` from the levels)."""
    assessed = sum(counts.values())
    total = sum(level * count for level, count in counts.items())
    scored = [level for level, count in counts.items() if count]
    return LevelSummary(
        assessed=assessed,
        possible=possible,
        counts=counts,
        mean=total / assessed if assessed else None,
        highest=max(scored) if scored else None,
    )


def _ranked(standings: list[DistrictStanding]) -> list[DistrictStanding]:
    """Rounds scored enough, highest index first, ties broken by coverage (equal index and
    coverage share a rank); then the others in the order given."""
    ranked = [item for item in standings if item.enough_scored]
    ranked.sort(key=lambda item: (-item.summary.mean, -item.summary.coverage, item.district.code))
    result, previous_key, rank = [], None, 0
    for position, item in enumerate(ranked, start=1):
        key = (item.summary.mean, item.summary.coverage)
        if key != previous_key:
            rank, previous_key = position, key
        result.append(dataclasses.replace(item, rank=rank))
    return result + [item for item in standings if not item.enough_scored]


@dataclass(frozen=True)
class ProvinceStanding:
    """A province over its districts' latest visible rounds that are scored enough to rank
    (``districts_ranked`` of them), pooled: the mean level of all their scored pairs, the
    pairs scored of those possible, and their change like for like. ``assessed_all`` and
    ``possible_all`` count every district's latest visible round, ranked or not."""

    province: Region
    district_count: int
    districts_with_round: int
    districts_ranked: int
    actor_count: int
    assessed: int
    possible: int
    level_total: int
    open_rounds: int
    closed_rounds: int
    assessed_all: int
    possible_all: int
    change: RoundChange | None
    rank: int | None

    @property
    def mean(self) -> float | None:
        return self.level_total / self.assessed if self.assessed else None

    @property
    def index_percent(self) -> float | None:
        return _index(self.mean)

    @property
    def coverage(self) -> float | None:
        return self.assessed / self.possible if self.possible else None

    @property
    def coverage_percent(self) -> float | None:
        return _percent(self.coverage)

    @property
    def coverage_all_percent(self) -> float | None:
        return _percent(self.assessed_all / self.possible_all) if self.possible_all else None


@dataclass(frozen=True)
class NationalOverview:
    nation: Region
    rule: RankingRule
    standings: list[ProvinceStanding]

    @property
    def ranked(self) -> list[ProvinceStanding]:
        return [standing for standing in self.standings if standing.rank is not None]

    @property
    def not_enough_scored(self) -> list[ProvinceStanding]:
        """Provinces with district rounds, none scored enough to rank."""
        return [item for item in self.standings if item.rank is None and item.districts_with_round]

    @property
    def without_round(self) -> list[ProvinceStanding]:
        return [item for item in self.standings if not item.districts_with_round]


def national_overview(*, nation: Region) -> NationalOverview:
    """Every province ranked by the convergence index of its districts' latest visible
    rounds that are scored enough to rank (``RankingRule``), taken together, then by
    coverage; provinces without such a round are listed after them.

    Four queries, whatever the number of provinces, districts, actors and pairs: the
    provinces, their districts, then those of ``district_standings`` (the same figures as
    each province's ranking of its districts).
    """
    provinces = list(Region.objects.filter(level=GovernmentLevel.PROVINCE).order_by("code"))
    districts = list(
        Region.objects.filter(level=GovernmentLevel.DISTRICT, parent__in=provinces).order_by("code")
    )
    rule = ranking_rule()
    by_province: dict[int, list[DistrictStanding]] = {province.pk: [] for province in provinces}
    for standing in district_standings(districts=districts, rule=rule):
        by_province[standing.district.parent_id].append(standing)
    standings = [_province_standing(province, by_province[province.pk]) for province in provinces]
    return NationalOverview(nation=nation, rule=rule, standings=_provinces_ranked(standings))


def _province_standing(province: Region, districts: list[DistrictStanding]) -> ProvinceStanding:
    with_round = [item for item in districts if item.round is not None]
    counted = [item for item in with_round if item.enough_scored]
    return ProvinceStanding(
        province=province,
        district_count=len(districts),
        districts_with_round=len(with_round),
        districts_ranked=len(counted),
        actor_count=sum(item.actor_count for item in counted),
        assessed=sum(item.summary.assessed for item in counted),
        possible=sum(item.summary.possible for item in counted),
        level_total=sum(
            level * count for item in counted for level, count in item.summary.counts.items()
        ),
        open_rounds=sum(1 for item in counted if item.round.status != RoundStatus.CLOSED),
        closed_rounds=sum(1 for item in counted if item.round.status == RoundStatus.CLOSED),
        assessed_all=sum(item.summary.assessed for item in with_round),
        possible_all=sum(item.summary.possible for item in with_round),
        change=pooled_change(item.change for item in counted if item.change is not None),
        rank=None,
    )


def _provinces_ranked(standings: list[ProvinceStanding]) -> list[ProvinceStanding]:
    """Highest index first, ties broken by coverage; equal (index, coverage) share a rank."""
    scored = [item for item in standings if item.districts_ranked]
    scored.sort(key=lambda item: (-item.mean, -item.coverage, item.province.code))
    ranked, previous_key, rank = [], None, 0
    for position, item in enumerate(scored, start=1):
        key = (item.mean, item.coverage)
        if key != previous_key:
            rank, previous_key = position, key
        ranked.append(dataclasses.replace(item, rank=rank))
    return ranked + [item for item in standings if not item.districts_ranked]


# Round comparison ----------------------------------------------------------------------


class ChangeKind(models.TextChoices):
    IMPROVED = "improved", _("Improved")
    DECLINED = "declined", _("Declined")
    UNCHANGED = "unchanged", _("Unchanged")
    NEW = "new", _("Newly scored")
    NOT_YET = "not_yet", _("Not yet scored in this round")
    DROPPED = "dropped", _("No longer assessed")


# Pairs scored in both rounds: the ones the change is computed on.
PAIRED_KINDS = (ChangeKind.IMPROVED, ChangeKind.DECLINED, ChangeKind.UNCHANGED)

CHANGE_DEFINITIONS = {
    ChangeKind.IMPROVED: _("Scored in both rounds, at a higher level in this round."),
    ChangeKind.DECLINED: _("Scored in both rounds, at a lower level in this round."),
    ChangeKind.UNCHANGED: _("Scored in both rounds, at the same level."),
    ChangeKind.NEW: _("Scored in this round only."),
    ChangeKind.NOT_YET: _(
        "Scored in the earlier round; this round is still open and may score them."
    ),
    ChangeKind.DROPPED: _(
        "Scored in the earlier round, not in this closed round, or one of the two actors "
        "is no longer on this round's roster."
    ),
}


@dataclass(frozen=True)
class PairChange:
    """A pair in two rounds; a level is None where the pair is not scored in that round."""

    actor_a: Actor
    actor_b: Actor
    previous: int | None
    current: int | None
    kind: ChangeKind

    @property
    def change(self) -> int | None:
        if self.previous is None or self.current is None:
            return None
        return self.current - self.previous

    def involves(self, sector: Sector) -> bool:
        return sector.pk in (self.actor_a.sector_id, self.actor_b.sector_id)


def _kind(previous: int | None, current: int | None, *, can_come: bool) -> ChangeKind:
    """``can_come``: the current round is not closed and has both actors on its roster, so
    a pair it has not scored may still be scored in it."""
    if previous is None:
        return ChangeKind.NEW
    if current is None:
        return ChangeKind.NOT_YET if can_come else ChangeKind.DROPPED
    if current > previous:
        return ChangeKind.IMPROVED
    if current < previous:
        return ChangeKind.DECLINED
    return ChangeKind.UNCHANGED


@dataclass(frozen=True)
class RoundComparison:
    """Pairs of two rounds of one region, by kind of change; each list sorted by the size
    of the change (largest first), then in matrix order. ``change``: the change like for
    like on the pairs listed (with a sector filter, on that sector's pairs only)."""

    current: AssessmentRound
    previous: AssessmentRound
    sector: Sector | None
    change: RoundChange
    improved: list[PairChange]
    declined: list[PairChange]
    unchanged: list[PairChange]
    new: list[PairChange]
    not_yet: list[PairChange]
    dropped: list[PairChange]

    def of_kind(self, kind: ChangeKind) -> list[PairChange]:
        return getattr(self, kind.value)

    @property
    def groups(self) -> list[tuple[ChangeKind, list[PairChange]]]:
        """Every kind that can occur (``kinds_shown``), with its pairs."""
        counts = {kind: len(self.of_kind(kind)) for kind in ChangeKind}
        return [(kind, self.of_kind(kind)) for kind in kinds_shown(self.change, counts)]


def kinds_shown(change: RoundChange, counts: Mapping[ChangeKind, int]) -> list[ChangeKind]:
    """Every kind that can occur: "not yet scored" while the current round is open,
    "no longer assessed" once it is closed (or for a pair whose actor has left)."""
    shown = {
        ChangeKind.NOT_YET: change.still_open or bool(counts[ChangeKind.NOT_YET]),
        ChangeKind.DROPPED: not change.still_open or bool(counts[ChangeKind.DROPPED]),
    }
    return [kind for kind in ChangeKind if shown.get(kind, True)]


def compare_rounds(
    *, current: AssessmentRound, previous: AssessmentRound, sector: Sector | None = None
) -> RoundComparison:
    """Four queries (``matrix_for_round`` of each round). With ``sector``: only the pairs
    with at least one actor in that sector."""
    if current.region_id != previous.region_id:
        raise ValueError("Only rounds of the same region can be compared.")
    now = matrix_for_round(round=current)
    before = matrix_for_round(round=previous)
    sorted_pairs = _compared(now.actors, now.levels, before.actors, before.levels, current, sector)
    actors = _actors_of(now.actors, before.actors)
    groups = {
        kind: [
            PairChange(actors[first], actors[second], earlier, later, kind)
            for _size, _a, _b, first, second, earlier, later in sorted(pairs)
        ]
        for kind, pairs in sorted_pairs.items()
    }
    change = like_for_like(
        transitions=Counter(
            (pair.previous, pair.current) for kind in PAIRED_KINDS for pair in groups[kind]
        ),
        newly_scored=len(groups[ChangeKind.NEW]),
        not_rescored=len(groups[ChangeKind.NOT_YET]) + len(groups[ChangeKind.DROPPED]),
        still_open=current.status != RoundStatus.CLOSED,
    )
    return RoundComparison(
        current=current,
        previous=previous,
        sector=sector,
        change=change,
        improved=groups[ChangeKind.IMPROVED],
        declined=groups[ChangeKind.DECLINED],
        unchanged=groups[ChangeKind.UNCHANGED],
        new=groups[ChangeKind.NEW],
        not_yet=groups[ChangeKind.NOT_YET],
        dropped=groups[ChangeKind.DROPPED],
    )


def _actors_of(now_actors: list[Actor], before_actors: list[Actor]) -> dict[int, Actor]:
    """Each actor of either round as the current round reads it, else as the previous one
    does; in that order (the current round's matrix order, then the others')."""
    actors: dict[int, Actor] = {}
    for actor in [*now_actors, *before_actors]:
        actors.setdefault(actor.pk, actor)
    return actors


def _compared(
    now_actors: list[Actor],
    now_levels: Mapping[tuple[int, int], int],
    before_actors: list[Actor],
    before_levels: Mapping[tuple[int, int], int],
    current: AssessmentRound,
    sector: Sector | None,
) -> dict[ChangeKind, list[tuple]]:
    """The pairs of either round (with ``sector``: those with an actor in it) by kind, each
    a plain tuple that sorts as the comparison lists them, largest change first, then in
    matrix order: ``(-size, position of the first actor, of the second, first id, second
    id, earlier level, later level)``. No model object per pair: a round has thousands."""
    still_open = current.status != RoundStatus.CLOSED
    on_roster = {actor.pk for actor in now_actors}
    order: dict[int, int] = {}
    sector_of: dict[int, int] = {}
    for actor in [*now_actors, *before_actors]:
        if actor.pk not in order:
            order[actor.pk] = len(order)
            sector_of[actor.pk] = actor.sector_id
    groups: dict[ChangeKind, list[tuple]] = {kind: [] for kind in ChangeKind}
    for a, b in now_levels.keys() | before_levels.keys():
        if sector is not None and sector.pk not in (sector_of[a], sector_of[b]):
            continue
        first, second = (a, b) if order[a] <= order[b] else (b, a)
        earlier, later = before_levels.get((a, b)), now_levels.get((a, b))
        kind = _kind(earlier, later, can_come=still_open and a in on_roster and b in on_roster)
        if earlier is None:
            size = later
        elif later is None:
            size = earlier
        else:
            size = abs(later - earlier)
        groups[kind].append((-size, order[first], order[second], first, second, earlier, later))
    return groups


@dataclass(frozen=True)
class ComparisonOverview:
    """What the comparison page first shows of two rounds: the change like for like, the
    number of pairs of each kind of change and each kind's ``first`` pairs (as
    ``RoundComparison`` sorts them). ``groups``: (kind, count, first pairs) of every kind
    that can occur."""

    current: AssessmentRound
    previous: AssessmentRound
    sector: Sector | None
    change: RoundChange
    counts: dict[ChangeKind, int]
    first: dict[ChangeKind, list[PairChange]]

    @property
    def groups(self) -> list[tuple[ChangeKind, int, list[PairChange]]]:
        return [
            (kind, self.counts[kind], self.first[kind])
            for kind in kinds_shown(self.change, self.counts)
        ]


# Named by both rounds' states (``round_roster_key``): a changed level, roster, actor or
# sector is a new name, never a stale page; the old entries expire.
COMPARISON_TIMEOUT = 7 * 24 * 3600


def comparison_overview(
    *,
    current: AssessmentRound,
    previous: AssessmentRound,
    sector: Sector | None = None,
    limit: int,
) -> ComparisonOverview:
    """``compare_rounds`` as the page first shows it: each kind's count and its first
    ``limit`` pairs, cached for the two rounds' states (``loaded_version``: no query for
    rounds read with their summaries; ``round_roster_keys``: both rosters read as plain
    rows in one query, no actor built). When these states were compared before, that one
    query is all: the entry holds the actors its first rows name, as the rounds read them
    (the same rosters, the same names and sectors: ``round_roster_key``). Otherwise both
    rosters' actors and each round's levels."""
    if current.region_id != previous.region_id:
        raise ValueError("Only rounds of the same region can be compared.")
    versions = {round_: loaded_version(round_) for round_ in (current, previous)}
    key = None
    if None not in versions.values():
        rosters = round_roster_keys(versions)
        key = (
            "comparison:v3:"
            + hashlib.sha256(
                repr(
                    (
                        rosters[current.pk],
                        rosters[previous.pk],
                        current.status,
                        sector.pk if sector else None,
                        limit,
                    )
                ).encode()
            ).hexdigest()
        )
        stored = cache.get(key)
        if stored is not None:
            return _overview(current, previous, sector, stored)
    now_actors, before_actors = round_actors(round=current), round_actors(round=previous)
    grouped = _compared(
        now_actors,
        round_levels(round=current, actors=now_actors),
        before_actors,
        round_levels(round=previous, actors=before_actors),
        current,
        sector,
    )
    transitions = Counter((pair[5], pair[6]) for kind in PAIRED_KINDS for pair in grouped[kind])
    first = {
        kind.value: [pair[3:] for pair in heapq.nsmallest(limit, pairs)]
        for kind, pairs in grouped.items()
    }
    actors = _actors_of(now_actors, before_actors)
    named = {actor_id for rows in first.values() for row in rows for actor_id in row[:2]}
    stored = {
        "counts": {kind.value: len(pairs) for kind, pairs in grouped.items()},
        "first": first,
        "actors": {actor_id: actors[actor_id] for actor_id in named},
        "transitions": list(transitions.items()),
    }
    if key is not None:
        cache.set(key, stored, COMPARISON_TIMEOUT)
    return _overview(current, previous, sector, stored)


def _overview(current, previous, sector, stored) -> ComparisonOverview:
    actors = stored["actors"]
    counts = {kind: stored["counts"][kind.value] for kind in ChangeKind}
    return ComparisonOverview(
        current=current,
        previous=previous,
        sector=sector,
        change=like_for_like(
            transitions=dict(stored["transitions"]),
            newly_scored=counts[ChangeKind.NEW],
            not_rescored=counts[ChangeKind.NOT_YET] + counts[ChangeKind.DROPPED],
            still_open=current.status != RoundStatus.CLOSED,
        ),
        counts=counts,
        first={
            kind: [
                PairChange(actors[first], actors[second], earlier, later, kind)
                for first, second, earlier, later in stored["first"][kind.value]
            ]
            for kind in ChangeKind
        },
    )


# Programme overlaps --------------------------------------------------------------------


class OverlapStatus(models.TextChoices):
    BELOW_COORDINATION = "below_coordination", _("Lead actors below coordination")
    NOT_ASSESSED = "not_assessed", _("Lead actors' pair not assessed")
    COORDINATED = "coordinated", _("Lead actors coordinate or more")
    SAME_LEAD = "same_lead", _("Same lead actor")
    NO_LEAD = "no_lead", _("No lead actor")


RISK_STATUSES = (OverlapStatus.BELOW_COORDINATION, OverlapStatus.NOT_ASSESSED)


@dataclass(frozen=True)
class ProgrammeOverlap:
    """Two programmes of a region whose periods and target groups overlap."""

    first: Programme
    second: Programme
    period_start: date
    period_end: date
    target_groups: list[str]
    level: int | None
    status: OverlapStatus

    @property
    def is_risk(self) -> bool:
        return self.status in RISK_STATUSES

    @property
    def target_group_labels(self) -> list[str]:
        labels = dict(TargetGroup.choices)
        return [labels.get(value, value) for value in self.target_groups]


@dataclass(frozen=True)
class OverlapReport:
    """Overlap risks (tumpang tindih): overlapping programmes whose lead actors stand below
    coordination (level < 2) or whose pair is not assessed in ``round``."""

    region: Region
    round: AssessmentRound | None
    programmes: list[Programme]
    overlaps: list[ProgrammeOverlap]

    @property
    def risks(self) -> list[ProgrammeOverlap]:
        return [item for item in self.overlaps if item.is_risk]

    @property
    def coordinated(self) -> list[ProgrammeOverlap]:
        return [
            item
            for item in self.overlaps
            if item.status in (OverlapStatus.COORDINATED, OverlapStatus.SAME_LEAD)
        ]

    @property
    def without_lead_overlaps(self) -> list[ProgrammeOverlap]:
        return [item for item in self.overlaps if item.status == OverlapStatus.NO_LEAD]

    @property
    def programme_rows(self) -> list[tuple[Programme, list[str]]]:
        """Each programme with the labels of its target groups."""
        labels = dict(TargetGroup.choices)
        return [
            (programme, [labels.get(value, value) for value in programme.target_groups])
            for programme in self.programmes
        ]

    @property
    def without_lead(self) -> list[Programme]:
        return [programme for programme in self.programmes if programme.lead_actor_id is None]


def programme_overlaps(*, region: Region, round: AssessmentRound | None) -> OverlapReport:
    """Programmes of ``region`` (that region itself) that overlap in period (inclusive
    dates) and in at least one target group, with the level of their lead actors' pair in
    ``round`` (the region's latest round; None: no round, every pair not assessed).

    Three queries: the programmes with their leads, then ``matrix_for_round``.
    """
    programmes = list(
        Programme.objects.filter(region=region)
        .select_related("lead_actor__sector")
        .order_by("period_start", "name", "pk")
    )
    matrix = matrix_for_round(round=round) if round is not None else None
    overlaps = []
    for first, second in combinations(programmes, 2):
        start = max(first.period_start, second.period_start)
        end = min(first.period_end, second.period_end)
        shared = [group for group in first.target_groups if group in second.target_groups]
        if start > end or not shared:
            continue
        level = None
        if first.lead_actor_id is None or second.lead_actor_id is None:
            status = OverlapStatus.NO_LEAD
        elif first.lead_actor_id == second.lead_actor_id:
            status = OverlapStatus.SAME_LEAD
        else:
            level = matrix.level(first.lead_actor_id, second.lead_actor_id) if matrix else None
            if level is None:
                status = OverlapStatus.NOT_ASSESSED
            elif level < Level.COORDINATION:
                status = OverlapStatus.BELOW_COORDINATION
            else:
                status = OverlapStatus.COORDINATED
        overlaps.append(ProgrammeOverlap(first, second, start, end, shared, level, status))
    return OverlapReport(region=region, round=round, programmes=programmes, overlaps=overlaps)
