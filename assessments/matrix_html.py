"""The who × who matrix as HTML, built in Python.

A 100-actor matrix has 10,000 cells; Django's template language takes ~160 ms to loop
over them, a string join ~2 ms. Only integers and pre-escaped names go into the markup.

``official_matrix``: the matrix page's official view, built from the levels once for each
state of the round and then read from the cache (Django's ``CACHES``).
"""

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.cache import cache
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from actors.models import Sector
from assessments.models import AssessmentRound, Level
from assessments.selectors import (
    Matrix,
    next_unscored_pair,
    only_actors_with_unscored_pairs,
    round_actors,
    round_levels,
    round_roster_key,
    round_version,
)


def cell_id(actor_a_id: int, actor_b_id: int) -> str:
    return f"c{actor_a_id}-{actor_b_id}"


def level_cell(
    level: int | None,
    actor_a_id: int,
    actor_b_id: int,
    *,
    names: dict[int, str],
    url: str | None,
    with_id: bool,
) -> str:
    """One cell; also used alone to swap a cell in place after scoring."""
    if level is None:
        css, text, label = "na", "·", names[-1]
    else:
        css, text, label = f"l{level}", str(level), names[level]
    ident = f' id="{cell_id(actor_a_id, actor_b_id)}"' if with_id else ""
    if url:
        return f'<td{ident} class="{css}"><a href="{url}" title="{label}">{text}</a></td>'
    return f'<td{ident} class="{css}" title="{label}">{text}</td>'


def level_names() -> dict[int, str]:
    """Level names in the active language, escaped once; -1 is "not assessed".

    str() first: escape() of a lazy label stays lazy, and would be translated again in
    every one of the N² cells."""
    names = {level.value: str(escape(str(level.label))) for level in Level}
    names[-1] = str(escape(_("Not assessed")))
    return names


# Words left out of an abbreviation ("Pemberdayaan masyarakat dan desa": PMD).
MINOR_WORDS = {"dan", "atau", "di", "ke", "dari", "untuk", "and", "or", "of", "the", "for"}
ABBREVIATION_LENGTH = 5


def abbreviate(name: str) -> str:
    """A short label for a sector's column header: an acronym the name holds ("Swasta
    (CSR)": CSR), the initials of its words ("Pemberdayaan masyarakat dan desa": PMD; a
    number stays whole: "Sektor 12": S12), or the first three letters of a single word
    ("Kesehatan": Kes)."""
    words = re.findall(r"[^\W_]+(?:['’][^\W_]+)*", name)  # "Women's" is one word
    acronyms = [word for word in words if len(word) > 1 and word.isupper()]
    if acronyms:
        return acronyms[0][:ABBREVIATION_LENGTH]
    kept = [word for word in words if word.lower() not in MINOR_WORDS] or words
    if not kept:
        return "?"
    if len(kept) == 1:
        return kept[0][:3].capitalize()
    initials = "".join(word if word.isdigit() else word[0].upper() for word in kept)
    return initials[:ABBREVIATION_LENGTH]


def sector_abbreviations(sectors: Iterable[Sector]) -> dict[int, str]:
    """Each sector's abbreviation (of its name in the active language), unique among
    ``sectors``: a second "Kes" becomes "Kes2"."""
    result: dict[int, str] = {}
    taken: set[str] = set()
    for sector in sectors:
        base = abbreviate(sector.name)
        label, number = base, 1
        while label in taken:
            number += 1
            label = f"{base}{number}"
        taken.add(label)
        result[sector.pk] = label
    return result


def render_matrix(
    matrix: Matrix,
    *,
    pair_url: Callable[[int, int], str] | None,
    abbreviations: dict[int, str] | None = None,
    cell: Callable[..., str] | None = None,
) -> SafeString:
    """The table of the matrix; ``pair_url`` (when scoring is allowed) links each cell.

    The sector headers show ``abbreviations`` (``sector_abbreviations``, computed when not
    given) with the full name on hover; the page lists them under the matrix.

    ``cell`` draws a cell instead of ``level_cell``, with the same arguments (another view
    of the same pairs, such as the partners' views); it must return escaped markup."""
    names = level_names()
    cell = cell or level_cell
    actors = matrix.actors
    groups = matrix.sector_groups
    levels = matrix.levels
    if abbreviations is None:
        abbreviations = sector_abbreviations(sector for sector, _members in groups)
    parts = ['<table class="matrix"><thead><tr><th class="corner" rowspan="2"></th>']
    for sector, members in groups:
        full_name = escape(sector.name)
        parts.append(
            f'<th class="sector-head" colspan="{len(members)}" scope="colgroup" '
            f'title="{full_name}"><abbr title="{full_name}">'
            f"{escape(abbreviations[sector.pk])}</abbr></th>"
        )
    parts.append("</tr><tr>")
    for actor in actors:
        parts.append(
            f'<th class="col-head" scope="col" title="{escape(actor.name)}">'
            f"<span>{escape(actor.short_name)}</span></th>"
        )
    parts.append("</tr></thead><tbody>")
    for sector, members in groups:
        sector_name = escape(sector.name)
        for index, row in enumerate(members):
            first = ' class="group-start"' if index == 0 else ""
            parts.append(
                f'<tr{first}><th class="row-head" scope="row" title="{escape(row.name)}">'
                f'<span class="actor-name">{escape(row.name)}</span>'
                f'<span class="actor-sector">{sector_name}</span></th>'
            )
            row_id = row.pk
            for column in actors:
                column_id = column.pk
                if column_id == row_id:
                    parts.append('<td class="self"></td>')
                    continue
                key = (row_id, column_id) if row_id < column_id else (column_id, row_id)
                parts.append(
                    cell(
                        levels.get(key),
                        row_id,
                        column_id,
                        names=names,
                        url=pair_url(*key) if pair_url else None,
                        with_id=pair_url is not None,
                    )
                )
            parts.append("</tr>")
    parts.append("</tbody></table>")
    return mark_safe("".join(parts))


# A built matrix is named by the round's state (``round_roster_key``): a changed level,
# roster, actor or sector is a new name, never a stale page; the old entries expire.
MATRIX_TIMEOUT = 7 * 24 * 3600


@dataclass(frozen=True)
class MatrixPage:
    """What the matrix page shows of a matrix: the count of actors of the filters and of
    those shown (all of them, or those with a pair left to score), the key of the sectors
    shown (abbreviation, name), the count of pairs assessed, whether every pair is, and the
    markup of the official view (None when another view draws the cells).

    ``matrix`` and ``shown`` (the actors read, with the levels) and the sectors'
    ``abbreviations`` are there to draw another view's cells (``matrix_page``); from the
    cache (``official_matrix``) they are None: what the page shows of them is in the
    other fields."""

    actor_count: int
    shown_count: int
    sector_key: list[tuple[str, str]]
    assessed: int
    all_scored: bool
    html: SafeString | None
    matrix: Matrix | None = None
    shown: Matrix | None = None
    abbreviations: dict[int, str] | None = None

    @property
    def possible_pairs(self) -> int:
        return self.actor_count * (self.actor_count - 1) // 2


def matrix_page(
    matrix: Matrix, *, unscored: bool, pair_url_template: str | None, with_html: bool
) -> MatrixPage:
    """The page's figures of ``matrix`` (levels read), and its official view's markup when
    ``with_html``; ``pair_url_template`` (``"/…/{}-{}/"``, when the user scores) links each
    cell. "unscored" only hides the actors that have nothing left to score: the count is
    of every pair of the matrix. No query."""
    shown = only_actors_with_unscored_pairs(matrix) if unscored else matrix
    groups = shown.sector_groups
    abbreviations = sector_abbreviations(sector for sector, _members in groups)
    pair_url = pair_url_template.format if pair_url_template else None
    return MatrixPage(
        actor_count=len(matrix.actors),
        shown_count=len(shown.actors),
        sector_key=[(abbreviations[sector.pk], sector.name) for sector, _members in groups],
        assessed=len(matrix.levels),
        all_scored=next_unscored_pair(matrix) is None,
        html=(
            render_matrix(shown, pair_url=pair_url, abbreviations=abbreviations)
            if with_html
            else None
        ),
        matrix=matrix,
        shown=shown,
        abbreviations=abbreviations,
    )


def official_matrix(
    *,
    round: AssessmentRound,
    sector_ids=(),
    government_level=None,
    programme=None,
    unscored: bool = False,
    pair_url_template: str | None = None,
) -> MatrixPage:
    """The matrix page's official view of ``round`` today, within the filters.

    One query when this state of the round was built before (the roster's rows for the
    key; the round's version comes with the round, ``round_version(as_loaded=True)``): no
    actor is built, the levels are not read and the markup not rebuilt. Three more when it
    was not (the roster with its sectors, and the levels). The cache key is the round's
    state (``round_roster_key``: its version, the roster as it reads it, the language), the
    filters, "unscored" and the cells' link (a scorer's markup links the pairs, a reader's
    does not)."""
    version = round_version(round, as_loaded=True)
    key = None
    if version is not None:
        filters = (sorted(sector_ids), government_level, programme.pk if programme else None)
        key = (
            f"matrix:v2:{round_roster_key(round, version, programme=programme)}:"
            + hashlib.sha256(repr((filters, unscored, pair_url_template)).encode()).hexdigest()
        )
        stored = cache.get(key)
        if stored is not None:
            return MatrixPage(**{**stored, "html": mark_safe(stored["html"])})
    actors = round_actors(
        round=round, sector_ids=sector_ids, government_level=government_level, programme=programme
    )
    page = matrix_page(
        Matrix(round=round, actors=actors, levels=round_levels(round=round, actors=actors)),
        unscored=unscored,
        pair_url_template=pair_url_template,
        with_html=True,
    )
    if key:
        cache.set(
            key,
            {
                "actor_count": page.actor_count,
                "shown_count": page.shown_count,
                "sector_key": page.sector_key,
                "assessed": page.assessed,
                "all_scored": page.all_scored,
                "html": str(page.html),
            },
            MATRIX_TIMEOUT,
        )
    return page
