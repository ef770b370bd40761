"""Download a region's report as PDF, XLSX or CSV, and its network for Gephi: thin views
over the builders.

/regions/<code>/report.<pdf|xlsx|csv>?round=<id>&target=<0-4>
/regions/<code>/report.pdf?round=<id>&sector=<id>   (that sector's rows of the full matrix)
/regions/<code>/report.csv?round=<id>&variant=excel-id   (semicolons, for Excel in Indonesian)
/regions/<code>/network.gexf?round=<id>, network.graphml, network-nodes.csv, network-edges.csv
/regions/<code>/rembuk-stunting.pdf?round=<id>&target=<0-4>   (the rembuk stunting pack)
/regions/<code>/performance-review.zip?round=<id>             (the performance-review pack)

A closed round's PDF, XLSX and CSV are built once and then read from storage while the
round is unchanged (``reports.stored``), after the same access checks.

A big round's PDF and XLSX are built in the background (``reports.builds``): the download
link leads to the build's page, which shows its progress and then its download:

/reports/builds/                   the user's reports built in the background
/reports/builds/<id>/              one of them: waiting, being built (progress), ready, failed
/reports/builds/<id>/download      its file, for the user who asked, while they may export it
"""

from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from accounts.scoping import can_read_details
from assessments.selectors import pair_rows_for_round
from insights.views import region_and_round
from partners.selectors import directed_views
from reports.builds import (
    BadReportRequest,
    build_for_user,
    builds_of_user,
    exported_by,
    in_background,
    keep_for,
    report_content,
    report_or_build,
    report_sector,
    report_target,
    stalled,
)
from reports.exports import CSV_DELIMITERS, build_csv
from reports.filenames import (
    attachment,
    rembuk_filename,
    report_filename,
    review_filename,
)
from reports.models import BuildStatus, ReportBuild
from reports.network_files import (
    GEXF_CONTENT_TYPE,
    GRAPHML_CONTENT_TYPE,
    build_edge_csv,
    build_gexf,
    build_graphml,
    build_node_csv,
)
from reports.packs import build_rembuk_pdf, build_review_zip, rembuk_pack, review_pack
from reports.selectors import network_files
from reports.stored import stored_report

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def region_report_file(request, code, fmt):
    picked = region_and_round(request, code)  # 403 outside the jurisdiction, 404 bad round
    region, round_ = picked.region, picked.round
    if not can_read_details(request.user, region):
        raise PermissionDenied(_("You may not export the reports of this region."))
    if fmt not in CONTENT_TYPES:
        return _refused(
            request,
            region,
            _("There is no report in the format “%(format)s”: choose PDF, XLSX or CSV.")
            % {"format": fmt},
            status=404,
        )
    try:
        target = report_target(request.GET.get("target"))
    except BadReportRequest as error:
        return _refused(request, region, str(error), status=400)

    if fmt == "csv":
        variant = request.GET.get("variant") or "standard"
        if variant not in CSV_DELIMITERS:
            return _refused(
                request,
                region,
                _("There is no CSV variant “%(variant)s”: leave it out, or choose excel-id.")
                % {"variant": variant},
                status=400,
            )
        if round_ is None:
            raise Http404(_("This region has no assessment round yet."))
        content = stored_report(
            region=region,
            round=round_,
            rounds=picked.rounds,
            fmt=fmt,
            variant={"csv": variant},
            language=get_language(),
            build=lambda: build_csv(
                pair_rows_for_round(round=round_),
                variant=variant,
                partner_views=directed_views(round_),
            ),
        )
        suffix = "-excel" if variant == "excel-id" else ""
        response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
        return attachment(response, report_filename(region, round_, fmt, suffix=suffix))

    sector = None
    if fmt == "pdf" and request.GET.get("sector") not in (None, ""):
        try:
            sector = report_sector(request.GET["sector"], round_)
        except BadReportRequest as error:
            return _refused(request, region, str(error), status=error.status)

    asked = {
        "user": request.user,
        "region": region,
        "rounds": picked.rounds,
        "round": round_,
        "fmt": fmt,
        "target": target,
        "sector": sector,
    }
    if in_background(fmt, round_):
        content = report_or_build(**asked)
        if isinstance(content, ReportBuild):
            return redirect("reports:build", content.pk)
    else:
        content = report_content(**asked)
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    return attachment(response, report_filename(region, round_, fmt))


def _refused(request, region, message: str, *, status: int):
    return render(
        request, "reports/refused.html", {"region": region, "message": message}, status=status
    )


# The network for Gephi ------------------------------------------------------------------

NETWORK_FILES = {
    # name: (builder, content type, extension, file name suffix)
    "gexf": (build_gexf, GEXF_CONTENT_TYPE, "gexf", "-jaringan"),
    "graphml": (build_graphml, GRAPHML_CONTENT_TYPE, "graphml", "-jaringan"),
    "nodes": (build_node_csv, CONTENT_TYPES["csv"], "csv", "-jaringan-aktor"),
    "edges": (build_edge_csv, CONTENT_TYPES["csv"], "csv", "-jaringan-hubungan"),
}


def network_file(request, code, kind):
    """The round's network as GEXF, GraphML, or a node or edge list (CSV) for Gephi;
    exported as the reports are: 403 outside the jurisdiction and for viewers, 404 for an
    unknown round or a region without one."""
    picked = region_and_round(request, code)
    region, round_ = picked.region, picked.round
    if not can_read_details(request.user, region):
        raise PermissionDenied(_("You may not export the reports of this region."))
    if round_ is None:
        raise Http404(_("This region has no assessment round yet."))
    build, content_type, extension, suffix = NETWORK_FILES[kind]
    response = HttpResponse(
        build(network_files(region=region, round=round_)), content_type=content_type
    )
    return attachment(response, report_filename(region, round_, extension, suffix=suffix))


# The packs of the convergence cycle -------------------------------------------------------


def _pack_region_and_round(request, code):
    """The region and round of a pack, exported as the reports are: 403 outside the
    jurisdiction and for viewers, 404 for an unknown round or a region without one."""
    picked = region_and_round(request, code)
    if not can_read_details(request.user, picked.region):
        raise PermissionDenied(_("You may not export the reports of this region."))
    if picked.round is None:
        raise Http404(_("This region has no assessment round yet."))
    return picked


def rembuk_pack_file(request, code):
    """The rembuk stunting pack of ``?round=`` (PDF); ``?target=`` as the reports."""
    picked = _pack_region_and_round(request, code)
    try:
        target = report_target(request.GET.get("target"))
    except BadReportRequest as error:
        return _refused(request, picked.region, str(error), status=400)
    pack = rembuk_pack(
        region=picked.region,
        rounds=picked.rounds,
        round=picked.round,
        target=target,
        exported_by=exported_by(request.user),
    )
    response = HttpResponse(build_rembuk_pdf(pack), content_type=CONTENT_TYPES["pdf"])
    return attachment(response, rembuk_filename(picked.region, picked.round))


def review_pack_file(request, code):
    """The performance-review pack of ``?round=`` (ZIP), streamed from a spooled file."""
    picked = _pack_region_and_round(request, code)
    pack = review_pack(
        region=picked.region, round=picked.round, exported_by=exported_by(request.user)
    )
    response = FileResponse(build_review_zip(pack), content_type="application/zip")
    return attachment(response, review_filename(picked.region, picked.round))


# Reports built in the background ------------------------------------------------------------

# Seconds between two looks of the build's page while it waits or is built.
BUILD_PAGE_REFRESH = 3


# A build still waiting after this long may have no worker to run it: the page says so.
WAITING_LONG = timedelta(minutes=1)


@never_cache
def build_page(request, build_id):
    """A build's progress (the page reloads itself until it is done), then its download."""
    build = _readable_build(request, build_id)
    cut_short = stalled(build)
    again = {"round": build.round_id, "target": build.options.get("target")}
    if build.options.get("sector") is not None:
        again["sector"] = build.options["sector"]
    return render(
        request,
        "reports/build.html",
        {
            "build": build,
            "region": build.region,
            "refresh": BUILD_PAGE_REFRESH if build.pending and not cut_short else None,
            "stalled": cut_short,
            "waiting_long": build.status == BuildStatus.QUEUED
            and timezone.now() - build.created_at > WAITING_LONG,
            "expires_at": build.created_at + keep_for(),
            "filename": report_filename(build.region, build.round, build.format),
            "again_url": reverse("reports:region", args=[build.region.code, build.format])
            + "?"
            + urlencode(again),
        },
    )


@never_cache
def build_list(request):
    """The user's reports built in the background, still kept."""
    return render(
        request,
        "reports/builds.html",
        {"builds": builds_of_user(request.user), "keep_hours": settings.REPORT_BUILD_KEEP_HOURS},
    )


def _readable_build(request, build_id) -> ReportBuild:
    """The user's own build (404 for anyone else's), while they may still export the
    region's reports (403: their jurisdiction or role may have changed since they asked)."""
    build = build_for_user(request.user, build_id)
    if not can_read_details(request.user, build.region):
        raise PermissionDenied(_("You may not export the reports of this region."))
    return build


def build_download(request, build_id):
    """The build's file, for the user who asked for it while they may still export the
    region's reports. A build not done yet (an old link, a click before it is ready) or
    failed leads to its page, which says how it stands."""
    build = _readable_build(request, build_id)
    if build.status != BuildStatus.DONE:
        return redirect("reports:build", build_id=build.pk)
    try:
        file = default_storage.open(build.file_name, "rb")
    except OSError:
        raise Http404(_("No such report, or it has expired.")) from None
    response = FileResponse(file, content_type=CONTENT_TYPES[build.format])
    response = attachment(response, report_filename(build.region, build.round, build.format))
    response["Cache-Control"] = "private, no-store"
    return response
