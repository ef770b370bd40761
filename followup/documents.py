"""What an evidence document is, told from its content, never from its name.

PDF, PNG and JPEG by their first bytes (``filetype``); DOCX and XLSX are ZIP files whose
``[Content_Types].xml`` declares the main part of a Word document or of an Excel workbook.
A file whose content is one kind and whose name says another is refused, as is anything
else (a GIF, an executable, a plain ZIP, a macro-enabled workbook)."""

import zipfile
from dataclasses import dataclass

import filetype
from defusedxml import ElementTree

# Enough for every signature filetype knows.
HEAD_BYTES = 8192
# A real [Content_Types].xml is a few kilobytes: a larger one is not read.
CONTENT_TYPES_MAX_BYTES = 256 * 1024


@dataclass(frozen=True)
class DocumentKind:
    code: str
    extensions: tuple[str, ...]
    content_type: str
    # DOCX and XLSX: the content type of the main part, in [Content_Types].xml.
    main_part: str = ""


KINDS = {
    kind.code: kind
    for kind in (
        DocumentKind("pdf", (".pdf",), "application/pdf"),
        DocumentKind("png", (".png",), "image/png"),
        DocumentKind("jpeg", (".jpg", ".jpeg"), "image/jpeg"),
        DocumentKind(
            "docx",
            (".docx",),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        ),
        DocumentKind(
            "xlsx",
            (".xlsx",),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        ),
    )
}
EXTENSIONS = sorted({extension for kind in KINDS.values() for extension in kind.extensions})
_BY_MIME = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpeg"}
_ZIP_MIMES = {
    "application/zip",
    KINDS["docx"].content_type,
    KINDS["xlsx"].content_type,
}


def _office_kind(file) -> str | None:
    """docx or xlsx from the ZIP's declared content types; None for any other ZIP."""
    try:
        file.seek(0)
        with zipfile.ZipFile(file) as archive:
            info = archive.getinfo("[Content_Types].xml")
            if info.file_size > CONTENT_TYPES_MAX_BYTES:
                return None
            root = ElementTree.fromstring(archive.read(info))
    except (KeyError, zipfile.BadZipFile, ElementTree.ParseError, ValueError, OSError):
        return None
    except Exception:  # defusedxml refusals (entities, DTDs): not a document we take
        return None
    declared = {element.get("ContentType", "") for element in root.iter()}
    for code in ("docx", "xlsx"):
        if KINDS[code].main_part in declared:
            return code
    return None


def detect_kind(file) -> DocumentKind | None:
    """The kind of the uploaded ``file`` (a file object), from its bytes; None if it is
    none of the accepted kinds. Leaves the file at its start."""
    file.seek(0)
    head = file.read(HEAD_BYTES)
    file.seek(0)
    guess = filetype.guess(head)
    if guess is None:
        return None
    if guess.mime in _BY_MIME:
        return KINDS[_BY_MIME[guess.mime]]
    if guess.mime in _ZIP_MIMES:
        code = _office_kind(file)
        file.seek(0)
        return KINDS[code] if code else None
    return None


def extension_of(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:].lower() if dot > 0 else ""


def attachment_response(document):
    """A stored document as an attachment (its original name, the content type of its
    kind) that no shared cache keeps. The callers check who may read it first."""
    from django.http import FileResponse

    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=KINDS[document.kind].content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response
