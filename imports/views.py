"""The admin's import page: upload a file, read its preview, confirm it. Thin views over
``imports.services.run_import`` (the plan and the write) and ``imports.pending`` (the
upload that waits for its confirmation)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import Role
from accounts.scoping import access_for
from assessments.models import AssessmentRound, RoundStatus
from imports import pending
from imports.forms import ConfirmForm, ImportForm, TemplateForm
from imports.plan import CREATE, UNCHANGED, UPDATE, ImportPlan, PreviewOutdated
from imports.services import IMPORTERS, run_import
from imports.tabular import XLSX_CONTENT_TYPE, ImportRefused, read_upload

# A refused file lists at most this many row errors on the page (the count says the rest).
MAX_ERRORS_SHOWN = 200
# A preview lists at most this many rows of each action (the counts say them all).
MAX_ROWS_SHOWN = 500


def _require_admin(request) -> None:
    if not access_for(request.user).has_role(Role.ADMIN):
        raise PermissionDenied(_("Only admins may import files."))


def _rounds(request):
    return AssessmentRound.objects.visible_to(request.user).select_related("region")


@require_http_methods(["GET", "POST"])
def import_page(request):
    """The form; a posted file is checked and previewed, and waits for its confirmation."""
    _require_admin(request)
    rounds = _rounds(request)
    form = ImportForm(
        request.POST or None,
        request.FILES or None,
        rounds=rounds.filter(status=RoundStatus.OPEN),
    )
    if request.method == "POST" and form.is_valid():
        kind, upload = form.cleaned_data["kind"], form.cleaned_data["file"]
        round_ = form.cleaned_data["round"] if IMPORTERS[kind].needs_round else None
        try:
            data = read_upload(upload)
            plan = run_import(kind=kind, data=data, user=request.user, round=round_, dry_run=True)
        except ImportRefused as refused:
            return _form_page(request, form, rounds, errors=refused.errors, status=400)
        token = None
        if not plan.errors:
            token = pending.stash(
                data=data,
                user=request.user,
                kind=kind,
                round_id=round_.pk if round_ else None,
                digest=plan.digest,
                file_name=upload.name or "",
            ).token
        return _preview_page(request, plan, token=token, round_=round_, file_name=upload.name or "")
    return _form_page(request, form, rounds, status=400 if request.method == "POST" else 200)


@require_POST
def confirm_import(request):
    """Import a previewed upload, if the plan made now is still the one previewed."""
    _require_admin(request)
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        return _gone(request)
    kind, round_id = form.cleaned_data["kind"], form.cleaned_data["round"]
    try:
        waiting, data = pending.fetch(
            form.cleaned_data["token"], user=request.user, kind=kind, round_id=round_id
        )
    except pending.PreviewGone as gone:
        return _gone(request, str(gone))
    round_ = None
    if IMPORTERS[kind].needs_round:
        round_ = _rounds(request).filter(pk=round_id).first()
        if round_ is None:
            pending.discard(waiting.token)
            return _gone(request)
    try:
        plan = run_import(
            kind=kind, data=data, user=request.user, round=round_, expected=waiting.digest
        )
    except PreviewOutdated as outdated:
        renewed = pending.replace_digest(waiting, data, outdated.plan.digest)
        return _preview_page(
            request,
            outdated.plan,
            token=renewed.token,
            round_=round_,
            file_name=waiting.file_name,
            outdated=True,
            status=409,
        )
    except ImportRefused as refused:
        # The data changed since the preview, and the file no longer fits it.
        pending.discard(waiting.token)
        plan = ImportPlan(kind=kind, columns=IMPORTERS[kind].columns, errors=refused.errors)
        return _preview_page(
            request, plan, round_=round_, file_name=waiting.file_name, outdated=True, status=409
        )
    pending.discard(waiting.token)
    messages.success(
        request,
        _("Imported: %(created)d new, %(updated)d changed, %(unchanged)d unchanged.")
        % plan.as_dict(),
    )
    return redirect("imports:page")


@require_http_methods(["GET", "HEAD"])
def template_download(request, kind):
    """The XLSX template of ``kind`` in the user's language; the pair shapes need
    ``?round=`` (an open round the admin may import into)."""
    _require_admin(request)
    importer = IMPORTERS.get(kind)
    if importer is None:
        raise Http404(_("No such template."))
    round_ = None
    if importer.needs_round:
        form = TemplateForm(request.GET, rounds=_rounds(request).filter(status=RoundStatus.OPEN))
        if not form.is_valid() or form.cleaned_data["round"] is None:
            raise Http404(_("Choose an open round for this template."))
        round_ = form.cleaned_data["round"]
        try:
            importer.check(user=request.user, round=round_)
        except ImportRefused:
            raise Http404(_("Choose an open round for this template.")) from None
    content = importer.template(user=request.user, round=round_)
    name = "-".join(
        part for part in (_("template"), kind, slugify(round_.name) if round_ else "") if part
    )
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


def _form_page(request, form, rounds, *, errors=(), status=200):
    return render(
        request,
        "imports/import.html",
        {
            "form": form,
            "errors": list(errors)[:MAX_ERRORS_SHOWN],
            "error_count": len(errors),
            "export_rounds": rounds.latest_first()[:20],
            "template_rounds": rounds.filter(status=RoundStatus.OPEN).latest_first()[:20],
        },
        status=status,
    )


def _preview_page(request, plan, *, token=None, round_, file_name, outdated=False, status=None):
    errors = plan.sorted_errors()
    sections = [
        (action, title, plan.count(action), plan.shown_rows(action, MAX_ROWS_SHOWN))
        for action, title in (
            (CREATE, _("To be created")),
            (UPDATE, _("To be changed")),
            (UNCHANGED, _("Left unchanged")),
        )
    ]
    return render(
        request,
        "imports/preview.html",
        {
            "plan": plan,
            "kind_label": IMPORTERS[plan.kind].label,
            "round": round_,
            "file_name": file_name,
            "token": token,
            "outdated": outdated,
            "sections": sections,
            "changes": plan.created + plan.updated,
            "errors": errors[:MAX_ERRORS_SHOWN],
            "error_count": len(errors),
            "bad_rows": len({error.row for error in errors}),
        },
        status=status or (400 if errors else 200),
    )


def _gone(request, message=None):
    message = message or str(pending.PreviewGone())
    return render(request, "imports/gone.html", {"message": message}, status=410)
