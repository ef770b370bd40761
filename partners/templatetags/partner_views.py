"""``{% partner_views round actor_a actor_b existing %}``: the two partners' views of a pair,
for the scorer's pair panel, with the form to reconcile them (partners' answers never set
the official level by themselves: the scorer does, and says why).

``{% pair_reconciliations round actor_a actor_b %}``: the decisions on the pair, for the
pair's history."""

from django import template

from assessments.models import EVIDENCE_FIELDS, Level
from partners import selectors
from partners.forms import ReconcileForm
from partners.matrix_html import partner_matrix_html
from partners.selectors import PROPOSAL_RULE, pair_views, views_version

register = template.Library()


def _side(author, other, answer):
    if answer is None:
        return {"author": author, "other": other, "answer": None}
    return {
        "author": author,
        "other": other,
        "answer": answer,
        "evidence": [getattr(answer, name) for name in EVIDENCE_FIELDS],
        "respondent": answer.invitation.respondent_name,
    }


def views_context(round, actor_a, actor_b, existing=None, *, form=None, csrf_token=None) -> dict:
    """The block's context: both views and, in an open round, the reconcile form (``form``
    when it comes back refused, else a new one with the proposed level chosen)."""
    if round is None or actor_a is None or actor_b is None:
        return {"views": None}
    views = pair_views(round, actor_a.pk, actor_b.pk)
    if views is None:
        return {"views": None, "round": round}
    first, second = (actor_a, actor_b) if actor_a.pk == views.actor_a_id else (actor_b, actor_a)
    if form is None and round.is_open:
        form = ReconcileForm(
            initial={
                "level": views.proposed,
                "views_version": views_version(views),
                "version": existing.version if existing is not None else 0,
            }
        )
    return {
        "round": round,
        "views": views,
        "actor_a": first,
        "actor_b": second,
        "sides": [_side(first, second, views.a_view), _side(second, first, views.b_view)],
        "proposed_name": Level(views.proposed).label if views.proposed is not None else None,
        "rule": PROPOSAL_RULE,
        "reconcile_form": form if round.is_open else None,
        "csrf_token": csrf_token,
    }


@register.inclusion_tag("partners/_pair_views_block.html", takes_context=True)
def partner_views(context, round, actor_a, actor_b, existing=None):
    return views_context(round, actor_a, actor_b, existing, csrf_token=context.get("csrf_token"))


def _snapshot_side(author, other, snapshot):
    if not snapshot:
        return {"author": author, "other": other, "view": None}
    level = snapshot.get("level")
    return {
        "author": author,
        "other": other,
        "view": snapshot,
        "level_name": Level(level).label if level is not None else None,
    }


@register.inclusion_tag("partners/_reconciliation_history.html")
def pair_reconciliations(round, actor_a, actor_b):
    if round is None or actor_a is None or actor_b is None:
        return {"records": []}
    records = selectors.pair_reconciliations(round, actor_a.pk, actor_b.pk)
    for record in records:
        record.sides = [
            _snapshot_side(record.actor_a, record.actor_b, record.a_view),
            _snapshot_side(record.actor_b, record.actor_a, record.b_view),
        ]
    return {"records": records}


@register.simple_tag
def partner_matrix(matrix, view, pair_url_template=None, abbreviations=None):
    """The matrix table in the partners' or the disagreement view (``matrix_html``)."""
    pair_url = pair_url_template.format if pair_url_template else None
    return partner_matrix_html(matrix, view=view, pair_url=pair_url, abbreviations=abbreviations)
