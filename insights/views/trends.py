"""Region dashboard, network map, round comparison and programme overlaps.

Thin views: the computations are in ``insights.selectors.network`` and ``.trends``.
"""

import hashlib
import json

from django import forms
from django.core.cache import cache
from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from actors.models import GovernmentLevel, Sector
from assessments.matrix_html import level_names
from assessments.models import Level, level_legend
from assessments.selectors import reuse_matrices
from followup.access import can_manage_actions
from followup.selectors import action_progress, actions_checked_in, improvement_with_actions
from insights.selectors import network as network_selectors
from insights.selectors.gaps import largest_gaps
from insights.selectors.trends import (
    CHANGE_DEFINITIONS,
    ChangeKind,
    PairChange,
    compare_rounds,
    comparison_overview,
    national_overview,
    programme_overlaps,
    province_ranking,
    region_dashboard,
)
from insights.views import region_and_round
from partners.selectors import response_rate

# A comparison opens on the counts; each kind of change shows its first rows (largest
# change first) folded, and lists them all on demand (``?kind=<kind>``), so that the page
# stays short and small on slow links whatever the size of the round.
COMPARISON_ROW_LIMIT = 20
# The network page ranks the leading brokers; the XLSX report holds every actor's figure.
BROKERS_SHOWN = 10
# The dashboard lists the largest gaps of a district's round, each with its follow-up
# link; the report (PDF, XLSX) lists them all.
GAPS_SHOWN = 10


def dashboard(request, code):
    picked = region_and_round(request, code)
    board = region_dashboard(region=picked.region, rounds=picked.rounds, round=picked.round)
    context = {
        "region": picked.region,
        "rounds": picked.rounds,
        "round": picked.round,
        "board": board,
        "legend": level_legend(),
        # The partners' response to their links (one query; shown when some were invited).
        "partner_response": response_rate(picked.round) if picked.round else None,
    }
    template = "insights/dashboard.html"
    if picked.round is not None and picked.region.level >= GovernmentLevel.DISTRICT:
        context["actions"] = action_progress(
            region=picked.region, rounds=picked.rounds, today=timezone.localdate()
        )
        if board.previous is not None:
            context["with_actions"] = improvement_with_actions(
                round=picked.round, previous=board.previous.round
            )
        context.update(
            gaps=largest_gaps(round=picked.round, summary=board.current.summary, limit=GAPS_SHOWN),
            may_plan=can_manage_actions(request.user, picked.region),
        )
    if picked.region.level == GovernmentLevel.PROVINCE:
        context["ranking"] = province_ranking(province=picked.region)
        template = "insights/province_dashboard.html"
    elif picked.region.level == GovernmentLevel.NATIONAL:
        context["overview"] = national_overview(nation=picked.region)
        template = "insights/national.html"
    return render(request, template, context)


def network(request, code):
    """The network page. What is costly is cached for each state of the round
    (``Network.cache_key``): the measures, the drawing (an image the page links to), the
    explorer's data (``network_json``, fetched by the script) and the tables."""
    picked = region_and_round(request, code)
    context = {"region": picked.region, "rounds": picked.rounds, "round": picked.round}
    if picked.round is not None:
        graph = network_selectors.network_for_round(round=picked.round)
        context.update(
            network=graph,
            explorer={
                **network_selectors.network_legend(graph),
                "downloads": _downloads(graph, region=picked.region),
                "data_url": reverse("insights:network_json", args=[picked.region.code])
                + f"?round={graph.round.pk}",
            },
            brokers=graph.brokers[:BROKERS_SHOWN],
            brokers_left_out=max(0, len(graph.brokers) - BROKERS_SHOWN),
            tables_key=_tables_key(graph),
            tables_timeout=network_selectors.PATH_MEASURES_TIMEOUT,
        )
    return render(request, "insights/network.html", context)


def _tables_key(graph) -> str | None:
    """The page's tables change with the round (its version, roster, actors, language:
    ``cache_key``) and with the partners' answers."""
    if graph.cache_key is None:
        return None
    return f"{graph.cache_key}:{graph.partners.digest}"


def _downloads(graph, *, region) -> dict:
    round_query = f"?round={graph.round.pk}"
    return {
        "svg": reverse("insights:network_svg", args=[region.code]) + round_query,
        "gexf": reverse("reports:network_gexf", args=[region.code]) + round_query,
        "graphml": reverse("reports:network_graphml", args=[region.code]) + round_query,
        "png_name": f"network-{region.code}-{graph.round.pk}.png",
    }


def explorer_data(graph, *, region) -> dict:
    """The explorer's data (``network_data``) with the links it offers: each actor's page
    and the files of the round (the GEXF and GraphML files are the reports app's)."""
    data = network_selectors.network_data(graph)
    round_query = f"?round={graph.round.pk}"
    for node in data["nodes"]:
        node["url"] = reverse("insights:actor", args=[region.code, node["id"]]) + round_query
    data["downloads"] = _downloads(graph, region=region)
    return data


def _not_modified(request, etag: str) -> bool:
    return etag in [value.strip() for value in request.headers.get("If-None-Match", "").split(",")]


def network_json(request, code):
    """The explorer's data as JSON (``explorer_data``), built once for each state of the
    round and of the partners' answers; the browser revalidates it with its ETag."""
    picked = region_and_round(request, code)
    if picked.round is None:
        raise Http404(_("This region has no assessment round yet."))
    graph = network_selectors.network_for_round(round=picked.round)
    key = _tables_key(graph)
    body = None
    if key is not None:
        key = f"{key}:explorer:{picked.region.code}"
        etag = '"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'
        if _not_modified(request, etag):
            response = HttpResponseNotModified()
            response["ETag"] = etag
            return response
        body = cache.get(key)
    if body is None:
        body = json.dumps(explorer_data(graph, region=picked.region), separators=(",", ":"))
        if key is not None:
            cache.set(key, body, network_selectors.PATH_MEASURES_TIMEOUT)
    response = HttpResponse(body, content_type="application/json")
    response["Cache-Control"] = "private, no-cache"
    if key is not None:
        response["ETag"] = etag
    return response


def network_svg(request, code):
    picked = region_and_round(request, code)
    if picked.round is None:
        raise Http404(_("This region has no assessment round yet."))
    graph = network_selectors.network_for_round(round=picked.round)
    response = HttpResponse(
        network_selectors.cached_network_svg(graph), content_type="image/svg+xml; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'inline; filename="network-{picked.region.code}-{picked.round.pk}.svg"'
    )
    # Opened on its own, the drawing needs nothing: no script, style or other resource.
    response["Content-Security-Policy"] = "default-src 'none'"
    return response


class ComparisonFilterForm(forms.Form):
    sector = forms.TypedChoiceField(
        label=gettext_lazy("Sector"), coerce=int, empty_value=None, required=False
    )

    def __init__(self, *args, sectors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].choices = [("", gettext_lazy("All sectors"))] + [
            (sector.pk, sector.name) for sector in sectors
        ]


def previous_round(rounds, current, raw_id):
    """``?previous=<id>`` among the region's rounds (404 if absent), else the one before."""
    if raw_id not in (None, ""):
        for round_ in rounds:
            if str(round_.pk) == str(raw_id):
                return round_
        raise Http404(_("No such assessment round in this region."))
    position = [round_.pk for round_ in rounds].index(current.pk)
    return rounds[position + 1] if position + 1 < len(rounds) else None


def comparison(request, code):
    picked = region_and_round(request, code)
    context = {"region": picked.region, "rounds": picked.rounds, "round": picked.round}
    if picked.round is None:
        return render(request, "insights/comparison.html", context)
    previous = previous_round(picked.rounds, picked.round, request.GET.get("previous"))
    sectors = list(Sector.objects.all())
    filters = ComparisonFilterForm(request.GET, sectors=sectors)
    context.update(previous=previous, filters=filters)
    if not filters.is_valid():
        return render(request, "insights/comparison.html", context, status=400)
    if previous is None:
        return render(request, "insights/comparison.html", context)
    chosen = filters.cleaned_data["sector"]
    sector = next(item for item in sectors if item.pk == chosen) if chosen else None
    raw_kind = request.GET.get("kind", "")
    change_rows = _ChangeRows()
    if raw_kind:
        # One kind listed in full (the "show all" of its group): every pair is read.
        result = compare_rounds(current=picked.round, previous=previous, sector=sector)
        groups = [
            _change_group(request, kind, len(pairs), pairs, change_rows)
            for kind, pairs in result.groups
        ]
    else:
        # The counts and each kind's first rows, cached for the two rounds' states.
        result = comparison_overview(
            current=picked.round, previous=previous, sector=sector, limit=COMPARISON_ROW_LIMIT
        )
        groups = [
            _change_group(request, kind, count, first, change_rows)
            for kind, count, first in result.groups
        ]
        # The previous round's actions (listed with every kind of change, not with one
        # kind), checked on the current round's matrix: read once for them all, and only
        # when there is an action to check.
        with reuse_matrices():
            context["checked_actions"] = actions_checked_in(
                user=request.user, previous=previous, current=picked.round, sector=sector
            )
    context.update(comparison=result, groups=groups, row_limit=COMPARISON_ROW_LIMIT)
    if raw_kind:
        shown = next((group for group in groups if group["kind"].value == raw_kind), None)
        if shown is None:
            context["kind_error"] = _(
                "There is no kind of change “%(value)s” in this comparison. Choose one of "
                "the kinds listed above."
            ) % {"value": raw_kind}
            return render(request, "insights/comparison.html", context, status=400)
        shown.update(rows=change_rows(shown["pairs"]), capped=False, open=True)
        every_kind = request.GET.copy()
        del every_kind["kind"]
        context.update(
            shown_kind=shown["kind"],
            shown_groups=[shown],
            every_kind_url=f"?{every_kind.urlencode()}",
        )
    else:
        context["shown_groups"] = groups
    context["legend"] = level_legend()
    return render(request, "insights/comparison.html", context)


class _ChangeRows:
    """The change rows of one page, built as strings (a comparison can hold thousands of
    pairs): the level cells built once, each actor's and sector's name escaped once for
    all the kinds of change."""

    def __init__(self):
        names = level_names()
        self.cells = {None: f'<td class="level na" title="{names[-1]}">·</td>'} | {
            level: f'<td class="level l{level}" title="{names[level]}">{level}</td>'
            for level in Level
        }
        self.escaped: dict[int, str] = {}

    def actor_cells(self, actor) -> str:
        found = self.escaped.get(actor.pk)
        if found is None:
            found = self.escaped[actor.pk] = (
                f"<td>{escape(actor.name)}</td><td>{escape(actor.sector.name)}</td>"
            )
        return found

    def __call__(self, pairs: list[PairChange]) -> SafeString:
        cells, actor_cells = self.cells, self.actor_cells
        return SafeString(
            "".join(
                f"<tr>{actor_cells(pair.actor_a)}{actor_cells(pair.actor_b)}"
                f'{cells[pair.previous]}{cells[pair.current]}<td class="change">'
                f"{'' if pair.change is None else f'{pair.change:+d}'.replace('-', '−')}"
                "</td></tr>"
                for pair in pairs
            )
        )


def _change_group(
    request, kind: ChangeKind, count: int, pairs: list[PairChange], rows: _ChangeRows
) -> dict:
    """One kind of change, as the page first shows it: its count and first rows
    (``pairs``: at least those, all of them when the kind is listed in full)."""
    query = request.GET.copy()
    query["kind"] = kind.value
    return {
        "kind": kind,
        "definition": CHANGE_DEFINITIONS[kind],
        "count": count,
        "pairs": pairs,
        "rows": rows(pairs[:COMPARISON_ROW_LIMIT]),
        "capped": count > COMPARISON_ROW_LIMIT,
        "open": False,
        "all_url": f"?{query.urlencode()}#{kind.value}",
    }


def overlaps(request, code):
    picked = region_and_round(request, code)
    report = programme_overlaps(region=picked.region, round=picked.round)
    return render(
        request,
        "insights/overlaps.html",
        {
            "region": picked.region,
            "rounds": picked.rounds,
            "round": picked.round,
            "report": report,
        },
    )
