"""The two packs of the convergence cycle (DESIGN.md §8), read with the pages' selectors.

- The **rembuk stunting pack**: one printable PDF for the region's annual meeting — the
  dashboard's figures, the largest gaps, the round's proposed follow-up actions, and the
  previous round's actions with their result in this round.
- The **performance-review pack** (penilaian kinerja): a ZIP with one folder per aksi
  holding its present documents, and an index (PDF and XLSX) that lists them and names
  the aksi without any document.

Nothing here computes a figure: the dashboard, the gaps and the actions' results come from
``insights.selectors`` and ``followup.selectors``, as on the pages.
"""

import io
import re
import shutil
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import datetime
from tempfile import SpooledTemporaryFile

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import slugify
from django.utils.translation import get_language, pgettext, pgettext_lazy
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher

from actors.models import Region
from actors.selectors import read_vocabularies
from assessments.models import AssessmentRound, Level, level_legend
from assessments.selectors import matrix_for_round, reuse_matrices
from convergence.validators import xml_safe
from followup.documents import KINDS, extension_of
from followup.models import Aksi, EvidenceDocument
from followup.selectors import (
    ActionProgress,
    CheckedAction,
    ReviewDocuments,
    action_progress,
    review_documents,
    round_actions_checked,
)
from insights.selectors.gaps import GapList, pairs_below_target
from insights.selectors.trends import RegionDashboard, region_dashboard
from reports.exports import looks_like_formula

STYLESHEET = "css/pack.css"
# The rembuk reads the largest gaps; the gap list and the XLSX report hold them all.
GAP_ROWS = 25


def _stylesheet() -> CSS:
    with open(finders.find(STYLESHEET), encoding="utf-8") as handle:
        return CSS(string=handle.read())


def _write_pdf(template: str, context: dict) -> bytes:
    """``template`` laid out by WeasyPrint; nothing fetched but ``data:`` URLs."""
    html = xml_safe(render_to_string(template, context))
    document = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"data"}))
    return document.write_pdf(stylesheets=[_stylesheet()])


# The rembuk stunting pack ----------------------------------------------------------------


@dataclass(frozen=True)
class ActionRow:
    """A follow-up action as the pack prints it."""

    check: CheckedAction
    mechanism: str
    overdue: bool

    @property
    def action(self):
        return self.check.action


@dataclass(frozen=True)
class RembukPack:
    region: Region
    round: AssessmentRound
    exported_by: str
    exported_at: datetime
    dashboard: RegionDashboard
    progress: ActionProgress
    gaps: GapList
    # This round's actions (the proposals for the coming year), soonest due first.
    proposed: list[ActionRow]
    # The round before this one, and its actions checked in this round.
    previous: AssessmentRound | None
    last_year: list[ActionRow]

    @property
    def largest_gaps(self):
        return self.gaps.gaps[:GAP_ROWS]

    @property
    def gaps_left_out(self) -> int:
        return max(0, len(self.gaps.gaps) - GAP_ROWS)

    @property
    def reached(self) -> int:
        return sum(1 for row in self.last_year if row.check.reached)

    @property
    def below(self) -> int:
        return sum(1 for row in self.last_year if row.check.reached is False)

    @property
    def not_assessed(self) -> int:
        return sum(1 for row in self.last_year if row.check.reached is None)


def rembuk_pack(
    *,
    region: Region,
    rounds: list[AssessmentRound],
    round: AssessmentRound,
    target: Level,
    exported_by: str,
) -> RembukPack:
    """The pack of ``round`` among ``rounds`` (the region's rounds the reader sees, newest
    first, with their summaries). Queries, whatever the number of actors and actions: the
    change like for like 1 (none in a first round), this round's matrix 2 (shared by the
    gaps and the check of last year's actions), the actions' progress 1, this round's
    actions 1, the previous round's actions 1 (none in a first round), the vocabularies
    1 (the mechanisms' labels)."""
    today = timezone.localdate()
    with reuse_matrices():
        dashboard = region_dashboard(region=region, rounds=rounds, round=round)
        gaps = pairs_below_target(matrix=matrix_for_round(round=round), target=target)
        progress = action_progress(region=region, rounds=rounds, today=today)
        # Proposals are checked in no later round: the meeting reads their plan.
        proposed = round_actions_checked(round=round, rounds=[])
        previous = dashboard.previous.round if dashboard.previous else None
        last_year = round_actions_checked(round=previous, rounds=[round]) if previous else []
    mechanisms = read_vocabularies().mechanisms

    def rows(checked: list[CheckedAction]) -> list[ActionRow]:
        return [
            ActionRow(
                check=check,
                mechanism=mechanisms.label(check.action.mechanism),
                overdue=check.action.is_overdue(today),
            )
            for check in checked
        ]

    return RembukPack(
        region=region,
        round=round,
        exported_by=exported_by,
        exported_at=timezone.now(),
        dashboard=dashboard,
        progress=progress,
        gaps=gaps,
        proposed=rows(proposed),
        previous=previous,
        last_year=rows(last_year),
    )


def build_rembuk_pdf(pack: RembukPack) -> bytes:
    """A4 portrait, in the active language."""
    acted = {
        frozenset((row.action.actor_a_id, row.action.actor_b_id))
        for row in pack.proposed
        if row.action.actor_b_id is not None
    }
    gaps = [
        (gap, frozenset((gap.actor_a.pk, gap.actor_b.pk)) in acted) for gap in pack.largest_gaps
    ]
    context = {
        "pack": pack,
        "region": pack.region,
        "round": pack.round,
        "board": pack.dashboard,
        "gap_rows": gaps,
        "legend": level_legend(),
        "language": get_language(),
        "exported_at": timezone.localtime(pack.exported_at),
    }
    return _write_pdf("reports/rembuk.html", context)


# The performance-review pack -------------------------------------------------------------

# Each aksi's folder in the ZIP, short and in the user's language ("01-analisis-situasi").
FOLDER_NAMES = {
    Aksi.SITUATION_ANALYSIS: pgettext_lazy("folder name", "situation-analysis"),
    Aksi.ACTIVITY_PLAN: pgettext_lazy("folder name", "activity-plan"),
    Aksi.REMBUK_STUNTING: pgettext_lazy("folder name", "rembuk-stunting"),
    Aksi.VILLAGE_REGULATION: pgettext_lazy("folder name", "village-regulation"),
    Aksi.KPM_SUPPORT: pgettext_lazy("folder name", "kpm-support"),
    Aksi.DATA_MANAGEMENT: pgettext_lazy("folder name", "data-management"),
    Aksi.STUNTING_MEASUREMENT: pgettext_lazy("folder name", "stunting-measurement"),
    Aksi.PERFORMANCE_REVIEW: pgettext_lazy("folder name", "performance-review"),
}
UNFILED_FOLDER = pgettext_lazy("folder name", "pairs-without-aksi")
# Windows refuses these characters and these names (whatever the extension) in a path.
_WINDOWS_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\.|$)", re.IGNORECASE)
# A stored name longer than this is cut (the extension kept): paths stay short on Windows.
NAME_LIMIT = 80
COPY_CHUNK = 1024 * 1024
# The ZIP stays in memory up to this size, then goes to a temporary file.
SPOOL_LIMIT = 8 * 1024 * 1024


def folder_name(aksi: Aksi | None) -> str:
    if aksi is None:
        return f"09-{slugify(str(UNFILED_FOLDER))}"
    return f"{int(aksi):02d}-{slugify(str(FOLDER_NAMES[aksi]))}"


def safe_file_name(name: str, *, kind: str, fallback: str) -> str:
    """A stored original name as one safe path segment: no folder of its own (a path in
    the name keeps only its last part, on any system's separator), no character or name
    that Windows refuses, no leading dot, at most NAME_LIMIT characters; the extension of
    the document's kind when the name has none of it. ``fallback`` (without extension)
    when nothing is left."""
    name = unicodedata.normalize("NFC", name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = _WINDOWS_FORBIDDEN.sub("_", name).strip().strip(". ")
    extensions = KINDS[kind].extensions if kind in KINDS else ()
    length = len(extension_of(name))
    stem, extension = (name[:-length], name[-length:]) if length else (name, "")
    if extensions and extension.lower() not in extensions:
        stem, extension = name, extensions[0]
    stem = stem.strip(". ") or fallback
    if _WINDOWS_RESERVED.match(stem):
        stem = f"_{stem}"
    return f"{stem[: NAME_LIMIT - len(extension)].rstrip('. ')}{extension}"


def _unique(name: str, taken: set[str]) -> str:
    """``name``, or ``name (2)``, ``(3)``… before its extension: Windows and macOS compare
    file names without case, so neither does this."""
    length = len(extension_of(name))
    stem, extension = (name[:-length], name[-length:]) if length else (name, "")
    candidate, number = name, 1
    while candidate.casefold() in taken:
        number += 1
        candidate = f"{stem} ({number}){extension}"
    taken.add(candidate.casefold())
    return candidate


@dataclass
class PackedDocument:
    number: int  # in the index, across the folders
    document: EvidenceDocument
    path: str  # in the ZIP: folder/name
    attached_to: str
    uploader: str
    # False when the stored file could not be read (the index says so).
    copied: bool = True


@dataclass(frozen=True)
class ReviewFolder:
    aksi: Aksi | None
    folder: str
    documents: list[PackedDocument]

    @property
    def label(self) -> str:
        if self.aksi is None:
            return _("Pair documents under no aksi")
        return f"{int(self.aksi)}. {self.aksi.label}"


@dataclass(frozen=True)
class ReviewPack:
    region: Region
    round: AssessmentRound
    exported_by: str
    exported_at: datetime
    folders: list[ReviewFolder]

    @property
    def documents(self) -> list[PackedDocument]:
        return [item for folder in self.folders for item in folder.documents]

    @property
    def missing(self) -> list[ReviewFolder]:
        """The aksi without any document."""
        return [folder for folder in self.folders if folder.aksi and not folder.documents]


def attached_to(document: EvidenceDocument) -> str:
    """What the document is evidence for, in words."""
    if document.action is not None:
        return _("Action: %(subject)s") % {"subject": document.action.subject_label}
    if document.actor_a is not None:
        return _("Pair: %(a)s ↔ %(b)s") % {"a": document.actor_a, "b": document.actor_b}
    return _("The region's aksi")


def _uploader(document: EvidenceDocument) -> str:
    user = document.uploaded_by
    if user is None:
        return "–"
    return user.get_full_name() or user.get_username()


def review_pack(*, region: Region, round: AssessmentRound, exported_by: str) -> ReviewPack:
    """One query (``review_documents``), whatever the number of documents; each document
    gets its place in the ZIP: its aksi's folder, its original name made safe and unique
    in that folder."""
    filed: ReviewDocuments = review_documents(region, round)
    folders = []
    number = 0
    for group in filed.groups:
        folder = folder_name(group.aksi)
        taken: set[str] = set()
        packed = []
        for document in group.documents:
            number += 1
            name = safe_file_name(
                document.original_name,
                kind=document.kind,
                fallback=pgettext("file name", "document-%(number)s") % {"number": document.pk},
            )
            packed.append(
                PackedDocument(
                    number=number,
                    document=document,
                    path=f"{folder}/{_unique(name, taken)}",
                    attached_to=attached_to(document),
                    uploader=_uploader(document),
                )
            )
        folders.append(ReviewFolder(aksi=group.aksi, folder=folder, documents=packed))
    return ReviewPack(
        region=region,
        round=round,
        exported_by=exported_by,
        exported_at=timezone.now(),
        folders=folders,
    )


def index_stem() -> str:
    name = pgettext("file name", "index")
    return f"00-{slugify(name)}"


def _zip_time(moment: datetime) -> tuple:
    local = timezone.localtime(moment)
    return (max(local.year, 1980), local.month, local.day, local.hour, local.minute, local.second)


def build_review_zip(pack: ReviewPack) -> SpooledTemporaryFile:
    """The ZIP, written into a file that stays in memory up to SPOOL_LIMIT and spills to
    disk past it; each document is copied from the storage in chunks, stored as it is
    (PDF, images and Office files are compressed already). A stored file that cannot be
    read is left out and marked in the index. Returned at its start."""
    spool = SpooledTemporaryFile(max_size=SPOOL_LIMIT)  # noqa: SIM115  (returned open)
    with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for folder in pack.folders:
            archive.writestr(zipfile.ZipInfo(f"{folder.folder}/", _zip_time(pack.exported_at)), b"")
            for item in folder.documents:
                item.copied = _copy_document(archive, item)
        stem = index_stem()
        _add_file(archive, f"{stem}.pdf", build_review_index_pdf(pack), pack.exported_at)
        _add_file(archive, f"{stem}.xlsx", build_review_index_xlsx(pack), pack.exported_at)
    spool.seek(0)
    return spool


def _add_file(archive: zipfile.ZipFile, path: str, content: bytes, moment: datetime) -> None:
    info = zipfile.ZipInfo(path, _zip_time(moment))
    info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(info, content)


def _copy_document(archive: zipfile.ZipFile, item: PackedDocument) -> bool:
    document = item.document
    try:
        source = document.file.open("rb")
    except (OSError, ValueError):  # gone from the storage
        return False
    info = zipfile.ZipInfo(item.path, _zip_time(document.uploaded_at))
    info.compress_type = zipfile.ZIP_STORED
    info.file_size = document.size
    with source, archive.open(info, "w", force_zip64=True) as target:
        shutil.copyfileobj(source, target, COPY_CHUNK)
    return True


# The review index, as PDF and XLSX --------------------------------------------------------


def index_header() -> list[str]:
    return [
        _("No."),
        _("Aksi"),
        _("What it proves"),
        _("Attached to"),
        _("Uploaded by"),
        _("Uploaded"),
        _("File in the ZIP"),
        _("Type"),
        _("Size (KB)"),
    ]


def build_review_index_pdf(pack: ReviewPack) -> bytes:
    context = {
        "pack": pack,
        "region": pack.region,
        "round": pack.round,
        "language": get_language(),
        "exported_at": timezone.localtime(pack.exported_at),
    }
    return _write_pdf("reports/review_index.html", context)


BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="E8EBF0")
MISSING_FILL = PatternFill("solid", fgColor="FDE2E1")
WRAPPED = Alignment(wrap_text=True, vertical="top")


def _cell(sheet, value, *, font=None, fill=None, number_format=None):
    """A value safe to store: text that a spreadsheet would read as a formula is marked as
    text, characters XLSX cannot hold are replaced."""
    if isinstance(value, Promise):
        value = str(value)  # a lazy translation
    if isinstance(value, str):
        value = xml_safe(value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str) and looks_like_formula(value):
        cell.data_type = "s"
        cell.quotePrefix = True
    if font is not None:
        cell.font = font
    if fill is not None:
        cell.fill = fill
    if number_format is not None:
        cell.number_format = number_format
    return cell


def _sheet(workbook: Workbook, title: str, widths: list[float]):
    sheet = workbook.create_sheet(re.sub(r"[\[\]:*?/\\]", "-", title)[:31])
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.page_setup.orientation = Worksheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_title_rows = "1:1"
    sheet.freeze_panes = "A2"
    return sheet


def build_review_index_xlsx(pack: ReviewPack) -> bytes:
    """Two sheets: every document (one row each), and each aksi with its number of
    documents, those without any marked missing."""
    workbook = Workbook(write_only=True)
    documents = _sheet(workbook, _("Documents"), [6, 34, 40, 40, 20, 12, 50, 8, 10])
    documents.append(
        [_cell(documents, value, font=BOLD, fill=HEADER_FILL) for value in index_header()]
    )
    rows = [(folder.label, item) for folder in pack.folders for item in folder.documents]
    for folder_label, item in rows:
        document = item.document
        documents.append(
            [
                _cell(documents, item.number),
                _cell(documents, folder_label),
                _cell(documents, document.title or "–"),
                _cell(documents, item.attached_to),
                _cell(documents, item.uploader),
                _cell(
                    documents,
                    timezone.localtime(document.uploaded_at).date(),
                    number_format="yyyy-mm-dd",
                ),
                _cell(
                    documents,
                    item.path
                    if item.copied
                    else _("%(path)s (file missing from the storage)") % {"path": item.path},
                ),
                _cell(documents, document.kind.upper()),
                _cell(documents, round(document.size / 1024, 1), number_format="0.0"),
            ]
        )
    by_aksi = _sheet(workbook, _("By aksi"), [8, 50, 36, 14, 30])
    by_aksi.append(
        [
            _cell(by_aksi, value, font=BOLD, fill=HEADER_FILL)
            for value in (_("Aksi"), _("Name"), _("Folder"), _("Documents"), _("Missing"))
        ]
    )
    for folder in pack.folders:
        missing = folder.aksi is not None and not folder.documents
        fill = MISSING_FILL if missing else None
        by_aksi.append(
            [
                _cell(by_aksi, int(folder.aksi) if folder.aksi else "–", fill=fill),
                _cell(by_aksi, folder.aksi.label if folder.aksi else folder.label, fill=fill),
                _cell(by_aksi, f"{folder.folder}/", fill=fill),
                _cell(by_aksi, len(folder.documents), fill=fill),
                _cell(by_aksi, _("No document") if missing else "", fill=fill),
            ]
        )
    out = io.BytesIO()  # the index is small: a row per document
    workbook.save(out)
    return out.getvalue()
