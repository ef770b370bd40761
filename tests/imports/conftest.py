import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from tests.api.conftest import snapshot  # noqa: F401  (used by the import tests)


def csv_bytes(*lines, delimiter=",", bom=False, encoding="utf-8"):
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(lines)
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode(encoding)


def xlsx_bytes(*rows):
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(data, name="data.csv"):
    return SimpleUploadedFile(name, data, content_type="text/csv")


def messages(refused):
    """(row, column, message) of each error of an ImportRefused."""
    return [(error.row, error.column, error.message) for error in refused.errors]


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in the source language, whatever the state of translations."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Uploads waiting for their preview's confirmation go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def waiting_uploads(media) -> list:
    """The uploads kept for a preview (imports/pending.py)."""
    folder = media / "imports" / "pending"
    return sorted(folder.iterdir()) if folder.exists() else []
