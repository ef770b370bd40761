"""Template filters of the planners' pages and reports."""

from decimal import Decimal, InvalidOperation

from django import template
from django.template.defaultfilters import floatformat

register = template.Library()


@register.filter
def signed(value, digits=1) -> str:
    """A change with its sign, localised: "+25.0", "−7.1" (a true minus), "0.0"; "–" for
    None. The sign follows the number as shown, so a change that rounds to zero has none."""
    if value is None or value == "":
        return "–"
    shown = floatformat(abs(value), digits)
    try:
        rounded = Decimal(floatformat(abs(value), f"{digits}u"))
    except InvalidOperation:
        return shown
    if not rounded:
        return shown
    return ("+" if value > 0 else "−") + shown
