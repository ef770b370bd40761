"""The structure of convergence: sector × sector, by government level (Kim Table 2), who × how.

Pages, the API and the PDF/XLSX reports call these functions; none of them repeats the
arithmetic. Each is built on ``matrix_for_round`` (the round's actors and levels) and
``summarize_levels``, and issues a fixed number of queries whatever the number of actors.
"""

import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import ClassVar

from django.core.cache import cache
from django.db import connection
from django.db.models import TextChoices

from actors.models import (
    Actor,
    GovernmentLevel,
    ParticipantRole,
    Programme,
    ProgrammeParticipant,
    ProgrammeStage,
    Sector,
)
from actors.selectors import TermList, Vocabularies, read_vocabularies
from assessments.models import AssessmentRound, Level, LevelRole, PairAssessment
from assessments.selectors import (
    LevelSummary,
    matrix_for_round,
    round_actors,
    round_levels,
    round_roster_key,
    summarize_levels,
)

# --- sector × sector -------------------------------------------------------------------


def _sector_key(sector_a_id: int, sector_b_id: int) -> tuple[int, int]:
    return (sector_a_id, sector_b_id) if sector_a_id <= sector_b_id else (sector_b_id, sector_a_id)


@dataclass(frozen=True)
class SectorRow:
    """One row of the sector matrix: a sector and its summary with every sector, in order."""

    sector: Sector
    actor_count: int
    cells: list[LevelSummary]


@dataclass(frozen=True)
class SectorLink:
    """How the health sector converges with one non-health sector."""

    sector: Sector
    actor_count: int
    summary: LevelSummary


@dataclass(frozen=True)
class HealthConvergence:
    """Health ↔ non-health: every pair with one health-sector actor and one other actor.

    ``by_sector`` has one entry per non-health sector of the round, in sector order.
    """

    health_sectors: list[Sector]
    health_actor_count: int
    non_health_actor_count: int
    overall: LevelSummary
    by_sector: list[SectorLink]


@dataclass
class SectorMatrix:
    """Mean and highest level and coverage between every pair of the round's sectors.

    ``sectors`` are those with at least one actor in the round, health first. ``pairs`` is
    keyed by the two sector ids, lower first; a sector with itself counts the pairs of two
    distinct actors of that sector.
    """

    round: AssessmentRound
    sectors: list[Sector]
    actor_counts: dict[int, int]
    pairs: dict[tuple[int, int], LevelSummary]
    health: HealthConvergence
    # Names this state of the round (``cached_sector_matrix``), for what is built from it.
    cache_key: str | None = None

    def between(self, sector_a_id: int, sector_b_id: int) -> LevelSummary:
        return self.pairs[_sector_key(sector_a_id, sector_b_id)]

    @property
    def rows(self) -> list[SectorRow]:
        return [
            SectorRow(
                sector=row,
                actor_count=self.actor_counts[row.pk],
                cells=[self.between(row.pk, column.pk) for column in self.sectors],
            )
            for row in self.sectors
        ]

    @property
    def actor_count(self) -> int:
        return sum(self.actor_counts.values())


def sector_matrix(*, round: AssessmentRound) -> SectorMatrix:
    """Two queries (those of ``matrix_for_round``): the actors with sectors, the levels."""
    matrix = matrix_for_round(round=round)
    return _sector_matrix(round, _sector_state(matrix.actors, matrix.levels))


# What is kept of a round's state (``cached_for_state``, and the sector tables' markup)
# is named by it (``round_roster_key``): a changed level, roster, actor or sector
# is a new name, never a stale page; the old entries expire.
ROUND_STATE_TIMEOUT = 7 * 24 * 3600


def loaded_version(round: AssessmentRound) -> int | None:
    """``round_version`` of a round read with its summary (``rounds_visible_to``, as the
    pages read them): no query. One query for a round read without it."""
    summary = getattr(round, "summary", None)
    return None if summary is None else summary.version


def cached_sector_matrix(*, round: AssessmentRound) -> SectorMatrix:
    """``sector_matrix`` for the page, cached for each state of the round
    (``loaded_version``, ``round_roster_key``). One narrow query when this state was
    summarised before (the roster's rows): no actor is built and the levels are not read
    again; the entry holds the sectors as the round reads them. Three when not (the rows,
    the roster with its sectors, the levels)."""

    def build() -> dict:
        actors = round_actors(round=round)
        return _sector_state(actors, round_levels(round=round, actors=actors))

    state, key = cached_for_state(round, "sectors:v2", build)
    return _sector_matrix(round, state, cache_key=key)


def cached_for_state(
    round: AssessmentRound, prefix: str, build: Callable[[], dict], *, programme=None
) -> tuple[dict, str | None]:
    """What ``build`` makes of the round, kept under ``prefix`` and the round's state
    (``round_roster_key`` of the version loaded with the round, with ``programme``'s
    participants only): one query (the roster's rows) when kept, that and ``build``'s
    when not; one more for a round read without its summary. A round that has no summary
    yet is built each time. With the key (None when not kept), for what is built from the
    state in turn."""
    version = loaded_version(round)
    if version is None:
        return build(), None
    key = f"{prefix}:{round_roster_key(round, version, programme=programme)}"
    state = cache.get(key)
    if state is None:
        state = build()
        cache.set(key, state, ROUND_STATE_TIMEOUT)
    return state, key


def _sector_state(actors: list[Actor], levels: dict[tuple[int, int], int]) -> dict:
    """What the sector matrix is drawn from, cached as it is: the sectors of ``actors`` as
    the round reads them (health first), each one's number of actors, and the level
    summaries (``_sector_summaries``)."""
    sectors, actor_counts, _health_ids = _sectors_of(actors)
    return {
        "sectors": sectors,
        "actor_counts": dict(actor_counts),
        "summaries": _sector_summaries(actors, levels),
    }


def _sectors_of(actors: list[Actor]) -> tuple[list[Sector], Counter[int], set[int]]:
    """The sectors of ``actors`` (in matrix order: health first), each one's number of
    actors, and the ids of the health sectors."""
    sectors: list[Sector] = []
    actor_counts: Counter[int] = Counter()
    for actor in actors:  # grouped by sector, health first
        if actor.sector_id not in actor_counts:
            sectors.append(actor.sector)
        actor_counts[actor.sector_id] += 1
    return sectors, actor_counts, {sector.pk for sector in sectors if sector.is_health}


def _sector_summaries(actors: list[Actor], levels: dict[tuple[int, int], int]) -> dict:
    """The level summaries of the sector matrix, by sector ids only (no model object, so
    that they can be cached): ``pairs`` by (lower, higher) sector id, ``health`` by
    non-health sector id, and ``overall`` health ↔ non-health."""
    sectors, actor_counts, health_ids = _sectors_of(actors)
    sector_of = {actor.pk: actor.sector_id for actor in actors}
    levels_between: dict[tuple[int, int], list[int]] = defaultdict(list)
    health_levels: dict[int, list[int]] = defaultdict(list)  # by non-health sector id
    for (actor_a_id, actor_b_id), level in levels.items():
        sector_a, sector_b = sector_of[actor_a_id], sector_of[actor_b_id]
        levels_between[_sector_key(sector_a, sector_b)].append(level)
        if (sector_a in health_ids) != (sector_b in health_ids):
            other = sector_b if sector_a in health_ids else sector_a
            health_levels[other].append(level)

    pairs = {}
    for index, row in enumerate(sectors):
        for column in sectors[index:]:
            n_row, n_column = actor_counts[row.pk], actor_counts[column.pk]
            possible = n_row * (n_row - 1) // 2 if row == column else n_row * n_column
            key = _sector_key(row.pk, column.pk)
            pairs[key] = summarize_levels(levels_between.get(key, ()), possible=possible)
    health_actors = sum(actor_counts[pk] for pk in health_ids)
    non_health = [sector.pk for sector in sectors if sector.pk not in health_ids]
    return {
        "pairs": pairs,
        "health": {
            pk: summarize_levels(
                health_levels.get(pk, ()), possible=health_actors * actor_counts[pk]
            )
            for pk in non_health
        },
        "overall": summarize_levels(
            (level for levels in health_levels.values() for level in levels),
            possible=health_actors * sum(actor_counts[pk] for pk in non_health),
        ),
    }


def _sector_matrix(
    round: AssessmentRound, state: dict, *, cache_key: str | None = None
) -> SectorMatrix:
    """The matrix of ``round`` from its ``_sector_state``. No query."""
    sectors, actor_counts, summaries = state["sectors"], state["actor_counts"], state["summaries"]
    health_ids = {sector.pk for sector in sectors if sector.is_health}
    links = [
        SectorLink(
            sector=sector,
            actor_count=actor_counts[sector.pk],
            summary=summaries["health"][sector.pk],
        )
        for sector in sectors
        if sector.pk not in health_ids
    ]
    health = HealthConvergence(
        health_sectors=[sector for sector in sectors if sector.pk in health_ids],
        health_actor_count=sum(actor_counts[pk] for pk in health_ids),
        non_health_actor_count=sum(link.actor_count for link in links),
        overall=summaries["overall"],
        by_sector=links,
    )
    return SectorMatrix(
        round=round,
        sectors=sectors,
        actor_counts=dict(actor_counts),
        pairs=summaries["pairs"],
        health=health,
        cache_key=cache_key,
    )


# --- by government level (Kim et al. 2017, Table 2) -------------------------------------


@dataclass(frozen=True)
class Tally:
    """A value of a vocabulary (role, mechanism, factor) and how often it was recorded."""

    value: str
    label: str
    count: int


def tally(
    values: Iterable[str], *, label: Callable[[str], str], position: Callable[[str], int]
) -> list[Tally]:
    """Counts of ``values``, most frequent first, ties in the list's order (``position``)."""
    counts = Counter(values)
    return [
        Tally(value=value, label=str(label(value)), count=count)
        for value, count in sorted(
            counts.items(), key=lambda item: (-item[1], position(item[0]), item[0])
        )
    ]


def _choices_tally(values: Iterable[str], choices: type[TextChoices]) -> list[Tally]:
    labels = dict(choices.choices)
    order = {value: index for index, value in enumerate(choices.values)}
    return tally(
        values,
        label=lambda value: labels.get(value, value),
        position=lambda value: order.get(value, len(order)),
    )


def _terms_tally(values: Iterable[str], terms: TermList) -> list[Tally]:
    return tally(values, label=terms.label, position=terms.position)


@dataclass(frozen=True)
class LevelActor:
    """An actor at a government level and its role in the programme (None without one)."""

    actor: Actor
    role: ParticipantRole | None


@dataclass(frozen=True)
class Convergence:
    """The degree of convergence of a set of pairs and what was recorded about them.

    ``summary`` (coverage, distribution, mean) and ``median`` are over the assessed pairs;
    the tallies count, for each mechanism or factor, the assessed pairs that recorded it.
    """

    summary: LevelSummary
    median: float | None
    mechanisms: list[Tally]
    facilitating_factors: list[Tally]
    hindering_factors: list[Tally]

    @property
    def median_level(self) -> Level | None:
        """The median as a level when it is a whole number (2.5 lies between two levels)."""
        if self.median is None or not float(self.median).is_integer():
            return None
        return Level(int(self.median))

    @property
    def distribution(self) -> list[tuple[Level, int]]:
        """Each level with its number of assessed pairs, 0 to 4."""
        return [(level, self.summary.counts.get(level.value, 0)) for level in Level]


@dataclass(frozen=True)
class GovernmentLevelRow(Convergence):
    """One row of Kim et al.'s Table 2: a government level of the round, its main role or
    action (as recorded for the round, "" when none is) and the convergence among its own
    actors (pairs whose two actors are both at this level)."""

    level: GovernmentLevel
    actors: list[LevelActor]
    roles: list[Tally]
    main_role: str

    is_link: ClassVar[bool] = False


@dataclass(frozen=True)
class LevelLink(Convergence):
    """Convergence between two government levels: the pairs with one actor at ``upper``
    and the other at ``lower`` (a level below it). ``adjacent``: no level with actors lies
    between them (province ↔ district, district ↔ kecamatan, kecamatan ↔ desa when each
    has actors)."""

    upper: GovernmentLevel
    lower: GovernmentLevel
    upper_actor_count: int
    lower_actor_count: int
    adjacent: bool

    is_link: ClassVar[bool] = True


@dataclass
class GovernmentLevelTable:
    """Kim et al. (2017) Table 2 for a round, optionally narrowed to one programme's actors:
    ``rows`` within each level, pusat to desa; ``links`` between every two levels that
    both have actors, top down."""

    round: AssessmentRound
    programme: Programme | None
    rows: list[GovernmentLevelRow]
    links: list[LevelLink]

    @property
    def actor_count(self) -> int:
        return sum(len(row.actors) for row in self.rows)

    def link(self, upper: int, lower: int) -> LevelLink | None:
        return next(
            (item for item in self.links if (item.upper, item.lower) == (upper, lower)), None
        )

    @property
    def entries(self) -> list[GovernmentLevelRow | LevelLink]:
        """The table as it reads, top down: each level, then the link to the next level
        below that has actors; the links between levels further apart come last."""
        adjacent = {item.upper: item for item in self.links if item.adjacent}
        entries: list[GovernmentLevelRow | LevelLink] = []
        for row in self.rows:
            entries.append(row)
            if row.level in adjacent:
                entries.append(adjacent[row.level])
        return entries + [item for item in self.links if not item.adjacent]

    @property
    def other_links(self) -> list[LevelLink]:
        return [item for item in self.links if not item.adjacent]


def _level_key(level_a: int, level_b: int) -> tuple[int, int]:
    return (level_a, level_b) if level_a <= level_b else (level_b, level_a)


EVIDENCE_LISTS = ("mechanisms", "facilitating_factors", "hindering_factors")


def evidence_tallies(
    *, round: AssessmentRound, level_of: dict[int, int]
) -> dict[tuple[tuple[int, int], str], Counter]:
    """How often each mechanism and factor was recorded on the round's pairs, by the two
    government levels of the pair (upper first) and by list: ``{((upper, lower), list):
    Counter}``. Pairs with an actor outside ``level_of`` are left out.

    One query, counted in the database (each list's items unnested with the JSON
    functions of PostgreSQL or SQLite): the lists of 19,900 pairs are never decoded in
    Python. The round's pairs are read once, each actor's level joined from a list of
    values, and that one reading is unnested three times. Written as three readings, each
    with its levels picked by ``CASE … IN (200 ids)``, it took 286 ms for a 200-actor round
    on PostgreSQL; this takes 46 ms."""
    if not level_of:
        return {}
    # Ids and levels are integers from the database, written out as such: a round's roster
    # would pass SQLite's limit on parameters long before its size mattered here.
    levels = ", ".join(f"({int(actor_id)}, {int(level)})" for actor_id, level in level_of.items())
    table = connection.ops.quote_name(PairAssessment._meta.db_table)
    if connection.vendor == "postgresql":
        # Read once, not inlined into each of the three lists' readings.
        unnest, materialized = "jsonb_array_elements_text(p.items) AS t(value)", "MATERIALIZED "
    else:
        # SQLite materialises a CTE used more than once by itself; the keyword needs
        # SQLite 3.35, and Django 5.2 runs on 3.31.
        unnest, materialized = "json_each(p.items) AS t", ""
    lists = " UNION ALL ".join(
        f"SELECT level_a, level_b, %s AS field, {connection.ops.quote_name(field)} AS items "
        "FROM pairs"
        for field in EVIDENCE_LISTS
    )
    sql = (
        f"WITH levels (actor_id, level) AS (VALUES {levels}), "
        f"pairs AS {materialized}("
        "SELECT la.level AS level_a, lb.level AS level_b, p.mechanisms, "
        f"p.facilitating_factors, p.hindering_factors FROM {table} p "
        "JOIN levels la ON la.actor_id = p.actor_a_id "
        "JOIN levels lb ON lb.actor_id = p.actor_b_id WHERE p.round_id = %s) "
        f"SELECT p.level_a, p.level_b, p.field, t.value, COUNT(*) FROM ({lists}) p, {unnest} "
        "GROUP BY p.level_a, p.level_b, p.field, t.value"
    )
    tallies: dict[tuple[tuple[int, int], str], Counter] = defaultdict(Counter)
    with connection.cursor() as cursor:
        cursor.execute(sql, [round.pk, *EVIDENCE_LISTS])
        for level_a, level_b, field, value, count in cursor.fetchall():
            tallies[(_level_key(level_a, level_b), field)][value] += count
    return tallies


def by_government_level(
    *,
    round: AssessmentRound,
    programme: Programme | None = None,
    vocabularies: Vocabularies | None = None,
) -> GovernmentLevelTable:
    """One row per government level, pusat to desa, and one link per two levels that both
    have actors.

    What comes from the round's pairs (``_level_state``) is cached for each state of the
    round: one query then (the roster's rows that name the state), three more when not
    (the actors, the levels, the mechanisms and factors). Read on every call, as they
    change without the round: the main roles recorded for the round, the vocabularies
    (unless given) and, with a programme, its participants' roles.
    """
    state = _level_state(round, programme)
    if vocabularies is None:
        vocabularies = read_vocabularies()
    roles: dict[int, ParticipantRole] = {}
    if programme is not None:
        roles = {
            actor_id: ParticipantRole(role)
            for actor_id, role in ProgrammeParticipant.objects.filter(
                programme=programme
            ).values_list("actor_id", "role")
        }
    main_roles = dict(
        LevelRole.objects.filter(round=round).values_list("government_level", "main_role")
    )
    actors_at: dict[int, list[Actor]] = defaultdict(list)
    for actor in state["actors"]:
        actors_at[actor.government_level].append(actor)
    levels_at, recorded = state["levels"], state["recorded"]

    def convergence(key: tuple[int, int], possible: int) -> dict:
        levels = sorted(levels_at.get(key, Counter()).elements())
        mechanisms, facilitating, hindering = (
            recorded.get((key, field), Counter()).elements() for field in EVIDENCE_LISTS
        )
        return {
            "summary": summarize_levels(levels, possible=possible),
            "median": float(statistics.median(levels)) if levels else None,
            "mechanisms": _terms_tally(mechanisms, vocabularies.mechanisms),
            "facilitating_factors": _terms_tally(facilitating, vocabularies.facilitating_factors),
            "hindering_factors": _terms_tally(hindering, vocabularies.hindering_factors),
        }

    rows = []
    for government_level in GovernmentLevel:
        members = actors_at.get(government_level.value, [])
        member_roles = [roles.get(actor.pk) for actor in members]
        rows.append(
            GovernmentLevelRow(
                level=government_level,
                actors=[
                    LevelActor(actor=actor, role=role)
                    for actor, role in zip(members, member_roles, strict=True)
                ],
                roles=_choices_tally((role for role in member_roles if role), ParticipantRole),
                main_role=main_roles.get(government_level.value, ""),
                **convergence(
                    (government_level.value, government_level.value),
                    len(members) * (len(members) - 1) // 2,
                ),
            )
        )

    present = [level for level in GovernmentLevel if actors_at.get(level.value)]
    links = []
    for index, upper in enumerate(present):
        for position, lower in enumerate(present[index + 1 :]):
            upper_count, lower_count = len(actors_at[upper.value]), len(actors_at[lower.value])
            links.append(
                LevelLink(
                    upper=upper,
                    lower=lower,
                    upper_actor_count=upper_count,
                    lower_actor_count=lower_count,
                    adjacent=position == 0,
                    **convergence((upper.value, lower.value), upper_count * lower_count),
                )
            )
    return GovernmentLevelTable(round=round, programme=programme, rows=rows, links=links)


def _level_state(round: AssessmentRound, programme: Programme | None) -> dict:
    """What the table takes from the round's pairs: its actors (a programme's participants
    only, with one), the levels of the pairs counted by the two actors' government levels
    (upper first) and the mechanisms and factors tallied the same way.

    Cached under ``round_roster_key`` (with the programme, which keeps the same
    participants, ``cached_for_state``): a changed level, list, roster, actor or language
    is a new name."""

    def build() -> dict:
        matrix = matrix_for_round(round=round, programme=programme)
        level_of = {actor.pk: actor.government_level for actor in matrix.actors}
        # Keyed by the two levels, the upper (lower number) first; (n, n) within level n.
        levels: dict[tuple[int, int], Counter] = defaultdict(Counter)
        for (actor_a_id, actor_b_id), level in matrix.levels.items():
            levels[_level_key(level_of[actor_a_id], level_of[actor_b_id])][level] += 1
        return {
            "actors": matrix.actors,
            "levels": dict(levels),
            # What the same pairs recorded; matrix_for_round reads the levels only.
            "recorded": dict(evidence_tallies(round=round, level_of=level_of)),
        }

    return cached_for_state(round, "levels:v1", build, programme=programme)[0]


# --- who × how ---------------------------------------------------------------------------


def default_round_for_programme(
    *, rounds: list[AssessmentRound], programme: Programme
) -> AssessmentRound | None:
    """The programme's latest round among ``rounds`` (newest first), else the latest round
    held for the whole region (without a programme); None when neither exists."""
    for round_ in rounds:
        if round_.programme_id == programme.pk:
            return round_
    for round_ in rounds:
        if round_.programme_id is None:
            return round_
    return None


@dataclass(frozen=True)
class WhoHowRow:
    """A participant: its role in each of the five stages (None where it takes no part)."""

    actor: Actor
    role: ParticipantRole
    cells: list[ParticipantRole | None]
    is_lead: bool
    level_with_lead: Level | None  # None: not assessed, no round, no lead, or the lead itself

    @property
    def covers_no_stage(self) -> bool:
        return not any(self.cells)


@dataclass(frozen=True)
class StageColumn:
    stage: ProgrammeStage
    actor_count: int

    @property
    def uncovered(self) -> bool:
        return self.actor_count == 0


@dataclass
class WhoHowMatrix:
    """Who does what in which stage of a programme, and how each converges with the lead."""

    programme: Programme
    round: AssessmentRound | None
    lead: Actor | None
    stages: list[StageColumn]
    rows: list[WhoHowRow]
    with_lead: LevelSummary | None  # the participants' levels with the lead (lead excluded)

    @property
    def uncovered_stages(self) -> list[ProgrammeStage]:
        return [column.stage for column in self.stages if column.uncovered]

    @property
    def stageless_actors(self) -> list[Actor]:
        return [row.actor for row in self.rows if row.covers_no_stage]

    @property
    def lead_is_participant(self) -> bool:
        return any(row.is_lead for row in self.rows)


def who_how_matrix(*, programme: Programme, round: AssessmentRound | None = None) -> WhoHowMatrix:
    """Queries: the participants with their actors and sectors; with a round, the two of
    ``matrix_for_round`` (the lead need not be a participant, so the round is not narrowed
    to the programme).

    ``programme.lead_actor`` should be fetched with the programme (``select_related``).
    """
    participants = list(
        ProgrammeParticipant.objects.filter(programme=programme).select_related("actor__sector")
    )
    lead_id = programme.lead_actor_id
    matrix = matrix_for_round(round=round) if round is not None and lead_id else None
    participants.sort(
        key=lambda item: (
            item.actor_id != lead_id,
            not item.actor.sector.is_health,
            item.actor.sector.sort_order,
            item.actor.sector.name_id,
            item.actor.name,
            item.actor_id,
        )
    )
    stages = list(ProgrammeStage)
    rows = []
    for participant in participants:
        role = ParticipantRole(participant.role)
        covered = set(participant.stages or ())
        is_lead = participant.actor_id == lead_id
        level = None
        if matrix is not None and not is_lead:
            found = matrix.level(participant.actor_id, lead_id)
            level = None if found is None else Level(found)
        rows.append(
            WhoHowRow(
                actor=participant.actor,
                role=role,
                cells=[role if stage.value in covered else None for stage in stages],
                is_lead=is_lead,
                level_with_lead=level,
            )
        )
    with_lead = None
    if matrix is not None:
        others = [row for row in rows if not row.is_lead]
        with_lead = summarize_levels(
            (row.level_with_lead for row in others if row.level_with_lead is not None),
            possible=len(others),
        )
    return WhoHowMatrix(
        programme=programme,
        round=round,
        lead=programme.lead_actor if lead_id else None,
        stages=[
            StageColumn(stage=stage, actor_count=sum(1 for row in rows if row.cells[index]))
            for index, stage in enumerate(stages)
        ],
        rows=rows,
        with_lead=with_lead,
    )
