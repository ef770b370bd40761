"""What a spreadsheet or an editor gets wrong, refused with a message a user can act on."""

import pytest

from convergence.validators import unsafe_text_message
from imports.tabular import ImportRefused, read_table, read_upload
from tests.imports.conftest import csv_bytes, xlsx_bytes


def refusal(data):
    with pytest.raises(ImportRefused) as refused:
        read_table(data)
    return refused.value.errors[0].message


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_comma_semicolon_and_tab_are_detected(delimiter):
    table = read_table(
        csv_bytes(("code", "name"), ("72.10", "Sigi, Kabupaten"), delimiter=delimiter)
    )
    assert table.header == ["code", "name"]
    assert table.rows == [(2, ["72.10", "Sigi, Kabupaten"])]


def test_a_quoted_delimiter_does_not_split_a_cell():
    table = read_table(b'code,name\n72.10,"Sigi; Kabupaten, Biromaru"\n')
    assert table.rows == [(2, ["72.10", "Sigi; Kabupaten, Biromaru"])]


def test_utf8_with_a_bom_is_read():
    table = read_table(csv_bytes(("code", "name"), ("72.10", "Sigi Biromaru"), bom=True))
    assert table.header == ["code", "name"]


def test_latin1_text_is_read_as_windows_1252():
    """Encodings in detail: test_encodings.py."""
    data = "code,name\n72.10,Sigi\n72.71,Palu Pérez\n".encode("latin-1")
    assert read_table(data).rows[-1] == (3, ["72.71", "Palu Pérez"])


@pytest.mark.parametrize("data", [b"", b"   \r\n\r\n", "\ufeff".encode()])
def test_an_empty_file_is_refused(data):
    assert "empty" in refusal(data)


def test_a_file_without_a_known_delimiter_is_refused():
    message = refusal(b"code|name\n72|Sulawesi\n")
    assert "comma" in message and "semicolon" in message and "tab" in message


def test_an_oversized_file_is_refused_before_it_is_read(settings, tmp_path):
    settings.IMPORT_MAX_BYTES = 100
    path = tmp_path / "big.csv"
    path.write_bytes(b"code,name\n" + b"72,Sulawesi Tengah\n" * 10)
    with path.open("rb") as upload, pytest.raises(ImportRefused) as refused:
        read_upload(upload)
    assert "larger than" in refused.value.errors[0].message


def test_xlsx_is_read_and_formulas_are_refused():
    table = read_table(xlsx_bytes(("code", "name"), (7210, "Sigi"), (72.0, "Sulawesi")))
    assert table.rows == [(2, ["7210", "Sigi"]), (3, ["72", "Sulawesi"])]
    with pytest.raises(ImportRefused) as refused:
        read_table(xlsx_bytes(("code", "name"), ("72.10", '=HYPERLINK("x")')))
    error = refused.value.errors[0]
    assert (error.row, error.column) == (2, "B")
    assert "Formulas" in error.message


def test_old_excel_and_other_binaries_are_refused():
    assert ".xls" in refusal(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    assert "not a CSV or XLSX" in refusal(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert "cannot be read" in refusal(b"PK\x03\x04 not really a zip")


@pytest.mark.parametrize(
    "name", ["=1+1", "+62 811", "-2", "@SUM(A1)", "\tTab", "<b>Dinkes</b>", "Dinkes <script>"]
)
def test_formulas_and_html_in_names_are_refused(name):
    assert unsafe_text_message(name)


@pytest.mark.parametrize("name", ["Dinas Kesehatan", "PKK Desa O'o", "Bappeda (Litbang)", "A & B"])
def test_ordinary_names_pass(name):
    assert unsafe_text_message(name) is None
