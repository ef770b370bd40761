"""The names of the files that the app sends: the region's and the round's names, never a
database id, as ASCII slugs (a name that is not ASCII is still sent right: RFC 5987)."""

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.text import slugify

FILENAME_PREFIX = "peta-konvergensi"
FILENAME_STEM_LIMIT = 120


def report_stem(region, round_) -> str:
    """The region's name and the round's name (or its year) as an ASCII slug, e.g.
    ``peta-konvergensi-kabupaten-sigi-pemetaan-2025``; a name without a Latin letter or
    digit falls back to the region's code and the round's year."""
    parts = [FILENAME_PREFIX, slugify(region.name) or slugify(region.code.replace(".", "-"))]
    if round_ is not None:
        parts.append(slugify(round_.name) or str(round_.period_start.year))
    return "-".join(part for part in parts if part)[:FILENAME_STEM_LIMIT].rstrip("-")


def report_filename(region, round_, fmt: str, *, suffix: str = "") -> str:
    """The file's name, e.g. ``peta-konvergensi-kabupaten-sigi-pemetaan-2025.pdf``;
    ``suffix`` (ASCII) tells apart several files of one round."""
    return f"{report_stem(region, round_)}{suffix}.{fmt}"


def attachment(response: HttpResponse, filename: str) -> HttpResponse:
    """Sent as a download named ``filename`` (RFC 6266; RFC 5987 ``filename*`` when the
    name is not ASCII), never kept by a shared cache."""
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-cache"
    return response


# The packs of the convergence cycle: suffixes in the language of the meeting, as the
# network files' ("-jaringan").
REMBUK_SUFFIX = "-rembuk-stunting"
REVIEW_SUFFIX = "-penilaian-kinerja"


def rembuk_filename(region, round_) -> str:
    """e.g. ``peta-konvergensi-kabupaten-sigi-pemetaan-2025-rembuk-stunting.pdf``"""
    return report_filename(region, round_, "pdf", suffix=REMBUK_SUFFIX)


def review_filename(region, round_) -> str:
    """e.g. ``peta-konvergensi-kabupaten-sigi-pemetaan-2025-penilaian-kinerja.zip``"""
    return report_filename(region, round_, "zip", suffix=REVIEW_SUFFIX)
