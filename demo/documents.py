"""Small evidence files made on the spot for the demo: a one-page PDF with a few lines of
text (written by hand: the demo needs no renderer) and a small PNG (zlib, no imaging
library). Both are valid files that the upload's checks accept and readers open."""

import struct
import zlib


def _pdf_text(text: str) -> str:
    """A PDF string literal of ``text`` in the standard Latin-1 encoding."""
    escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return f"({escaped})"


def pdf(title: str, lines: list[str]) -> bytes:
    """A one-page A4 PDF showing ``title`` and ``lines`` in Helvetica, with ``title`` in
    its metadata."""
    text = ["BT", "/F1 16 Tf", "56 780 Td", f"{_pdf_text(title)} Tj", "/F1 11 Tf"]
    for line in lines:
        text += ["0 -20 Td", f"{_pdf_text(line)} Tj"]
    text.append("ET")
    stream = "\n".join(text).encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Title " + _pdf_text(title).encode("latin-1", "replace") + b" >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\n" % (len(objects) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def png(width: int = 48, height: int = 32, colour=(21, 128, 61)) -> bytes:
    """A ``width`` × ``height`` RGB PNG: a coloured field with a lighter band."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    light = tuple(min(255, value + 100) for value in colour)
    rows = b"".join(
        b"\x00" + bytes((light if height // 3 <= y < 2 * height // 3 else colour) * width)
        for y in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )
