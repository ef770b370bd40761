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
"""

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts.scoping import can_read_details
from actors.models import Sector
from assessments.models import Level
from assessments.selectors import pair_rows_for_round, round_actors
from insights.selectors.gaps import DEFAULT_TARGET
from insights.views import region_and_round
from partners.selectors import directed_views
from reports.exports import CSV_DELIMITERS, build_csv
from reports.filenames import (
    attachment,
    rembuk_filename,
    report_filename,
    review_filename,
)
from reports.network_files import (
    GEXF_CONTENT_TYPE,
    GRAPHML_CONTENT_TYPE,
    build_edge_csv,
    build_gexf,
    build_graphml,
    build_node_csv,
)
from reports.packs import build_rembuk_pdf, build_review_zip, rembuk_pack, review_pack
from reports.pdf import build_pdf
from reports.selectors import network_files, region_report
from reports.stored import stored_report
from reports.xlsx import build_xlsx

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


class BadReportRequest(Exception):
    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


def _target(raw) -> Level:
    if raw in (None, ""):
        return DEFAULT_TARGET
    try:
        return Level(int(raw))
    except (TypeError, ValueError):
        raise BadReportRequest(
            _("The target level must be a whole number from 0 to 4, not “%(value)s”.")
            % {"value": raw}
        ) from None


def _sector(raw: str, round_) -> Sector:
    """The sector whose rows of the full matrix the PDF prints: one with actors in the
    round (read as the matrix reads them), else refused before anything is built."""
    try:
        sector_id = int(raw)
    except ValueError:
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
        target = _target(request.GET.get("target"))
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
            sector = _sector(request.GET["sector"], round_)
        except BadReportRequest as error:
            return _refused(request, region, str(error), status=error.status)

    user = request.user

    def build() -> bytes:
        report = region_report(
            region=region,
            rounds=picked.rounds,
            round=round_,
            target=target,
            exported_by=user.get_full_name() or user.get_username(),
        )
        return build_pdf(report, sector=sector) if fmt == "pdf" else build_xlsx(report)

    # The file carries its exporter's name: one stored copy per user.
    content = stored_report(
        region=region,
        round=round_,
        rounds=picked.rounds,
        fmt=fmt,
        variant={
            "target": int(target),
            "sector": sector.pk if sector else None,
            "user": user.pk,
        },
        language=get_language(),
        build=build,
    )
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


def _exported_by(user) -> str:
    return user.get_full_name() or user.get_username()


def rembuk_pack_file(request, code):
    """The rembuk stunting pack of ``?round=`` (PDF); ``?target=`` as the reports."""
    picked = _pack_region_and_round(request, code)
    try:
        target = _target(request.GET.get("target"))
    except BadReportRequest as error:
        return _refused(request, picked.region, str(error), status=400)
    pack = rembuk_pack(
        region=picked.region,
        rounds=picked.rounds,
        round=picked.round,
        target=target,
        exported_by=_exported_by(request.user),
    )
    response = HttpResponse(build_rembuk_pdf(pack), content_type=CONTENT_TYPES["pdf"])
    return attachment(response, rembuk_filename(picked.region, picked.round))


def review_pack_file(request, code):
    """The performance-review pack of ``?round=`` (ZIP), streamed from a spooled file."""
    picked = _pack_region_and_round(request, code)
    pack = review_pack(
        region=picked.region, round=picked.round, exported_by=_exported_by(request.user)
    )
    response = FileResponse(build_review_zip(pack), content_type="application/zip")
    return attachment(response, review_filename(picked.region, picked.round))
