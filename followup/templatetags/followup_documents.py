"""``{% pair_documents round actor_a actor_b %}``: the documents section of the scorer's
pair panel (the pair panel belongs to assessments, the documents to this app)."""

from django import template

from followup.views import pair_documents_context

register = template.Library()


@register.inclusion_tag("followup/_pair_documents.html", takes_context=True)
def pair_documents(context, round, actor_a, actor_b):
    request = context.get("request")
    if request is None or round is None or actor_a is None or actor_b is None:
        return {"reads_documents": False}
    return {
        **pair_documents_context(request, round, actor_a, actor_b),
        "csrf_token": context.get("csrf_token"),
    }
