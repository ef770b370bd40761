"""The region report as an XLSX workbook, in constant memory: XlsxWriter in its
constant-memory mode holds the workbook (sheets, styles, print set-up, frozen panes) and
streams each sheet's rows to a temporary file, in order, sheet after sheet; the rows' cell
XML is written here (``Book.cell_xml``), each distinct text escaped once.

Sheets: summary, who × who matrix, pairs, sectors (a sector × sector grid, as on the
sector page), by government level, network metrics, gaps, the round's follow-up actions
(RTL), change since the previous round (when there is one) and, for a province, its
districts ranked. Every sheet prints on A4 landscape, fitted to the page's width, its
header row repeated on each page.

Every cell holds a value, never a formula: each value is written as its type (text,
number, moment), never guessed from the text, and text that would read as a formula is
marked as text (``quotePrefix``). Characters that XLSX cannot hold (control characters,
U+FFFE…, stored before the free-text rule) are replaced by U+FFFD.
"""

import io
import math
import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import NamedTuple

import xlsxwriter
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from xlsxwriter.utility import xl_col_to_name

from assessments.models import Level
from convergence.validators import xml_safe
from insights.selectors.network import partner_ties_summary
from reports.exports import (
    LIST_SEPARATOR,
    answer,
    local,
    looks_like_formula,
    pair_header,
    pair_table,
    reconciliation_value,
)
from reports.selectors import RegionReport

# Cell styles as XlsxWriter format properties; a cell's format merges them (``Book``).
Style = dict


def solid(colour: str) -> Style:
    """A solid fill of ``colour`` (RRGGBB)."""
    return {"pattern": 1, "fg_color": f"#{colour}"}


# The matrix colours of the pages (ColorBrewer Blues); dark levels take white text.
LEVEL_FILLS = {
    level: solid(colour)
    for level, colour in {0: "F2F0F7", 1: "C6DBEF", 2: "6BAED6", 3: "2171B5", 4: "08306B"}.items()
}
LIGHT_TEXT: Style = {"font_color": "#FFFFFF"}
# Pattern 14 is "lightUp": thin diagonal hatching, as "not assessed" on the pages.
NOT_ASSESSED_FILL: Style = {"pattern": 14, "fg_color": "#C9CED6", "bg_color": "#FFFFFF"}
SELF_FILL = solid("3B3F47")
BOLD: Style = {"bold": True}
TITLE: Style = {"bold": True, "font_size": 14}
HEADER_FILL = solid("E8EBF0")
ROTATED: Style = {"rotation": 90, "valign": "bottom", "align": "center"}
CENTRED: Style = {"align": "center"}
WRAPPED: Style = {"text_wrap": True, "valign": "top"}
QUOTED: Style = {"quote_prefix": True}
PERCENT = "0.0%"
DECIMAL = "0.00"
DATETIME = "yyyy-mm-dd hh:mm"
DATE = "yyyy-mm-dd"
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
A4 = 9
EXCEL_EPOCH = datetime(1899, 12, 30)  # day 0 of the 1900 date system, as Excel counts
CACHED_TEXT_LENGTH = 200  # names and labels repeat; long notes are written once


class Cell(NamedTuple):
    """A value with its format (the merged properties of its styles, as a sorted tuple)."""

    value: object
    style: tuple


class Rendered(NamedTuple):
    """A cell whose XML is made once and written many times (a level's coloured cell)."""

    xml: str | None


class Book:
    """The workbook and its formats, one XlsxWriter ``Format`` per distinct style."""

    def __init__(self, output):
        self.workbook = xlsxwriter.Workbook(
            output,
            {
                "constant_memory": True,
                # The rows are written here (cell_xml); these guard the writer's own calls.
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
                "nan_inf_to_errors": True,
            },
        )
        self._formats: dict[tuple, object] = {}
        self._xf_attributes: dict[tuple, str] = {}
        self._texts: dict[str, tuple[str, bool]] = {}
        self._sector_names: dict[int, str] = {}
        # A plain text cell's XML by its text; each column's '<c r="B' (the row follows).
        self.plain_texts: dict[str, str] = {}
        self._cell_starts: list[str] = []

    def format(self, style: tuple):
        found = self._formats.get(style)
        if found is None:
            found = self._formats[style] = self.workbook.add_format(dict(style))
        return found

    def _xf(self, style: tuple) -> str:
        """The cell's style attribute: its format's index among the workbook's."""
        found = self._xf_attributes.get(style)
        if found is None:
            index = self.format(style)._get_xf_index() if style else 0
            found = self._xf_attributes[style] = f' s="{index}"' if index else ""
        return found

    def sector_name(self, sector) -> str:
        """A sector's name in the active language, looked up once per sector (the gaps and
        the change list name two sectors a row)."""
        found = self._sector_names.get(sector.pk)
        if found is None:
            found = self._sector_names[sector.pk] = sector.name
        return found

    def cell_starts(self, columns: int) -> list[str]:
        """``<c r="A``, ``<c r="B``… for the first ``columns`` columns."""
        starts = self._cell_starts
        while len(starts) < columns:
            starts.append(f'<c r="{xl_col_to_name(len(starts))}')
        return starts

    def cell_xml(self, value, style: tuple) -> str | None:
        """A cell's XML after its reference (``<c r="B2`` comes first), or None for an
        empty cell without a style.

        The rows of a report are hundreds of thousands of cells (545,000 at 200 actors):
        the writer's cell-by-cell calls cost about 7 µs a cell, their XML written here,
        each distinct text escaped once (``_text``), a fraction of that. XLSX (ECMA-376)
        sets the markup: inline strings, as the writer's constant-memory mode writes them,
        numbers as xsd:double, moments as serial days since 1899-12-30.
        """
        if isinstance(value, Promise):
            value = str(value)  # a lazy translation
        if value is None or value == "":
            return f"{self._xf(style)}/>" if style else None
        if isinstance(value, str):
            text = self._texts.get(value) or self._text(value)
            if text[1]:  # text that would read as a formula: marked as text
                style = tuple(sorted((*style, ("quote_prefix", True))))
            xml = f'{self._xf(style)} t="inlineStr"><is>{text[0]}</is></c>'
            if not style and len(value) <= CACHED_TEXT_LENGTH:
                self.plain_texts[value] = xml
            return xml
        if isinstance(value, bool):
            return f'{self._xf(style)} t="b"><v>{int(value)}</v></c>'
        if isinstance(value, int):
            return f"{self._xf(style)}><v>{int(value)}</v></c>"
        if isinstance(value, float | Decimal):
            number = float(value)
            if not math.isfinite(number):
                return f'{self._xf(style)} t="e"><v>#NUM!</v></c>'
            return f"{self._xf(style)}><v>{number!r}</v></c>"
        if isinstance(value, datetime):
            if value.tzinfo is not None:
                value = timezone.localtime(value).replace(tzinfo=None)
            delta = value - EXCEL_EPOCH
            serial = delta.days + (delta.seconds + delta.microseconds / 1e6) / 86400
            return f"{self._xf(style)}><v>{serial!r}</v></c>"
        if isinstance(value, date):
            return f"{self._xf(style)}><v>{(value - EXCEL_EPOCH.date()).days}</v></c>"
        return self.cell_xml(str(value), style)

    def _text(self, value: str) -> tuple[str, bool]:
        """``value`` as an inline string's XML, and whether it would read as a formula;
        kept for the next cell that holds the same text (names repeat in every row)."""
        safe = xml_safe(value)
        escaped = (
            safe.replace("&", "&amp;")
            .replace("<", "&lt;")
            .replace(">", "&gt;")
            # A parser reads a bare carriage return as a line feed.
            .replace("\r", "&#13;")
        )
        space = ' xml:space="preserve"' if safe[0].isspace() or safe[-1].isspace() else ""
        text = (f"<t{space}>{escaped}</t>", looks_like_formula(safe))
        if len(value) <= CACHED_TEXT_LENGTH:
            self._texts[value] = text
        return text

    def close(self) -> None:
        self.workbook.close()


def _style(*styles: Style | None, number_format: str | None = None) -> tuple:
    merged = {}
    for style in styles:
        if style:
            merged.update(style)
    if number_format is not None:
        merged["num_format"] = number_format
    return tuple(sorted(merged.items()))


class Sheet:
    """One worksheet, written row after row, with helpers that make every value safe to
    store."""

    def __init__(
        self,
        book: Book,
        title: str,
        widths: dict[int, float] = None,
        *,
        title_columns: str | None = None,
    ):
        clean = _SHEET_TITLE_FORBIDDEN.sub("-", xml_safe(title))[:31]
        self.book = book
        self.ws = book.workbook.add_worksheet(clean)
        self.row = 0
        for column, width in (widths or {}).items():
            self.ws.set_column(column - 1, column - 1, width)
        self._print_set_up(title_columns)
        self._level_cells: dict[int | None, Rendered] = {}

    def _print_set_up(self, title_columns: str | None) -> None:
        """A4 landscape, as wide as the page (as many pages long as needed), the first
        row (and ``title_columns``, e.g. "A:B") repeated on every page."""
        ws = self.ws
        ws.set_landscape()
        ws.set_paper(A4)
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(0)
        if title_columns:
            ws.repeat_columns(title_columns)

    def cell(self, value, *, font=None, fill=None, number_format=None, alignment=None):
        if font is None and fill is None and number_format is None and alignment is None:
            return value  # a plain value
        return Cell(value, _style(font, fill, alignment, number_format=number_format))

    def append(self, values, *, height: float | None = None) -> None:
        """Write ``values`` (plain values, ``Cell`` or ``Rendered``) as the next row,
        ``height`` points high when given."""
        book = self.book
        row = self.row
        number = str(row + 1)
        starts = book.cell_starts(len(values))
        plain_texts = book.plain_texts
        cells = []
        first = last = -1
        for column, value in enumerate(values):
            kind = type(value)
            if kind is str:
                xml = plain_texts.get(value)
                if xml is None:
                    xml = book.cell_xml(value, ())
            elif kind is Rendered:
                xml = value.xml
            elif kind is Cell:
                xml = book.cell_xml(value.value, value.style)
            elif value is None:
                continue
            else:
                xml = book.cell_xml(value, ())
            if xml is None:
                continue
            if first < 0:
                first = column
            last = column
            cells.append(f'{starts[column]}{number}"{xml}')
        self.row = row + 1
        if not cells and height is None:
            return
        ws = self.ws
        # The writer's own bookkeeping: the sheet's used range (its <dimension>).
        ws._check_dimensions(row, max(first, 0))
        ws._check_dimensions(row, max(last, 0))
        size = f' ht="{height:g}" customHeight="1"' if height is not None else ""
        ws.row_data_fh.write(f'<row r="{number}"{size}>{"".join(cells)}</row>')

    def header(self, values, *, freeze: str | None = "A2", alignment=None):
        if freeze:
            self.ws.freeze_panes(freeze)
        self.append(
            [self.cell(value, font=BOLD, fill=HEADER_FILL, alignment=alignment) for value in values]
        )

    def rendered(self, value, **styles) -> Rendered:
        """A cell written many times, its XML made once."""
        cell = self.cell(value, **styles)
        if type(cell) is Cell:
            return Rendered(self.book.cell_xml(cell.value, cell.style))
        return Rendered(self.book.cell_xml(cell, ()))

    def level(self, value: int | None) -> Rendered:
        """A level cell: the number on its colour; blank and hatched when not assessed."""
        key = None if value is None else int(value)
        found = self._level_cells.get(key)
        if found is None:
            if key is None:
                found = self.rendered(None, fill=NOT_ASSESSED_FILL)
            else:
                found = self.rendered(
                    key,
                    fill=LEVEL_FILLS[key],
                    font=LIGHT_TEXT if key >= 3 else None,
                    alignment=CENTRED,
                )
            self._level_cells[key] = found
        return found


def _percent(value: float | None) -> float | None:
    """A percentage (0–100) as the fraction a spreadsheet's % format expects."""
    return None if value is None else value / 100


def _tallies(items) -> str:
    return LIST_SEPARATOR.join(f"{item.label} ({item.count})" for item in items)


def build_xlsx(report: RegionReport, *, progress: Callable[[float], None] | None = None) -> bytes:
    """The workbook. ``progress``, when given, is called with the share done (0 to 1) after
    each sheet and after the file is packed; each sheet counts for its rows (the pairs and
    the matrix are most of them)."""
    content = report.content
    sheets = [_summary]
    if content is not None:
        sheets += [_matrix, _pairs, _sectors, _by_level, _network, _gaps, _actions]
        if content.comparison is not None:
            sheets.append(_change)
    if report.ranking is not None:
        sheets.append(_districts)
    weights = [_SHEET_WEIGHTS.get(write, 1) for write in sheets]
    # Packing the ZIP takes about a fifth of the build.
    total = sum(weights) * 1.25
    step = progress or _no_progress
    step(0.0)
    buffer = io.BytesIO()
    book = Book(buffer)
    done = 0
    for write, weight in zip(sheets, weights, strict=True):
        write(book, report)
        done += weight
        step(done / total)
    book.close()
    step(1.0)
    return buffer.getvalue()


def _no_progress(done: float) -> None:
    pass


def _summary(book: Book, report: RegionReport) -> None:
    sheet = Sheet(book, _("Summary"), {1: 42, 2: 48, 3: 14, 4: 60})
    round_ = report.round
    region = report.region
    sheet.append([sheet.cell(_("Convergence report"), font=TITLE)])
    rows = [
        (_("Region"), region.name, None),
        (_("Kemendagri code"), region.code, None),
        (_("Government level"), str(region.get_level_display()), None),
    ]
    if round_ is not None:
        rows += [
            (_("Round"), round_.name, None),
            (
                _("Period"),
                f"{date_format(round_.period_start, 'SHORT_DATE_FORMAT')}–"
                f"{date_format(round_.period_end, 'SHORT_DATE_FORMAT')}",
                None,
            ),
            (_("Status"), str(round_.get_status_display()), None),
            (_("Programme"), round_.programme.name if round_.programme else "—", None),
        ]
    rows += [
        (_("Exported by"), report.exported_by, None),
        (_("Exported at"), local(report.exported_at), DATETIME),
    ]
    for label, value, number_format in rows:
        sheet.append([sheet.cell(label, font=BOLD), sheet.cell(value, number_format=number_format)])
    current = report.dashboard.current
    if current is None:
        sheet.append([])
        sheet.append([_("This region has no assessment round yet.")])
        return

    summary = current.summary
    sheet.append([])
    sheet.append([sheet.cell(_("Key figures"), font=BOLD)])
    figures = [
        (_("Actors"), current.actor_count, None),
        (_("Possible pairs"), summary.possible, None),
        (_("Pairs assessed"), summary.assessed, None),
        (_("Not assessed"), current.not_assessed, None),
        (_("Coverage"), summary.coverage, PERCENT),
        (_("Mean level (0–4)"), summary.mean, DECIMAL),
        (_("Convergence index"), _percent(summary.index_percent), PERCENT),
        (_("Highest level"), summary.highest, None),
        (_("Density among the assessed pairs"), report.content.network.density, PERCENT),
    ]
    for label, value, number_format in figures:
        sheet.append([sheet.cell(label), sheet.cell(value, number_format=number_format)])
    response = report.content.partner_response
    if response is not None and response.invited:
        sheet.append(
            [
                sheet.cell(_("Partners' response")),
                sheet.cell(response.answered / response.invited, number_format=PERCENT),
                sheet.cell(
                    ngettext(
                        "%(answered)s of %(counter)s invited partner answered the partners' "
                        "form about their own ties; their answers are kept apart from the "
                        "official levels.",
                        "%(answered)s of %(counter)s invited partners answered the partners' "
                        "form about their own ties; their answers are kept apart from the "
                        "official levels.",
                        response.invited,
                    )
                    % {"answered": response.answered, "counter": response.invited}
                ),
            ]
        )

    sheet.append([])
    sheet.append(
        [
            sheet.cell(value, font=BOLD, fill=HEADER_FILL)
            for value in (_("Level"), _("Level name"), _("Pairs"), _("Share"))
        ]
    )
    for bar in report.dashboard.distribution:
        sheet.append(
            [
                sheet.level(bar.level) if bar.level is not None else sheet.cell("·"),
                sheet.cell(str(bar.label)),
                sheet.cell(bar.count),
                sheet.cell(bar.share, number_format=PERCENT),
            ]
        )
    sheet.append(
        [_("Levels: share of the assessed pairs. Not assessed: share of all possible pairs.")]
    )

    sheet.append(
        [
            _(
                "Density: of the assessed pairs, the share linked at cooperation or above "
                "(pairs not assessed are unknown, not missing links)."
            )
        ]
    )
    _summary_change(sheet, report)

    gaps = report.content.gaps
    sheet.append([])
    sheet.append([sheet.cell(_("Gaps"), font=BOLD)])
    sheet.append([_("Target level"), f"{gaps.target.value} {gaps.target.label}"])
    sheet.append([_("Pairs assessed below the target"), len(gaps.gaps)])
    sheet.append([_("Pairs at the target or above"), gaps.reaching_target])
    sheet.append([_("Not assessed"), gaps.not_assessed])

    sheet.append([])
    sheet.append([sheet.cell(_("Degrees of convergence (Kim et al. 2017)"), font=BOLD)])
    for level in Level:
        sheet.append(
            [sheet.level(level.value), sheet.cell(str(level.label)), None, str(level.definition)]
        )
    sheet.append([sheet.level(None), _("Not assessed"), None, _("Never counted as 0.")])


def _summary_change(sheet: Sheet, report: RegionReport) -> None:
    """The change since the previous round, like for like, and what is counted beside it."""
    change = report.dashboard.change
    sheet.append([])
    sheet.append([sheet.cell(_("Change since the previous round"), font=BOLD)])
    if change is None:
        sheet.append([_("There is no earlier round of this region to compare this round with.")])
        return
    previous = report.dashboard.previous
    not_rescored = (
        _("Not yet scored in this round")
        if change.still_open
        else _("Scored in the previous round only")
    )
    sheet.append([_("Previous round"), previous.round.name])
    sheet.append(
        [
            _(
                "Like for like: computed on the pairs scored in both rounds only; pairs "
                "scored in one of the two rounds are counted beside it, not in it."
            )
        ]
    )
    signed = "+0.0;-0.0;0.0"
    for label, value, number_format in (
        (_("Pairs scored in both rounds"), change.paired, None),
        (_("Mean level of these pairs, previous round"), change.mean_before, DECIMAL),
        (_("Mean level of these pairs, this round"), change.mean_now, DECIMAL),
        (_("Mean level, difference"), change.mean, "+0.00;-0.00;0.00"),
        (_("Convergence index, percentage points"), change.index_points, signed),
        (_("Improved"), change.improved, None),
        (_("Declined"), change.declined, None),
        (_("Unchanged"), change.unchanged, None),
        (_("Newly scored in this round"), change.newly_scored, None),
        (not_rescored, change.not_rescored, None),
        (_("Coverage, percentage points"), report.dashboard.coverage_points, signed),
    ):
        sheet.append([sheet.cell(label), sheet.cell(value, number_format=number_format)])


def _matrix(book: Book, report: RegionReport) -> None:
    matrix = report.content.matrix
    actors = matrix.actors
    widths = {1: 40, 2: 22} | {index + 3: 4.5 for index in range(len(actors))}
    sheet = Sheet(book, _("Matrix"), widths, title_columns="A:B")
    sheet.ws.freeze_panes("C2")
    # Actor names head the columns too, reading bottom-up as on the page.
    sheet.append(
        [
            sheet.cell(_("Actor"), font=BOLD, fill=HEADER_FILL),
            sheet.cell(_("Sector"), font=BOLD, fill=HEADER_FILL),
            *(sheet.cell(actor.name, font=BOLD, alignment=ROTATED) for actor in actors),
        ],
        height=160,
    )
    levels = matrix.levels
    self_cell = sheet.rendered(None, fill=SELF_FILL)
    for row in actors:
        cells = [sheet.cell(row.name, font=BOLD), sheet.cell(book.sector_name(row.sector))]
        row_id = row.pk
        for column in actors:
            column_id = column.pk
            if column_id == row_id:
                cells.append(self_cell)
                continue
            key = (row_id, column_id) if row_id < column_id else (column_id, row_id)
            cells.append(sheet.level(levels.get(key)))
        sheet.append(cells)


def _pairs(book: Book, report: RegionReport) -> None:
    # The pair list, then the latest reconciliation of the partners' views of each pair.
    header = [*pair_header(), _("Reconciliation of the partners' views")]
    sheet = Sheet(
        book,
        _("Pairs"),
        {1: 36, 2: 20, 3: 36, 4: 20, 5: 7, 6: 14, 7: 14, 8: 14, 9: 14, 10: 14, 11: 14, 12: 14}
        | {13: 36, 14: 36, 15: 36, 16: 40, 17: 20, 18: 17, 19: 40},
    )
    sheet.header(header, freeze="A2", alignment=WRAPPED)
    level_column = 4
    date_column = len(header) - 2
    content = report.content
    reconciliations = content.reconciliations
    moment = _style(number_format=DATETIME)  # merged once for the 19,900 rows of 200 actors
    for row, values in zip(
        content.pairs, pair_table(content.pairs, content.partner_views), strict=True
    ):
        values[level_column] = sheet.level(values[level_column])
        values[date_column] = Cell(values[date_column], moment)
        values.append(reconciliation_value(reconciliations.get((row.actor_a.pk, row.actor_b.pk))))
        sheet.append(values)
    sheet.ws.autofilter(0, 0, len(content.pairs), len(header) - 1)


def _sectors(book: Book, report: RegionReport) -> None:
    """The sector × sector grid of the sector page, one block a measure (mean level,
    highest level, coverage, pairs assessed / possible), then health ↔ non-health."""
    matrix = report.content.sectors
    sectors = matrix.sectors
    widths = {1: 34, 2: 9} | {index + 3: 14 for index in range(max(len(sectors), 5))}
    sheet = Sheet(book, _("Sectors"), widths, title_columns="A:B")
    sheet.header(
        [_("Sector"), _("Actors"), *(sector.name for sector in sectors)],
        freeze="C2",
        alignment=WRAPPED,
    )
    blocks = (
        (_("Mean level of the assessed pairs (0–4)"), _mean_cell),
        (_("Highest level"), _highest_cell),
        (_("Coverage: pairs assessed / pairs possible"), _coverage_cell),
        (_("Pairs assessed / pairs possible"), _counts_cell),
    )
    for title, cell_for in blocks:
        sheet.append([sheet.cell(title, font=BOLD)])
        for row in matrix.rows:
            sheet.append(
                [
                    sheet.cell(row.sector.name, font=BOLD),
                    sheet.cell(row.actor_count),
                    *(cell_for(sheet, summary) for summary in row.cells),
                ]
            )
        sheet.append([])
    sheet.append(
        [
            _(
                "A sector with itself counts the pairs of its own actors. Blank and hatched: "
                "no pair assessed yet; “—”: no pair possible."
            )
        ]
    )

    health = matrix.health
    sheet.append([])
    sheet.append([sheet.cell(_("Health ↔ non-health"), font=BOLD)])
    sheet.append(
        [
            sheet.cell(value, font=BOLD, fill=HEADER_FILL, alignment=WRAPPED)
            for value in (
                _("Sector"),
                _("With"),
                _("Possible pairs"),
                _("Pairs assessed"),
                _("Coverage"),
                _("Mean level"),
                _("Highest level"),
            )
        ]
    )
    _summary_row(sheet, [_("Health"), _("All non-health sectors")], health.overall)
    for link in health.by_sector:
        _summary_row(sheet, [_("Health"), link.sector.name], link.summary)


def _no_pair(sheet: Sheet, summary):
    """The cell of a pair of sectors without an assessed pair: "—" when none is possible,
    blank and hatched (as "not assessed" in the matrix) otherwise; None if assessed."""
    if not summary.possible:
        return sheet.cell("—", alignment=CENTRED)
    if not summary.assessed:
        return sheet.cell(None, fill=NOT_ASSESSED_FILL)
    return None


def _mean_cell(sheet: Sheet, summary):
    empty = _no_pair(sheet, summary)
    if empty is not None:
        return empty
    shade = min(4, int(summary.mean + 0.5))  # the page's colour: the mean rounded half up
    return sheet.cell(
        summary.mean,
        number_format=DECIMAL,
        fill=LEVEL_FILLS[shade],
        font=LIGHT_TEXT if shade >= 3 else None,
        alignment=CENTRED,
    )


def _highest_cell(sheet: Sheet, summary):
    empty = _no_pair(sheet, summary)
    return empty if empty is not None else sheet.level(summary.highest)


def _coverage_cell(sheet: Sheet, summary):
    if not summary.possible:
        return sheet.cell("—", alignment=CENTRED)
    return sheet.cell(summary.coverage, number_format=PERCENT, alignment=CENTRED)


def _counts_cell(sheet: Sheet, summary):
    if not summary.possible:
        return sheet.cell("—", alignment=CENTRED)
    return sheet.cell(f"{summary.assessed}/{summary.possible}", alignment=CENTRED)


def _summary_row(sheet: Sheet, labels: list, summary) -> None:
    sheet.append(
        [
            *(sheet.cell(label) for label in labels),
            sheet.cell(summary.possible),
            sheet.cell(summary.assessed),
            sheet.cell(summary.coverage, number_format=PERCENT),
            sheet.cell(summary.mean, number_format=DECIMAL),
            sheet.cell(summary.highest),
        ]
    )


def _by_level(book: Book, report: RegionReport) -> None:
    """Kim et al.'s Table 2: each government level (its main role, its actors, the
    convergence among them), and the convergence between levels, in the page's order."""
    table = report.content.by_level
    level_columns = {index + 10: 10 for index in range(len(Level))}
    sheet = Sheet(
        book,
        _("By level"),
        {1: 34, 2: 16, 3: 50, 4: 9, 5: 50, 6: 12, 7: 12, 8: 10, 9: 10}
        | level_columns
        | {15: 50, 16: 50, 17: 50},
    )
    sheet.header(
        [
            _("Government level"),
            _("Pairs counted"),
            _("Main role or action"),
            _("Actors"),
            _("Actor names"),
            _("Possible pairs"),
            _("Pairs assessed"),
            _("Mean level"),
            _("Median level"),
            *(
                _("Pairs at level %(value)d (%(label)s)")
                % {"value": level.value, "label": level.label}
                for level in Level
            ),
            _("Key mechanisms"),
            _("Facilitating factors"),
            _("Hindering factors"),
        ],
        alignment=WRAPPED,
    )
    for entry in table.entries:
        if entry.is_link:
            first = [
                sheet.cell(f"{entry.upper.label} ↔ {entry.lower.label}"),
                sheet.cell(_("Between the two levels")),
                sheet.cell(None),
                sheet.cell(entry.upper_actor_count + entry.lower_actor_count),
                sheet.cell(None),
            ]
        else:
            first = [
                sheet.cell(str(entry.level.label)),
                sheet.cell(_("Within the level")),
                sheet.cell(entry.main_role, alignment=WRAPPED),
                sheet.cell(len(entry.actors)),
                sheet.cell(LIST_SEPARATOR.join(item.actor.name for item in entry.actors)),
            ]
        sheet.append(
            [
                *first,
                sheet.cell(entry.summary.possible),
                sheet.cell(entry.summary.assessed),
                sheet.cell(entry.summary.mean, number_format=DECIMAL),
                sheet.cell(entry.median),
                *(sheet.cell(count) for _level, count in entry.distribution),
                sheet.cell(_tallies(entry.mechanisms)),
                sheet.cell(_tallies(entry.facilitating_factors)),
                sheet.cell(_tallies(entry.hindering_factors)),
            ]
        )
    sheet.append([])
    sheet.append(
        [
            _(
                "Within the level: pairs whose two actors are both at that level. Between "
                "the two levels: pairs with one actor at each. Counts in brackets: the "
                "assessed pairs that recorded the item."
            )
        ]
    )


def _network(book: Book, report: RegionReport) -> None:
    network = report.content.network
    sheet = Sheet(
        book,
        _("Network metrics"),
        {1: 40, 2: 24, 3: 10, 4: 12, 5: 12, 6: 12, 7: 12, 8: 10, 9: 14, 10: 14},
    )
    sheet.header(
        [
            _("Actor"),
            _("Sector"),
            _("Links"),
            _("Weighted degree"),
            _("Betweenness"),
            _("Brokerage"),
            _("Pairs assessed"),
            _("Isolated"),
            _("Named by (in-degree)"),
            _("Names (out-degree)"),
        ],
        alignment=WRAPPED,
    )
    fills = {group.sector.pk: solid(group.colour.lstrip("#").upper()) for group in network.sectors}
    for node in network.nodes:
        sheet.append(
            [
                sheet.cell(node.actor.name),
                sheet.cell(node.sector.name, fill=fills.get(node.sector.pk)),
                sheet.cell(node.degree),
                sheet.cell(node.weighted_degree),
                sheet.cell(node.betweenness, number_format="0.000"),
                sheet.cell(node.brokerage, number_format=PERCENT),
                sheet.cell(node.assessed_pairs),
                sheet.cell(answer(node.is_isolated)),
                sheet.cell(node.partner.named_by),
                sheet.cell(node.partner.names),
            ]
        )
    sheet.append([])
    for definition in (
        _(
            "Links: actors linked at cooperation or above. Weighted degree: the sum of "
            "their levels."
        ),
        _(
            "Betweenness: share of the shortest connections between two other actors that "
            "pass through the actor (0–1); a link's length is 1 / level, so connections "
            "follow the strongest ties."
        ),
        _(
            "Brokerage: of the pairs of one health and one non-health actor (the actor "
            "itself left out), the share whose shortest connection runs through the actor."
        ),
        _(
            "Named by (in-degree) and names (out-degree): from the partners' own answers, the "
            "members that say they work with the actor, and those it says it works with; "
            "empty where no answer is known (“I don't know” and no answer are not “no”)."
        ),
        partner_ties_summary(network.partners),
    ):
        sheet.append([definition])


def _gaps(book: Book, report: RegionReport) -> None:
    gaps = report.content.gaps
    sheet = Sheet(book, _("Gaps"), {1: 36, 2: 22, 3: 36, 4: 22, 5: 7, 6: 14, 7: 12, 8: 12})
    sheet.header(
        [
            _("Actor A"),
            _("Sector of actor A"),
            _("Actor B"),
            _("Sector of actor B"),
            _("Level"),
            _("Level name"),
            _("Target level"),
            _("Levels below the target"),
        ],
        alignment=WRAPPED,
    )
    labels = {level: str(level.label) for level in Level}  # translated once, not a row
    for gap in gaps.gaps:
        sheet.append(
            [
                gap.actor_a.name,
                book.sector_name(gap.actor_a.sector),
                gap.actor_b.name,
                book.sector_name(gap.actor_b.sector),
                sheet.level(gap.level),
                labels[gap.level],
                int(gap.target),
                gap.shortfall,
            ]
        )


def _actions(book: Book, report: RegionReport) -> None:
    """The round's follow-up actions (RTL), soonest due first, each with its subject's
    level in the next round against its target (blank while there is no next round)."""
    content = report.content
    today = timezone.localdate(report.exported_at)
    mechanisms = content.vocabularies.mechanisms
    sheet = Sheet(
        book,
        _("Actions (RTL)"),
        {1: 44, 2: 30, 3: 26, 4: 8, 5: 32, 6: 12, 7: 14, 8: 10, 9: 22, 10: 10, 11: 14},
        title_columns="A:A",
    )
    sheet.header(
        [
            _("About"),
            _("Aksi"),
            _("Mechanism"),
            _("Target level"),
            _("Owner"),
            _("Due date"),
            _("Status"),
            _("Overdue"),
            _("Checked in"),
            _("Level there"),
            _("Target reached"),
        ],
        alignment=WRAPPED,
    )
    for row in content.actions:
        action = row.action
        sheet.append(
            [
                sheet.cell(action.subject_label),
                sheet.cell(f"{action.aksi}. {action.get_aksi_display()}"),
                sheet.cell(mechanisms.label(action.mechanism)),
                sheet.level(action.target_level),
                sheet.cell(action.owner.name),
                sheet.cell(action.due_date, number_format=DATE),
                sheet.cell(str(action.get_status_display())),
                sheet.cell(answer(action.is_overdue(today))),
                sheet.cell(row.round.name if row.round else None),
                sheet.cell(row.level, number_format="0.0#"),
                sheet.cell(None if row.reached is None else answer(row.reached)),
            ]
        )
    if not content.actions:
        sheet.append([_("No follow-up action (RTL) was planned in this round.")])
    sheet.append([])
    sheet.append(
        [
            _(
                "Checked in the next round: a pair's level, or the mean level of the "
                "assessed pairs of a sector pair or of one actor, against the target. Blank "
                "while there is no next round, or when nothing of it is assessed there."
            )
        ]
    )


def _change(book: Book, report: RegionReport) -> None:
    comparison = report.content.comparison
    sheet = Sheet(book, _("Change"), {1: 20, 2: 36, 3: 22, 4: 36, 5: 22, 6: 12, 7: 12, 8: 9})
    sheet.header(
        [
            _("Change"),
            _("Actor A"),
            _("Sector of actor A"),
            _("Actor B"),
            _("Sector of actor B"),
            _("Previous round"),
            _("This round"),
            _("Difference"),
        ],
        alignment=WRAPPED,
    )
    signed = _style(number_format="+0;-0;0")  # merged once, not a row
    for kind, pairs in comparison.groups:
        label = str(kind.label)
        for pair in pairs:
            sheet.append(
                [
                    label,
                    pair.actor_a.name,
                    book.sector_name(pair.actor_a.sector),
                    pair.actor_b.name,
                    book.sector_name(pair.actor_b.sector),
                    sheet.level(pair.previous),
                    sheet.level(pair.current),
                    Cell(pair.change, signed),
                ]
            )


def _districts(book: Book, report: RegionReport) -> None:
    ranking = report.ranking
    sheet = Sheet(
        book,
        _("Districts"),
        {1: 8, 2: 32, 3: 10, 4: 40, 5: 10, 6: 14, 7: 12, 8: 12, 9: 12, 10: 12, 11: 10}
        | {12: 14, 13: 12, 14: 30},
    )
    sheet.header(
        [
            _("Rank"),
            _("District / city"),
            _("Kemendagri code"),
            _("Round"),
            _("Status"),
            _("Convergence index"),
            _("Mean level (0–4)"),
            _("Coverage"),
            _("Pairs assessed"),
            _("Possible pairs"),
            _("Actors"),
            _("Change since the previous round, index points"),
            _("Pairs scored in both rounds"),
            _("Ranked"),
        ],
        alignment=WRAPPED,
    )
    for standing in ranking.standings:
        summary = standing.summary
        change = standing.change
        if standing.rank is not None:
            ranked = _("Yes")
        elif standing.round is None:
            ranked = _("No round yet.")
        else:
            ranked = _("Not enough scored to rank")
        sheet.append(
            [
                sheet.cell(standing.rank),
                sheet.cell(standing.district.name),
                sheet.cell(standing.district.code),
                sheet.cell(standing.round.name if standing.round else ""),
                sheet.cell(str(standing.round.get_status_display()) if standing.round else ""),
                sheet.cell(
                    _percent(summary.index_percent) if summary else None, number_format=PERCENT
                ),
                sheet.cell(summary.mean if summary else None, number_format=DECIMAL),
                sheet.cell(summary.coverage if summary else None, number_format=PERCENT),
                sheet.cell(summary.assessed if summary else None),
                sheet.cell(summary.possible if summary else None),
                sheet.cell(standing.actor_count),
                sheet.cell(change.index_points if change else None, number_format="+0.0;-0.0;0.0"),
                sheet.cell(change.paired if change else None),
                sheet.cell(ranked),
            ]
        )
    rule = ranking.rule
    sheet.append([])
    sheet.append(
        [
            _(
                "Ranked: the latest round has at least %(coverage)s %% of its possible pairs "
                "scored, and at least %(pairs)s pairs."
            )
            % {"coverage": rule.min_coverage_percent, "pairs": rule.min_pairs}
        ]
    )
    sheet.append(
        [
            _(
                "Change since the previous round: the convergence index of the pairs scored "
                "in both rounds, in percentage points."
            )
        ]
    )


# The sheets' shares of the build's time at 200 actors (the pairs, the change, the gaps
# and the matrix hold most of the rows); the others count 1.
_SHEET_WEIGHTS = {_pairs: 10, _change: 5, _gaps: 4, _matrix: 2}
