"""Download a region's report as PDF, XLSX or CSV: a thin view over the builders.

/regions/<code>/report.<pdf|xlsx|csv>?round=<id>&target=<0-4>
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from accounts.scoping import can_read_details
from assessments.models import Level
from assessments.selectors import pair_rows_for_round
from insights.selectors.gaps import DEFAULT_TARGET
from insights.views import region_and_round
from reports.exports import build_csv
from reports.pdf import build_pdf
from reports.selectors import region_report
from reports.xlsx import build_xlsx

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


class BadReportRequest(Exception):
    pass


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


def report_filename(region, round_, fmt: str) -> str:
    suffix = f"-{round_.pk}" if round_ is not None else ""
    return f"peta-konvergensi-{region.code}{suffix}.{fmt}"


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
        if round_ is None:
            raise Http404(_("This region has no assessment round yet."))
        content = build_csv(pair_rows_for_round(round=round_))
    else:
        user = request.user
        report = region_report(
            region=region,
            rounds=picked.rounds,
            round=round_,
            target=target,
            exported_by=user.get_full_name() or user.get_username(),
        )
        content = build_pdf(report) if fmt == "pdf" else build_xlsx(report)
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = (
        f'attachment; filename="{report_filename(region, round_, fmt)}"'
    )
    response["Cache-Control"] = "private, no-cache"
    return response


def _refused(request, region, message: str, *, status: int):
    return render(
        request, "reports/refused.html", {"region": region, "message": message}, status=status
    )
