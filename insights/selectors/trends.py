"""Dashboards, round comparison and programme overlaps, built on ``matrix_for_round``.

Each function issues a fixed number of queries, whatever the number of actors (and, for
the province ranking and the national overview, of districts and provinces).
Pages, the API and the reports call these.
"""

import dataclasses
from dataclasses import dataclass
from datetime import date
from itertools import combinations

from django.db import models
from django.utils.translation import gettext_lazy as _

from actors.models import Actor, GovernmentLevel, Programme, Region, Sector, TargetGroup
from assessments.models import AssessmentRound, Level, PairAssessment, RoundMember
from assessments.selectors import LevelSummary, matrix_for_round, summarize_levels

# Region dashboard ----------------------------------------------------------------------


def _percent(share: float | None) -> float | None:
    return None if share is None else share * 100


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
class RoundChange:
    """Current minus previous; None where either round has no value to compare."""

    mean: float | None
    index_points: float | None
    coverage_points: float | None
    assessed: int


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
    region: Region
    current: RoundSnapshot | None
    previous: RoundSnapshot | None
    change: RoundChange | None

    @property
    def distribution(self) -> list[LevelBar]:
        return level_distribution(summary=self.current.summary) if self.current else []


def round_snapshot(*, round: AssessmentRound) -> RoundSnapshot:
    """Two queries: those of ``matrix_for_round``."""
    matrix = matrix_for_round(round=round)
    return RoundSnapshot(round=round, actor_count=len(matrix.actors), summary=matrix.summary)


def region_dashboard(
    *, region: Region, rounds: list[AssessmentRound], round: AssessmentRound | None = None
) -> RegionDashboard:
    """The dashboard of ``round`` (default: the latest) against the round before it.

    ``rounds`` are the region's rounds the reader may see, newest first (as
    ``rounds_visible_to`` returns them); the previous round is the next one in that list.
    Four queries (two per round), two when there is no previous round.
    """
    if not rounds:
        return RegionDashboard(region=region, current=None, previous=None, change=None)
    round = round or rounds[0]
    position = [item.pk for item in rounds].index(round.pk)
    current = round_snapshot(round=round)
    if position + 1 >= len(rounds):
        return RegionDashboard(region=region, current=current, previous=None, change=None)
    previous = round_snapshot(round=rounds[position + 1])
    return RegionDashboard(
        region=region,
        current=current,
        previous=previous,
        change=round_change(current=current.summary, previous=previous.summary),
    )


def round_change(*, current: LevelSummary, previous: LevelSummary) -> RoundChange:
    def minus(now, before, factor=1.0):
        return None if now is None or before is None else (now - before) * factor

    return RoundChange(
        mean=minus(current.mean, previous.mean),
        index_points=minus(current.index_percent, previous.index_percent),
        coverage_points=minus(current.coverage, previous.coverage, 100.0),
        assessed=current.assessed - previous.assessed,
    )


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


# Province ranking ----------------------------------------------------------------------


@dataclass(frozen=True)
class DistrictStanding:
    """A district and its latest visible round; ``rank`` is None without a scored pair."""

    district: Region
    round: AssessmentRound | None
    actor_count: int
    summary: LevelSummary | None
    rank: int | None

    @property
    def coverage_percent(self) -> float | None:
        return _percent(self.summary.coverage) if self.summary else None


@dataclass(frozen=True)
class ProvinceRanking:
    province: Region
    standings: list[DistrictStanding]

    @property
    def ranked(self) -> list[DistrictStanding]:
        return [standing for standing in self.standings if standing.rank is not None]

    @property
    def unranked(self) -> list[DistrictStanding]:
        return [standing for standing in self.standings if standing.rank is None]


def province_ranking(*, province: Region) -> ProvinceRanking:
    """The province's districts ranked by the convergence index of their latest visible
    (not draft) round, then by coverage. Four queries, whatever the number of districts:
    the districts, their visible rounds, the roster sizes of the latest rounds, their levels.

    Per district this is what ``matrix_for_round(round=...).summary`` gives (the same
    roster), read for every district at once.
    """
    districts = list(
        Region.objects.filter(parent=province, level=GovernmentLevel.DISTRICT).order_by("code")
    )
    latest: dict[int, AssessmentRound] = {}
    for round_ in (
        AssessmentRound.objects.visible()
        .filter(region__in=[district.pk for district in districts])
        .latest_first()
    ):
        latest.setdefault(round_.region_id, round_)
    round_ids = [round_.pk for round_ in latest.values()]
    pairs = PairAssessment.objects.filter(round_id__in=round_ids)
    member_counts = _member_counts(round_ids)
    levels: dict[int, list[tuple[int, int, int]]] = {pk: [] for pk in round_ids}
    for round_id, actor_a, actor_b, level in pairs.values_list(
        "round_id", "actor_a_id", "actor_b_id", "level"
    ):
        levels[round_id].append((actor_a, actor_b, level))

    standings = []
    for district in districts:
        round_ = latest.get(district.pk)
        if round_ is None:
            standings.append(DistrictStanding(district, None, 0, None, None))
            continue
        round_.region = district
        scored = levels[round_.pk]
        count = member_counts.get(round_.pk, 0)
        summary = summarize_levels(
            (level for _a, _b, level in scored), possible=count * (count - 1) // 2
        )
        standings.append(DistrictStanding(district, round_, count, summary, None))
    return ProvinceRanking(province=province, standings=_ranked(standings))


def _member_counts(round_ids) -> dict[int, int]:
    """The size of each round's roster, in one query."""
    return dict(
        RoundMember.objects.filter(round_id__in=round_ids)
        .order_by()
        .values("round_id")
        .annotate(count=models.Count("pk"))
        .values_list("round_id", "count")
    )


def _ranked(standings: list[DistrictStanding]) -> list[DistrictStanding]:
    """Highest index first, ties broken by coverage; equal (index, coverage) share a rank."""
    scored = [item for item in standings if item.summary and item.summary.mean is not None]
    scored.sort(key=lambda item: (-item.summary.mean, -item.summary.coverage, item.district.code))
    ranked, previous_key, rank = [], None, 0
    for position, item in enumerate(scored, start=1):
        key = (item.summary.mean, item.summary.coverage)
        if key != previous_key:
            rank, previous_key = position, key
        ranked.append(
            DistrictStanding(item.district, item.round, item.actor_count, item.summary, rank)
        )
    return ranked + [
        item for item in standings if item.summary is None or item.summary.mean is None
    ]


# Round comparison ----------------------------------------------------------------------


class ChangeKind(models.TextChoices):
    IMPROVED = "improved", _("Improved")
    DECLINED = "declined", _("Declined")
    UNCHANGED = "unchanged", _("Unchanged")
    NEW = "new", _("Newly assessed")
    DROPPED = "dropped", _("No longer assessed")


@dataclass(frozen=True)
class PairChange:
    """A pair in two rounds; a level is None where the pair is not assessed in that round."""

    actor_a: Actor
    actor_b: Actor
    previous: int | None
    current: int | None

    @property
    def change(self) -> int | None:
        if self.previous is None or self.current is None:
            return None
        return self.current - self.previous

    @property
    def kind(self) -> ChangeKind:
        if self.previous is None:
            return ChangeKind.NEW
        if self.current is None:
            return ChangeKind.DROPPED
        if self.current > self.previous:
            return ChangeKind.IMPROVED
        if self.current < self.previous:
            return ChangeKind.DECLINED
        return ChangeKind.UNCHANGED

    def involves(self, sector: Sector) -> bool:
        return sector.pk in (self.actor_a.sector_id, self.actor_b.sector_id)


@dataclass(frozen=True)
class RoundComparison:
    """Pairs of two rounds of one region, by kind of change; each list sorted by the size
    of the change (largest first), then in matrix order."""

    current: AssessmentRound
    previous: AssessmentRound
    sector: Sector | None
    improved: list[PairChange]
    declined: list[PairChange]
    unchanged: list[PairChange]
    new: list[PairChange]
    dropped: list[PairChange]

    def of_kind(self, kind: ChangeKind) -> list[PairChange]:
        return getattr(self, kind.value)

    @property
    def groups(self) -> list[tuple[ChangeKind, list[PairChange]]]:
        return [(kind, self.of_kind(kind)) for kind in ChangeKind]


def compare_rounds(
    *, current: AssessmentRound, previous: AssessmentRound, sector: Sector | None = None
) -> RoundComparison:
    """Four queries (``matrix_for_round`` of each round). With ``sector``: only the pairs
    with at least one actor in that sector."""
    if current.region_id != previous.region_id:
        raise ValueError("Only rounds of the same region can be compared.")
    now = matrix_for_round(round=current)
    before = matrix_for_round(round=previous)
    actors: dict[int, Actor] = {}
    for actor in [*now.actors, *before.actors]:
        actors.setdefault(actor.pk, actor)
    order = {pk: position for position, pk in enumerate(actors)}
    groups: dict[ChangeKind, list[PairChange]] = {kind: [] for kind in ChangeKind}
    for a, b in now.levels.keys() | before.levels.keys():
        first, second = (a, b) if order[a] <= order[b] else (b, a)
        pair = PairChange(
            actors[first], actors[second], before.levels.get((a, b)), now.levels.get((a, b))
        )
        if sector is None or pair.involves(sector):
            groups[pair.kind].append(pair)

    def size(pair: PairChange) -> int:
        if pair.change is not None:
            return abs(pair.change)
        return pair.current if pair.current is not None else pair.previous

    for pairs in groups.values():
        pairs.sort(key=lambda pair: (-size(pair), order[pair.actor_a.pk], order[pair.actor_b.pk]))
    return RoundComparison(
        current=current,
        previous=previous,
        sector=sector,
        improved=groups[ChangeKind.IMPROVED],
        declined=groups[ChangeKind.DECLINED],
        unchanged=groups[ChangeKind.UNCHANGED],
        new=groups[ChangeKind.NEW],
        dropped=groups[ChangeKind.DROPPED],
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


# National overview ---------------------------------------------------------------------


@dataclass(frozen=True)
class ProvinceStanding:
    """A province over its districts' latest visible rounds, pooled: the mean level of all
    their assessed pairs, and the pairs assessed out of those possible in these rounds."""

    province: Region
    district_count: int
    districts_with_round: int
    actor_count: int
    assessed: int
    possible: int
    level_total: int
    rank: int | None

    @property
    def mean(self) -> float | None:
        return self.level_total / self.assessed if self.assessed else None

    @property
    def index_percent(self) -> float | None:
        return None if self.mean is None else self.mean / 4 * 100

    @property
    def coverage(self) -> float | None:
        return self.assessed / self.possible if self.possible else None

    @property
    def coverage_percent(self) -> float | None:
        return _percent(self.coverage)


@dataclass(frozen=True)
class NationalOverview:
    nation: Region
    standings: list[ProvinceStanding]

    @property
    def ranked(self) -> list[ProvinceStanding]:
        return [standing for standing in self.standings if standing.rank is not None]

    @property
    def unranked(self) -> list[ProvinceStanding]:
        return [standing for standing in self.standings if standing.rank is None]


def national_overview(*, nation: Region) -> NationalOverview:
    """Every province ranked by the convergence index of its districts' latest visible
    (not draft) rounds taken together, then by coverage.

    Four queries, whatever the number of provinces, districts, actors and pairs, each
    aggregated by the database: the provinces; the districts with the id of their latest
    visible round; the count and sum of the levels per round; the roster size per round.
    """
    provinces = list(Region.objects.filter(level=GovernmentLevel.PROVINCE).order_by("code"))
    latest_round = (
        AssessmentRound.objects.visible()
        .filter(region=models.OuterRef("pk"))
        .latest_first()
        .values("pk")[:1]
    )
    districts = list(
        Region.objects.filter(level=GovernmentLevel.DISTRICT, parent__in=provinces)
        .annotate(latest_round=models.Subquery(latest_round))
        .values_list("code", "parent_id", "latest_round")
    )
    round_ids = [round_id for _code, _parent, round_id in districts if round_id is not None]
    scored = {
        row["round_id"]: (row["assessed"], row["level_total"])
        for row in PairAssessment.objects.filter(round_id__in=round_ids)
        .order_by()
        .values("round_id")
        .annotate(assessed=models.Count("pk"), level_total=models.Sum("level"))
    }
    members = _member_counts(round_ids)

    totals = {province.pk: [0, 0, 0, 0, 0, 0] for province in provinces}
    for _code, province_id, round_id in districts:
        row = totals[province_id]
        row[0] += 1
        if round_id is None:
            continue
        count = members.get(round_id, 0)
        assessed, level_total = scored.get(round_id, (0, 0))
        row[1] += 1
        row[2] += count
        row[3] += assessed
        row[4] += count * (count - 1) // 2
        row[5] += level_total or 0
    standings = [
        ProvinceStanding(province, *totals[province.pk], rank=None) for province in provinces
    ]
    return NationalOverview(nation=nation, standings=_provinces_ranked(standings))


def _provinces_ranked(standings: list[ProvinceStanding]) -> list[ProvinceStanding]:
    """Highest index first, ties broken by coverage; equal (index, coverage) share a rank."""
    scored = [item for item in standings if item.mean is not None]
    scored.sort(key=lambda item: (-item.mean, -item.coverage, item.province.code))
    ranked, previous_key, rank = [], None, 0
    for position, item in enumerate(scored, start=1):
        key = (item.mean, item.coverage)
        if key != previous_key:
            rank, previous_key = position, key
        ranked.append(dataclasses.replace(item, rank=rank))
    return ranked + [item for item in standings if item.mean is None]
