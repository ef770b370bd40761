from django import template

from accounts.scoping import can_read_details
from reports.builds import in_background
from reports.filenames import rembuk_filename, review_filename

register = template.Library()


@register.simple_tag(takes_context=True)
def may_export(context, region) -> bool:
    """Whether the page's user may download the region's reports (no query: the user's
    access is read once per request and kept on the user)."""
    request = context.get("request")
    return request is not None and can_read_details(request.user, region)


@register.simple_tag
def pack_filename(region, round_, kind: str) -> str:
    """The name a pack downloads under (``reports.filenames``): kind "rembuk" or "review"."""
    names = {"rembuk": rembuk_filename, "review": review_filename}
    return names[kind](region, round_)


@register.simple_tag
def built_in_background(round_) -> str:
    """Which of the round's reports are built in the background (``reports.builds``):
    "pdf xlsx", "pdf" or ""."""
    return " ".join(fmt for fmt in ("pdf", "xlsx") if in_background(fmt, round_))
