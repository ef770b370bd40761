"""The pair list as columns, shared by the CSV and the XLSX export, and the CSV itself.

A spreadsheet treats a cell that starts with = + - @ (or a tab or carriage return) as a
formula: text from users (actor names, notes) must never run as one. The CSV prefixes such
text with an apostrophe, as spreadsheets do themselves; the XLSX marks the cell as text.
"""

import csv
import io
from collections.abc import Mapping
from datetime import datetime

from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from assessments.models import EVIDENCE_FIELDS, Level, PairAssessment
from assessments.selectors import PairRow
from convergence.validators import xml_safe
from partners.models import PartnerAnswer, Reconciliation

# A partner's answer about another member, by (author id, other id): partners.selectors.
# directed_views, read once for the whole list.
PartnerViews = Mapping[tuple[int, int], PartnerAnswer]

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
LIST_SEPARATOR = "; "


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_PREFIXES)


def neutralised(value):
    """Text that a spreadsheet would read as a formula, prefixed with an apostrophe."""
    if isinstance(value, str) and looks_like_formula(value):
        return "'" + value
    return value


def answer(value: bool | None) -> str:
    """An evidence answer: yes, no, or empty when the question was not answered."""
    if value is None:
        return ""
    return _("Yes") if value else _("No")


def local(moment: datetime) -> datetime:
    """The moment in the site's time zone, without tzinfo (spreadsheets have none)."""
    return timezone.localtime(moment).replace(tzinfo=None)


def pair_header() -> list[str]:
    fields = PairAssessment._meta
    header = [
        _("Actor A"),
        _("Sector of actor A"),
        _("Actor B"),
        _("Sector of actor B"),
        _("Level"),
        _("Level name"),
        _("Partner's view: A about B"),
        _("Partner's view: B about A"),
        *(capfirst(fields.get_field(name).verbose_name) for name in EVIDENCE_FIELDS),
        capfirst(fields.get_field("mechanisms").verbose_name),
        capfirst(fields.get_field("facilitating_factors").verbose_name),
        capfirst(fields.get_field("hindering_factors").verbose_name),
        capfirst(fields.get_field("note").verbose_name),
        capfirst(fields.get_field("scored_by").verbose_name),
        capfirst(fields.get_field("scored_at").verbose_name),
    ]
    return [str(label) for label in header]


class _PairLabels:
    """The words of a pair row, translated once for a whole list rather than per cell."""

    def __init__(self):
        self.answers = {None: "", True: _("Yes"), False: _("No")}
        self.levels = {level: str(level.label) for level in Level}
        self.not_working_together = _("not working together")
        self.dont_know = _("don't know")
        self._sectors: dict[int, str] = {}
        self._lists: dict[tuple, str] = {}
        self._zone = timezone.get_current_timezone()

    def local(self, moment: datetime) -> datetime:
        """``local``, the site's time zone read once for the whole list."""
        return moment.astimezone(self._zone).replace(tzinfo=None)

    def sector(self, actor) -> str:
        found = self._sectors.get(actor.sector_id)
        if found is None:
            found = self._sectors[actor.sector_id] = actor.sector.name
        return found

    def joined(self, terms, codes) -> str:
        """The labels of ``codes`` in ``terms`` (a vocabulary), joined; pairs share few
        combinations of mechanisms or factors."""
        key = (id(terms), *codes)
        found = self._lists.get(key)
        if found is None:
            found = self._lists[key] = LIST_SEPARATOR.join(terms.labels(codes))
        return found

    def partner_view(self, answer: PartnerAnswer | None) -> int | str:
        """A partner's view of a tie: its level, “not working together”, “don't know”,
        or empty when it gave none."""
        if answer is None:
            return ""
        if answer.not_working_together:
            return self.not_working_together
        if answer.dont_know or answer.level is None:
            return self.dont_know
        return int(answer.level)


def reconciliation_value(record: Reconciliation | None) -> str:
    """The latest reconciliation of a pair's partners' views, in words: the level set, by
    whom, when and why; empty when the pair was not reconciled."""
    if record is None:
        return ""
    who = record.decided_by.username if record.decided_by else "—"
    return _("%(level)d, by %(who)s on %(when)s: %(reason)s") % {
        "level": record.level,
        "who": who,
        "when": local(record.decided_at).strftime("%Y-%m-%d %H:%M"),
        "reason": record.reason,
    }


def pair_values(
    row: PairRow, partner_views: PartnerViews | None = None, labels: _PairLabels | None = None
) -> list:
    """One pair as plain values, in the order of ``pair_header``; text is not neutralised
    here (each format does it its own way). ``labels``: the words, when the caller
    translated them once for many rows (``pair_table``)."""
    labels = labels or _PairLabels()
    views = partner_views or {}
    a, b = row.actor_a.pk, row.actor_b.pk
    answers = labels.answers
    vocabularies = row.vocabularies
    return [
        row.actor_a.name,
        labels.sector(row.actor_a),
        row.actor_b.name,
        labels.sector(row.actor_b),
        int(row.level),
        labels.levels[row.level],
        labels.partner_view(views.get((a, b))),
        labels.partner_view(views.get((b, a))),
        *(answers[value] for value in row.evidence),
        labels.joined(vocabularies.mechanisms, row.mechanisms),
        labels.joined(vocabularies.facilitating_factors, row.facilitating_factors),
        labels.joined(vocabularies.hindering_factors, row.hindering_factors),
        row.note,
        row.scored_by,
        labels.local(row.scored_at),
    ]


def pair_table(pairs: list[PairRow], partner_views: PartnerViews | None = None):
    """Every pair's values (``pair_values``), one fresh list a row, the words translated
    once for the whole list: what the CSV and the XLSX's pair sheet both write."""
    labels = _PairLabels()
    return (pair_values(row, partner_views, labels) for row in pairs)


def _csv_text(value) -> str | int:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, str):
        value = xml_safe(value)  # a spreadsheet cannot hold them either
    return neutralised(value)


# The CSV variants: the comma of RFC 4180, and the semicolon that Excel expects where the
# comma is the decimal separator (Indonesian regional settings), so that a double-click
# opens the file in columns.
CSV_DELIMITERS = {"standard": ",", "excel-id": ";"}


def build_csv(
    pairs: list[PairRow],
    *,
    variant: str = "standard",
    partner_views: PartnerViews | None = None,
) -> bytes:
    """The pair list: one header row, one row a pair; UTF-8 with a byte-order mark, which
    is how Excel knows the file is UTF-8 (names such as “Dinas Sosial – P3A” stay whole).
    ``variant`` "excel-id" separates the columns with semicolons (``CSV_DELIMITERS``).
    ``partner_views`` fills the two partners' views of each pair."""
    return csv_bytes(
        pair_header(),
        pair_table(pairs, partner_views),
        delimiter=CSV_DELIMITERS[variant],
    )


def csv_bytes(header, rows, *, delimiter: str = ",") -> bytes:
    """A table as CSV: values made safe (``_csv_text``), CRLF line ends, UTF-8 with BOM."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([_csv_text(value) for value in header])
    writer.writerows([_csv_text(value) for value in row] for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
