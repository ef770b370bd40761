"""The network of one round: actors as nodes, links at level ≥ 1, networkx metrics, an SVG.

A link is a pair scored at cooperation or above. Level 0 ("none") and pairs not assessed
are no link, so an actor whose pairs are all "none" or unscored is isolated.

Measures (each shown with its definition in words on the pages and in the reports):

- density among the assessed pairs: links / pairs assessed, beside the coverage (pairs
  assessed / possible). A pair nobody has scored is unknown, not a missing link;
- betweenness with the level as strength: shortest paths (Brandes 2001, networkx
  ``weight=``) where a link's length is 1 / level, as in Newman (2001) and Opsahl,
  Agneessens & Skvoretz (2010, α = 1): a route through strong ties is shorter than one
  through weak ties, so a broker between well-tied groups outranks an actor with many
  cooperation-level ties. Lengths are 12 / level (12, 6, 4, 3), whole numbers, so that
  equal routes tie exactly;
- health ↔ non-health brokerage: the same betweenness counted only on the shortest paths
  between a health and a non-health actor (Brandes 2008, "betweenness of a subset",
  ``networkx.betweenness_centrality_subset``), as the share of those pairs (other than the
  actor itself) whose shortest paths run through the actor.

Beside them, the ties as the partners name them (``partner_ties``, DESIGN.md §7): each
invited member's answers about the others are arcs A → B (A says it works with B, at
cooperation or above), so the network of answers is directed: in-degree (how many members
name the actor), out-degree (how many it names) and reciprocity (the share of named ties
that the other side names back). "I don't know" and no answer are missing, never "no".
"""

import hashlib
import math
from dataclasses import dataclass
from functools import cached_property
from itertools import groupby

import networkx as nx
from django.core.cache import cache
from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from actors.models import Actor, GovernmentLevel, Sector
from assessments.models import AssessmentRound, Level
from assessments.selectors import (
    LevelSummary,
    Matrix,
    round_actors,
    round_levels,
    round_roster_key,
    round_version,
    summarize_levels,
)
from convergence.validators import xml_safe
from partners.models import Invitation

# A link needs at least cooperation.
LINK_LEVEL = Level.COOPERATION
# The length of a link for shortest paths: 1 / level, scaled to whole numbers.
LINK_LENGTH = {1: 12, 2: 6, 3: 4, 4: 3}


@dataclass(frozen=True)
class PartnerDegree:
    """One member's ties as the partners' answers name them.

    ``names`` (out-degree): the members it says it works with (cooperation or above), of
    the ``answered`` members it gave a yes-or-no answer about; None when it gave none.
    ``named_by`` (in-degree): the members that say they work with it, of the
    ``answered_by`` members that gave a yes-or-no answer about it; None when none did.
    ``confirmed``: the ties it names that the other side names back.
    """

    names: int | None
    answered: int
    named_by: int | None
    answered_by: int
    confirmed: int


@dataclass(frozen=True)
class PartnerTies:
    """The directed network of the partners' answers in a round.

    A tie named by A about B can be checked only when B gave a yes-or-no answer about A:
    ``reciprocity`` is ``confirmed`` / ``checkable`` (``networkx.reciprocity`` on the
    directed graph of the checkable ties), None when no tie can be checked. The named ties
    whose other side did not answer (not invited, no answer, "I don't know") are
    ``unchecked``: they are neither confirmed nor refused.
    """

    members: int  # the roster
    invited: int  # members with a link that is not revoked
    respondents: int  # members that gave a yes-or-no answer about at least one other
    named: int  # ties named (A says it works with B)
    checkable: int  # of them, those whose other side answered about the first
    confirmed: int  # of them, those the other side names back
    reciprocity: float | None
    degrees: dict  # actor id → PartnerDegree
    digest: str  # of the answers read: the page's cached parts depend on it

    @property
    def unchecked(self) -> int:
        return self.named - self.checkable

    @property
    def reciprocity_percent(self) -> float | None:
        return None if self.reciprocity is None else self.reciprocity * 100

    def of(self, actor_id: int) -> PartnerDegree:
        return self.degrees.get(actor_id, NO_PARTNER_DEGREE)


def partner_ties_summary(ties: "PartnerTies") -> str:
    """One sentence for the reports: what the partners' figures are computed on, and the
    reciprocity with what it counts."""
    basis = _(
        "Partners' answers: computed on the answers of %(respondents)s of the %(members)s "
        "members of the round (%(invited)s invited)."
    ) % {"respondents": ties.respondents, "members": ties.members, "invited": ties.invited}
    if ties.reciprocity is None:
        # Translated outside the f-string: makemessages does not read inside them.
        unknown = _("Reciprocity: – (no named tie can be checked yet).")
        return f"{basis} {unknown}"
    reciprocity = _(
        "Reciprocity: %(percent)s %% — %(confirmed)s of the %(checkable)s named ties whose "
        "other side answered are named back; %(unchecked)s more point to members that have "
        "not answered about them."
    ) % {
        "percent": number_format(ties.reciprocity * 100, 1),
        "confirmed": ties.confirmed,
        "checkable": ties.checkable,
        "unchecked": ties.unchecked,
    }
    return f"{basis} {reciprocity}"


NO_PARTNER_DEGREE = PartnerDegree(names=None, answered=0, named_by=None, answered_by=0, confirmed=0)


def partner_ties(*, round: AssessmentRound, actors: list[Actor]) -> PartnerTies:
    """The partners' answers among ``actors`` (the round's roster) as a directed network:
    one query (the round's links that are not revoked, each with its answers).

    An arc A → B is an answer of A about B at cooperation or above; an answer at 0 ("we do
    not work together", or the evidence questions all answered no) is a known "no"; "I
    don't know", an answer without a level and no answer at all are missing. Answers given
    through a revoked link are left out, as in the pair views; so are answers by or about
    actors not on the roster.
    """
    members = {actor.pk for actor in actors}
    rows = (
        Invitation.objects.filter(round_id=round.pk, revoked_at__isnull=True)
        .order_by()
        .values_list("actor_id", "answers__other_actor_id", "answers__level")
    )
    invited: set[int] = set()
    known: dict[tuple[int, int], int] = {}
    for author, other, level in rows:
        if author not in members:
            continue
        invited.add(author)
        if other is not None and other in members and other != author and level is not None:
            known[(author, other)] = level
    named = {pair for pair, level in known.items() if level >= LINK_LEVEL}
    checkable = [(a, b) for a, b in named if (b, a) in known]
    confirmed = {(a, b) for a, b in checkable if (b, a) in named}
    reciprocity = None
    if checkable:
        directed = nx.DiGraph()
        directed.add_edges_from(checkable)
        reciprocity = nx.reciprocity(directed)
    answered: dict[int, int] = {}
    answered_by: dict[int, int] = {}
    names: dict[int, int] = {}
    named_by: dict[int, int] = {}
    confirmed_by: dict[int, int] = {}
    for a, b in known:
        answered[a] = answered.get(a, 0) + 1
        answered_by[b] = answered_by.get(b, 0) + 1
    for a, b in named:
        names[a] = names.get(a, 0) + 1
        named_by[b] = named_by.get(b, 0) + 1
    for a, _b in confirmed:
        confirmed_by[a] = confirmed_by.get(a, 0) + 1
    degrees = {
        actor_id: PartnerDegree(
            names=names.get(actor_id, 0) if answered.get(actor_id) else None,
            answered=answered.get(actor_id, 0),
            named_by=named_by.get(actor_id, 0) if answered_by.get(actor_id) else None,
            answered_by=answered_by.get(actor_id, 0),
            confirmed=confirmed_by.get(actor_id, 0),
        )
        for actor_id in members
    }
    digest = hashlib.sha256(repr((sorted(invited), sorted(known.items()))).encode()).hexdigest()
    return PartnerTies(
        members=len(members),
        invited=len(invited),
        respondents=len(answered),
        named=len(named),
        checkable=len(checkable),
        confirmed=len(confirmed),
        reciprocity=reciprocity,
        degrees=degrees,
        digest=digest,
    )


@dataclass(frozen=True)
class NetworkNode:
    """One actor and its place in the network.

    ``brokerage`` is None where it cannot be measured: the round needs actors on both sides
    of health ↔ non-health besides this one. ``partner``: its ties as the partners' answers
    name them (``partner_ties``).
    """

    actor: Actor
    degree: int
    weighted_degree: int
    betweenness: float
    brokerage: float | None
    assessed_pairs: int
    partner: PartnerDegree = NO_PARTNER_DEGREE

    @property
    def sector(self) -> Sector:
        return self.actor.sector

    @property
    def brokerage_percent(self) -> float | None:
        return None if self.brokerage is None else self.brokerage * 100

    @property
    def is_isolated(self) -> bool:
        """No link at cooperation or above (its pairs are "none" or not assessed)."""
        return self.degree == 0


@dataclass(frozen=True)
class NetworkLink:
    actor_a: Actor
    actor_b: Actor
    level: int


@dataclass(frozen=True)
class SectorGroup:
    sector: Sector
    size: int
    colour: str


@dataclass(frozen=True)
class Network:
    """The network of a round. ``nodes`` follow the matrix order: by sector, health first.

    ``density``: links / pairs assessed (None when no pair is assessed); ``brokers``: the
    actors with a health ↔ non-health brokerage above 0, highest first. ``link_rows``: the
    links as (actor_a id, actor_b id, level); ``links`` the same with the actors.
    ``cache_key``: names this round's network as it stands (its version, roster and the
    actors' names and sectors, the language), for the page's cached parts; None when the
    round has no summary to tell its version.
    """

    round: AssessmentRound
    nodes: list[NetworkNode]
    link_rows: tuple
    sectors: list[SectorGroup]
    summary: LevelSummary
    density: float | None
    isolated: list[NetworkNode]
    brokers: list[NetworkNode]
    health_actors: int
    non_health_actors: int
    partners: PartnerTies
    cache_key: str | None = None

    @cached_property
    def links(self) -> list[NetworkLink]:
        by_id = {node.actor.pk: node.actor for node in self.nodes}
        return [NetworkLink(by_id[a], by_id[b], level) for a, b, level in self.link_rows]

    @property
    def link_count(self) -> int:
        return len(self.link_rows)

    @property
    def possible_pairs(self) -> int:
        return self.summary.possible

    @property
    def assessed_pairs(self) -> int:
        return self.summary.assessed

    @property
    def coverage_percent(self) -> float | None:
        coverage = self.summary.coverage
        return None if coverage is None else coverage * 100

    @property
    def density_percent(self) -> float | None:
        return None if self.density is None else self.density * 100

    @property
    def brokerage_measured(self) -> bool:
        """Whether there are health and non-health actors to broker between."""
        return self.health_actors > 0 and self.non_health_actors > 0

    @property
    def without_brokerage(self) -> int:
        """Actors that lie on no shortest path between health and non-health."""
        return sum(1 for node in self.nodes if node.brokerage == 0)

    @property
    def by_betweenness(self) -> list[NetworkNode]:
        return sorted(self.nodes, key=_rank_key)

    @property
    def partner_answered(self) -> list[NetworkNode]:
        """The actors with a yes-or-no answer by or about them, in matrix order."""
        return [node for node in self.nodes if node.partner.answered or node.partner.answered_by]


def _rank_key(node: NetworkNode):
    return (-node.betweenness, -node.weighted_degree, node.actor.name, node.actor.pk)


def _broker_key(node: NetworkNode):
    return (-node.brokerage, -node.betweenness, node.actor.name, node.actor.pk)


# Qualitative colours for sectors (Okabe-Ito, then Paul Tol's), distinct in print; health,
# first in the matrix order, takes the first. Beyond twenty sectors they repeat.
SECTOR_COLOURS = (
    "#d55e00",
    "#0072b2",
    "#009e73",
    "#e69f00",
    "#cc79a7",
    "#56b4e9",
    "#332288",
    "#117733",
    "#882255",
    "#44aa99",
    "#999933",
    "#aa4499",
    "#ddcc77",
    "#88ccee",
    "#661100",
    "#6699cc",
    "#aa4466",
    "#f0e442",
    "#4b4b4b",
    "#b3b3b3",
)


def network_for_round(*, round: AssessmentRound) -> Network:
    """Three queries when the round has not changed since its network was last measured
    (the roster with the sectors, the roster's rows for its name, the partners' answers),
    four when it has (and the levels of the round): the measures are cached under
    ``cache_key``. One more for the round's version unless the round was read with its
    summary (``rounds_visible_to``, as the pages read them)."""
    actors = round_actors(round=round)
    version = round_version(round, as_loaded=True)
    key = None if version is None else network_cache_key(round, version)
    measured = cache.get(key) if key else None
    if measured is None:
        measured = _measure(actors, round_levels(round=round, actors=actors))
        if key:
            cache.set(key, measured, PATH_MEASURES_TIMEOUT)
    return _network(
        round=round,
        actors=actors,
        measured=measured,
        partners=partner_ties(round=round, actors=actors),
        cache_key=key,
    )


def network_cache_key(round: AssessmentRound, version: int) -> str:
    """The network's name in the cache: ``round_roster_key`` (the round's version, its
    actors as it reads them and the language). One query."""
    return f"network:v3:{round_roster_key(round, version)}"


def network_from_matrix(*, matrix: Matrix, partners: PartnerTies | None = None) -> Network:
    """The network of a matrix already read (reports that show both read it once); one
    query for the partners' answers unless they are given.

    - density: links / pairs assessed;
    - degree: number of links; weighted degree: the sum of their levels (1–4);
    - betweenness: share of the shortest paths between two other actors that pass through
      the actor, a link's length being 1 / level (``LINK_LENGTH``), normalised over all
      actors of the round (``networkx.betweenness_centrality``, ``weight=``);
    - brokerage: ``health_brokerage``;
    - the partners' in- and out-degree and reciprocity: ``partner_ties``.
    """
    if partners is None:
        partners = partner_ties(round=matrix.round, actors=matrix.actors)
    return _network(
        round=matrix.round,
        actors=matrix.actors,
        measured=_measure(matrix.actors, matrix.levels),
        partners=partners,
    )


@dataclass(frozen=True)
class _Measured:
    """What the levels give, by actor id: plain values, cached between requests."""

    links: tuple  # (actor_a id, actor_b id, level), lower id first, sorted
    assessed: dict
    degree: dict
    weighted_degree: dict
    betweenness: dict
    brokerage: dict
    summary: LevelSummary


def _measure(actors: list[Actor], levels: dict) -> _Measured:
    ids = [actor.pk for actor in actors]
    assessed = dict.fromkeys(ids, 0)
    degree = dict.fromkeys(ids, 0)
    weighted = dict.fromkeys(ids, 0)
    links = []
    for (a, b), level in sorted(levels.items()):
        assessed[a] += 1
        assessed[b] += 1
        if level >= LINK_LEVEL:
            links.append((a, b, level))
            degree[a] += 1
            degree[b] += 1
            weighted[a] += level
            weighted[b] += level
    health = {actor.pk for actor in actors if actor.sector.is_health}
    betweenness, brokerage = path_measures(ids, links, health=health)
    n = len(ids)
    return _Measured(
        links=tuple(links),
        assessed=assessed,
        degree=degree,
        weighted_degree=weighted,
        betweenness=betweenness,
        brokerage=brokerage,
        summary=summarize_levels(levels.values(), possible=n * (n - 1) // 2),
    )


def _network(*, round, actors, measured: _Measured, partners: PartnerTies, cache_key=None):
    nodes = [
        NetworkNode(
            actor=actor,
            degree=measured.degree[actor.pk],
            weighted_degree=measured.weighted_degree[actor.pk],
            betweenness=measured.betweenness[actor.pk],
            brokerage=measured.brokerage[actor.pk],
            assessed_pairs=measured.assessed[actor.pk],
            partner=partners.of(actor.pk),
        )
        for actor in actors
    ]
    health = sum(1 for actor in actors if actor.sector.is_health)
    summary = measured.summary
    groups = [
        (sector, len(list(members)))
        for sector, members in groupby(actors, key=lambda actor: actor.sector)
    ]
    return Network(
        round=round,
        nodes=nodes,
        link_rows=measured.links,
        sectors=[
            SectorGroup(sector, size, SECTOR_COLOURS[index % len(SECTOR_COLOURS)])
            for index, (sector, size) in enumerate(groups)
        ],
        summary=summary,
        density=len(measured.links) / summary.assessed if summary.assessed else None,
        isolated=[node for node in nodes if node.is_isolated],
        brokers=sorted((node for node in nodes if node.brokerage), key=_broker_key),
        health_actors=health,
        non_health_actors=len(actors) - health,
        partners=partners,
        cache_key=cache_key,
    )


# Betweenness and brokerage take ~90 % of the network's time (1.2 s at 200 actors). They
# depend only on the actors, the links with their levels and which actors are health: the
# cache key is a digest of exactly that, so a changed level, roster or sector is never served
# stale, and an unchanged round (every closed round, and an open one between saves) is
# computed once and shared by the page, the API and the reports.
PATH_MEASURES_TIMEOUT = 7 * 24 * 3600


def path_measures(nodes, links, *, health: set) -> tuple[dict, dict]:
    """``betweenness`` and ``health_brokerage`` of the graph of ``nodes`` (actor ids) and
    ``links`` ((a, b, level), lower id first), from the cache when the same network was
    measured before (in this process, or in the shared cache when one is configured:
    ``CACHES``)."""
    digest = hashlib.sha256()
    digest.update(repr(sorted(nodes)).encode())
    digest.update(repr(sorted(health)).encode())
    digest.update(repr(sorted(links)).encode())
    key = f"network-path-measures:v2:{digest.hexdigest()}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    graph = nx.Graph()
    graph.add_nodes_from(nodes)
    graph.add_edges_from(
        (a, b, {"level": level, "length": LINK_LENGTH[level]}) for a, b, level in links
    )
    measures = (
        nx.betweenness_centrality(graph, normalized=True, weight="length"),
        health_brokerage(graph, health=health),
    )
    cache.set(key, measures, PATH_MEASURES_TIMEOUT)
    return measures


def health_brokerage(graph: nx.Graph, *, health: set) -> dict:
    """For each actor, the share of the pairs of one health and one non-health actor
    (other than itself) whose shortest paths (by ``length``) run through it: for each such
    pair, the share of its shortest paths that do, summed, then divided by the number of
    such pairs. None where there is no such pair (no actor on one side besides itself).

    ``networkx.betweenness_centrality_subset`` with the health actors as sources and the
    others as targets counts each pair once, then halves the sum for an undirected graph
    (its normalisation is meant for sources and targets that are the same set): the sum
    is doubled back here.
    """
    others = [node for node in graph if node not in health]
    if not health or not others:
        return dict.fromkeys(graph, None)
    raw = nx.betweenness_centrality_subset(
        graph, sources=list(health), targets=others, normalized=False, weight="length"
    )
    result = {}
    for node, value in raw.items():
        pairs = (
            (len(health) - 1) * len(others) if node in health else len(health) * (len(others) - 1)
        )
        result[node] = 2 * value / pairs if pairs else None
    return result


# Drawing -------------------------------------------------------------------------------

# Links by level: wider and darker as convergence deepens (the blue ramp of the matrix,
# level 1 a shade darker so that a thin line still shows on white paper).
LINK_STYLES = {
    1: ("#9ecae1", 1.0),
    2: ("#6baed6", 2.0),
    3: ("#2171b5", 3.5),
    4: ("#08306b", 5.0),
}
LABEL_MARGIN = 180
LABEL_CHARS = 28


def _text(value) -> str:
    """Escaped for XML and HTML alike; characters XML cannot hold replaced (U+FFFD)."""
    return escape(xml_safe(str(value)))


def _clip(value: str, size: int) -> str:
    return value if len(value) <= size else value[: size - 1] + "…"


# Above this many links each one is no longer drawn with its own tooltip.
LINKS_WITH_TOOLTIPS = 600


def network_svg(network: Network) -> SafeString:
    """The network as a standalone SVG (also valid inline in HTML), drawn the same each time.

    Actors sit on a circle in the matrix order, so each sector forms an arc; the node's
    area grows with its weighted degree; isolated actors are hollow. Names are escaped.
    """
    nodes = network.nodes
    count = len(nodes)
    radius = min(320, max(120, count * 7))
    side = 2 * (radius + LABEL_MARGIN)
    width = max(side, 760)
    centre_x, centre_y = width / 2, side / 2
    colours = {group.sector.pk: group.colour for group in network.sectors}
    heaviest = max((node.weighted_degree for node in nodes), default=0) or 1

    positions = {}
    for index, node in enumerate(nodes):
        angle = -math.pi / 2 + 2 * math.pi * index / count
        positions[node.actor.pk] = angle

    def point(angle: float, distance: float) -> tuple[str, str]:
        return (
            f"{centre_x + distance * math.cos(angle):.1f}",
            f"{centre_y + distance * math.sin(angle):.1f}",
        )

    title = _("Network of %(round)s") % {"round": network.round.name}
    desc = _(
        "%(actors)s actors, %(assessed)s of %(possible)s pairs assessed, %(links)s of them "
        "linked at cooperation or above."
    ) % {
        "actors": count,
        "assessed": network.assessed_pairs,
        "possible": network.possible_pairs,
        "links": network.link_count,
    }
    legend, legend_height = _legend(network, width=width, top=side)
    height = side + legend_height
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="network-map" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" height="{height:.0f}" '
        f'role="img" aria-labelledby="network-title network-desc" '
        f'font-family="system-ui, Arial, sans-serif" font-size="12">',
        f'<title id="network-title">{_text(title)}</title>',
        f'<desc id="network-desc">{_text(desc)}</desc>',
        f'<rect width="{width:.0f}" height="{height:.0f}" fill="#ffffff"/>',
        '<g class="links" stroke-linecap="round" fill="none">',
    ]
    # Weak links first, so that the strong ones are drawn on top.
    links = sorted(network.links, key=lambda item: item.level)
    if len(links) <= LINKS_WITH_TOOLTIPS:
        for link in links:
            colour, stroke = LINK_STYLES[link.level]
            x1, y1 = point(positions[link.actor_a.pk], radius)
            x2, y2 = point(positions[link.actor_b.pk], radius)
            label = (
                f"{link.actor_a.name} ↔ {link.actor_b.name}: {link.level} {Level(link.level).label}"
            )
            parts.append(
                f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="{colour}" '
                f'stroke-width="{stroke}" stroke-opacity="0.85">'
                f"<title>{_text(label)}</title></line>"
            )
    else:
        # A dense network: one path per level keeps the picture the same at a third of
        # the size (a fully scored 100-actor district has ~4,000 links), the links that
        # meet at an actor drawn as one line through it (``_trails``): each point of the
        # path is an actor's position, half as many as one move and one line a link.
        ends = {pk: " ".join(point(angle, radius)) for pk, angle in positions.items()}
        for level, members in groupby(links, key=lambda item: item.level):
            colour, stroke = LINK_STYLES[level]
            trails = _trails([(link.actor_a.pk, link.actor_b.pk) for link in members])
            path = "".join("M" + "L".join(ends[pk] for pk in trail) for trail in trails)
            parts.append(
                f'<path d="{path}" stroke="{colour}" stroke-width="{stroke}" '
                f'stroke-linejoin="round" stroke-opacity="0.85">'
                f"<title>{_text(Level(level).label)}</title></path>"
            )
    parts.append('</g><g class="nodes" stroke="#333333" stroke-width="1">')
    for node in nodes:
        angle = positions[node.actor.pk]
        x, y = point(angle, radius)
        size = 4 + 8 * math.sqrt(node.weighted_degree / heaviest)
        colour = colours[node.actor.sector_id]
        fill, stroke_dash = (
            ("#ffffff", ' stroke-dasharray="2 2"') if node.is_isolated else (colour, "")
        )
        stroke = f' stroke="{colour}" stroke-width="2"' if node.is_isolated else ""
        tooltip = _("%(name)s (%(sector)s): %(degree)s links, weighted degree %(weighted)s") % {
            "name": node.actor.name,
            "sector": node.sector.name,
            "degree": node.degree,
            "weighted": node.weighted_degree,
        }
        label_x, label_y = point(angle, radius + 14)
        degrees = math.degrees(angle)
        on_left = math.cos(angle) < -1e-9
        rotation = degrees + 180 if on_left else degrees
        anchor = "end" if on_left else "start"
        name = _clip(node.actor.short_name or node.actor.name, LABEL_CHARS)
        parts.append(
            f"<g><title>{_text(tooltip)}</title>"
            f'<circle cx="{x}" cy="{y}" r="{size:.1f}" fill="{fill}"{stroke}{stroke_dash}/>'
            f'<text x="{label_x}" y="{label_y}" text-anchor="{anchor}" dominant-baseline="middle" '
            f'stroke="none" fill="#1d2330" transform="rotate({rotation:.1f} {label_x} {label_y})">'
            f"{_text(name)}</text></g>"
        )
    parts.append("</g>")
    parts.append(legend)
    parts.append("</svg>")
    return mark_safe("".join(parts))


def _trails(links: list[tuple[int, int]]) -> list[list[int]]:
    """The links as trails: lists of actors, each link between two consecutive ones, each
    link in exactly one trail. Walks from an actor along links not yet drawn until none is
    left at the actor it reached, then starts again, in the order of ``links``."""
    around: dict[int, list[tuple[int, int]]] = {}
    for index, (a, b) in enumerate(links):
        around.setdefault(a, []).append((b, index))
        around.setdefault(b, []).append((a, index))
    for waiting in around.values():
        waiting.reverse()  # popped from the end: the first link first
    drawn = [False] * len(links)

    def next_link(actor: int) -> int | None:
        waiting = around[actor]
        while waiting:
            other, index = waiting.pop()
            if not drawn[index]:
                drawn[index] = True
                return other
        return None

    trails = []
    for a, _b in links:
        while (other := next_link(a)) is not None:
            trail = [a, other]
            while (other := next_link(trail[-1])) is not None:
                trail.append(other)
            trails.append(trail)
    return trails


def _legend(network: Network, *, width: float, top: float) -> tuple[str, float]:
    """The legend under the circle: link levels, then sector colours. Returns its height."""
    # Translated outside the f-strings: makemessages does not read inside them.
    links_title = _("Links: degree of convergence (Kim et al. 2017)")
    notes = " ".join(
        [
            _("Level 0 (none) and pairs not assessed are not drawn."),
            _("Hollow, dashed circle: isolated actor (no link)."),
            _("Circle size: weighted degree."),
        ]
    )
    sectors_title = _("Sectors")
    parts = ['<g class="legend" fill="#1d2330">']
    y = top + 10
    parts.append(f'<text x="20" y="{y:.0f}" font-weight="bold">{_text(links_title)}</text>')
    y += 22
    per_row = max(1, int((width - 40) // 200))
    for index, (level, (colour, stroke)) in enumerate(LINK_STYLES.items()):
        column, row = index % per_row, index // per_row
        x, line_y = 20 + column * 200, y + row * 22
        parts.append(
            f'<line x1="{x}" y1="{line_y - 4}" x2="{x + 40}" y2="{line_y - 4}" '
            f'stroke="{colour}" stroke-width="{stroke}" stroke-linecap="round"/>'
            f'<text x="{x + 50}" y="{line_y}">{level} {_text(Level(level).label)}</text>'
        )
    y += 22 * math.ceil(len(LINK_STYLES) / per_row)
    parts.append(f'<text x="20" y="{y:.0f}" fill="#5a6272">{_text(notes)}</text>')
    y += 28
    parts.append(f'<text x="20" y="{y:.0f}" font-weight="bold">{_text(sectors_title)}</text>')
    y += 22
    per_row = max(1, int((width - 40) // 340))
    for index, group in enumerate(network.sectors):
        column, row = index % per_row, index // per_row
        x, line_y = 20 + column * 340, y + row * 20
        name = _clip(group.sector.name, 40)
        parts.append(
            f'<circle cx="{x + 6}" cy="{line_y - 4}" r="6" fill="{group.colour}" '
            f'stroke="#333333"/><text x="{x + 18}" y="{line_y}">{_text(name)} ({group.size})</text>'
        )
    y += 20 * math.ceil(len(network.sectors) / per_row) if network.sectors else 0
    parts.append("</g>")
    return "".join(parts), y - top + 10


# The page's explorer ---------------------------------------------------------------------

# Actors coloured by their tier of government (national to village), a sequential ramp
# distinct from the link blues; keyed by ``GovernmentLevel`` value.
GOVERNMENT_LEVEL_COLOURS = {
    GovernmentLevel.NATIONAL: "#54278f",
    GovernmentLevel.PROVINCE: "#807dba",
    GovernmentLevel.DISTRICT: "#e6550d",
    GovernmentLevel.SUBDISTRICT: "#fd8d3c",
    GovernmentLevel.VILLAGE: "#31a354",
}


def cached_network_svg(network: Network) -> str:
    """``network_svg``, drawn once for each state of the round (``Network.cache_key``)."""
    if network.cache_key is None:
        return network_svg(network)
    key = f"{network.cache_key}:svg"
    drawing = cache.get(key)
    if drawing is None:
        drawing = str(network_svg(network))
        cache.set(key, drawing, PATH_MEASURES_TIMEOUT)
    return mark_safe(drawing)


def network_legend(network: Network) -> dict:
    """The colours and names of the explorer's controls: sectors, government levels and
    link levels (small: the page renders its controls from them)."""
    present_levels = sorted({node.actor.government_level for node in network.nodes})
    return {
        "sectors": [
            {
                "id": group.sector.pk,
                "name": group.sector.name,
                "colour": group.colour,
                "size": group.size,
            }
            for group in network.sectors
        ],
        "government_levels": [
            {
                "value": value,
                "name": str(GovernmentLevel(value).label),
                "colour": GOVERNMENT_LEVEL_COLOURS[value],
            }
            for value in present_levels
        ],
        "link_levels": [
            {"value": level, "name": str(Level(level).label), "colour": colour, "width": width}
            for level, (colour, width) in LINK_STYLES.items()
        ],
    }


def network_data(network: Network) -> dict:
    """The network as plain data for the page's explorer (fetched as JSON): the nodes with
    the figures already computed, the links and the colours of the drawing. No query and
    no new computation: it only restates ``network``.
    """
    colours = {group.sector.pk: group.colour for group in network.sectors}
    return {
        "round": network.round.pk,
        "nodes": [
            {
                "id": node.actor.pk,
                "name": node.actor.name,
                "short_name": node.actor.short_name or node.actor.name,
                "sector": node.actor.sector_id,
                "sector_name": node.sector.name,
                "sector_colour": colours[node.actor.sector_id],
                "government_level": node.actor.government_level,
                "government_level_name": node.actor.get_government_level_display(),
                "kind": node.actor.kind,
                "kind_name": node.actor.get_kind_display(),
                "degree": node.degree,
                "weighted_degree": node.weighted_degree,
                "betweenness": node.betweenness,
                "brokerage": node.brokerage,
                "in_degree": node.partner.named_by,
                "out_degree": node.partner.names,
            }
            for node in network.nodes
        ],
        "links": [{"a": a, "b": b, "level": level} for a, b, level in network.link_rows],
        **network_legend(network),
    }
