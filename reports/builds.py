"""A region's report (PDF, XLSX) built inside the request or, for a big round, in the
background.

``report_content`` is the one build of a report, used by both: the download view for a
small round, and the task worker (``reports.tasks.build_report``, run by
``manage.py db_worker``) for a round of ``REPORT_BACKGROUND_MIN_ACTORS`` actors or more,
whose report takes seconds. A closed round's report goes through ``reports.stored`` in
both cases: built once, then read back.

A background build is a ``ReportBuild`` row: asked for by one user, queued, built with its
progress written as it goes, kept in storage for ``REPORT_BUILD_KEEP_HOURS``, then
deleted. Asking again for the same report (same round version, options and language)
while it is waiting, being built or ready gives the same build, not a second one. The
worker checks again, with the user's scoping as it is then, that they may export the
region's reports and see the round; the download checks it once more.
"""

import logging
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.scoping import can_read_details, get_region_for_user
from actors.models import Sector
from assessments.access import rounds_visible_to
from assessments.models import AssessmentRound, Level
from assessments.selectors import round_actors
from convergence.replica import reading_primary
from insights.selectors.gaps import DEFAULT_TARGET
from reports.models import BuildStatus, ReportBuild
from reports.pdf import build_pdf
from reports.selectors import region_report
from reports.stored import stored_copy, stored_report
from reports.xlsx import build_xlsx

logger = logging.getLogger(__name__)

FOLDER = "private/report-builds"
# The formats that can take seconds (the CSV is a plain list: always in the request).
BACKGROUND_FORMATS = ("pdf", "xlsx")
# A build still "running" this long after it started was cut short (the worker stopped):
# it is no longer given to whoever asks again.
RUNNING_FOR_AT_MOST = timedelta(minutes=15)
# Progress written at most every this many percent.
_PROGRESS_STEP = 5
# The share of a build's time spent reading the report's figures (then the file is written,
# whose builder reports its own progress): about a third at 200 actors.
READ_SHARE = 0.3

Progress = Callable[[float], None]


class BadReportRequest(Exception):
    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


def report_target(raw) -> Level:
    """The target level of the gaps, ``?target=`` (default: ``DEFAULT_TARGET``)."""
    if raw in (None, ""):
        return DEFAULT_TARGET
    try:
        return Level(int(raw))
    except (TypeError, ValueError):
        raise BadReportRequest(
            _("The target level must be a whole number from 0 to 4, not “%(value)s”.")
            % {"value": raw}
        ) from None


def report_sector(raw, round_: AssessmentRound | None) -> Sector:
    """The sector whose rows of the full matrix the PDF prints: one with actors in the
    round (read as the matrix reads them), else refused before anything is built."""
    try:
        sector_id = int(raw)
    except (TypeError, ValueError):
        raise BadReportRequest(
            _("The sector must be given by its number, not “%(value)s”.") % {"value": raw}
        ) from None
    actors = round_actors(round=round_, sector_ids=[sector_id]) if round_ is not None else []
    if not actors:
        raise BadReportRequest(
            _("This round has no actor in the sector number %(value)s.") % {"value": sector_id},
            404,
        )
    return actors[0].sector


def exported_by(user) -> str:
    return user.get_full_name() or user.get_username()


def _variant(*, target: Level, sector: Sector | None, user) -> dict:
    # The file carries its exporter's name: one stored copy per user.
    return {"target": int(target), "sector": sector.pk if sector else None, "user": user.pk}


def report_content(
    *,
    user,
    region,
    rounds: list[AssessmentRound],
    round: AssessmentRound | None,
    fmt: str,
    target: Level,
    sector: Sector | None = None,
    progress: Progress | None = None,
) -> bytes:
    """The report's bytes in the active language: a closed round's stored copy, else
    built (and stored when the round is closed)."""

    def build() -> bytes:
        report = region_report(
            region=region,
            rounds=rounds,
            round=round,
            target=target,
            exported_by=exported_by(user),
        )
        if progress is None:
            file_progress = None
        else:
            progress(READ_SHARE)  # the figures are read; the file is next

            def file_progress(done: float) -> None:
                progress(READ_SHARE + (1 - READ_SHARE) * done)

        if fmt == "pdf":
            return build_pdf(report, sector=sector, progress=file_progress)
        return build_xlsx(report, progress=file_progress)

    return stored_report(
        region=region,
        round=round,
        rounds=rounds,
        fmt=fmt,
        variant=_variant(target=target, sector=sector, user=user),
        language=translation.get_language(),
        build=build,
    )


# In the background -----------------------------------------------------------------------


def in_background(fmt: str, round_: AssessmentRound | None) -> bool:
    """Whether the report of ``round_`` in ``fmt`` is built in the background: an XLSX of a
    round of ``REPORT_BACKGROUND_MIN_ACTORS`` actors or more, a PDF of
    ``REPORT_PDF_BACKGROUND_MIN_ACTORS`` or more (whichever is lower: the PDF's full matrix
    pages take seconds well before the XLSX does); the round's summary, already read with
    the round, counts them."""
    if fmt not in BACKGROUND_FORMATS or round_ is None:
        return False
    summary = getattr(round_, "summary", None)
    members = summary.members if summary is not None else 0
    threshold = settings.REPORT_BACKGROUND_MIN_ACTORS
    if fmt == "pdf":
        threshold = min(threshold, settings.REPORT_PDF_BACKGROUND_MIN_ACTORS)
    return members >= threshold


def report_or_build(
    *,
    user,
    region,
    rounds: list[AssessmentRound],
    round: AssessmentRound,
    fmt: str,
    target: Level,
    sector: Sector | None = None,
) -> bytes | ReportBuild:
    """A closed round's stored copy when there is one; else the user's build of this
    report: the one already asked for (waiting, being built, or ready and of the round's
    current version), or a new one, queued when the transaction commits."""
    language = translation.get_language()
    variant = _variant(target=target, sector=sector, user=user)
    version, content = stored_copy(
        region=region, round=round, rounds=rounds, fmt=fmt, variant=variant, language=language
    )
    if content is not None:
        return content
    options = {"target": int(target), "sector": sector.pk if sector else None}
    now = timezone.now()
    candidates = ReportBuild.objects.filter(
        Q(status=BuildStatus.QUEUED)
        | Q(status=BuildStatus.RUNNING, started_at__gte=now - RUNNING_FOR_AT_MOST)
        | Q(status=BuildStatus.DONE, finished_at__gte=now - keep_for()),
        requested_by=user,
        round=round,
        format=fmt,
        language=language,
        version=version,
    ).order_by("-created_at")
    for build in candidates[:20]:
        if build.options == options:
            return build
    prune_builds()
    build = ReportBuild.objects.create(
        requested_by=user,
        region=region,
        round=round,
        format=fmt,
        options=options,
        language=language,
        version=version,
    )
    transaction.on_commit(lambda: _enqueue(build))
    return build


def _enqueue(build: ReportBuild) -> None:
    from reports.tasks import build_report

    build_report.enqueue(str(build.pk))


def keep_for() -> timedelta:
    return timedelta(hours=settings.REPORT_BUILD_KEEP_HOURS)


def run_build(build_id: str) -> None:
    """Build the report of ``build_id`` (the task's body): claim it, check the user's
    access as it is now, build with its progress written as it goes, store the file.
    A build that is not waiting any more (built, or claimed by another worker) is left
    alone. Reads and writes go to the primary database: the build row was just written."""
    with reading_primary():
        claimed = ReportBuild.objects.filter(pk=build_id, status=BuildStatus.QUEUED).update(
            status=BuildStatus.RUNNING, started_at=timezone.now(), progress=_PROGRESS_STEP
        )
        if not claimed:
            return
        build = ReportBuild.objects.select_related("requested_by", "region").get(pk=build_id)
        with translation.override(build.language):
            try:
                content = _build_file(build)
                name = default_storage.save(
                    f"{FOLDER}/{build.pk}.{build.format}", ContentFile(content)
                )
            except (PermissionDenied, Http404, BadReportRequest):
                _fail(build, _("You may no longer export this report: ask your administrator."))
                return
            except Exception:  # a bug or a full disk: said on the page, logged for the admin
                logger.exception("Report build %s failed", build_id)
                _fail(
                    build,
                    _(
                        "The report could not be built. Ask for it again; if it fails "
                        "again, tell your administrator."
                    ),
                )
                return
        ReportBuild.objects.filter(pk=build.pk).update(
            status=BuildStatus.DONE,
            progress=100,
            file_name=name,
            size=len(content),
            finished_at=timezone.now(),
        )


def stalled(build: ReportBuild, now=None) -> bool:
    """Whether a build "being built" was cut short: its worker stopped long ago."""
    return (
        build.status == BuildStatus.RUNNING
        and build.started_at is not None
        and (now or timezone.now()) - build.started_at > RUNNING_FOR_AT_MOST
    )


def _build_file(build: ReportBuild) -> bytes:
    user = build.requested_by
    if not user.is_active:
        raise PermissionDenied
    region = get_region_for_user(user, build.region.code)
    if not can_read_details(user, region):
        raise PermissionDenied
    rounds = rounds_visible_to(user, region)
    round_ = next((other for other in rounds if other.pk == build.round_id), None)
    if round_ is None:
        raise Http404
    sector_id = build.options.get("sector")
    return report_content(
        user=user,
        region=region,
        rounds=rounds,
        round=round_,
        fmt=build.format,
        target=report_target(build.options.get("target")),
        sector=report_sector(sector_id, round_) if sector_id is not None else None,
        progress=_progress_writer(build),
    )


def _progress_writer(build: ReportBuild) -> Progress:
    """Writes the build's progress (5–95 %) as the report reports it, every few percent."""
    written = [build.progress]

    def write(fraction: float) -> None:
        percent = int(_PROGRESS_STEP + (95 - _PROGRESS_STEP) * min(max(fraction, 0.0), 1.0))
        if percent >= written[0] + _PROGRESS_STEP:
            ReportBuild.objects.filter(pk=build.pk).update(progress=percent)
            written[0] = percent

    return write


def _fail(build: ReportBuild, message: str) -> None:
    ReportBuild.objects.filter(pk=build.pk).update(
        status=BuildStatus.FAILED, error=message, finished_at=timezone.now()
    )


def prune_builds(*, now=None) -> int:
    """Delete the builds asked for more than ``REPORT_BUILD_KEEP_HOURS`` ago, with their
    files. Called when a build is asked for, and by ``manage.py prune_report_builds``."""
    cutoff = (now or timezone.now()) - keep_for()
    expired = list(
        ReportBuild.objects.filter(created_at__lt=cutoff)
        .exclude(status=BuildStatus.RUNNING, started_at__gte=cutoff)
        .values_list("pk", "file_name")
    )
    for _pk, name in expired:
        if name:
            try:
                default_storage.delete(name)
            except OSError:
                logger.warning("Could not delete the report file %s", name)
    ReportBuild.objects.filter(pk__in=[pk for pk, _name in expired]).delete()
    return len(expired)


# Reading builds ----------------------------------------------------------------------------


def build_for_user(user, build_id) -> ReportBuild:
    """The user's own build (404 for anyone else's, whoever they are)."""
    try:
        return ReportBuild.objects.select_related("region", "round").get(
            pk=build_id, requested_by=user
        )
    except ReportBuild.DoesNotExist:
        raise Http404(_("No such report, or it has expired.")) from None


def builds_of_user(user) -> list[ReportBuild]:
    """The user's builds still kept, newest first."""
    cutoff = timezone.now() - keep_for()
    return list(
        ReportBuild.objects.filter(requested_by=user, created_at__gte=cutoff)
        .select_related("region", "round")
        .order_by("-created_at")[:50]
    )
