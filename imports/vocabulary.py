"""The values of coded columns as people write them.

A coded column (an actor's kind, sector, government level and active flag; a pair's level)
takes the code, the label the interface shows in Bahasa Indonesia or in English, and a few
short forms of those labels (the part in brackets, "OPD"; the part before it), whatever the
case and spacing. A spelling that fits two values is refused, never guessed. The templates'
drop-down lists offer the labels in the user's language (``labels``).
"""

import re
from collections.abc import Callable, Iterable

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from actors.models import ActorKind, GovernmentLevel, Sector
from assessments.models import Level

_AROUND_PUNCTUATION = re.compile(r"\s*([/()\-,.])\s*")
_DASHES = str.maketrans({"–": "-", "—": "-", "‐": "-", "‑": "-", "−": "-"})
_BRACKETED = re.compile(r"^(.*?)\s*\(([^()]*)\)\s*$")
_WHOLE_NUMBER = re.compile(r"^\d+(\.0+)?$")


def spelling_key(text: str) -> str:
    """``text`` as compared: case, runs of spaces, spaces around punctuation and the kind
    of dash do not count ("Kabupaten / Kota" = "kabupaten/kota", "2 – Koordinasi" =
    "2-koordinasi")."""
    text = " ".join(str(text).translate(_DASHES).split()).casefold()
    return _AROUND_PUNCTUATION.sub(r"\1", text)


def in_each_language(label) -> list[str]:
    """A lazy label as each language of the interface says it."""
    texts = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            texts.append(str(label))
    return texts


def short_forms(label: str) -> list[str]:
    """What people write for a label of the form "Words (short)": "Words" and "short"."""
    found = _BRACKETED.match(label)
    return [part for part in found.groups() if part.strip()] if found else []


class Vocabulary:
    """The values of one coded column, and the spellings of each.

    ``values`` are (stored value, label, exact spellings, short spellings). The exact
    spellings (the code and the label in every language) are looked up first; the short
    ones (parts of a label, words offices use) only when no exact one fits, so that a short
    form never makes a whole label ambiguous.
    """

    def __init__(
        self,
        values: Iterable[tuple[object, object, Iterable[str], Iterable[str]]],
        *,
        unknown: Callable[[str, str], str],
    ):
        self.values = []
        self.tiers: list[dict[str, set]] = [{}, {}]
        for value, label, exact, short in values:
            self.values.append((value, label))
            for tier, spellings in zip(self.tiers, (exact, short), strict=True):
                for spelling in spellings:
                    key = spelling_key(spelling)
                    if key:
                        tier.setdefault(key, set()).add(value)
        self.unknown = unknown

    def parse(self, raw: str) -> tuple[object | None, str | None]:
        """The stored value and None, or None and why the cell cannot be read."""
        key = spelling_key(raw)
        for tier in self.tiers:
            found = tier.get(key)
            if found and len(found) == 1:
                return next(iter(found)), None
            if found:
                options = [str(label) for value, label in self.values if value in found]
                return None, _(
                    "“%(value)s” could mean more than one of %(options)s: write the code or "
                    "the whole label."
                ) % {"value": raw.strip(), "options": "; ".join(options)}
        return None, self.unknown(raw.strip() or "—", "; ".join(self.labels()))

    def labels(self) -> list[str]:
        """The labels in the current language, in the order the interface lists them."""
        return [str(label) for _value, label in self.values]

    def label(self, value) -> str:
        for known, label in self.values:
            if known == value:
                return str(label)
        return str(value)


def _choices_vocabulary(choices, *, unknown, codes=None, extra=None) -> Vocabulary:
    values = []
    for member in choices:
        labels = in_each_language(member.label)
        exact = [*(codes(member) if codes else [str(member.value)]), *labels]
        short = [form for label in labels for form in short_forms(label)]
        values.append((member.value, member.label, exact, [*short, *(extra or {}).get(member, [])]))
    return Vocabulary(values, unknown=unknown)


# Words offices write for an actor's kind, besides the labels and their short forms.
KIND_WORDS = {
    ActorKind.GOVERNMENT: [
        "pemerintah",
        "pemerintah (OPD)",
        "instansi pemerintah",
        "perangkat daerah",
    ],
    ActorKind.HEALTH_FACILITY: ["faskes", "fasyankes"],
    ActorKind.NGO: ["ornop"],
    ActorKind.COMMUNITY: ["ormas"],
    ActorKind.ACADEMIC: ["akademisi", "universitas"],
    ActorKind.DONOR: ["donor", "mitra pembangunan", "development partner"],
}
# Words for a government level, besides its number, its English key and the labels.
LEVEL_WORDS = {
    GovernmentLevel.NATIONAL: ["pusat", "nasional"],
    GovernmentLevel.PROVINCE: ["provinsi"],
    GovernmentLevel.DISTRICT: ["kabupaten", "kota", "kabupaten/kota", "city"],
    GovernmentLevel.SUBDISTRICT: ["kecamatan"],
    GovernmentLevel.VILLAGE: ["desa", "kelurahan", "desa/kelurahan"],
}


def actor_kinds() -> Vocabulary:
    return _choices_vocabulary(
        ActorKind,
        extra=KIND_WORDS,
        unknown=lambda raw, labels: (
            _("Unknown kind %(kind)s: use one of %(kinds)s.") % {"kind": raw, "kinds": labels}
        ),
    )


def government_levels() -> Vocabulary:
    return _choices_vocabulary(
        GovernmentLevel,
        codes=lambda level: [str(level.value), level.name.lower()],
        extra=LEVEL_WORDS,
        unknown=lambda raw, labels: (
            _("Unknown government level %(level)s: use one of %(levels)s.")
            % {"level": raw, "levels": labels}
        ),
    )


def sectors() -> Vocabulary:
    return Vocabulary(
        [
            (sector.code, sector, [sector.code, sector.name_id, sector.name_en], [])
            for sector in Sector.objects.all()
        ],
        unknown=lambda raw, labels: (
            _("Unknown sector %(sector)s: use one of %(sectors)s.")
            % {"sector": raw, "sectors": labels}
        ),
    )


YES_LABEL, NO_LABEL = gettext_lazy("yes"), gettext_lazy("no")


def yes_no() -> Vocabulary:
    return Vocabulary(
        [
            (True, YES_LABEL, ["yes", "ya", "y", "true", "1", *in_each_language(YES_LABEL)], []),
            (False, NO_LABEL, ["no", "tidak", "n", "false", "0", *in_each_language(NO_LABEL)], []),
        ],
        unknown=lambda raw, labels: _("Write yes or no in this column."),
    )


def label_of(choices, value) -> str:
    """The label of a stored value of ``choices`` in the user's language."""
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


def level_label(level: int) -> str:
    """A level as the drop-down lists offer it: "2 – Koordinasi"."""
    return f"{level} – {Level(level).label}"


def convergence_levels() -> Vocabulary:
    """A pair's level: 0-4 (also "2.0", as a spreadsheet may write it), its name, or both
    ("2 – Koordinasi", "2 Coordination")."""
    values = []
    for level in Level:
        labels = in_each_language(level.label)
        exact = [
            str(level.value),
            *labels,
            *(f"{level.value} {label}" for label in labels),
            *(f"{level.value} - {label}" for label in labels),
        ]
        values.append((level.value, _LevelLabel(level.value), exact, []))
    return Vocabulary(
        values,
        unknown=lambda raw, labels: (
            _("The level must be a whole number from 0 to 4 or its name (%(levels)s).")
            % {"levels": labels}
        ),
    )


class _LevelLabel:
    """The drop-down label of a level, in the language active when it is shown."""

    def __init__(self, level: int):
        self.level = level

    def __str__(self):
        return level_label(self.level)


def parse_level(vocabulary: Vocabulary, raw: str) -> tuple[int | None, str | None]:
    """A level cell: "2.0" is read as 2 before the names are looked up."""
    value = raw.strip()
    if _WHOLE_NUMBER.match(value):
        value = str(int(float(value)))
    return vocabulary.parse(value)
