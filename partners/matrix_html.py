"""The who × who matrix as the partners see it, drawn by ``assessments.matrix_html``.

Two more views of the same cells, switched on the matrix page:

- ``partners``: each cell holds the two partners' levels, the row's actor's view of the
  column's actor first ("2/3"), each half in its level's colour;
- ``disagreement``: the official level, with the pairs whose two views disagree
  (``selectors.views_disagree``) marked, and those the scorer reconciled marked apart.

Two queries more than the official view (the partners' answers and the latest decisions),
whatever the number of actors; each cell is a few dictionary reads, as in the official
view.
"""

from collections.abc import Callable

from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from assessments.matrix_html import level_names, render_matrix
from assessments.selectors import Matrix
from partners.selectors import directed_views, reconciled_pairs, views_disagree

VIEWS = ("official", "partners", "disagreement")
NO_ANSWER, DONT_KNOW = "–", "?"


def _half(level: int | None, answered: bool, names: dict[int, str]) -> tuple[str, str, str]:
    """(css, text, label) of one side's view."""
    if level is not None:
        return f"l{level}", str(level), names[level]
    if answered:
        return "na", DONT_KNOW, names["dont_know"]
    return "na", NO_ANSWER, names["no_answer"]


def partner_matrix_html(
    matrix: Matrix,
    *,
    view: str,
    pair_url: Callable[[int, int], str] | None,
    abbreviations: dict[int, str] | None = None,
) -> SafeString:
    """The matrix table in the ``partners`` or ``disagreement`` view."""
    answers = directed_views(matrix.round)
    # (author, other) -> level, for answers about members shown; None for "I don't know".
    said = {key: answer.level for key, answer in answers.items()}
    reconciled = reconciled_pairs(matrix.round)
    flagged = {
        (min(author, other), max(author, other))
        for (author, other), level in said.items()
        if author < other and views_disagree(level, said.get((other, author)))
    }
    # render_matrix passes its own level names to each cell; these add the two words a
    # partner's side may show.
    labels = dict(level_names())
    labels["no_answer"] = str(escape(_("No answer")))
    labels["dont_know"] = str(escape(_("I don't know")))
    disagree_word = str(escape(_("the partners disagree")))
    reconciled_word = str(escape(_("reconciled by the scorer")))

    def partners_cell(level, row_id, column_id, *, names, url, with_id):
        row_css, row_text, row_label = _half(
            said.get((row_id, column_id)), (row_id, column_id) in said, labels
        )
        col_css, col_text, col_label = _half(
            said.get((column_id, row_id)), (column_id, row_id) in said, labels
        )
        key = (row_id, column_id) if row_id < column_id else (column_id, row_id)
        css = "pv disagree" if key in flagged else "pv"
        ident = f' id="c{row_id}-{column_id}"' if with_id else ""
        title = f"{row_label} / {col_label}"
        inner = (
            f'<span class="{row_css}">{row_text}</span><span class="{col_css}">{col_text}</span>'
        )
        if url:
            return f'<td{ident} class="{css}"><a href="{url}" title="{title}">{inner}</a></td>'
        return f'<td{ident} class="{css}" title="{title}">{inner}</td>'

    def disagreement_cell(level, row_id, column_id, *, names, url, with_id):
        key = (row_id, column_id) if row_id < column_id else (column_id, row_id)
        if level is None:
            css, text, label = "na", "·", names[-1]
        else:
            css, text, label = f"l{level}", str(level), names[level]
        if key in reconciled:
            css, text, label = f"{css} reconciled", f"{text}✓", f"{label} — {reconciled_word}"
        elif key in flagged:
            # Both sides gave a level (a missing view disagrees with nothing).
            css = f"{css} disagree"
            text = f"{text}!"
            views = f"{said[(row_id, column_id)]}/{said[(column_id, row_id)]}"
            label = f"{label} — {disagree_word} ({views})"
        else:
            css = f"{css} quiet"
        ident = f' id="c{row_id}-{column_id}"' if with_id else ""
        if url:
            return f'<td{ident} class="{css}"><a href="{url}" title="{label}">{text}</a></td>'
        return f'<td{ident} class="{css}" title="{label}">{text}</td>'

    cell = partners_cell if view == "partners" else disagreement_cell
    return render_matrix(matrix, pair_url=pair_url, abbreviations=abbreviations, cell=cell)
