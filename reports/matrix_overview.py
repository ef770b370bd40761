"""The whole who × who matrix on one A4-landscape page, for the PDF: every pair a small
square coloured by its level, the sectors as labelled bands along both axes.

The squares are a PNG (a few pixels a pair, drawn with Pillow) placed in one SVG that also
holds the sector bands; the PDF shows it without smoothing (``image-rendering``), so the
squares stay sharp at any zoom. WeasyPrint draws such a page in a few dozen milliseconds
whatever the number of actors, where a ``<path>`` per level of 40,000 squares takes
seconds to parse. Only the sectors' names are text: an actor's name would be a fraction
of a millimetre high in a large district.
"""

import base64
import io
from dataclasses import dataclass

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from PIL import Image

from actors.models import Sector
from assessments.models import Level
from assessments.selectors import Matrix
from reports.matrix_svg import DARK_TEXT, LEVEL_FILLS, LIGHT_TEXT, SELF_FILL, _number, _text

# Sizes in millimetres (the SVG's user unit), to fit the page beside the legend.
HEIGHT = 160.0
BAND_LEFT = 46.0  # the sectors' names along the rows
BAND_TOP = 32.0  # ... and along the columns, turned
SIDE = HEIGHT - BAND_TOP  # the squares' area at most
LARGEST_CELL = 4.8  # a small district's squares are no larger than the full pages'
LABEL_SIZE = 2.6  # font size of a sector's name, smaller in a narrow band
SMALLEST_LABEL = 1.6  # readable; a one-actor band's name may overhang its rules
# Pixels a pair in the PNG, and the white between two squares.
PIXELS = 5
PIXEL_GAP = 1

NOT_ASSESSED_FILL = "#c3c8d1"  # a mid grey: unlike level 0, which is nearly white
BAND_FILLS = ("#e6e9ef", "#f6f7f9")
RULE = "#5a6272"


def _rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[index : index + 2], 16) for index in (1, 3, 5))


_LEVEL_INDEX = {level: level + 1 for level in range(5)}  # palette index; 0 is the gap
_PALETTE = [
    _rgb("#ffffff"),
    *(_rgb(fill) for fill in LEVEL_FILLS),
    _rgb(NOT_ASSESSED_FILL),
    _rgb(SELF_FILL),
]
_NOT_ASSESSED, _SELF = 6, 7


@dataclass(frozen=True)
class OverviewKey:
    """One entry of the overview's legend: the colour of a square and what it means."""

    fill: str
    symbol: str  # as the full pages and the cover's legend mark it
    label: str
    text: str  # the symbol's colour on the fill


def overview_legend() -> list[OverviewKey]:
    """The colours of the overview's squares, in the order they are explained."""
    keys = [
        OverviewKey(
            LEVEL_FILLS[level],
            str(level),
            Level(level).label,
            LIGHT_TEXT if level >= 3 else DARK_TEXT,
        )
        for level in range(5)
    ]
    keys.append(OverviewKey(NOT_ASSESSED_FILL, "·", _("Not assessed"), DARK_TEXT))
    keys.append(OverviewKey(SELF_FILL, "\u00a0", _("The actor itself"), LIGHT_TEXT))
    return keys


@dataclass(frozen=True)
class SectorBand:
    sector: Sector
    first: int  # position of its first actor in the matrix (0-based)
    count: int


def sector_bands(matrix: Matrix) -> list[SectorBand]:
    bands = []
    first = 0
    for sector, members in matrix.sector_groups:
        bands.append(SectorBand(sector, first, len(members)))
        first += len(members)
    return bands


def overview_png(matrix: Matrix) -> bytes:
    """The squares: ``PIXELS`` a pair with a white line between pairs, one palette index a
    pixel (an 8-bit PNG of a few kilobytes)."""
    actors = matrix.actors
    count = len(actors)
    step = PIXELS
    size = count * step
    # Rows of palette indices, built a matrix row at a time (bytes are cheap to repeat).
    row_of = bytearray(size * size)
    index_of = {actor.pk: position for position, actor in enumerate(actors)}
    cells = [[_NOT_ASSESSED] * count for _ in range(count)]
    for position in range(count):
        cells[position][position] = _SELF
    for (a, b), level in matrix.levels.items():
        row, column = index_of.get(a), index_of.get(b)
        if row is None or column is None:
            continue
        cells[row][column] = cells[column][row] = _LEVEL_INDEX[level]
    filled = step - PIXEL_GAP
    gap = bytes(PIXEL_GAP)
    for row in range(count):
        line = b"".join(bytes((value,)) * filled + gap for value in cells[row])
        start = row * step * size
        for offset in range(filled):
            row_of[start + offset * size : start + (offset + 1) * size] = line
    image = Image.frombytes("P", (size, size), bytes(row_of))
    image.putpalette([channel for colour in _PALETTE for channel in colour])
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()


def overview_svg(matrix: Matrix) -> SafeString:
    """One SVG: the bands of the sectors with their names, the squares as one image, and
    rules where a sector begins."""
    count = len(matrix.actors)
    if count == 0:
        return mark_safe("")
    cell = min(LARGEST_CELL, SIDE / count)
    side = cell * count
    width = BAND_LEFT + side + 1
    height = BAND_TOP + side + 1
    png = base64.b64encode(overview_png(matrix)).decode("ascii")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="matrix-overview" '
        f'width="{_number(width)}mm" height="{_number(height)}mm" '
        f'viewBox="0 0 {_number(width)} {_number(height)}" '
        f'font-family="DejaVu Sans, Liberation Sans, Arial, sans-serif" fill="#1d2330">'
    ]
    bands = sector_bands(matrix)
    labels = []
    for number, band in enumerate(bands):
        fill = BAND_FILLS[number % 2]
        start = band.first * cell
        extent = band.count * cell
        # The band across the rows' labels and down the columns' labels.
        parts.append(
            f'<path d="M0 {_number(BAND_TOP + start)}h{_number(BAND_LEFT - 0.6)}'
            f"v{_number(extent)}h{_number(-(BAND_LEFT - 0.6))}z"
            f"M{_number(BAND_LEFT + start)} 0h{_number(extent)}v{_number(BAND_TOP - 0.6)}"
            f'h{_number(-extent)}z" fill="{fill}"/>'
        )
        size = max(SMALLEST_LABEL, min(LABEL_SIZE, extent * 0.8))
        name = f"{band.sector.name} ({band.count})"
        left_chars = max(4, int((BAND_LEFT - 2) / (size * 0.58)))
        top_chars = max(4, int((BAND_TOP - 2) / (size * 0.58)))
        middle = start + extent / 2 + size * 0.35
        labels.append(
            f'<text x="1" y="{_number(BAND_TOP + middle)}" font-size="{_number(size)}">'
            f"{_text(name, left_chars)}</text>"
            f'<text font-size="{_number(size)}" transform="translate('
            f'{_number(BAND_LEFT + middle)} {_number(BAND_TOP - 1.5)}) rotate(-90)">'
            f"{_text(name, top_chars)}</text>"
        )
    parts.append(
        f'<image x="{_number(BAND_LEFT)}" y="{_number(BAND_TOP)}" width="{_number(side)}" '
        f'height="{_number(side)}" image-rendering="pixelated" preserveAspectRatio="none" '
        f'href="data:image/png;base64,{png}"/>'
    )
    parts.extend(labels)
    rules = []
    for band in bands[1:]:
        offset = band.first * cell
        rules.append(f"M0 {_number(BAND_TOP + offset)}H{_number(BAND_LEFT + side)}")
        rules.append(f"M{_number(BAND_LEFT + offset)} 0V{_number(BAND_TOP + side)}")
    rules.append(
        f"M{_number(BAND_LEFT)} {_number(BAND_TOP)}h{_number(side)}v{_number(side)}"
        f"h{_number(-side)}z"
    )
    parts.append(f'<path d="{"".join(rules)}" stroke="{RULE}" stroke-width="0.25" fill="none"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))
