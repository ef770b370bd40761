"""A round's network as files for Gephi and other network tools: GEXF, GraphML (written
by networkx) and a node list and an edge list as CSV (Gephi's spreadsheet import).

Nothing is computed here: nodes carry the metrics of ``insights.selectors.network`` (the
network page's), links are its links (pairs at cooperation or above; level 0 and pairs
not assessed are no link), with what the scorers recorded about them
(``reports.selectors.network_files``).

Node ids are the actors' ids, labels their names. Gephi reads the columns named Id, Label,
Source, Target, Type and Weight, in English whatever the language of the others; a link's
weight is its level (1–4). Text is made XML-safe (``xml_safe``: characters XML cannot hold
become U+FFFD); the CSV files neutralise formula-like text as the other CSV reports do.
"""

import io

import networkx as nx
from django.utils.translation import gettext as _

from assessments.models import Level
from convergence.validators import xml_safe
from reports.exports import LIST_SEPARATOR, answer, csv_bytes
from reports.selectors import NetworkFiles

GEXF_CONTENT_TYPE = "application/gexf+xml"
GRAPHML_CONTENT_TYPE = "application/graphml+xml"


def _text(value) -> str:
    return xml_safe(str(value))


def _joined(labels: list[str]) -> str:
    return _text(LIST_SEPARATOR.join(labels))


def network_graph(files: NetworkFiles) -> nx.Graph:
    """The round's network as a networkx graph whose attributes are plain values (text,
    numbers, booleans), as GEXF and GraphML hold them. Node keys are the actor ids as text
    (the files' ids); a brokerage that cannot be measured is left out, not written as 0."""
    network = files.network
    partners = network.partners
    graph = nx.Graph(
        name=_text(files.round.name),
        region=_text(files.region.name),
        region_code=_text(files.region.code),
        partner_members=partners.members,
        partner_invited=partners.invited,
        partner_respondents=partners.respondents,
        partner_named=partners.named,
        partner_checkable=partners.checkable,
        partner_confirmed=partners.confirmed,
    )
    if partners.reciprocity is not None:
        graph.graph["reciprocity"] = float(partners.reciprocity)
    colours = {group.sector.pk: group.colour for group in network.sectors}
    for node in network.nodes:
        actor = node.actor
        attributes = {
            "label": _text(actor.name),
            "short_name": _text(actor.short_name),
            "sector": _text(actor.sector.name),
            "sector_colour": colours.get(actor.sector_id, ""),
            "is_health": bool(actor.sector.is_health),
            "kind": _text(actor.get_kind_display()),
            "government_level": _text(actor.get_government_level_display()),
            "degree": node.degree,
            "weighted_degree": node.weighted_degree,
            "betweenness": float(node.betweenness),
            "assessed_pairs": node.assessed_pairs,
            "isolated": node.is_isolated,
        }
        if node.brokerage is not None:
            attributes["brokerage"] = float(node.brokerage)
        # The partners' answers (directed): left out where unknown, never written as 0.
        partner = node.partner
        if partner.named_by is not None:
            attributes["in_degree"] = partner.named_by
            attributes["in_answers"] = partner.answered_by
        if partner.names is not None:
            attributes["out_degree"] = partner.names
            attributes["out_answers"] = partner.answered
            attributes["named_back"] = partner.confirmed
        graph.add_node(str(actor.pk), **attributes)
    for link in network.links:
        evidence = files.evidence_of(link)
        graph.add_edge(
            str(link.actor_a.pk),
            str(link.actor_b.pk),
            weight=link.level,
            level=link.level,
            level_name=_text(Level(link.level).label),
            mechanisms=_joined(evidence.mechanisms),
            facilitating_factors=_joined(evidence.facilitating_factors),
            hindering_factors=_joined(evidence.hindering_factors),
        )
    return graph


def _rgb(colour: str) -> dict:
    value = colour.lstrip("#")
    return {"r": int(value[0:2], 16), "g": int(value[2:4], 16), "b": int(value[4:6], 16)}


def build_gexf(files: NetworkFiles) -> bytes:
    """GEXF 1.2 (Gephi's own format): the nodes also carry their sector's colour, as on
    the network page, so that Gephi draws them alike."""
    graph = network_graph(files)
    for _key, attributes in graph.nodes(data=True):
        if attributes["sector_colour"]:
            attributes["viz"] = {"color": {**_rgb(attributes["sector_colour"]), "a": 1.0}}
    buffer = io.BytesIO()
    nx.write_gexf(graph, buffer, encoding="utf-8", version="1.2draft")
    return buffer.getvalue()


def build_graphml(files: NetworkFiles) -> bytes:
    buffer = io.BytesIO()
    nx.write_graphml(network_graph(files), buffer, encoding="utf-8")
    return buffer.getvalue()


def build_node_csv(files: NetworkFiles) -> bytes:
    """One row an actor; Id and Label as Gephi names them."""
    header = [
        "Id",
        "Label",
        _("Sector"),
        _("Health sector"),
        _("Kind"),
        _("Government level"),
        _("Links"),
        _("Weighted degree"),
        _("Betweenness"),
        _("Brokerage"),
        _("Pairs assessed"),
        _("Isolated"),
        _("Named by (in-degree)"),
        _("Members that answered about it"),
        _("Names (out-degree)"),
        _("Members it answered about"),
        _("Named back"),
    ]
    rows = [
        [
            node.actor.pk,
            node.actor.name,
            node.actor.sector.name,
            answer(node.actor.sector.is_health),
            str(node.actor.get_kind_display()),
            str(node.actor.get_government_level_display()),
            node.degree,
            node.weighted_degree,
            _decimal(node.betweenness),
            "" if node.brokerage is None else _decimal(node.brokerage),
            node.assessed_pairs,
            answer(node.is_isolated),
            _blank_if_none(node.partner.named_by),
            node.partner.answered_by,
            _blank_if_none(node.partner.names),
            node.partner.answered,
            "" if node.partner.names is None else node.partner.confirmed,
        ]
        for node in files.network.nodes
    ]
    return csv_bytes(header, rows)


def build_edge_csv(files: NetworkFiles) -> bytes:
    """One row a link; Source, Target, Type and Weight as Gephi names them."""
    header = [
        "Source",
        "Target",
        "Type",
        "Weight",
        _("Actor A"),
        _("Actor B"),
        _("Level name"),
        _("Mechanisms"),
        _("Facilitating factors"),
        _("Hindering factors"),
    ]
    rows = []
    for link in files.network.links:
        evidence = files.evidence_of(link)
        rows.append(
            [
                link.actor_a.pk,
                link.actor_b.pk,
                "Undirected",
                link.level,
                link.actor_a.name,
                link.actor_b.name,
                str(Level(link.level).label),
                LIST_SEPARATOR.join(evidence.mechanisms),
                LIST_SEPARATOR.join(evidence.facilitating_factors),
                LIST_SEPARATOR.join(evidence.hindering_factors),
            ]
        )
    return csv_bytes(header, rows)


def _blank_if_none(value):
    """Unknown is an empty cell, never 0."""
    return "" if value is None else value


def _decimal(value: float) -> str:
    """A share with a decimal point, as Gephi reads it (never the locale's comma)."""
    return f"{value:.6f}"
