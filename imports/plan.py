"""What every importer shares: the counts it reports, who may import, and how a row's
problems are collected."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.scoping import access_for
from convergence.validators import unsafe_text_message
from imports.tabular import ImportRefused, RowError, Table, columns_by_name
from imports.vocabulary import in_each_language


@dataclass(frozen=True)
class Column:
    """A column of an import: ``key`` as exports and the documentation write it, ``label``
    as a template's header row writes it in the user's language (either is read)."""

    key: str
    label: object
    required: bool = True


def find_columns(table: Table, columns: tuple[Column, ...]) -> dict[str, int]:
    """Each column's index in the header (see ``columns_by_name``)."""
    return columns_by_name(
        table,
        tuple(column.key for column in columns if column.required),
        tuple(column.key for column in columns if not column.required),
        aliases={column.key: in_each_language(column.label) for column in columns},
    )


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int

    def as_dict(self) -> dict:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}


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


def raise_if(errors: list[RowError]) -> None:
    if errors:
        raise ImportRefused(sorted(errors, key=lambda error: (error.row or 0, error.column)))


def check_name(errors, number, column, value, *, required=True) -> None:
    if not value:
        if required:
            errors.append(RowError(number, _("This cell is empty."), column))
        return
    problem = unsafe_text_message(value)
    if problem:
        errors.append(RowError(number, problem, column))
