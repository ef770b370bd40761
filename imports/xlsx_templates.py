"""Downloadable XLSX templates, one per kind of import, in the user's language.

A template has three sheets: the data sheet first (the one an import reads), with the
header row, an example row and a drop-down list on each coded column; a short
instructions sheet; and the lists the drop-downs offer (the labels the interface shows),
with reference lists beside them. Filled in and uploaded as it is, it imports.
"""

import io
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from convergence.validators import xml_safe as _xml_safe

# Rows of the data sheet that carry the drop-down lists (row 1 is the header).
ROWS_WITH_LISTS = 1000
HEADER_FILL = PatternFill("solid", fgColor="DDE7F0")
EXAMPLE_FONT = Font(italic=True, color="555555")
GREY_FILL = PatternFill("solid", fgColor="D9D9D9")


@dataclass
class TemplateColumn:
    header: str
    width: int = 24
    # The drop-down's choices (labels in the user's language), if the column is coded.
    choices: list[str] | None = None
    help: str = ""


@dataclass
class Template:
    """What a template holds; ``workbook_bytes`` writes it."""

    title: str
    columns: list[TemplateColumn]
    rows: list[list] = field(default_factory=list)  # the example row(s), or a matrix's rows
    example_rows: int = 1  # how many of ``rows`` are examples (shown in grey italics)
    instructions: list[str] = field(default_factory=list)
    references: list[tuple[str, list[list[str]]]] = field(default_factory=list)
    # A matrix: the drop-down covers the cells right of the diagonal, the rest is grey.
    matrix: bool = False
    matrix_choices: list[str] | None = None


def xml_safe(value):
    return _xml_safe(value) if isinstance(value, str) else value


def _list_range(sheet_title: str, column: int, count: int) -> str:
    letter = get_column_letter(column)
    return f"'{sheet_title}'!${letter}$2:${letter}${count + 1}"


def _validation(formula: str, prompt_title: str) -> DataValidation:
    validation = DataValidation(type="list", formula1=formula, allow_blank=True)
    validation.error = _("Choose a value from the list (or write its code).")
    validation.errorTitle = prompt_title[:32]
    validation.errorStyle = "warning"  # a code or an English label is accepted too
    validation.showErrorMessage = True
    return validation


def workbook_bytes(template: Template) -> bytes:
    workbook = Workbook()
    data = workbook.active
    data.title = _("Data")
    instructions = workbook.create_sheet(_("Instructions"))
    lists = workbook.create_sheet(_("Lists"))

    # The lists first: the data sheet's drop-downs point at them.
    list_ranges: dict[int, str] = {}
    next_column = 1
    coded = [(index, column) for index, column in enumerate(template.columns, start=1)]
    if template.matrix and template.matrix_choices:
        coded = [(0, TemplateColumn(_("Level"), choices=template.matrix_choices))]
    for index, column in coded:
        if not column.choices:
            continue
        lists.cell(row=1, column=next_column, value=xml_safe(column.header)).font = Font(bold=True)
        for row, choice in enumerate(column.choices, start=2):
            lists.cell(row=row, column=next_column, value=xml_safe(choice)).data_type = "s"
        lists.column_dimensions[get_column_letter(next_column)].width = 40
        list_ranges[index] = _list_range(lists.title, next_column, len(column.choices))
        next_column += 1
    for title, rows in template.references:
        next_column += 1  # a blank column before each reference list
        lists.cell(row=1, column=next_column, value=xml_safe(title)).font = Font(bold=True)
        for row_number, row in enumerate(rows, start=2):
            for offset, value in enumerate(row):
                lists.cell(row=row_number, column=next_column + offset, value=xml_safe(value))
        for offset in range(max((len(row) for row in rows), default=1)):
            lists.column_dimensions[get_column_letter(next_column + offset)].width = 30
        next_column += max((len(row) for row in rows), default=1)

    # The data sheet.
    for index, column in enumerate(template.columns, start=1):
        cell = data.cell(row=1, column=index, value=xml_safe(column.header))
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        data.column_dimensions[get_column_letter(index)].width = column.width
    for row_number, row in enumerate(template.rows, start=2):
        for index, value in enumerate(row, start=1):
            if value is None or value == "":
                continue
            cell = data.cell(row=row_number, column=index, value=xml_safe(value))
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula
            if row_number - 1 <= template.example_rows and not template.matrix:
                cell.font = EXAMPLE_FONT
    data.freeze_panes = "B2" if template.matrix else "A2"
    if template.matrix:
        _matrix_cells(data, template, list_ranges.get(0))
    else:
        for index, formula in list_ranges.items():
            letter = get_column_letter(index)
            validation = _validation(formula, template.columns[index - 1].header)
            validation.add(f"{letter}2:{letter}{ROWS_WITH_LISTS + 1}")
            data.add_data_validation(validation)

    instructions.column_dimensions["A"].width = 110
    instructions.cell(row=1, column=1, value=xml_safe(template.title)).font = Font(
        bold=True, size=14
    )
    for row, line in enumerate(template.instructions, start=3):
        cell = instructions.cell(row=row, column=1, value=xml_safe(line))
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.data_type = "s"

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _matrix_cells(sheet, template: Template, formula: str | None) -> None:
    """Grey out the diagonal and the cells left of it; the drop-down on those right of it."""
    size = len(template.rows)
    for row in range(2, size + 2):
        for column in range(2, row + 1):
            sheet.cell(row=row, column=column).fill = GREY_FILL
    if formula and size > 1:
        validation = _validation(formula, _("Level"))
        for row in range(2, size + 1):
            first = get_column_letter(row + 1)
            last = get_column_letter(size + 1)
            validation.add(f"{first}{row}:{last}{row}")
        sheet.add_data_validation(validation)
