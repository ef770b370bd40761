"""One rule for the text users type or import, and one for writing stored text to files.

Every free-text field (names, short names, round names, notes, descriptions) refuses the
characters that are not text: NUL and the other control characters, the Unicode
noncharacters (U+FFFE, U+FFFF, U+FDD0–U+FDEF…) and lone surrogates. A spreadsheet, a PDF or
an XML file cannot hold them, and a person cannot see them. Multi-line text keeps tabs and
line breaks (a browser sends CRLF: it is made LF, never refused); a name fits on one line.
Names also refuse what a spreadsheet runs as a formula and markup.

The plain functions (``unsafe_text_message`` for names, ``unsafe_free_text_message`` for
multi-line text) return the reason or None, for code that collects messages (imports,
restores); the ``validate_*`` functions raise ValidationError, for model and form fields.

``xml_safe`` is for the writers: text stored before these rules (or written around them)
is made storable in XML, XLSX and CSV, each forbidden character replaced by U+FFFD.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# A spreadsheet reads these first characters as a formula (CSV/XLSX injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MARKUP = re.compile(r"[<>]")

_NONCHARACTERS = "\ufdd0-\ufdef\ufffe\uffff" + "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(1, 17)
)
# Never text: control characters (tab, line feed and carriage return are judged apart),
# DEL and the C1 controls, surrogates (a str holds one only when it is alone: a pair is
# one character), noncharacters.
NOT_TEXT = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff{_NONCHARACTERS}]")
LINE_BREAK_OR_TAB = re.compile(r"[\t\n\r]")
# What XML 1.0 cannot hold (its Char production), for ``xml_safe``.
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
REPLACEMENT = "\ufffd"


def normalize_newlines(value: str) -> str:
    """CRLF and lone CR made LF: the one line break stored."""
    return value.replace("\r\n", "\n").replace("\r", "\n")


def _not_text_message(value: str) -> str | None:
    found = NOT_TEXT.search(value)
    if found is None:
        return None
    character = found.group()
    params = {"code": f"{ord(character):04X}", "position": found.start() + 1}
    if character == "\x00":
        return _("The text contains a NUL character at position %(position)d: remove it.") % params
    if ord(character) <= 0x9F:
        return (
            _(
                "The text contains an invisible control character (U+%(code)s) at position "
                "%(position)d: remove it."
            )
            % params
        )
    if 0xD800 <= ord(character) <= 0xDFFF:
        return (
            _(
                "The text contains a broken character (U+%(code)s, half of a surrogate pair) "
                "at position %(position)d: remove it."
            )
            % params
        )
    return (
        _(
            "The text contains U+%(code)s at position %(position)d, which is not a character: "
            "remove it."
        )
        % params
    )


def unsafe_free_text_message(value: str) -> str | None:
    """Why multi-line text (a note, a description) cannot be stored, or None if it can.

    Tabs and line breaks of any kind (LF, CRLF, CR) are allowed; positions are counted in
    the text with its line breaks made LF, as it is stored.
    """
    return _not_text_message(normalize_newlines(value or ""))


def unsafe_text_message(value: str) -> str | None:
    """Why a name cannot be stored as it is, or None if it can: characters that are not
    text, a tab or line break, a formula or markup."""
    value = value or ""
    message = _not_text_message(value)
    if message:
        return message
    if value.startswith(FORMULA_START):
        return _("A name must not start with =, +, -, @ or a tab (a spreadsheet formula).")
    found = LINE_BREAK_OR_TAB.search(value)
    if found:
        return _(
            "A name must fit on one line: remove the tab or line break at position %(position)d."
        ) % {"position": found.start() + 1}
    if MARKUP.search(value):
        return _("A name must not contain < or > (HTML is not accepted).")
    return None


def validate_plain_name(value: str) -> None:
    """For names, short names and round names."""
    message = unsafe_text_message(value)
    if message:
        raise ValidationError(message, code="unsafe_name")


def validate_free_text(value: str) -> None:
    """For notes and descriptions (multi-line)."""
    message = unsafe_free_text_message(value)
    if message:
        raise ValidationError(message, code="unsafe_text")


def xml_safe(value: str) -> str:
    """``value`` with every character that XML 1.0 (and so XLSX, SVG) cannot hold replaced
    by U+FFFD, for text stored before the rule above or written around it."""
    return NOT_XML.sub(REPLACEMENT, value)
