"""The who × who matrix as HTML, built in Python.

A 100-actor matrix has 10,000 cells; Django's template language takes ~160 ms to loop
over them, a string join ~2 ms. Only integers and pre-escaped names go into the markup.
"""

from collections.abc import Callable

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

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


def render_matrix(matrix: Matrix, *, pair_url: Callable[[int, int], str] | None) -> SafeString:
    """The table of the matrix; ``pair_url`` (when scoring is allowed) links each cell."""
    names = level_names()
    actors = matrix.actors
    groups = matrix.sector_groups
    levels = matrix.levels
    parts = ['<table class="matrix"><thead><tr><th class="corner" rowspan="2"></th>']
    for sector, members in groups:
        parts.append(
            f'<th class="sector-head" colspan="{len(members)}" scope="colgroup" '
            f'title="{escape(sector.name)}">{escape(sector.name)}</th>'
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
                    level_cell(
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
