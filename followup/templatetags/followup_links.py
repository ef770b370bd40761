"""Links into the follow-up pages from the other pages, shown only to who may use them.

A page asks ``may_plan_actions`` once (``{% with %}`` or its view) and then includes
``followup/_gap_link.html`` for each gap: the permission is not checked per row or cell.
"""

from django import template

from followup.access import can_manage_actions
from insights.selectors.gaps import DEFAULT_TARGET

register = template.Library()


@register.filter
def may_plan_actions(user, region) -> bool:
    return can_manage_actions(user, region)


@register.simple_tag
def gap_target() -> int:
    """The level a gap falls short of where a page has no target of its own (the pair
    panel): the gap lists' default, collaboration."""
    return int(DEFAULT_TARGET)
