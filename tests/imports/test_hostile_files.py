"""Hostile XLSX files are refused quickly and in bounded memory; a normal file still imports.

Each file is built here, written to a temporary folder and read by ``read_table`` in a
fresh Python process, which reports the CPU time and the peak memory (``getrusage``)
that the read took above what the process held before it. The figures are printed: run
``pytest -s tests/imports/test_hostile_files.py`` to see them.

On main, the declared range ``A1:XFD8000`` took 14.5 s of CPU (read-only openpyxl pads
every row to the declared range) and one huge shared string took 931 MB.
"""

import io
import json
import os
import re
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from tests.imports.conftest import xlsx_bytes

ROOT = Path(__file__).resolve().parents[2]
CPU_SECONDS = 5.0
# Above the process's own memory (Django and openpyxl loaded, the file's bytes read). The
# costliest files the limits let through take some 230 MB (the last tests below); a normal
# file of 100,000 cells some 15 MB.
PEAK_MB = 256

# Memory is read from /proc (Linux): the resident size before the read, and the high-water
# mark during it (reset first, so that Django's own start-up does not count).
MEASURE = """
import json, sys, time
import django
django.setup()
import defusedxml, openpyxl  # noqa: loaded before the read, as in a running server
from django.utils import translation
from imports.tabular import ImportRefused, read_table


def status(field):
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024


translation.activate("en")
data = open(sys.argv[1], "rb").read()
baseline = status("VmRSS")
with open("/proc/self/clear_refs", "w") as handle:
    handle.write("5")  # reset VmHWM to the current size
start = time.process_time()
try:
    table = read_table(data)
    outcome = {"refused": False, "rows": len(table.rows)}
except ImportRefused as refused:
    outcome = {"refused": True, "message": str(refused)}
outcome["cpu_seconds"] = round(time.process_time() - start, 3)
outcome["peak_mb"] = round(status("VmHWM") - baseline, 1)
outcome["file_kb"] = round(len(data) / 1024, 1)
print(json.dumps(outcome))
"""


def measure(tmp_path, data: bytes, label: str, **limits) -> dict:
    """Read ``data`` in a fresh process; ``limits`` override settings (by environment)."""
    path = tmp_path / "upload.xlsx"
    path.write_bytes(data)
    env = {
        **os.environ,
        **{name: str(value) for name, value in limits.items()},
        "DJANGO_SETTINGS_MODULE": "convergence.settings",
        "PYTHONPATH": str(ROOT),
    }
    result = subprocess.run(
        [sys.executable, "-c", MEASURE, str(path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    print(
        f"\n{label}: {outcome['file_kb']} KB, {outcome['cpu_seconds']} s CPU, "
        f"peak +{outcome['peak_mb']} MB, "
        + (f"refused: {outcome['message']}" if outcome["refused"] else f"{outcome['rows']} rows")
    )
    return outcome


def assert_refused_within_bounds(outcome: dict, message: str) -> None:
    assert outcome["refused"], outcome
    assert message in outcome["message"], outcome
    assert outcome["cpu_seconds"] < CPU_SECONDS, outcome
    assert outcome["peak_mb"] < PEAK_MB, outcome


# Building the files ---------------------------------------------------------------------


def actors_workbook(rows: int = 3) -> bytes:
    header = ("name", "short_name", "kind", "sector", "government_level", "region_code")
    body = [
        (f"Kelompok Tani {number}", f"KT{number}", "community", "health", "village", "72.10")
        for number in range(rows)
    ]
    return xlsx_bytes(header, *body)


def rezip(data: bytes, *, replace=None, extra=(), drop=()) -> bytes:
    """``data`` (an XLSX) with parts edited (``replace``: name → function of the bytes, or
    a function that writes the part itself into the new archive), added or left out."""
    replace = replace or {}
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename in drop:
                continue
            edit = replace.get(item.filename)
            if getattr(edit, "writes_itself", False):
                edit(target, item.filename)
                continue
            content = source.read(item.filename)
            target.writestr(item, edit(content) if edit else content)
        for name, content in extra:
            if callable(content):
                content(target, name)
            else:
                target.writestr(name, content)
    return out.getvalue()


def streamed(chunks_of: callable):
    """A part written chunk by chunk (never whole in memory)."""

    def write(target: zipfile.ZipFile, name: str) -> None:
        with target.open(name, "w") as stream:
            for chunk in chunks_of():
                stream.write(chunk)

    write.writes_itself = True
    return write


def huge_shared_string(megabytes: int):
    """One shared string of ``megabytes`` MB of a single letter: it packs a thousandfold."""

    def chunks():
        yield (
            b'<?xml version="1.0" encoding="UTF-8"?>'
            b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            b'count="1" uniqueCount="1"><si><t>'
        )
        for _ in range(megabytes):
            yield b"A" * (1024 * 1024)
        yield b"</t></si></sst>"

    return streamed(chunks)


def zeros(megabytes: int):
    return streamed(lambda: (b"\0" * (1024 * 1024) for _ in range(megabytes)))


SHARED_STRINGS = "xl/sharedStrings.xml"
SHARED_STRINGS_TYPE = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
)


def with_shared_strings(data: bytes, part) -> bytes:
    """``data`` with a shared strings part (``part``: bytes or a writer), as Excel writes
    one, and cell A2 pointing at its first string (openpyxl writes text inline)."""

    def declared(types: bytes) -> bytes:
        override = b'<Override PartName="/%s" ContentType="%s"/>' % (
            SHARED_STRINGS.encode(),
            SHARED_STRINGS_TYPE.encode(),
        )
        return types.replace(b"</Types>", override + b"</Types>")

    def shared(xml: bytes) -> bytes:
        return re.sub(
            rb'<c r="A2" t="inlineStr"><is><t>[^<]*</t></is></c>',
            b'<c r="A2" t="s"><v>0</v></c>',
            xml,
        )

    return rezip(
        data,
        replace={"[Content_Types].xml": declared, "xl/worksheets/sheet1.xml": shared},
        extra=[(SHARED_STRINGS, part)],
    )


def patch_declared_size(data: bytes, name: str, size: int) -> bytes:
    """The ZIP's local header and central directory claim ``size`` bytes for ``name``."""
    encoded = name.encode()
    patched = bytearray(data)
    local = patched.find(b"PK\x03\x04")
    while local != -1:
        length = struct.unpack_from("<H", patched, local + 26)[0]
        if patched[local + 30 : local + 30 + length] == encoded:
            struct.pack_into("<I", patched, local + 22, size)
        local = patched.find(b"PK\x03\x04", local + 4)
    central = patched.find(b"PK\x01\x02")
    while central != -1:
        length = struct.unpack_from("<H", patched, central + 28)[0]
        if patched[central + 46 : central + 46 + length] == encoded:
            struct.pack_into("<I", patched, central + 24, size)
        central = patched.find(b"PK\x01\x02", central + 4)
    return bytes(patched)


def sheet_edit(function):
    return {"xl/worksheets/sheet1.xml": function}


# The hostile files ------------------------------------------------------------------------


def declared_range(xml: bytes) -> bytes:
    """The range A1:XFD8000 declared, and an empty row 8,000 (as a sheet formatted down to
    there has): read-only openpyxl pads every row up to it to 16,384 cells."""
    xml = re.sub(rb'<dimension ref="[^"]+"', b'<dimension ref="A1:XFD8000"', xml)
    return xml.replace(b"</sheetData>", b'<row r="8000"/></sheetData>')


def test_a_huge_declared_range_is_refused_before_reading(tmp_path):
    data = rezip(actors_workbook(), replace=sheet_edit(declared_range))
    assert len(data) < 8 * 1024  # the 4.7 KB file of the finding
    outcome = measure(tmp_path, data, "declared range A1:XFD8000")
    assert_refused_within_bounds(outcome, "spans A1:XFD8000 (131,072,000 cells)")


def test_a_huge_shared_string_is_refused(tmp_path):
    data = with_shared_strings(actors_workbook(), huge_shared_string(320))
    assert len(data) < 400 * 1024  # the 310 KB file of the finding
    outcome = measure(tmp_path, data, "one shared string of 320 MB")
    assert_refused_within_bounds(outcome, "xl/sharedStrings.xml) unpacks to more than 25 MB")


def test_shared_strings_over_their_own_limit_are_refused(tmp_path):
    data = with_shared_strings(actors_workbook(), huge_shared_string(12))
    outcome = measure(tmp_path, data, "shared strings of 12 MB")
    assert_refused_within_bounds(outcome, "shared strings) unpacks to more than 10 MB")


def test_a_zip_bomb_part_is_refused(tmp_path):
    data = rezip(actors_workbook(), extra=[("xl/media/image1.png", zeros(200))])
    outcome = measure(tmp_path, data, "a 200 MB part of zeros")
    assert_refused_within_bounds(outcome, "(xl/media/image1.png) unpacks to more than 25 MB")


def test_a_part_packed_a_thousandfold_is_refused(tmp_path):
    data = rezip(actors_workbook(), extra=[("xl/media/image1.png", zeros(5))])
    outcome = measure(tmp_path, data, "a 5 MB part packed 1000:1")
    assert_refused_within_bounds(outcome, "is packed")


def test_parts_together_over_the_total_are_refused(tmp_path):
    """Three parts of 20 MB, each packed about 45:1 (within the ratio allowed)."""

    def part():
        return streamed(lambda: (os.urandom(22 * 1024) + bytes(1002 * 1024) for _ in range(20)))

    data = rezip(actors_workbook(), extra=[(f"xl/media/image{n}.bin", part()) for n in range(3)])
    outcome = measure(tmp_path, data, "three parts of 20 MB")
    assert_refused_within_bounds(outcome, "unpacks to more than 50 MB")


def test_many_parts_are_refused(tmp_path):
    parts = [(f"customXml/item{number}.xml", b"<a/>") for number in range(5000)]
    data = rezip(actors_workbook(), extra=parts)
    outcome = measure(tmp_path, data, "5,000 parts")
    assert_refused_within_bounds(outcome, "holds 5009 parts, more than the 500")


def test_a_lying_size_header_is_caught_while_unpacking(tmp_path):
    """The directory says 1 KB; the data unpack to 100 MB. Unpacking stops at the size
    declared, and the checksum of what was read does not match."""
    data = with_shared_strings(actors_workbook(), huge_shared_string(100))
    data = patch_declared_size(data, SHARED_STRINGS, 1024)
    assert zipfile.ZipFile(io.BytesIO(data)).getinfo(SHARED_STRINGS).file_size == 1024
    outcome = measure(tmp_path, data, "a part that declares 1 KB and holds 100 MB")
    assert_refused_within_bounds(outcome, "cannot be read")


def elements_with_attributes(count: int, attributes: int) -> bytes:
    """``count`` elements of ``attributes`` attributes each; random values make them pack
    only about 5:1."""
    values = os.urandom(2 * count * attributes).hex().encode()
    words = (values[start : start + 4] for start in range(0, len(values), 4))
    return b"".join(
        b"<a %s/>" % b" ".join(b'a%d="%s"' % (number, next(words)) for number in range(attributes))
        for _row in range(count)
    )


def random_elements(count: int) -> bytes:
    """``count`` small elements with an attribute each (two XML nodes)."""
    return elements_with_attributes(count, 1)


def test_too_many_xml_elements_are_refused_before_parsing(tmp_path):
    half = random_elements(275_000)
    data = rezip(
        actors_workbook(),
        replace={
            "xl/styles.xml": lambda xml: xml.replace(b"</styleSheet>", half + b"</styleSheet>")
        },
        extra=[("customXml/item1.xml", b"<root>" + half + b"</root>")],
    )
    outcome = measure(tmp_path, data, "1.1 million elements and attributes in two parts")
    assert_refused_within_bounds(outcome, "more than 1,000,000 XML elements and attributes")


def test_one_very_wide_row_is_refused_before_parsing(tmp_path):
    """openpyxl parses a row whole: 150,000 cells in one row, before any could be counted."""
    values = [int.from_bytes(os.urandom(3), "big") for _ in range(150_000)]
    row = b'<row r="4">' + b"".join(b"<c><v>%d</v></c>" % value for value in values) + b"</row>"
    data = rezip(
        actors_workbook(),
        replace=sheet_edit(lambda xml: xml.replace(b"</sheetData>", row + b"</sheetData>")),
    )
    outcome = measure(tmp_path, data, "one row of 150,000 cells")
    assert_refused_within_bounds(outcome, "Row 4 is wider than 1,000 columns")


def test_cells_far_to_the_right_are_not_padded(tmp_path):
    """No declared range, 8,000 rows with a cell in column XFD: read-only openpyxl would
    pad each row to 16,384 cells."""

    def far_right(xml):
        xml = re.sub(rb"<dimension [^>]*/>", b"", xml)
        rows = b"".join(
            b'<row r="%d"><c r="A%d" t="n"><v>1</v></c><c r="XFD%d" t="n"><v>1</v></c></row>'
            % (number, number, number)
            for number in range(5, 8005)
        )
        return xml.replace(b"</sheetData>", rows + b"</sheetData>")

    data = rezip(actors_workbook(), replace=sheet_edit(far_right))
    outcome = measure(tmp_path, data, "8,000 rows reaching column XFD")
    assert_refused_within_bounds(outcome, "Row 5 is wider than 1,000 columns")


def test_a_cell_in_the_last_row_is_not_padded(tmp_path):
    def last_row(xml):
        cell = b'<row r="1048576"><c r="A1048576" t="n"><v>1</v></c></row>'
        return xml.replace(b"</sheetData>", cell + b"</sheetData>")

    data = rezip(actors_workbook(), replace=sheet_edit(last_row))
    outcome = measure(tmp_path, data, "a cell in row 1,048,576")
    assert_refused_within_bounds(outcome, "more than 100,000 cells")


def test_more_cells_than_declared_are_counted(tmp_path):
    """The range says A1:F4; the sheet holds 125,000 cells more, all of them parsed up to
    the limit (the slowest refusal: openpyxl parses some 40,000 cells a second)."""

    def more(xml):
        rows = b"".join(
            b'<row r="%d">%s</row>'
            % (
                number,
                b"".join(
                    b'<c r="%s%d"><v>%d</v></c>' % (column, number, number)
                    for column in (b"A", b"B", b"C", b"D", b"E")
                ),
            )
            for number in range(5, 25_005)
        )
        return xml.replace(b"</sheetData>", rows + b"</sheetData>")

    data = rezip(actors_workbook(), replace=sheet_edit(more))
    outcome = measure(tmp_path, data, "125,000 cells under a range of 24")
    assert_refused_within_bounds(outcome, "more than 100,000 cells")


def test_entity_expansion_is_refused_by_defusedxml(tmp_path):
    # Each entity ten of the one before: &e; is 100,000 letters (a "billion laughs").
    entities = "".join(
        f'<!ENTITY {name} "{f"&{previous};" * 10}">'
        for previous, name in zip("abcd", "bcde", strict=True)
    ).encode()
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa">%s]>'
        b'<sst xmlns="%s"><si><t>&e;&e;&e;</t></si></sst>'
        % (entities, b"http://schemas.openxmlformats.org/spreadsheetml/2006/main")
    )
    data = with_shared_strings(actors_workbook(), bomb)
    outcome = measure(tmp_path, data, "entity expansion in the shared strings")
    assert_refused_within_bounds(outcome, "cannot be read")


# CSV --------------------------------------------------------------------------------------


def test_a_csv_row_of_ten_million_cells_is_refused_before_parsing(tmp_path):
    data = b"name,short_name\n" + b"," * (10 * 1024 * 1024 - 100)
    outcome = measure(tmp_path, data, "a CSV row of 10 million empty cells")
    assert_refused_within_bounds(outcome, "more than 250,000 cells")


def test_five_million_csv_lines_are_refused(tmp_path):
    """On main: 10 s of CPU and 1 GB (every line kept, then most dropped as empty)."""
    data = b"name,short_name\n" + b"\n;" * (5 * 1024 * 1024 - 100)
    outcome = measure(tmp_path, data, "a CSV of 5 million lines")
    assert_refused_within_bounds(outcome, "more than 250,000 cells")


def test_a_csv_that_starts_with_blank_lines_is_read():
    """On main, 20 blank lines first answered 500 (no line to find the separator in)."""
    from imports.tabular import read_table

    table = read_table(b"\n" * 30 + b"code,name\n72.05,Baru\n")
    assert table.header == ["code", "name"]
    assert table.rows == [(32, ["72.05", "Baru"])]


# Normal files -----------------------------------------------------------------------------


def test_a_normal_workbook_still_reads(tmp_path):
    outcome = measure(tmp_path, actors_workbook(rows=5_000), "5,000 actors")
    assert not outcome["refused"], outcome
    assert outcome["rows"] == 5_000
    assert outcome["cpu_seconds"] < CPU_SECONDS
    assert outcome["peak_mb"] < PEAK_MB


def test_a_workbook_at_the_cell_limit_still_reads(tmp_path):
    """14,284 actors of 7 columns and the header: 99,995 cells, as openpyxl writes them."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(
        ("name", "short_name", "kind", "sector", "government_level", "region_code", "active")
    )
    for number in range(14_284):
        sheet.append(
            (
                f"Kelompok Tani {number}",
                f"KT{number}",
                "community",
                "health",
                "village",
                "72.10",
                "yes",
            )
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    outcome = measure(tmp_path, buffer.getvalue(), "14,284 actors (99,995 cells)")
    assert not outcome["refused"], outcome
    assert outcome["rows"] == 14_284
    assert outcome["cpu_seconds"] < CPU_SECONDS
    assert outcome["peak_mb"] < PEAK_MB


@pytest.mark.django_db
def test_a_normal_xlsx_imports(admin_user, district, health):
    from actors.models import Actor
    from imports.actors import import_actors

    result = import_actors(data=actors_workbook(rows=50), user=admin_user)
    assert result.created == 50
    assert Actor.objects.filter(home_region=district).count() == 50


def test_a_tag_too_long_for_the_parser_is_refused(tmp_path):
    """One element with 1.3 million attributes took expat 18 s (its time grows with the
    square of a tag's length)."""
    tag = elements_with_attributes(1, 100_000)
    data = rezip(
        actors_workbook(),
        replace=sheet_edit(lambda xml: xml.replace(b"</worksheet>", tag + b"</worksheet>")),
    )
    outcome = measure(tmp_path, data, "one tag of 100,000 attributes")
    assert_refused_within_bounds(outcome, "cannot be read")


CLOSING = {
    "xl/styles.xml": b"</styleSheet>",
    "xl/workbook.xml": b"</workbook>",
    "xl/worksheets/sheet1.xml": b"</worksheet>",
}


@pytest.mark.parametrize("attributes", [1, 20], ids=["1 attribute", "20 attributes"])
@pytest.mark.parametrize("part", CLOSING)
def test_the_most_xml_the_limits_allow_stays_within_the_bounds(tmp_path, part, attributes):
    """Just under the node limit, in one part that openpyxl parses whole (styles, the
    workbook) or streams (the sheet, whose unknown elements it keeps): the costliest files
    the limits let through."""
    count = 990_000 // (attributes + 1)
    junk = elements_with_attributes(count, attributes)
    closing = CLOSING[part]
    data = rezip(
        actors_workbook(), replace={part: lambda xml: xml.replace(closing, junk + closing)}
    )
    outcome = measure(tmp_path, data, f"{count:,} elements of {attributes} attribute(s) in {part}")
    assert not outcome["refused"], outcome
    assert outcome["cpu_seconds"] < CPU_SECONDS
    assert outcome["peak_mb"] < PEAK_MB
