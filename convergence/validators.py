"""One rule for every name a user types or imports: plain text only."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# A spreadsheet reads these first characters as a formula (CSV/XLSX injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MARKUP = re.compile(r"[<>]")


def unsafe_text_message(value: str) -> str | None:
    """Why a name cannot be stored as it is (a formula or markup), or None if it can."""
    if value.startswith(FORMULA_START):
        return _("A name must not start with =, +, -, @ or a tab (a spreadsheet formula).")
    if MARKUP.search(value):
        return _("A name must not contain < or > (HTML is not accepted).")
    return None


def validate_plain_name(value: str) -> None:
    message = unsafe_text_message(value or "")
    if message:
        raise ValidationError(message, code="unsafe_name")
