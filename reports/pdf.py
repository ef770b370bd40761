"""The region report as a PDF: an HTML template laid out by WeasyPrint, A4 landscape.

Nothing is fetched from outside: the stylesheet is read from the app's static files and
handed to WeasyPrint as a string, the drawings are inline SVG, and the URL fetcher accepts
``data:`` URLs only. Long lists (the pairs, the gaps) are paragraphs built in Python: a
WeasyPrint table row costs ten times a paragraph.
"""

from collections.abc import Callable

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher

from actors.models import Region, Sector
from assessments.models import EVIDENCE_FIELDS, Level, PairAssessment, level_legend
from assessments.selectors import Matrix, PairRow
from convergence.validators import xml_safe
from insights.selectors.gaps import Gap
from insights.selectors.network import network_svg
from insights.selectors.trends import PairChange
from reports.exports import LIST_SEPARATOR
from reports.matrix_overview import overview_legend, overview_svg, sector_bands
from reports.matrix_svg import matrix_pages
from reports.selectors import RegionReport

STYLESHEET = "css/report.css"
# Fills of the level-distribution bars (WeasyPrint styles inline SVG by attributes only).
BAR_FILLS = {
    "l0": "#f2f0f7",
    "l1": "#c6dbef",
    "l2": "#6baed6",
    "l3": "#2171b5",
    "l4": "#08306b",
    "na": "#d5d9e0",
}
# The gap and change lists are for acting on: past these, the XLSX holds the rest.
GAP_ROWS = 150
# A fully scored 100-actor district has 4,950 pairs: 330 printed pages and 30 s of layout
# nobody reads in a meeting. Pairs with something written come first, about 7 pages of
# them (each printed pair costs 3.6 ms of layout); the page says how many are left out,
# and the XLSX and the CSV hold every pair.
PAIR_ROWS = 100
CHANGE_ROWS = 25
CENTRAL_ACTORS = 15
# The who × who matrix on full pages (numbers and names, 30 × 28 actors a page) only up to
# this many actors: 60 take 6 pages; 200 would take 56 pages and 12 s of layout. Above it
# the one-page overview stands alone, and ``?sector=<id>`` prints one sector's rows.
FULL_MATRIX_MAX_ACTORS = 60


def _stylesheet() -> CSS:
    path = finders.find(STYLESHEET)
    with open(path, encoding="utf-8") as handle:
        return CSS(string=handle.read())


def build_pdf(
    report: RegionReport,
    *,
    sector: Sector | None = None,
    progress: Callable[[float], None] | None = None,
) -> bytes:
    """The report; with ``sector``, the full matrix pages hold that sector's actors' rows
    against all the actors, whatever the size of the round (the view checks that the
    round has actors in it). ``progress``, when given, is called with the share done
    (0 to 1) after each step: the content, the markup, the layout, the file."""
    step = progress or _no_progress
    step(0.0)
    context = report_context(report, sector=sector)
    step(0.15)
    # Text stored before the free-text rule may hold characters XML cannot (the inline SVG).
    html = xml_safe(render_to_string("reports/report.html", context))
    step(0.2)
    document = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"data"}))
    # Layout is most of the time, then drawing the pages into the file.
    laid_out = document.render(stylesheets=[_stylesheet()])
    step(0.75)
    pdf = laid_out.write_pdf()
    step(1.0)
    return pdf


def _no_progress(done: float) -> None:
    pass


def report_context(report: RegionReport, *, sector: Sector | None = None) -> dict:
    context = {
        "report": report,
        "region": report.region,
        "round": report.round,
        "dashboard": report.dashboard,
        "ranking": report.ranking,
        "legend": level_legend(),
        "language": get_language(),
        "exported_at": timezone.localtime(report.exported_at),
        "bars": [(bar, BAR_FILLS[bar.css_class]) for bar in report.dashboard.distribution],
    }
    content = report.content
    if content is None:
        return context
    network = content.network
    comparison = content.comparison
    gaps = content.gaps
    printed, pairs_total = content.pairs_to_print(PAIR_ROWS)
    context.update(
        content=content,
        **_matrix_context(content.matrix, sector, region=report.region),
        network=network,
        network_svg=network_svg(network) if network.nodes else "",
        central_actors=network.by_betweenness[:CENTRAL_ACTORS],
        brokers=network.brokers[:CENTRAL_ACTORS],
        gaps=gaps,
        gap_rows=_gap_paragraphs(gaps.gaps[:GAP_ROWS]),
        gaps_left_out=max(0, len(gaps.gaps) - GAP_ROWS),
        questions=[PairAssessment._meta.get_field(name).verbose_name for name in EVIDENCE_FIELDS],
        pair_rows=_pair_paragraphs(printed),
        pairs_printed=len(printed),
        pairs_total=pairs_total,
        pairs_left_out=pairs_total - len(printed),
        action_rows=_action_rows(report),
    )
    if comparison is not None:
        context.update(
            change_counts=[(kind, len(pairs)) for kind, pairs in comparison.groups],
            declined=_change_paragraphs(comparison.declined[:CHANGE_ROWS]),
            improved=_change_paragraphs(comparison.improved[:CHANGE_ROWS]),
            change_rows=CHANGE_ROWS,
        )
    return context


def _matrix_context(matrix: Matrix, sector: Sector | None, *, region: Region) -> dict:
    """The overview always; the full pages of all the actors in a round of at most
    ``FULL_MATRIX_MAX_ACTORS``, or of one sector's rows on request."""
    count = len(matrix.actors)
    bands = sector_bands(matrix)
    if sector is not None:
        pages = [
            page
            for band in bands
            if band.sector.pk == sector.pk
            for page in matrix_pages(matrix, rows=range(band.first, band.first + band.count))
        ]
    elif count <= FULL_MATRIX_MAX_ACTORS:
        pages = matrix_pages(matrix)
    else:
        pages = []
    return {
        "matrix_overview": overview_svg(matrix),
        "overview_legend": overview_legend(),
        # Where to download each sector's pages (``?sector=``, read by the view).
        "sector_links": [
            (
                band,
                f"{reverse('reports:region', args=[region.code, 'pdf'])}"
                f"?round={matrix.round.pk}&sector={band.sector.pk}",
            )
            for band in bands
        ],
        "matrix_pages": pages,
        "matrix_sector": sector,
        "full_matrix_max": FULL_MATRIX_MAX_ACTORS,
        "full_matrix_left_out": sector is None and count > FULL_MATRIX_MAX_ACTORS,
    }


def _level(level: int | None) -> str:
    if level is None:
        return _("Not assessed")
    return f"{level} {Level(level).label}"


def _answer(value: bool | None) -> str:
    if value is None:
        return "–"
    return _("yes") if value else _("no")


def _pair_paragraphs(pairs: list[PairRow]) -> SafeString:
    """One paragraph a pair: who, the level, then what was recorded about it."""
    evidence_label = escape(_("Evidence (questions 1–4)"))
    labels = {
        "mechanisms": escape(_("Mechanisms")),
        "facilitating": escape(_("Facilitating")),
        "hindering": escape(_("Hindering")),
        "note": escape(_("Note")),
    }
    scored = _("scored by %(name)s, %(date)s")
    parts = []
    for number, row in enumerate(pairs, start=1):
        details = []
        if any(value is not None for value in row.evidence):
            details.append(f"{evidence_label}: {escape(', '.join(map(_answer, row.evidence)))}")
        for key, values in (
            ("mechanisms", row.mechanism_labels),
            ("facilitating", row.facilitating_labels),
            ("hindering", row.hindering_labels),
        ):
            if values:
                details.append(f"{labels[key]}: {escape(LIST_SEPARATOR.join(values))}")
        if row.note:
            details.append(f"{labels['note']}: {escape(row.note)}")
        when = date_format(timezone.localtime(row.scored_at), "SHORT_DATE_FORMAT")
        by = scored % {"name": row.scored_by or "–", "date": when}
        parts.append(
            format_html(
                '<p class="pair l{}-edge">{}. {} ({}) ↔ {} ({}): {} · {}{}</p>',
                int(row.level),
                number,
                row.actor_a.name,
                row.actor_a.sector.name,
                row.actor_b.name,
                row.actor_b.sector.name,
                _level(row.level),
                by,
                mark_safe("<br>" + " · ".join(details)) if details else "",  # escaped above
            )
        )
    return mark_safe("".join(parts))


def _action_rows(report: RegionReport) -> list[dict]:
    """The round's follow-up actions, with their mechanism's label and whether they were
    overdue on the day of the export."""
    today = timezone.localdate(report.exported_at)
    mechanisms = report.content.vocabularies.mechanisms
    return [
        {
            "action": row.action,
            "check": row,
            "mechanism": mechanisms.label(row.action.mechanism),
            "overdue": row.action.is_overdue(today),
        }
        for row in report.content.actions
    ]


def _gap_paragraphs(gaps: list[Gap]) -> SafeString:
    below = _("%(count)s below the target")
    return mark_safe(
        "".join(
            format_html(
                '<p class="pair l{}-edge">{} ({}) ↔ {} ({}): {} · {}{}</p>',
                int(gap.level),
                gap.actor_a.name,
                gap.actor_a.sector.name,
                gap.actor_b.name,
                gap.actor_b.sector.name,
                _level(gap.level),
                below % {"count": gap.shortfall},
                format_html(" · {}", _("health ↔ non-health")) if gap.crosses_health else "",
            )
            for gap in gaps
        )
    )


def _change_paragraphs(pairs: list[PairChange]) -> SafeString:
    return mark_safe(
        "".join(
            format_html(
                '<p class="pair">{} ({}) ↔ {} ({}): {} → {}</p>',
                pair.actor_a.name,
                pair.actor_a.sector.name,
                pair.actor_b.name,
                pair.actor_b.sector.name,
                _level(pair.previous),
                _level(pair.current),
            )
            for pair in pairs
        )
    )
