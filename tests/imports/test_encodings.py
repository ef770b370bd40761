"""Files as offices save them: Excel's "CSV (dipisahkan koma)" on an Indonesian Windows is
Windows-1252 with semicolons; "CSV UTF-8" has a byte-order mark; other tools write UTF-8
without one; "Unicode Text" is UTF-16 with tabs. Each is read, and its characters survive.
"""

import pytest

from actors.models import Actor
from imports.actors import import_actors
from imports.tabular import ImportRefused, read_table

PUPR = "Dinas Pekerjaan Umum & Penataan Ruang – Bidang Cipta Karya"
HEADER = "name;short_name;kind;sector;government_level;region_code"


def excel_csv(*lines: str, encoding: str) -> bytes:
    """Lines as Excel writes them: CRLF after each one."""
    return "".join(f"{line}\r\n" for line in lines).encode(encoding)


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [("cp1252", b""), ("utf-8", b""), ("utf-8", b"\xef\xbb\xbf")],
    ids=["Windows-1252", "UTF-8", "UTF-8 with BOM"],
)
def test_the_office_file_is_imported_with_its_dash_and_ampersand(
    admin_user, district, health, encoding, prefix
):
    data = prefix + excel_csv(
        HEADER, f"{PUPR};Dinas PUPR;government;health;district;72.10", encoding=encoding
    )
    result = import_actors(data=data, user=admin_user)
    assert result.as_dict() == {"created": 1, "updated": 0, "unchanged": 0}
    assert Actor.objects.get().name == PUPR


def test_windows_1252_letters_and_quotes_survive():
    text = "Bappeda “Litbang” – Perencanaan;Pérez’s € 5"
    table = read_table(excel_csv("name;note", text, encoding="cp1252"))
    assert table.rows == [(2, ["Bappeda “Litbang” – Perencanaan", "Pérez’s € 5"])]


def test_utf8_is_never_read_as_windows_1252():
    """The UTF-8 bytes of "–" are also three valid Windows-1252 letters ("â€“")."""
    table = read_table(excel_csv("name;x", f"{PUPR};1", encoding="utf-8"))
    assert table.rows[0][1][0] == PUPR


def test_a_late_windows_1252_character_is_read_in_a_large_file():
    lines = ["name;x", *(f"Kelompok Tani {number};1" for number in range(50_000)), f"{PUPR};2"]
    table = read_table(excel_csv(*lines, encoding="cp1252"))
    assert table.rows[-1][1] == [PUPR, "2"]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_its_byte_order_mark_is_read(encoding):
    """Excel's "Unicode Text": UTF-16 (little-endian, with a BOM) and tabs."""
    text = f"name\tshort_name\r\n{PUPR}\tDinas PUPR\r\n"
    # Python's "utf-16" writes the mark itself; the other two need it written.
    table = read_table((text if encoding == "utf-16" else "\ufeff" + text).encode(encoding))
    assert table.header == ["name", "short_name"]
    assert table.rows == [(2, [PUPR, "Dinas PUPR"])]


def test_bytes_that_are_neither_utf8_nor_windows_1252_are_refused_with_the_line():
    # 0x81 and 0x8D mean nothing in Windows-1252 and cannot start a UTF-8 character.
    data = b"code,name\n72.10,Sigi\n72.71,Palu \x81\x8d\x90\n"
    with pytest.raises(ImportRefused) as refused:
        read_table(data)
    message = refused.value.errors[0].message
    assert "UTF-8" in message and "Windows-1252" in message and "line 3" in message


def test_a_utf8_file_with_a_broken_character_is_refused_not_guessed():
    """A byte-order mark says UTF-8: a broken character there is not read as another
    encoding."""
    data = b"\xef\xbb\xbfcode,name\n72.10,Sigi \xe2\x80\n"
    with pytest.raises(ImportRefused) as refused:
        read_table(data)
    assert "line 2" in refused.value.errors[0].message


def test_utf8_with_one_line_in_windows_1252_is_refused_at_that_line():
    """Read as Windows-1252, every UTF-8 "–" of the file would become "â€“"."""
    data = excel_csv("name;x", f"{PUPR};1", encoding="utf-8") + excel_csv(
        f"{PUPR} 2;2", encoding="cp1252"
    )
    with pytest.raises(ImportRefused) as refused:
        read_table(data)
    message = refused.value.errors[0].message
    assert "not UTF-8" in message and "line 3" in message


def test_a_lone_surrogate_written_as_utf8_is_refused():
    data = "name,x\nDinas\ud800,1\n".encode("utf-8", "surrogatepass")
    with pytest.raises(ImportRefused) as refused:
        read_table(data)
    assert "not UTF-8" in refused.value.errors[0].message
