"""What every importer shares: the plan of an import (what it would create, update and leave
unchanged, and every bad row), the one way an import runs, and how a row's problems are
collected.

An import runs in two steps. ``execute(..., dry_run=True)`` reads the file and checks
every row against the database: it returns the plan and writes nothing (the preview).
``execute(...)`` makes the same plan again inside a transaction and writes it only if no
row is bad; given the ``expected`` digest of a preview, it also refuses to write a plan
that differs from it (``PreviewOutdated``: the data changed in between).
"""

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.scoping import access_for
from convergence.validators import unsafe_text_message
from imports.tabular import (
    ImportRefused,
    RowError,
    Table,
    columns_by_name,
    read_table,
    refuse,
)
from imports.vocabulary import in_each_language

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"
ACTIONS = (CREATE, UPDATE, UNCHANGED)
# A dry run through the API lists at most this many planned rows (the counts tell them all).
MAX_LISTED_ROWS = 1000


@dataclass(frozen=True)
class Column:
    """A column of an import: ``key`` as exports and the documentation write it, ``label``
    as a template's header row writes it in the user's language (either is read)."""

    key: str
    label: object
    required: bool = True
    help: object = ""  # what a template's instructions say of it


def find_columns(table: Table, columns: tuple[Column, ...]) -> dict[str, int]:
    """Each column's index in the header (see ``columns_by_name``)."""
    return columns_by_name(
        table,
        tuple(column.key for column in columns if column.required),
        tuple(column.key for column in columns if not column.required),
        aliases={column.key: in_each_language(column.label) for column in columns},
    )


@dataclass
class PlannedRow:
    """What an import does with one good row (or one cell of a matrix).

    ``values`` are what the record holds afterwards, as stored (codes, numbers); ``before``
    the old value of each one an update changes.
    """

    number: int
    action: str
    values: dict
    before: dict = field(default_factory=dict)
    cell: str = ""  # a matrix's column letter

    def as_dict(self) -> dict:
        return {
            "row": self.number,
            "cell": self.cell,
            "action": self.action,
            "values": self.values,
            "before": self.before,
        }


@dataclass
class ImportPlan:
    """What importing a file would do; ``write`` does it."""

    kind: str
    columns: tuple[Column, ...]
    rows: list[PlannedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # A planned value as the preview shows it, in the user's language.
    describe: Callable[[str, object], str] = lambda key, value: str(value)
    write: Callable[[], None] = lambda: None
    written: bool = False

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def created(self) -> int:
        return self.count(CREATE)

    @property
    def updated(self) -> int:
        return self.count(UPDATE)

    @property
    def unchanged(self) -> int:
        return self.count(UNCHANGED)

    def as_dict(self) -> dict:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}

    @property
    def digest(self) -> str:
        """A fingerprint of every planned row: two plans with the same digest write the
        same records with the same values."""
        rows = [row.as_dict() for row in sorted(self.rows, key=lambda r: (r.number, r.cell))]
        text = json.dumps(rows, sort_keys=True, default=str, ensure_ascii=False)
        return hashlib.sha256(text.encode()).hexdigest()

    def shown_rows(self, action: str, limit: int) -> list[dict]:
        """The first ``limit`` rows of ``action`` as the preview page lists them: each
        column's value in the user's language, and an update's old value beside it."""
        shown = []
        for row in self.rows:
            if row.action != action:
                continue
            if len(shown) == limit:
                break
            cells = []
            for column in self.columns:
                if column.key not in row.values:
                    continue
                old = row.before.get(column.key, _NOT_CHANGED)
                cells.append(
                    {
                        "value": self.describe(column.key, row.values[column.key]),
                        "old": None if old is _NOT_CHANGED else self.describe(column.key, old),
                    }
                )
            shown.append({"number": row.number, "cell": row.cell, "cells": cells})
        return shown

    def preview_dict(self, limit: int = MAX_LISTED_ROWS) -> dict:
        """The plan as the API's dry run answers it."""
        return {
            **self.as_dict(),
            "dry_run": True,
            "rows": [row.as_dict() for row in self.rows[:limit]],
            "notes": list(self.notes),
        }

    def sorted_errors(self) -> list[RowError]:
        return sorted(self.errors, key=lambda error: (error.row or 0, error.column))

    def raise_if_refused(self) -> None:
        """An import with a bad row writes nothing: ImportRefused lists every problem."""
        if self.errors:
            raise ImportRefused(self.sorted_errors())


_NOT_CHANGED = object()


class PreviewOutdated(Exception):
    """The data changed since the preview: ``plan`` is what the import would do now."""

    def __init__(self, plan: ImportPlan):
        self.plan = plan
        super().__init__("The import would no longer do what its preview showed.")


class Importer:
    """One kind of import. Subclasses set the class attributes and ``make_plan``."""

    kind: str = ""
    label = ""
    columns: tuple[Column, ...] = ()
    needs_round = False

    def check(self, *, user, round) -> None:
        """Refuse a user (PermissionDenied) or a round (ImportRefused) before the file is read."""
        require_admin(user)

    def make_plan(self, table: Table, *, user, round, lock: bool) -> ImportPlan:
        """The plan: every good row's action and values, every bad row's problems, and
        the writes (its ``write``). Raises ImportRefused for a file that has no rows or
        lacks columns."""
        raise NotImplementedError

    def template(self, *, user, round) -> bytes:
        """The XLSX template of this import, in the user's language (``imports.xlsx_templates``)."""
        raise NotImplementedError

    def instructions(self, *, example: bool = True) -> list[str]:
        """The template's instructions: how to fill it in, each column, how to upload it."""
        lines = []
        if example:
            lines.append(
                _(
                    "Fill in the first sheet, “%(sheet)s”, one row each below the header row. "
                    "Row 2 is an example (in grey): replace it or delete it."
                )
                % {"sheet": _("Data")}
            )
        lines.append(_("The columns:"))
        for column in self.columns:
            optional = "" if column.required else " " + _("(may be left out)")
            lines.append(f"• {column.label}{optional}: {column.help}")
        lines += [
            _(
                "Columns with a drop-down list take the values of the list, as this site "
                "shows them (sheet “%(sheet)s”). Their codes and the labels in the other "
                "language are read too, whatever the case."
            )
            % {"sheet": _("Lists")},
            _(
                "Keep the header row. Save the file as .xlsx (or CSV) and upload it on the "
                "import page: a preview shows what would be created, changed and left "
                "unchanged, and every row with a problem. Nothing is written until you "
                "confirm it."
            ),
        ]
        return lines


def execute(
    importer: Importer,
    *,
    data: bytes,
    user,
    round=None,
    dry_run: bool = False,
    expected: str | None = None,
) -> ImportPlan:
    """Plan the import of ``data`` and, unless ``dry_run``, write it (all or nothing).

    Raises PermissionDenied for a user who may not import this, ImportRefused for a file
    that cannot be read or (when writing) has a bad row, PreviewOutdated when ``expected``
    is not the digest of the plan made now.
    """
    importer.check(user=user, round=round)
    table = read_table(data)  # the slow part, outside the transaction
    if dry_run:
        return importer.make_plan(table, user=user, round=round, lock=False)
    with transaction.atomic():
        plan = importer.make_plan(table, user=user, round=round, lock=True)
        plan.raise_if_refused()
        if expected is not None and plan.digest != expected:
            raise PreviewOutdated(plan)
        try:
            plan.write()
        except IntegrityError:
            # Someone wrote one of these records between the plan and the write (a second
            # click on "Confirm", another admin): the transaction is rolled back whole.
            raise refuse(
                _(
                    "Some of these records were written by someone else while the file was "
                    "imported, so nothing was imported: check the file again."
                )
            ) from None
        plan.written = True
    return plan


def require_admin(user) -> None:
    if not access_for(user).has_role(Role.ADMIN):
        raise PermissionDenied(_("Only admins may import regions and actors."))


def field_messages(error: ValidationError) -> list[tuple[str, str]]:
    """(field, message) pairs of a ValidationError, "" for the non-field ones."""
    if hasattr(error, "error_dict"):
        return [
            (key, message)
            for key, items in error.error_dict.items()
            for item in items
            for message in item.messages
        ]
    return [("", message) for message in error.messages]


def check_name(errors, number, column, value, *, required=True) -> None:
    if not value:
        if required:
            errors.append(RowError(number, _("This cell is empty."), column))
        return
    problem = unsafe_text_message(value)
    if problem:
        errors.append(RowError(number, problem, column))
