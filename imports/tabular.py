"""Read and write the tables that bulk imports and exports exchange: CSV or XLSX.

Reading refuses, with a message a user can act on, what a spreadsheet or an editor
commonly gets wrong: an empty or oversized file, text that is not UTF-8, a delimiter that
is neither comma, semicolon nor tab, and (for XLSX) formulas. Nothing is imported from a
file that fails here; the domain importers then check every row.
"""

import csv
import io
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

DELIMITERS = (",", ";", "\t")
XLSX_MAGIC = b"PK\x03\x04"
OLD_EXCEL_MAGIC = b"\xd0\xcf\x11\xe0"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FILE_TYPES = ("csv", "xlsx")

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).


@dataclass(frozen=True)
class RowError:
    """One reason a file cannot be imported; ``row`` is None for the file as a whole.

    Rows are numbered as a spreadsheet numbers them: the header is row 1.
    """

    row: int | None
    message: str
    column: str = ""

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}

    def __str__(self):
        where = []
        if self.row is not None:
            where.append(_("row %(row)d") % {"row": self.row})
        if self.column:
            where.append(_("column %(column)s") % {"column": self.column})
        return f"{', '.join(where)}: {self.message}" if where else self.message


class ImportRefused(Exception):
    """The file was refused; nothing was written. ``errors`` lists every reason found."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__("; ".join(str(error) for error in errors[:5]))


@dataclass
class Table:
    """A header and the data rows (their number in the file and their cells, stripped)."""

    header: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)


def refuse(message: str) -> ImportRefused:
    return ImportRefused([RowError(None, message)])


def read_upload(upload) -> bytes:
    """The bytes of an uploaded file (Django's UploadedFile or any binary file object).

    A file over ``IMPORT_MAX_BYTES`` is refused before it is read whole.
    """
    limit = settings.IMPORT_MAX_BYTES
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise refuse(_too_large_message())
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise refuse(_too_large_message())
    return data


def _too_large_message() -> str:
    return _("The file is larger than %(limit)s MB: split it into smaller files.") % {
        "limit": f"{settings.IMPORT_MAX_BYTES / (1024 * 1024):g}"
    }


def read_table(data: bytes) -> Table:
    """Parse a CSV (UTF-8, with or without BOM; comma, semicolon or tab) or XLSX file."""
    if len(data) > settings.IMPORT_MAX_BYTES:
        raise refuse(_too_large_message())
    if data.startswith(XLSX_MAGIC):
        rows = _xlsx_rows(data)
    elif data.startswith(OLD_EXCEL_MAGIC):
        raise refuse(_("Old Excel files (.xls) are not read: save the file as .xlsx or CSV."))
    else:
        rows = _csv_rows(_decode(data))
    rows = [(number, cells) for number, cells in rows if any(cells)]
    if not rows:
        raise refuse(_("The file is empty."))
    (_first, header), *body = rows
    return Table(header=header, rows=body)


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise refuse(
            _("The file is UTF-16 text: save it as UTF-8 (in Excel: “CSV UTF-8”) and try again.")
        )
    if b"\x00" in data[:4096]:
        raise refuse(_("This is not a CSV or XLSX file."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise refuse(
            _(
                "The file is not UTF-8 text (the first bad character is on line %(line)d): "
                "save it as UTF-8 (in Excel: “CSV UTF-8”) and try again."
            )
            % {"line": line}
        ) from None
    if not text.strip():
        raise refuse(_("The file is empty."))
    return text


def _detect_delimiter(text: str) -> str:
    """Comma, semicolon or tab: the one that splits the first lines into equal, wide rows."""
    sample = [line for line in text.splitlines()[:20] if line.strip()]
    best, best_score = None, (0, 0)
    for delimiter in DELIMITERS:
        if delimiter not in sample[0]:
            continue
        widths = [len(row) for row in csv.reader(sample, delimiter=delimiter)]
        consistent = sum(1 for width in widths if width == widths[0])
        score = (consistent, widths[0])
        if score > best_score:
            best, best_score = delimiter, score
    if best is None:
        raise refuse(
            _(
                "The columns could not be told apart: separate them with a comma, a "
                "semicolon or a tab, with the column names on the first line."
            )
        )
    return best


def _csv_rows(text: str) -> list[tuple[int, list[str]]]:
    delimiter = _detect_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return [
            (number, [cell.strip() for cell in cells])
            for number, cells in enumerate(reader, start=1)
        ]
    except csv.Error as error:
        raise refuse(
            _("The CSV file is malformed near line %(line)d: %(error)s")
            % {"line": reader.line_num, "error": error}
        ) from None


def _xlsx_rows(data: bytes) -> list[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds for a damaged or foreign zip file
        raise refuse(_("This XLSX file cannot be read: save it again as .xlsx or CSV.")) from None
    try:
        sheet = workbook.worksheets[0]
        rows, formulas = [], []
        for number, cells in enumerate(sheet.iter_rows(), start=1):
            values = []
            for cell in cells:
                if getattr(cell, "data_type", None) == "f":
                    formulas.append(
                        RowError(
                            number,
                            _("Formulas are not accepted: paste the values instead."),
                            getattr(cell, "column_letter", ""),
                        )
                    )
                values.append(_cell_text(cell.value))
            while values and values[-1] == "":
                values.pop()
            rows.append((number, values))
    finally:
        workbook.close()
    if formulas:
        raise ImportRefused(formulas)
    return rows


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value).strip()


def columns_by_name(table: Table, required: tuple[str, ...], optional: tuple[str, ...] = ()):
    """Map each expected column name to its index in the header; refuse missing or doubled ones.

    Header names are matched without regard to case, spaces or the separator (``short
    name``, ``Short_Name`` and ``short-name`` are the same column).
    """
    wanted = required + optional
    seen: dict[str, int] = {}
    errors = []
    for index, raw in enumerate(table.header):
        key = re.sub(r"[\s\-]+", "_", raw.strip().lower())
        if key not in wanted:
            continue
        if key in seen:
            errors.append(
                RowError(1, _("The column %(column)s appears twice.") % {"column": raw}, raw)
            )
        seen[key] = index
    missing = [name for name in required if name not in seen]
    if missing:
        errors.append(
            RowError(
                1,
                _("Missing column(s): %(missing)s. The first row must name the columns: %(all)s.")
                % {"missing": ", ".join(missing), "all": ", ".join(required)},
            )
        )
    if errors:
        raise ImportRefused(errors)
    return seen


def cell(cells: list[str], index: int | None) -> str:
    if index is None or index >= len(cells):
        return ""
    return cells[index]


def write_table(header: list[str], rows, file_type: str) -> tuple[bytes, str]:
    """The table as file bytes and its content type. CSV is UTF-8 with a BOM (for Excel)."""
    if file_type == "xlsx":
        return _write_xlsx(header, rows), XLSX_CONTENT_TYPE
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8"), CSV_CONTENT_TYPE


def _write_xlsx(header, rows) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()

    def cells(values):
        out = []
        for value in values:
            item = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                item.data_type = "s"  # never let a name that starts with "=" become a formula
            out.append(item)
        return out

    sheet.append(cells(header))
    for row in rows:
        sheet.append(cells(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
