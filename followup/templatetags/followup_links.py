"""Links into the follow-up pages from the other pages, shown only to who may use them."""

from django import template

from followup.access import can_manage_actions

register = template.Library()


@register.filter
def may_plan_actions(user, region) -> bool:
    return can_manage_actions(user, region)
