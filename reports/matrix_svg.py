"""The who × who matrix for print: A4-landscape pages of at most 30 × 28 actors, as SVG.

WeasyPrint lays out a table cell or draws an SVG ``<text>`` in about a millisecond, so a
100-actor matrix (10,000 cells) would take some 20 s as a table. Here each page is one SVG
in which the cells of one level are one ``<path>``, and so are their digits, drawn as
strokes. A page then costs a few dozen elements; the actors' names and numbers are four
blocks of HTML lines laid over it (``_labels``).
"""

import math
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from actors.models import Actor
from assessments.selectors import Matrix
from convergence.validators import xml_safe

COLUMNS_PER_PAGE = 30
ROWS_PER_PAGE = 28

# Sizes in millimetres (the SVG's user unit).
CELL = 4.8
GAP = 0.35  # white between cells
SECTOR_WIDTH = 34.0
NUMBER_WIDTH = 7.0
NAME_WIDTH = 62.0
HEADER_HEIGHT = 30.0
NAME_CHARS = 42
SECTOR_CHARS = 20
LABEL_CHARS = 22  # a column's label

LEVEL_FILLS = ("#f2f0f7", "#c6dbef", "#6baed6", "#2171b5", "#08306b")
DARK_TEXT, LIGHT_TEXT = "#111111", "#ffffff"
NOT_ASSESSED_STROKE = "#c9ced6"
SELF_FILL = "#3b3f47"
RULE = "#5a6272"

# The digits 0–4 as single strokes in a 1.3 × 2.2 mm box, drawn from its top-left corner
# (relative commands, so that many copies follow one another in one path). A font's
# outlines would take some hundred numbers a digit for WeasyPrint to parse; these take ten.
DIGIT_STROKES = {
    0: "m0.65 0c-0.87 0-0.87 2.2 0 2.2s0.87-2.2 0-2.2",
    1: "m0.2 0.4l0.5-0.4v2.2",
    2: "m0.05 0.5c0.05-0.65 1.2-0.65 1.2 0.1c0 0.6-1.2 1.1-1.2 1.6h1.3",
    3: "m0.08 0.25c0.35-0.45 1.12-0.3 1.12 0.3s-0.5 0.52-0.65 0.52c0.45 0 0.75 0.25 0.75 0.6"
    "c0 0.65-0.95 0.7-1.3 0.3",
    4: "m1 2.2v-2.2l-1 1.5h1.35",
}
DIGIT_WIDTH, DIGIT_HEIGHT, DIGIT_STROKE = 1.3, 2.2, 0.3


def _number(value: float) -> str:
    """A length in millimetres, short: hundredths are finer than print shows."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


_DOT_RADIUS = 0.35


def _text(value, size: int) -> str:
    """One line, clipped to ``size`` characters and escaped; characters XML cannot hold
    replaced (a name stored before the rules may hold a line break: each label is a line)."""
    value = " ".join(xml_safe(str(value)).split())
    if len(value) > size:
        value = value[: size - 1] + "…"
    return escape(value)


def _chunks(count: int, most: int) -> list[range]:
    """``range(count)`` cut into the fewest chunks of at most ``most``, of even sizes."""
    if count == 0:
        return []
    pieces = math.ceil(count / most)
    size = math.ceil(count / pieces)
    return [range(start, min(count, start + size)) for start in range(0, count, size)]


@dataclass(frozen=True)
class MatrixPage:
    rows: range
    columns: range
    svg: SafeString

    @property
    def caption(self) -> str:
        return _("Rows %(first_row)s–%(last_row)s, columns %(first_column)s–%(last_column)s") % {
            "first_row": self.rows.start + 1,
            "last_row": self.rows.stop,
            "first_column": self.columns.start + 1,
            "last_column": self.columns.stop,
        }


def matrix_pages(matrix: Matrix, *, rows: range | None = None) -> list[MatrixPage]:
    """The matrix cut into pages: column blocks, each down all the rows (or down ``rows``,
    positions in the matrix: one sector's actors); every page repeats the row headers
    (number, name, sector) and the column headers (number, short name)."""
    actors = matrix.actors
    if rows is None:
        rows = range(len(actors))
    pages = []
    for columns in _chunks(len(actors), COLUMNS_PER_PAGE):
        for chunk in _chunks(len(rows), ROWS_PER_PAGE):
            block = range(rows.start + chunk.start, rows.start + chunk.stop)
            pages.append(MatrixPage(block, columns, _page_svg(matrix, block, columns)))
    return pages


def _group_starts(actors: list[Actor], span: range) -> set[int]:
    """Positions in ``span`` where a new sector begins (the first position included)."""
    return {
        position
        for position in span
        if position == span.start or actors[position].sector_id != actors[position - 1].sector_id
    }


def _page_svg(matrix: Matrix, rows: range, columns: range) -> SafeString:
    actors = matrix.actors
    levels = matrix.levels
    left = SECTOR_WIDTH + NUMBER_WIDTH + NAME_WIDTH
    width = left + len(columns) * CELL + 1
    height = HEADER_HEIGHT + len(rows) * CELL + 1
    fills: dict[int, list[str]] = {level: [] for level in range(5)}
    digits: dict[int, list[str]] = {level: [] for level in range(5)}
    not_assessed: list[str] = []
    dots: list[str] = []
    own: list[str] = []
    side = CELL - GAP
    for row_index, row in enumerate(rows):
        y = HEADER_HEIGHT + row_index * CELL
        row_id = actors[row].pk
        for column_index, column in enumerate(columns):
            x = left + column_index * CELL
            column_id = actors[column].pk
            box = f"M{_number(x)} {_number(y)}h{_number(side)}v{_number(side)}h{_number(-side)}z"
            if column_id == row_id:
                own.append(box)
                continue
            key = (row_id, column_id) if row_id < column_id else (column_id, row_id)
            level = levels.get(key)
            if level is None:
                not_assessed.append(box)
                centre_x, centre_y = x + side / 2, y + side / 2
                dots.append(
                    f"M{_number(centre_x - _DOT_RADIUS)} {_number(centre_y)}"
                    f"a{_DOT_RADIUS} {_DOT_RADIUS} 0 1 0 {_number(2 * _DOT_RADIUS)} 0"
                    f"a{_DOT_RADIUS} {_DOT_RADIUS} 0 1 0 {_number(-2 * _DOT_RADIUS)} 0z"
                )
                continue
            fills[level].append(box)
            digits[level].append(
                f"M{_number(x + (side - DIGIT_WIDTH) / 2)} {_number(y + (side - DIGIT_HEIGHT) / 2)}"
                + DIGIT_STROKES[level]
            )

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="matrix-cells" '
        f'width="{_number(width)}mm" height="{_number(height)}mm" '
        f'viewBox="0 0 {_number(width)} {_number(height)}" '
        f'fill="#1d2330">'
    ]
    if not_assessed:
        parts.append(
            f'<path d="{"".join(not_assessed)}" fill="#ffffff" stroke="{NOT_ASSESSED_STROKE}" '
            f'stroke-width="0.2"/><path d="{"".join(dots)}" fill="#8a8f99"/>'
        )
    if own:
        parts.append(f'<path d="{"".join(own)}" fill="{SELF_FILL}"/>')
    for level in range(5):
        if fills[level]:
            parts.append(f'<path d="{"".join(fills[level])}" fill="{LEVEL_FILLS[level]}"/>')
            colour = LIGHT_TEXT if level >= 3 else DARK_TEXT
            parts.append(
                f'<path d="{"".join(digits[level])}" fill="none" stroke="{colour}" '
                f'stroke-width="{DIGIT_STROKE}" stroke-linecap="round" stroke-linejoin="round"/>'
            )

    # Rules where a sector group begins, across and down the cells.
    row_starts = _group_starts(actors, rows)
    rules = []
    bottom = HEADER_HEIGHT + len(rows) * CELL
    right = left + len(columns) * CELL
    for row in row_starts - {rows.start}:
        y = HEADER_HEIGHT + (row - rows.start) * CELL - GAP / 2
        rules.append(f"M0 {_number(y)}H{_number(right)}")
    for column in _group_starts(actors, columns) - {columns.start}:
        x = left + (column - columns.start) * CELL - GAP / 2
        rules.append(f"M{_number(x)} {_number(HEADER_HEIGHT - 8)}V{_number(bottom)}")
    if rules:
        parts.append(f'<path d="{"".join(rules)}" stroke="{RULE}" stroke-width="0.3" fill="none"/>')
    parts.append("</svg>")
    parts.append(_labels(actors, rows, columns, row_starts, left))
    return mark_safe(
        f'<div class="matrix-grid" style="width: {_number(width)}mm; height: {_number(height)}mm">'
        + "".join(parts)
        + "</div>"
    )


def _labels(actors, rows: range, columns: range, row_starts: set[int], left: float) -> str:
    """The names and numbers as four blocks of preformatted lines, one line a row (or a
    column, in the block turned a quarter): WeasyPrint lays out a line of HTML text at
    once, where it draws an SVG ``<text>`` one character at a time."""

    def block(css_class: str, style: str, lines: list[str]) -> str:
        return f'<div class="{css_class}" style="{style}">' + "\n".join(lines) + "</div>"

    top = f"top: {_number(HEADER_HEIGHT)}mm"
    sectors = [
        _text(actors[row].sector.name, SECTOR_CHARS) if row in row_starts else "" for row in rows
    ]
    numbers = [str(row + 1) for row in rows]
    names = [_text(actors[row].name, NAME_CHARS) for row in rows]
    column_labels = [
        f"{column + 1} {_text(actors[column].short_name or actors[column].name, LABEL_CHARS)}"
        for column in columns
    ]
    header = HEADER_HEIGHT - 1.2
    return "".join(
        (
            block("m-sectors", f"{top}; left: 0; width: {_number(SECTOR_WIDTH - 1)}mm", sectors),
            block(
                "m-numbers",
                f"{top}; left: {_number(SECTOR_WIDTH)}mm; width: {_number(NUMBER_WIDTH - 1.5)}mm",
                numbers,
            ),
            block(
                "m-names",
                f"{top}; left: {_number(SECTOR_WIDTH + NUMBER_WIDTH)}mm; "
                f"width: {_number(NAME_WIDTH - 1)}mm",
                names,
            ),
            # Turned a quarter anticlockwise about its top-left corner, set at the foot of
            # the header: its lines become the columns, read bottom-up.
            block(
                "m-columns",
                f"top: {_number(header)}mm; left: {_number(left)}mm; width: {_number(header)}mm",
                column_labels,
            ),
        )
    )
