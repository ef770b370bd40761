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
"""

import hashlib
import math
from dataclasses import dataclass
from itertools import groupby

import networkx as nx
from django.core.cache import cache
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from actors.models import Actor, GovernmentLevel, Sector
from assessments.models import AssessmentRound, Level
from assessments.selectors import LevelSummary, Matrix, matrix_for_round
from convergence.validators import xml_safe

# A link needs at least cooperation.
LINK_LEVEL = Level.COOPERATION
# The length of a link for shortest paths: 1 / level, scaled to whole numbers.
LINK_LENGTH = {1: 12, 2: 6, 3: 4, 4: 3}


@dataclass(frozen=True)
class NetworkNode:
    """One actor and its place in the network.

    ``brokerage`` is None where it cannot be measured: the round needs actors on both sides
    of health ↔ non-health besides this one.
    """

    actor: Actor
    degree: int
    weighted_degree: int
    betweenness: float
    brokerage: float | None
    assessed_pairs: int

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
    actors with a health ↔ non-health brokerage above 0, highest first.
    """

    round: AssessmentRound
    nodes: list[NetworkNode]
    links: list[NetworkLink]
    sectors: list[SectorGroup]
    summary: LevelSummary
    density: float | None
    isolated: list[NetworkNode]
    brokers: list[NetworkNode]
    health_actors: int
    non_health_actors: int

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
    """Two queries (those of ``matrix_for_round``); the rest is computed in memory."""
    return network_from_matrix(matrix=matrix_for_round(round=round))


def network_from_matrix(*, matrix: Matrix) -> Network:
    """The network of a matrix already read (reports that show both read it once).

    - density: links / pairs assessed;
    - degree: number of links; weighted degree: the sum of their levels (1–4);
    - betweenness: share of the shortest paths between two other actors that pass through
      the actor, a link's length being 1 / level (``LINK_LENGTH``), normalised over all
      actors of the round (``networkx.betweenness_centrality``, ``weight=``);
    - brokerage: ``health_brokerage``.
    """
    actors = matrix.actors
    by_id = {actor.pk: actor for actor in actors}
    graph = nx.Graph()
    graph.add_nodes_from(by_id)
    assessed = dict.fromkeys(by_id, 0)
    links = []
    for (a, b), level in sorted(matrix.levels.items()):
        assessed[a] += 1
        assessed[b] += 1
        if level < LINK_LEVEL:
            continue
        graph.add_edge(a, b, level=level, length=LINK_LENGTH[level])
        links.append(NetworkLink(by_id[a], by_id[b], level))
    health = {actor.pk for actor in actors if actor.sector.is_health}
    betweenness, brokerage = path_measures(graph, health=health)
    nodes = [
        NetworkNode(
            actor=actor,
            degree=graph.degree(actor.pk),
            weighted_degree=graph.degree(actor.pk, weight="level"),
            betweenness=betweenness[actor.pk],
            brokerage=brokerage[actor.pk],
            assessed_pairs=assessed[actor.pk],
        )
        for actor in actors
    ]
    summary = matrix.summary
    return Network(
        round=matrix.round,
        nodes=nodes,
        links=links,
        sectors=[
            SectorGroup(sector, len(members), SECTOR_COLOURS[index % len(SECTOR_COLOURS)])
            for index, (sector, members) in enumerate(matrix.sector_groups)
        ],
        summary=summary,
        density=len(links) / summary.assessed if summary.assessed else None,
        isolated=[node for node in nodes if node.is_isolated],
        brokers=sorted((node for node in nodes if node.brokerage), key=_broker_key),
        health_actors=len(health),
        non_health_actors=len(actors) - len(health),
    )


# Betweenness and brokerage take ~90 % of the network's time (1.2 s at 200 actors). They
# depend only on the actors, the links with their levels and which actors are health: the
# cache key is a digest of exactly that, so a changed level, roster or sector is never served
# stale, and an unchanged round (every closed round, and an open one between saves) is
# computed once and shared by the page, the API and the reports.
PATH_MEASURES_TIMEOUT = 7 * 24 * 3600


def path_measures(graph: nx.Graph, *, health: set) -> tuple[dict, dict]:
    """``betweenness`` and ``health_brokerage`` of ``graph``, from the cache when the same
    network was measured before (in this process, or in the shared cache when one is
    configured: ``CACHES``)."""
    digest = hashlib.sha256()
    digest.update(repr(sorted(graph.nodes)).encode())
    digest.update(repr(sorted(health)).encode())
    digest.update(
        repr(
            sorted((min(a, b), max(a, b), data["level"]) for a, b, data in graph.edges(data=True))
        ).encode()
    )
    key = f"network-path-measures:v1:{digest.hexdigest()}"
    cached = cache.get(key)
    if cached is not None:
        return cached
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
        "links": len(network.links),
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
        # the size (a fully scored 100-actor district has ~4,000 links).
        for level, members in groupby(links, key=lambda item: item.level):
            colour, stroke = LINK_STYLES[level]
            segments = []
            for link in members:
                x1, y1 = point(positions[link.actor_a.pk], radius)
                x2, y2 = point(positions[link.actor_b.pk], radius)
                segments.append(f"M{x1} {y1}L{x2} {y2}")
            parts.append(
                f'<path d="{"".join(segments)}" stroke="{colour}" stroke-width="{stroke}" '
                f'stroke-opacity="0.85"><title>{_text(Level(level).label)}</title></path>'
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


def network_data(network: Network) -> dict:
    """The network as plain data for the page's explorer (``json_script``): the nodes with
    the figures already computed, the links and the colours of the drawing. No query and
    no new computation: it only restates ``network``.
    """
    colours = {group.sector.pk: group.colour for group in network.sectors}
    present_levels = sorted({node.actor.government_level for node in network.nodes})
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
            }
            for node in network.nodes
        ],
        "links": [
            {"a": link.actor_a.pk, "b": link.actor_b.pk, "level": link.level}
            for link in network.links
        ],
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
