"""Read and write the tables that bulk imports and exports exchange: CSV or XLSX.

Reading takes a CSV file in the encodings offices save it in (UTF-8 with or without a
byte-order mark, Windows-1252, UTF-16 with its mark) and refuses, with a message a user
can act on, what a spreadsheet or an editor commonly gets wrong: an empty or oversized
file, text in another encoding or holding a NUL, a delimiter that is neither comma,
semicolon nor tab, and (for XLSX) formulas. Nothing is
imported from a file that fails here; the domain importers then check every row.

It also bounds the time and memory a read takes, whatever the file (README, "Import
limits"): at most ``IMPORT_MAX_CELLS`` cells and ``IMPORT_MAX_COLUMNS`` columns, and for
XLSX, a ZIP of XML parts, the checks of ``check_xlsx_package`` before openpyxl parses it.
"""

import codecs
import csv
import io
import itertools
import posixpath
import re
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from defusedxml.ElementTree import iterparse
from django.conf import settings
from django.utils.translation import gettext as _

from convergence.validators import xml_safe

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
    """Parse a CSV (see ``_decode`` for its encodings; comma, semicolon or tab) or XLSX file."""
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
    """The text of a CSV file, in one of the encodings offices save it in.

    A byte-order mark is taken at its word (UTF-8, or Excel's "Unicode Text" in UTF-16).
    Without one, charset-normalizer tells UTF-8 (what "CSV UTF-8" and most tools write)
    from Windows-1252 (Excel's "CSV (dipisahkan koma)" on an Indonesian Windows; latin-1
    files read the same), and only those two: a file that is neither is refused rather
    than read as whatever it resembles.
    """
    for mark, encoding in _BYTE_ORDER_MARKS:
        if data.startswith(mark):
            text = _decode_as(data[len(mark) :], encoding)
            break
    else:
        if b"\x00" in data[:4096]:
            raise refuse(
                _("This is not a CSV or XLSX file: it contains NUL characters, as binary files do.")
            )
        text = _detect_and_decode(data)
    if not text.strip():
        raise refuse(_("The file is empty."))
    nul = text.find("\x00")
    if nul >= 0:
        # Beyond the first bytes a NUL is no sign of a binary file, but still not text.
        raise refuse(
            _("The file contains a NUL character on line %(line)d: remove it and try again.")
            % {"line": text.count("\n", 0, nul) + 1}
        )
    return text


# The marks that name their encoding (UTF-32's would read as UTF-16's: no office writes it).
_BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# What an office's spreadsheet or editor writes, as charset-normalizer names them.
_ENCODINGS = ["utf_8", "cp1252"]


def _decode_as(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise _not_text(data, error.start, utf8=encoding == "utf-8") from None


def _detect_and_decode(data: bytes) -> str:
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=_ENCODINGS).best()
    if best is not None and best.encoding == "utf_8":
        return str(best)
    try:
        return data.decode("utf-8")  # valid UTF-8 is never taken for another encoding
    except UnicodeDecodeError as error:
        broken_at = error.start
    if best is None:
        raise _not_text(data, broken_at)
    if _UTF8_SEQUENCE.search(data):
        # UTF-8 with a broken character, or a part pasted in from another encoding: read
        # as Windows-1252, its other characters would turn into "â€“". Say where it breaks.
        raise _not_text(data, broken_at, utf8=True)
    return str(best)


# A character written in UTF-8 (a lead byte and a continuation byte); in Windows-1252
# text the same bytes would be a capital letter with an accent followed by a symbol.
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]")


def _not_text(data: bytes, position: int, *, utf8: bool = False) -> ImportRefused:
    line = data[:position].count(b"\n") + 1
    if utf8:
        return refuse(
            _(
                "The file is not UTF-8 text throughout: the character on line %(line)d is "
                "broken or in another encoding. Save the file again as “CSV UTF-8” and try "
                "again."
            )
            % {"line": line}
        )
    return refuse(
        _(
            "The file is neither UTF-8 nor Windows-1252 text (the first character that "
            "cannot be read is on line %(line)d): save it again as “CSV UTF-8” or "
            "“CSV (dipisahkan koma)” and try again."
        )
        % {"line": line}
    )


def _detect_delimiter(text: str) -> str:
    """Comma, semicolon or tab: the one that splits the first lines into equal, wide rows."""
    lines = (line for line in io.StringIO(text, newline=None) if line.strip())
    sample = list(itertools.islice(lines, 20))
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
    max_cells, max_columns = settings.IMPORT_MAX_CELLS, settings.IMPORT_MAX_COLUMNS
    if text.count(delimiter) > max_cells:
        # Before parsing: the csv module builds a row whole, however wide.
        raise _too_many_cells(max_cells)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows, cells = [], 0
    try:
        for number, row in enumerate(reader, start=1):
            cells += max(len(row), 1)
            if cells > max_cells:
                raise _too_many_cells(max_cells)
            if len(row) > max_columns:
                raise _too_wide(number)
            values = [cell.strip() for cell in row]
            if any(values):
                rows.append((number, values))
    except csv.Error as error:
        raise refuse(
            _("The CSV file is malformed near line %(line)d: %(error)s")
            % {"line": reader.line_num, "error": error}
        ) from None
    return rows


def _xlsx_rows(data: bytes) -> list[tuple[int, list[str]]]:
    """The rows of the first worksheet, after ``check_xlsx_package`` has bounded the work.

    openpyxl reads through defusedxml (no entity expansion), skips external links (they
    hold cached copies of other workbooks) and reads the cells that are in the file, not
    the range it declares: read-only mode would otherwise pad every row to that range.
    """
    from openpyxl import load_workbook

    sheet_name = check_xlsx_package(data)
    try:
        workbook = load_workbook(
            io.BytesIO(data), read_only=True, data_only=False, keep_links=False
        )
    except Exception:  # openpyxl raises many kinds for a damaged or foreign zip file
        raise _unreadable() from None
    try:
        if not workbook.worksheets or workbook.worksheets[0].title != sheet_name:
            raise _unreadable()  # not the sheet that was checked
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()
        return _sheet_rows(sheet)
    except ImportRefused:
        raise
    except Exception:  # a damaged part shows only when its rows are parsed
        raise _unreadable() from None
    finally:
        workbook.close()


def _sheet_rows(sheet) -> list[tuple[int, list[str]]]:
    max_cells, max_columns = settings.IMPORT_XLSX_MAX_CELLS, settings.IMPORT_MAX_COLUMNS
    rows, formulas, cells = [], [], 0
    for number, row in enumerate(sheet.iter_rows(), start=1):
        # A missing row costs a step too: a file can skip a million of them.
        cells += max(len(row), 1)
        if cells > max_cells:
            raise _too_many_cells(max_cells)
        if len(row) > max_columns:
            raise _too_wide(number)
        values = []
        for item in row:
            if getattr(item, "data_type", None) == "f":
                formulas.append(
                    RowError(
                        number,
                        _("Formulas are not accepted: paste the values instead."),
                        getattr(item, "column_letter", ""),
                    )
                )
            values.append(_cell_text(item.value))
        while values and values[-1] == "":
            values.pop()
        if values:
            rows.append((number, values))
    if formulas:
        raise ImportRefused(formulas)
    return rows


# The XLSX package, checked before openpyxl parses it ----------------------------------------

_CHUNK = 1024 * 1024
# The compression ratio is judged on parts large enough to matter.
_RATIO_FROM_BYTES = 1024 * 1024
_XML_PARTS = (".xml", ".rels", ".vml")
# No spreadsheet writes a tag (its name and attributes) anywhere near this long.
_MAX_TAG_BYTES = 64 * 1024
_LONG_TAG = re.compile(rb"<[^<>]{%d}" % _MAX_TAG_BYTES)
# Excel, LibreOffice and openpyxl write <dimension> near the top of a sheet.
_DIMENSION_WINDOW = 64 * 1024
_DIMENSION = re.compile(
    rb"<(?:[\w.-]+:)?dimension\s[^>]*?\bref\s*=\s*[\"']"
    rb"([A-Za-z]{1,3})(\d{1,7})(?::([A-Za-z]{1,3})(\d{1,7}))?[\"']"
)
_ROW_START = re.compile(rb"<(?:[\w.-]+:)?row[\s/>]")
_ROW_NUMBER = re.compile(rb"[^>]*?\br\s*=\s*[\"'](\d{1,7})[\"']")
_SHEET_DATA_END = re.compile(rb"</(?:[\w.-]+:)?sheetData\s*>")
# At most this many tags a cell: <c><is><t></t></is><f></f></c> (inline text, formula).
_TAGS_PER_CELL = 8
_CONTENT_TYPES = "[Content_Types].xml"


def check_xlsx_package(data: bytes) -> str:
    """Refuse an XLSX file that would take too much memory or time to read, before any of
    its XML is parsed by openpyxl; return the name of the sheet that is read (the first).

    From the ZIP directory: the number of parts, each part's and the total unpacked size,
    the compression ratio, the size of the shared strings. Then every part is unpacked in
    chunks and its real size counted: unpacking stops at the size the directory declares,
    so a directory that lies is caught by the checksum. The XML elements and attributes
    are counted too, which bounds the parser's time and memory, and no tag may be long
    enough to slow expat down. Last, the first sheet: the range it declares and the width
    of each row (openpyxl parses a row whole before it can be counted).
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except Exception:
        raise _unreadable() from None
    with archive:
        _check_directory(members)
        _check_unpacked(archive, members)
        try:
            sheet_name, sheet_path, shared_strings = _first_worksheet(archive)
            sheet_xml = archive.read(sheet_path)  # within the limits checked above
        except ImportRefused:
            raise
        except Exception:
            raise _unreadable() from None
        sizes = {member.filename: member.file_size for member in members}
        if sizes.get(shared_strings, 0) > settings.IMPORT_XLSX_MAX_SHARED_STRINGS_BYTES:
            raise _shared_strings_too_large()
        _check_sheet(sheet_xml)
    return sheet_name


def _check_directory(members: list[zipfile.ZipInfo]) -> None:
    if len(members) > settings.IMPORT_XLSX_MAX_PARTS:
        raise refuse(
            _(
                "This XLSX file holds %(count)d parts, more than the %(limit)d an import "
                "reads: copy the data into a new workbook, or save it as CSV."
            )
            % {"count": len(members), "limit": settings.IMPORT_XLSX_MAX_PARTS}
        )
    total = 0
    for member in members:
        if member.file_size > settings.IMPORT_XLSX_MAX_PART_BYTES:
            raise _part_too_large(member.filename)
        if (
            member.filename.lower().endswith("sharedstrings.xml")
            and member.file_size > settings.IMPORT_XLSX_MAX_SHARED_STRINGS_BYTES
        ):
            raise _shared_strings_too_large()
        if (
            member.file_size > _RATIO_FROM_BYTES
            and member.file_size > settings.IMPORT_XLSX_MAX_RATIO * max(member.compress_size, 1)
        ):
            raise refuse(
                _(
                    "A part of this XLSX file (%(part)s) is packed %(ratio)d times smaller "
                    "than it unpacks, far more than a spreadsheet is (at most %(limit)d): "
                    "the file is refused."
                )
                % {
                    "part": member.filename,
                    "ratio": member.file_size // max(member.compress_size, 1),
                    "limit": settings.IMPORT_XLSX_MAX_RATIO,
                }
            )
        total += member.file_size
    if total > settings.IMPORT_XLSX_MAX_UNPACKED_BYTES:
        raise _unpacks_too_large()


def _check_unpacked(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo]) -> None:
    total = nodes = 0
    for member in members:
        size = 0
        is_xml = member.filename.lower().endswith(_XML_PARTS)
        tail = b""
        try:
            with archive.open(member) as stream:
                while chunk := stream.read(_CHUNK):
                    size += len(chunk)
                    total += len(chunk)
                    if size > settings.IMPORT_XLSX_MAX_PART_BYTES:
                        raise _part_too_large(member.filename)
                    if total > settings.IMPORT_XLSX_MAX_UNPACKED_BYTES:
                        raise _unpacks_too_large()
                    if not is_xml:
                        continue
                    # What the parser builds: an element for each start or empty tag, and
                    # its attributes (one "=" each; text holding "=" only counts more).
                    nodes += chunk.count(b"<") - chunk.count(b"</") + chunk.count(b"=")
                    if nodes > settings.IMPORT_XLSX_MAX_XML_NODES:
                        raise _too_many_nodes()
                    # expat's time grows with the square of one tag's length.
                    if _LONG_TAG.search(tail + chunk):
                        raise _unreadable()
                    tail = chunk[-_MAX_TAG_BYTES:]
        except ImportRefused:
            raise
        except Exception:  # a bad checksum, an unknown compression, a password
            raise _unreadable() from None


def _too_many_nodes() -> ImportRefused:
    return refuse(
        _(
            "This XLSX file holds more than %(limit)s XML elements and attributes, more than "
            "an import reads: split it into smaller files or save it as CSV."
        )
        % {"limit": f"{settings.IMPORT_XLSX_MAX_XML_NODES:,}"}
    )


def _starts(archive: zipfile.ZipFile, name: str):
    """(local tag name, attributes) of each element of an XML part, in document order,
    parsed by defusedxml (no DTD entities, no external references)."""
    with archive.open(name) as stream:
        for _event, element in iterparse(stream, events=("start",)):
            yield element.tag.rsplit("}", 1)[-1], element.attrib


def _attribute(attributes: dict, local_name: str) -> str | None:
    for key, value in attributes.items():
        if key.rsplit("}", 1)[-1] == local_name:
            return value
    return None


def _relationships(archive: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """Id → (type, target part) of ``part``'s relationships, as openpyxl resolves them."""
    folder, name = posixpath.split(part)
    found = {}
    for tag, attributes in _starts(archive, posixpath.join(folder, "_rels", f"{name}.rels")):
        if tag == "Relationship" and attributes.get("TargetMode") != "External":
            target = attributes.get("Target", "")
            if target.startswith("/"):
                target = target[1:]
            else:
                target = posixpath.normpath(posixpath.join(folder, target))
            found[attributes.get("Id")] = (attributes.get("Type", ""), target)
    return found


def _first_worksheet(archive: zipfile.ZipFile) -> tuple[str, str, str | None]:
    """The first worksheet's name and part, and the shared strings' part, found as
    openpyxl finds them: the workbook part from the content types, its sheets in order."""
    from openpyxl.xml.constants import SHARED_STRINGS, XLSM, XLSX, XLTM, XLTX

    overrides = {
        attributes.get("ContentType"): attributes.get("PartName", "").lstrip("/")
        for tag, attributes in _starts(archive, _CONTENT_TYPES)
        if tag == "Override"
    }
    workbook = next(
        (overrides[kind] for kind in (XLTM, XLTX, XLSM, XLSX) if kind in overrides),
        "xl/workbook.xml",
    )
    relationships = _relationships(archive, workbook)
    for tag, attributes in _starts(archive, workbook):
        if tag != "sheet":
            continue
        kind, target = relationships.get(_attribute(attributes, "id"), ("", ""))
        if kind.endswith("/worksheet"):
            return attributes.get("name", ""), target, overrides.get(SHARED_STRINGS)
    raise _unreadable()


def _check_sheet(xml: bytes) -> None:
    """The declared range, read from the top of the sheet, and the width of every row."""
    declared = _DIMENSION.search(xml, 0, _DIMENSION_WINDOW)
    if declared:
        first_column, first_row, last_column, last_row = declared.groups()
        if last_column is not None:
            columns = abs(_column_number(last_column) - _column_number(first_column)) + 1
            rows = abs(int(last_row) - int(first_row)) + 1
            if columns * rows > settings.IMPORT_XLSX_MAX_CELLS:
                span = declared.group(0).rsplit(b"=", 1)[-1].strip(b"\"' ")
                raise refuse(
                    _(
                        "The first sheet spans %(range)s (%(cells)s cells), more than the "
                        "%(limit)s cells an import reads: delete the unused rows and columns "
                        "(or copy the data into a new sheet) and try again."
                    )
                    % {
                        "range": span.decode("ascii", "replace"),
                        "cells": f"{columns * rows:,}",
                        "limit": f"{settings.IMPORT_XLSX_MAX_CELLS:,}",
                    }
                )
    most = _TAGS_PER_CELL * settings.IMPORT_MAX_COLUMNS + 2  # and the row's own two tags
    previous = None
    for ordinal, row in enumerate(_ROW_START.finditer(xml), start=1):
        if previous is not None:
            _check_row_width(xml, previous, row.start(), most, ordinal - 1)
        previous = row
    if previous is not None:
        data_end = _SHEET_DATA_END.search(xml, previous.end())
        _check_row_width(xml, previous, data_end.start() if data_end else len(xml), most, ordinal)


def _check_row_width(xml: bytes, row: re.Match, end: int, most: int, ordinal: int) -> None:
    if xml.count(b"<", row.start(), end) > most:
        number = _ROW_NUMBER.match(xml, row.end() - 1)
        raise _too_wide(int(number.group(1)) if number else ordinal)


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - 64
    return number


def _unreadable() -> ImportRefused:
    return refuse(_("This XLSX file cannot be read: save it again as .xlsx or CSV."))


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):g}"


def _part_too_large(part: str) -> ImportRefused:
    return refuse(
        _(
            "A part of this XLSX file (%(part)s) unpacks to more than %(limit)s MB: split "
            "the file into smaller ones or save it as CSV."
        )
        % {"part": part, "limit": _mb(settings.IMPORT_XLSX_MAX_PART_BYTES)}
    )


def _unpacks_too_large() -> ImportRefused:
    return refuse(
        _(
            "This XLSX file unpacks to more than %(limit)s MB: split it into smaller files "
            "or save it as CSV."
        )
        % {"limit": _mb(settings.IMPORT_XLSX_MAX_UNPACKED_BYTES)}
    )


def _shared_strings_too_large() -> ImportRefused:
    return refuse(
        _(
            "The text of this XLSX file (its shared strings) unpacks to more than "
            "%(limit)s MB: split it into smaller files or save it as CSV."
        )
        % {"limit": _mb(settings.IMPORT_XLSX_MAX_SHARED_STRINGS_BYTES)}
    )


def _too_many_cells(limit: int) -> ImportRefused:
    return refuse(
        _(
            "The file holds more than %(limit)s cells (rows × columns, empty rows "
            "included): split it into smaller files."
        )
        % {"limit": f"{limit:,}"}
    )


def _too_wide(row: int) -> ImportRefused:
    return refuse(
        _("Row %(row)d is wider than %(limit)s columns: delete the unused columns and try again.")
        % {"row": row, "limit": f"{settings.IMPORT_MAX_COLUMNS:,}"}
    )


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


def header_key(raw: str) -> str:
    """A column name as compared: ``short name``, ``Short_Name`` and ``short-name`` are
    the same column."""
    return re.sub(r"[\s\-_]+", "_", raw.strip().casefold())


def columns_by_name(
    table: Table,
    required: tuple[str, ...],
    optional: tuple[str, ...] = (),
    *,
    aliases: Mapping[str, Iterable[str]] | None = None,
):
    """Map each expected column name to its index in the header; refuse missing or doubled ones.

    Header names are matched without regard to case, spaces or the separator (see
    ``header_key``); ``aliases`` gives other names a column may have (its label in each
    language: ``Nama singkat`` for ``short_name``).
    """
    names = {header_key(name): name for name in required + optional}
    for name, others in (aliases or {}).items():
        for other in others:
            names.setdefault(header_key(other), name)
    seen: dict[str, int] = {}
    errors = []
    for index, raw in enumerate(table.header):
        name = names.get(header_key(raw))
        if name is None:
            continue
        if name in seen:
            errors.append(
                RowError(1, _("The column %(column)s appears twice.") % {"column": raw}, raw)
            )
        seen[name] = index
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
    """The table as file bytes and its content type. CSV is UTF-8 with a BOM (for Excel).

    Characters that a spreadsheet cannot hold (stored before the free-text rule) are
    replaced by U+FFFD.
    """
    header = _safe_row(header)
    rows = (_safe_row(row) for row in rows)
    if file_type == "xlsx":
        return _write_xlsx(header, rows), XLSX_CONTENT_TYPE
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8"), CSV_CONTENT_TYPE


def _safe_row(values) -> list:
    return [xml_safe(value) if isinstance(value, str) else value for value in values]


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
