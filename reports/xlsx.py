"""The region report as an XLSX workbook (openpyxl, write-only: rows are streamed).

Sheets: summary, who × who matrix, pairs, sectors (a sector × sector grid, as on the
sector page), by government level, network metrics, gaps, the round's follow-up actions
(RTL), change since the previous round (when there is one) and, for a province, its
districts ranked. Every sheet prints on A4
landscape, fitted to the page's width, its header row repeated on each page.

Every cell holds a value, never a formula: text that would read as one is stored as text
(``quotePrefix``), and characters that XLSX cannot hold (control characters, U+FFFE…,
stored before the free-text rule) are replaced by U+FFFD.
"""

import io
import re

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from assessments.models import Level
from convergence.validators import xml_safe
from reports.exports import (
    LIST_SEPARATOR,
    answer,
    local,
    looks_like_formula,
    pair_header,
    pair_values,
    reconciliation_value,
)
from reports.selectors import RegionReport

# The matrix colours of the pages (ColorBrewer Blues); dark levels take white text.
LEVEL_FILLS = {
    level: PatternFill("solid", fgColor=colour)
    for level, colour in {0: "F2F0F7", 1: "C6DBEF", 2: "6BAED6", 3: "2171B5", 4: "08306B"}.items()
}
LIGHT_TEXT = Font(color="FFFFFF")
NOT_ASSESSED_FILL = PatternFill("lightUp", fgColor="C9CED6", bgColor="FFFFFF")
SELF_FILL = PatternFill("solid", fgColor="3B3F47")
BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="E8EBF0")
ROTATED = Alignment(text_rotation=90, vertical="bottom", horizontal="center")
CENTRED = Alignment(horizontal="center")
WRAPPED = Alignment(wrap_text=True, vertical="top")
PERCENT = "0.0%"
DECIMAL = "0.00"
DATETIME = "yyyy-mm-dd hh:mm"
DATE = "yyyy-mm-dd"
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


class Sheet:
    """A write-only worksheet with helpers that make every value safe to store."""

    def __init__(
        self,
        workbook: Workbook,
        title: str,
        widths: dict[int, float] = None,
        *,
        title_columns: str | None = None,
    ):
        clean = _SHEET_TITLE_FORBIDDEN.sub("-", title)[:31]
        self.ws = workbook.create_sheet(clean)
        for column, width in (widths or {}).items():
            self.ws.column_dimensions[get_column_letter(column)].width = width
        self._print_set_up(title_columns)
        self._level_cells: dict[int | None, object] = {}

    def _print_set_up(self, title_columns: str | None) -> None:
        """A4 landscape, as wide as the page (as many pages long as needed), the first
        row (and ``title_columns``, e.g. "A:B") repeated on every page. Set before the
        first row: a write-only sheet writes its properties with that row."""
        ws = self.ws
        ws.page_setup.orientation = Worksheet.ORIENTATION_LANDSCAPE
        ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        ws.print_options.gridLines = False
        ws.print_title_rows = "1:1"
        if title_columns:
            ws.print_title_cols = title_columns

    def cell(self, value, *, font=None, fill=None, number_format=None, alignment=None):
        if isinstance(value, Promise):
            value = str(value)  # a lazy translation
        if isinstance(value, str):
            value = xml_safe(value)
        if (
            font is None
            and fill is None
            and number_format is None
            and alignment is None
            and not (isinstance(value, str) and looks_like_formula(value))
        ):
            return value  # a plain value: appended as is, the fastest way
        cell = WriteOnlyCell(self.ws, value=value)
        if isinstance(value, str) and looks_like_formula(value):
            cell.data_type = "s"  # text, never a formula
            cell.quotePrefix = True
        if font is not None:
            cell.font = font
        if fill is not None:
            cell.fill = fill
        if number_format is not None:
            cell.number_format = number_format
        if alignment is not None:
            cell.alignment = alignment
        return cell

    def append(self, values):
        self.ws.append([self.cell(value) for value in values])

    def header(self, values, *, freeze: str | None = "A2", alignment=None):
        if freeze:
            self.ws.freeze_panes = freeze
        self.ws.append(
            [self.cell(value, font=BOLD, fill=HEADER_FILL, alignment=alignment) for value in values]
        )

    def level(self, value: int | None):
        """A level cell: the number on its colour; blank and hatched when not assessed.

        One styled cell per level serves every row: a write-only sheet writes each cell as
        it is appended, and replaces a styled cell before writing the next value.
        """
        key = None if value is None else int(value)
        if key not in self._level_cells:
            if key is None:
                self._level_cells[key] = self.cell(None, fill=NOT_ASSESSED_FILL)
            else:
                self._level_cells[key] = self.cell(
                    key,
                    fill=LEVEL_FILLS[key],
                    font=LIGHT_TEXT if key >= 3 else None,
                    alignment=CENTRED,
                )
        return self._level_cells[key]


def _percent(value: float | None) -> float | None:
    """A percentage (0–100) as the fraction a spreadsheet's % format expects."""
    return None if value is None else value / 100


def _tallies(items) -> str:
    return LIST_SEPARATOR.join(f"{item.label} ({item.count})" for item in items)


def build_xlsx(report: RegionReport) -> bytes:
    workbook = Workbook(write_only=True)
    _summary(workbook, report)
    content = report.content
    if content is not None:
        _matrix(workbook, report)
        _pairs(workbook, report)
        _sectors(workbook, report)
        _by_level(workbook, report)
        _network(workbook, report)
        _gaps(workbook, report)
        _actions(workbook, report)
        if content.comparison is not None:
            _change(workbook, report)
    if report.ranking is not None:
        _districts(workbook, report)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _summary(workbook, report: RegionReport) -> None:
    sheet = Sheet(workbook, _("Summary"), {1: 42, 2: 48, 3: 14, 4: 60})
    round_ = report.round
    region = report.region
    sheet.ws.append([sheet.cell(_("Convergence report"), font=Font(bold=True, size=14))])
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
        sheet.ws.append(
            [sheet.cell(label, font=BOLD), sheet.cell(value, number_format=number_format)]
        )
    current = report.dashboard.current
    if current is None:
        sheet.append([])
        sheet.append([_("This region has no assessment round yet.")])
        return

    summary = current.summary
    sheet.append([])
    sheet.ws.append([sheet.cell(_("Key figures"), font=BOLD)])
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
        sheet.ws.append([sheet.cell(label), sheet.cell(value, number_format=number_format)])

    sheet.append([])
    sheet.ws.append(
        [
            sheet.cell(value, font=BOLD, fill=HEADER_FILL)
            for value in (_("Level"), _("Level name"), _("Pairs"), _("Share"))
        ]
    )
    for bar in report.dashboard.distribution:
        sheet.ws.append(
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
    sheet.ws.append([sheet.cell(_("Gaps"), font=BOLD)])
    sheet.append([_("Target level"), f"{gaps.target.value} {gaps.target.label}"])
    sheet.append([_("Pairs assessed below the target"), len(gaps.gaps)])
    sheet.append([_("Pairs at the target or above"), gaps.reaching_target])
    sheet.append([_("Not assessed"), gaps.not_assessed])

    sheet.append([])
    sheet.ws.append([sheet.cell(_("Degrees of convergence (Kim et al. 2017)"), font=BOLD)])
    for level in Level:
        sheet.ws.append(
            [sheet.level(level.value), sheet.cell(str(level.label)), None, str(level.definition)]
        )
    sheet.ws.append([sheet.level(None), _("Not assessed"), None, _("Never counted as 0.")])


def _summary_change(sheet: Sheet, report: RegionReport) -> None:
    """The change since the previous round, like for like, and what is counted beside it."""
    change = report.dashboard.change
    sheet.append([])
    sheet.ws.append([sheet.cell(_("Change since the previous round"), font=BOLD)])
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
        sheet.ws.append([sheet.cell(label), sheet.cell(value, number_format=number_format)])


def _matrix(workbook, report: RegionReport) -> None:
    matrix = report.content.matrix
    actors = matrix.actors
    widths = {1: 40, 2: 22} | {index + 3: 4.5 for index in range(len(actors))}
    sheet = Sheet(workbook, _("Matrix"), widths, title_columns="A:B")
    sheet.ws.row_dimensions[1].height = 160
    # Set before the first row: a write-only sheet writes its view with that row.
    sheet.ws.freeze_panes = "C2"
    # Actor names head the columns too, reading bottom-up as on the page.
    sheet.ws.append(
        [
            sheet.cell(_("Actor"), font=BOLD, fill=HEADER_FILL),
            sheet.cell(_("Sector"), font=BOLD, fill=HEADER_FILL),
            *(sheet.cell(actor.name, font=BOLD, alignment=ROTATED) for actor in actors),
        ]
    )
    levels = matrix.levels
    self_cell = sheet.cell(None, fill=SELF_FILL)
    for row in actors:
        cells = [sheet.cell(row.name, font=BOLD), sheet.cell(row.sector.name)]
        row_id = row.pk
        for column in actors:
            column_id = column.pk
            if column_id == row_id:
                cells.append(self_cell)
                continue
            key = (row_id, column_id) if row_id < column_id else (column_id, row_id)
            cells.append(sheet.level(levels.get(key)))
        sheet.ws.append(cells)


def _pairs(workbook, report: RegionReport) -> None:
    # The pair list, then the latest reconciliation of the partners' views of each pair.
    header = [*pair_header(), _("Reconciliation of the partners' views")]
    sheet = Sheet(
        workbook,
        _("Pairs"),
        {1: 36, 2: 20, 3: 36, 4: 20, 5: 7, 6: 14, 7: 14, 8: 14, 9: 14, 10: 14, 11: 14, 12: 14}
        | {13: 36, 14: 36, 15: 36, 16: 40, 17: 20, 18: 17, 19: 40},
    )
    sheet.header(header, freeze="A2", alignment=WRAPPED)
    level_column = 4
    date_column = len(header) - 2
    reconciliations = report.content.reconciliations
    for row in report.content.pairs:
        values = pair_values(row, report.content.partner_views)
        values.append(reconciliation_value(reconciliations.get((row.actor_a.pk, row.actor_b.pk))))
        cells = [sheet.cell(value) for value in values]
        cells[level_column] = sheet.level(values[level_column])
        cells[date_column] = sheet.cell(values[date_column], number_format=DATETIME)
        sheet.ws.append(cells)
    sheet.ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(report.content.pairs) + 1}"


def _sectors(workbook, report: RegionReport) -> None:
    """The sector × sector grid of the sector page, one block a measure (mean level,
    highest level, coverage, pairs assessed / possible), then health ↔ non-health."""
    matrix = report.content.sectors
    sectors = matrix.sectors
    widths = {1: 34, 2: 9} | {index + 3: 14 for index in range(max(len(sectors), 5))}
    sheet = Sheet(workbook, _("Sectors"), widths, title_columns="A:B")
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
        sheet.ws.append([sheet.cell(title, font=BOLD)])
        for row in matrix.rows:
            sheet.ws.append(
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
    sheet.ws.append([sheet.cell(_("Health ↔ non-health"), font=BOLD)])
    sheet.ws.append(
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
    sheet.ws.append(
        [
            *(sheet.cell(label) for label in labels),
            sheet.cell(summary.possible),
            sheet.cell(summary.assessed),
            sheet.cell(summary.coverage, number_format=PERCENT),
            sheet.cell(summary.mean, number_format=DECIMAL),
            sheet.cell(summary.highest),
        ]
    )


def _by_level(workbook, report: RegionReport) -> None:
    """Kim et al.'s Table 2: each government level (its main role, its actors, the
    convergence among them), and the convergence between levels, in the page's order."""
    table = report.content.by_level
    level_columns = {index + 10: 10 for index in range(len(Level))}
    sheet = Sheet(
        workbook,
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
        sheet.ws.append(
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


def _network(workbook, report: RegionReport) -> None:
    network = report.content.network
    sheet = Sheet(
        workbook, _("Network metrics"), {1: 40, 2: 24, 3: 10, 4: 12, 5: 12, 6: 12, 7: 12, 8: 10}
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
        ],
        alignment=WRAPPED,
    )
    fills = {
        group.sector.pk: PatternFill("solid", fgColor=group.colour.lstrip("#").upper())
        for group in network.sectors
    }
    for node in network.nodes:
        sheet.ws.append(
            [
                sheet.cell(node.actor.name),
                sheet.cell(node.sector.name, fill=fills.get(node.sector.pk)),
                sheet.cell(node.degree),
                sheet.cell(node.weighted_degree),
                sheet.cell(node.betweenness, number_format="0.000"),
                sheet.cell(node.brokerage, number_format=PERCENT),
                sheet.cell(node.assessed_pairs),
                sheet.cell(answer(node.is_isolated)),
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
    ):
        sheet.append([definition])


def _gaps(workbook, report: RegionReport) -> None:
    gaps = report.content.gaps
    sheet = Sheet(workbook, _("Gaps"), {1: 36, 2: 22, 3: 36, 4: 22, 5: 7, 6: 14, 7: 12, 8: 12})
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
    for gap in gaps.gaps:
        sheet.ws.append(
            [
                sheet.cell(gap.actor_a.name),
                sheet.cell(gap.actor_a.sector.name),
                sheet.cell(gap.actor_b.name),
                sheet.cell(gap.actor_b.sector.name),
                sheet.level(gap.level),
                sheet.cell(str(gap.level.label)),
                sheet.cell(int(gap.target)),
                sheet.cell(gap.shortfall),
            ]
        )


def _actions(workbook, report: RegionReport) -> None:
    """The round's follow-up actions (RTL), soonest due first, each with its subject's
    level in the next round against its target (blank while there is no next round)."""
    content = report.content
    today = timezone.localdate(report.exported_at)
    mechanisms = content.vocabularies.mechanisms
    sheet = Sheet(
        workbook,
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
        sheet.ws.append(
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


def _change(workbook, report: RegionReport) -> None:
    comparison = report.content.comparison
    sheet = Sheet(workbook, _("Change"), {1: 20, 2: 36, 3: 22, 4: 36, 5: 22, 6: 12, 7: 12, 8: 9})
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
    for kind, pairs in comparison.groups:
        label = str(kind.label)
        for pair in pairs:
            sheet.ws.append(
                [
                    sheet.cell(label),
                    sheet.cell(pair.actor_a.name),
                    sheet.cell(pair.actor_a.sector.name),
                    sheet.cell(pair.actor_b.name),
                    sheet.cell(pair.actor_b.sector.name),
                    sheet.level(pair.previous),
                    sheet.level(pair.current),
                    sheet.cell(pair.change, number_format="+0;-0;0"),
                ]
            )


def _districts(workbook, report: RegionReport) -> None:
    ranking = report.ranking
    sheet = Sheet(
        workbook,
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
        sheet.ws.append(
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
