"""The admin's bulk import page: a thin form over ``imports.services.run_import``."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.models import Role
from accounts.scoping import access_for
from assessments.models import AssessmentRound, RoundStatus
from imports.forms import ImportForm
from imports.services import run_import
from imports.tabular import ImportRefused, read_upload

# A refused file lists at most this many row errors on the page (the count says the rest).
MAX_ERRORS_SHOWN = 200


@require_http_methods(["GET", "POST"])
def import_page(request):
    if not access_for(request.user).has_role(Role.ADMIN):
        raise PermissionDenied(_("Only admins may import files."))
    rounds = AssessmentRound.objects.visible_to(request.user).select_related("region")
    form = ImportForm(
        request.POST or None,
        request.FILES or None,
        rounds=rounds.filter(status=RoundStatus.OPEN),
    )
    errors, status = [], 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                result = run_import(
                    kind=form.cleaned_data["kind"],
                    data=read_upload(form.cleaned_data["file"]),
                    user=request.user,
                    round=form.cleaned_data["round"],
                )
            except ImportRefused as refused:
                errors = refused.errors
            else:
                messages.success(
                    request,
                    _("Imported: %(created)d new, %(updated)d changed, %(unchanged)d unchanged.")
                    % result.as_dict(),
                )
                return redirect("imports:page")
    return render(
        request,
        "imports/import.html",
        {
            "form": form,
            "errors": errors[:MAX_ERRORS_SHOWN],
            "error_count": len(errors),
            "export_rounds": rounds.latest_first()[:20],
        },
        status=status,
    )
