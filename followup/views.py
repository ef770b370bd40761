from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from accounts.scoping import can_read_details, get_region_for_user
from actors.models import Actor
from actors.selectors import read_vocabularies
from assessments.access import default_round, pick_round, rounds_visible_to
from assessments.forms import add_service_errors
from assessments.models import Level
from followup.access import (
    can_delete_actions,
    can_manage_actions,
    get_action_for_user,
    get_document_for_user,
)
from followup.documents import EXTENSIONS, KINDS
from followup.forms import ActionFilterForm, ActionForm
from followup.selectors import (
    action_owners,
    action_results,
    actions_visible_to,
    filter_actions,
)
from followup.services import (
    action_create,
    action_delete,
    action_update,
    document_delete,
    document_upload,
)


def action_list(request, code):
    region = get_region_for_user(request.user, code)
    filters = ActionFilterForm(request.GET or None, owners=action_owners(region))
    chosen = filters.cleaned_data if filters.is_valid() else {}
    today = timezone.localdate()
    actions = filter_actions(
        actions_visible_to(request.user),
        region=region,
        status=chosen.get("status"),
        owner=chosen.get("owner"),
        aksi=chosen.get("aksi"),
        overdue=chosen.get("overdue", False),
        today=today,
    )
    mechanisms = read_vocabularies().mechanisms
    actions = list(actions)
    rounds = rounds_visible_to(request.user, region)
    results = action_results(actions, rounds)
    rows = [
        {
            "action": action,
            "mechanism": mechanisms.label(action.mechanism),
            "overdue": action.is_overdue(today),
            "result": _result(results.get(action.pk), action),
        }
        for action in actions
    ]
    context = {
        "region": region,
        "filters": filters,
        "rows": rows,
        "today": today,
        "may_create": can_manage_actions(request.user, region),
        # The packs of the round a dashboard opens on.
        "pack_round": default_round(rounds, request.user, region),
    }
    status = 400 if filters.is_bound and not filters.is_valid() else 200
    return render(request, "followup/list.html", context, status=status)


def _result(result, action) -> dict | None:
    """What the list and the action's page show of its subject in the next round."""
    if result is None:
        return None
    return {
        "round": result.round,
        "level": result.level,
        "reached": result.reached(action.target_level),
    }


def _prefill(request) -> dict:
    """The form's first values from the link that opened it: a gap pair (?actor_a=&actor_b=),
    one actor (?actor=), a sector × sector cell (?sector_a=&sector_b=), a target level."""
    initial = {}
    for name, source in (
        ("actor_a", "actor_a"),
        ("actor_b", "actor_b"),
        ("actor_a", "actor"),
        ("sector_a", "sector_a"),
        ("sector_b", "sector_b"),
    ):
        value = request.GET.get(source, "")
        if value.isdigit():
            initial[name] = int(value)
    target = request.GET.get("target", "")
    initial["target_level"] = (
        int(target) if target.isdigit() and int(target) in Level.values else Level.COLLABORATION
    )
    return initial


@require_http_methods(["GET", "POST"])
def action_new(request, code):
    region = get_region_for_user(request.user, code)
    if not can_manage_actions(request.user, region):
        raise PermissionDenied(_("You may not plan follow-up actions in this region."))
    rounds = rounds_visible_to(request.user, region)
    round_ = pick_round(rounds, request.GET.get("round"), user=request.user, region=region)
    context = {"region": region, "rounds": rounds, "round": round_}
    if round_ is None:
        return render(request, "followup/new.html", context)
    vocabularies = read_vocabularies()
    form = ActionForm(
        request.POST if request.method == "POST" else None,
        initial=_prefill(request),
        round=round_,
        vocabularies=vocabularies,
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                action = action_create(user=request.user, round=round_, **data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The follow-up action was saved."))
                return redirect("followup:edit", region.code, action.pk)
        status = 400
    context["form"] = form
    return render(request, "followup/new.html", context, status=status)


@require_http_methods(["GET", "POST"])
def action_edit(request, code, action_id):
    region = get_region_for_user(request.user, code)
    action = get_action_for_user(request.user, action_id, region=region)
    if request.method == "POST" and not can_manage_actions(request.user, region):
        raise PermissionDenied(_("You may not plan follow-up actions in this region."))
    vocabularies = read_vocabularies()
    form = _edit_form(request, action, vocabularies, bound=request.method == "POST")
    if request.method == "POST":
        if form.is_valid():
            try:
                action_update(action=action, user=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The follow-up action was saved."))
                return redirect("followup:edit", region.code, action.pk)
        action.refresh_from_db()
        return _edit_page(request, region, action, vocabularies, form=form, status=400)
    return _edit_page(request, region, action, vocabularies, form=form)


def _edit_form(request, action, vocabularies, *, bound: bool) -> ActionForm | None:
    """The update form, for those who may change the action (None for readers)."""
    if not can_manage_actions(request.user, action.region):
        return None
    return ActionForm(
        request.POST if bound else None,
        initial=ActionForm.initial_for(action),
        round=action.round,
        vocabularies=vocabularies,
        held=action,
    )


def _edit_page(request, region, action, vocabularies, *, form, status=200, upload_errors=()):
    context = {
        "region": region,
        "action": action,
        "mechanism": vocabularies.mechanisms.label(action.mechanism),
        "involved": list(action.involved.all()),
        "overdue": action.is_overdue(timezone.localdate()),
        "result": _result(
            action_results([action], rounds_visible_to(request.user, region)).get(action.pk),
            action,
        ),
        "form": form,
        "history": _history(action, vocabularies),
        "may_delete": can_delete_actions(request.user, region),
        "reads_documents": can_read_details(request.user, region),
        "documents": action.documents.present()
        .select_related("uploaded_by")
        .order_by("-uploaded_at", "-id"),
        "accept": ",".join(EXTENSIONS),
        "max_bytes": settings.EVIDENCE_MAX_BYTES,
        "upload_errors": list(upload_errors),
    }
    return render(request, "followup/edit.html", context, status=status)


@require_POST
def action_remove(request, code, action_id):
    region = get_region_for_user(request.user, code)
    action = get_action_for_user(request.user, action_id, region=region)
    action_delete(action=action, user=request.user)
    messages.success(request, _("The follow-up action was deleted; its history is kept."))
    return redirect("followup:list", region.code)


HISTORY_TYPES = {
    "+": gettext_lazy("Created"),
    "~": gettext_lazy("Changed"),
    "-": gettext_lazy("Deleted"),
}

# The fields a history row names when they change, with their labels.
HISTORY_FIELDS = ("status", "due_date", "target_level", "mechanism", "owner", "aksi", "notes")


def _history(action, vocabularies) -> list[dict]:
    """Each change, newest first: when, who, and which values changed to what."""
    records = list(
        action.history.select_related("history_user").order_by("-history_date", "-history_id")
    )
    # The involved actors as each record saw them (simple_history's m2m rows): one query.
    involved: dict[int, set[int]] = {record.history_id: set() for record in records}
    for history_id, actor_id in action.history.model.involved.model.objects.filter(
        history__in=[record.history_id for record in records]
    ).values_list("history_id", "actor_id"):
        involved[history_id].add(actor_id)
    wanted = {record.owner_id for record in records}.union(*involved.values())
    names = {actor.pk: actor.name for actor in Actor.objects.filter(pk__in=wanted)}
    fields = {name: action._meta.get_field(name) for name in HISTORY_FIELDS}
    rows = []
    for index, record in enumerate(records):
        older = records[index + 1] if index + 1 < len(records) else None
        changes = []
        for name, field in fields.items():
            value = getattr(record, f"{name}_id" if name == "owner" else name)
            if older is not None and value == getattr(
                older, f"{name}_id" if name == "owner" else name
            ):
                continue
            if older is None and name == "notes":
                continue
            if name == "owner":
                shown = names.get(value, "")
            elif name == "mechanism":
                shown = vocabularies.mechanisms.label(value)
            elif field.choices:
                shown = dict(field.choices).get(value, value)
            else:
                shown = value
            changes.append({"label": field.verbose_name, "value": shown})
        ids = involved[record.history_id]
        if (
            ids
            and (older is None or ids != involved[older.history_id])
            or (older is not None and not ids and involved[older.history_id])
        ):
            shown = ", ".join(sorted(names.get(pk, "") for pk in ids)) or "–"
            changes.append({"label": _("Other actors involved"), "value": shown})
        rows.append(
            {
                "date": record.history_date,
                "user": record.history_user,
                "type": HISTORY_TYPES.get(record.history_type, record.history_type),
                "changes": changes,
            }
        )
    return rows


@require_POST
def document_add(request, code, action_id):
    region = get_region_for_user(request.user, code)
    action = get_action_for_user(request.user, action_id, region=region)
    if not can_manage_actions(request.user, region):
        raise PermissionDenied(_("You may not add documents in this region."))
    upload = request.FILES.get("file")
    if upload is None:
        errors = [_("Choose a file to upload.")]
    else:
        try:
            document_upload(
                action=action, user=request.user, file=upload, title=request.POST.get("title", "")
            )
        except ValidationError as error:
            errors = [message for messages in error.message_dict.values() for message in messages]
        else:
            messages.success(request, _("The document was added."))
            return redirect("followup:edit", region.code, action.pk)
    vocabularies = read_vocabularies()
    form = _edit_form(request, action, vocabularies, bound=False)
    return _edit_page(
        request, region, action, vocabularies, form=form, status=400, upload_errors=errors
    )


def document_download(request, code, action_id, document_id):
    """The file, as an attachment, to the detail readers of the action's region only."""
    region = get_region_for_user(request.user, code)
    action = get_action_for_user(request.user, action_id, region=region)
    document = get_document_for_user(request.user, document_id, action=action)
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=KINDS[document.kind].content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def document_remove(request, code, action_id, document_id):
    region = get_region_for_user(request.user, code)
    action = get_action_for_user(request.user, action_id, region=region)
    document = get_document_for_user(request.user, document_id, action=action)
    document_delete(document=document, user=request.user)
    messages.success(request, _("The document was deleted; a trace of it is kept."))
    return redirect("followup:edit", region.code, action.pk)
