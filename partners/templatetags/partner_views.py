"""``{% partner_views round actor_a actor_b %}``: the two partners' views of a pair, for
the scorer's pair panel (read only: partners' answers never set the official level)."""

from django import template

from assessments.models import EVIDENCE_FIELDS
from partners.selectors import pair_views

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


@register.inclusion_tag("partners/_pair_views_block.html")
def partner_views(round, actor_a, actor_b):
    if round is None or actor_a is None or actor_b is None:
        return {"views": None}
    views = pair_views(round, actor_a.pk, actor_b.pk)
    if views is None:
        return {"views": None, "round": round}
    first, second = (actor_a, actor_b) if actor_a.pk == views.actor_a_id else (actor_b, actor_a)
    return {
        "round": round,
        "views": views,
        "sides": [_side(first, second, views.a_view), _side(second, first, views.b_view)],
    }
