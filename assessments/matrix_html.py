"""The who × who matrix as HTML, built in Python.

A 100-actor matrix has 10,000 cells; Django's template language takes ~160 ms to loop
over them, a string join ~2 ms. Only integers and pre-escaped names go into the markup.
"""

import re
from collections.abc import Callable, Iterable

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from actors.models import Sector
from assessments.models import Level
from assessments.selectors import Matrix


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
