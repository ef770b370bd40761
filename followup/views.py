from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from accounts.scoping import can_read_details, can_score, get_region_for_user
from actors.models import Actor
from actors.selectors import read_vocabularies
from assessments.access import default_round, get_round_for_user, pick_round, rounds_visible_to
from assessments.forms import add_service_errors
from assessments.models import Level
from assessments.selectors import round_has_actors
from followup.access import (
    can_delete_actions,
    can_manage_actions,
    get_action_for_user,
    get_document_for_user,
)
from followup.documents import EXTENSIONS, KINDS
from followup.forms import ActionFilterForm, ActionForm
from followup.models import Aksi, EvidencePolicy
from followup.selectors import (
    action_owners,
    action_results,
    actions_visible_to,
    aksi_overview,
    filter_actions,
    pair_documents,
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


# Documents of any subject ---------------------------------------------------------------


def _attachment(document) -> FileResponse:
    """The file as an attachment that no shared cache keeps."""
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=KINDS[document.kind].content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _upload(request, **subject) -> list[str]:
    """Store the posted file as evidence for ``subject`` (``document_upload``'s keywords):
    the messages that refuse it, or none when it was stored."""
    upload = request.FILES.get("file")
    if upload is None:
        return [_("Choose a file to upload.")]
    try:
        document_upload(
            user=request.user, file=upload, title=request.POST.get("title", ""), **subject
        )
    except ValidationError as error:
        return [message for messages in error.message_dict.values() for message in messages]
    return []


def _posted_aksi(request) -> tuple[int | None, list[str]]:
    """The optional aksi of a posted form: a number from 1 to 8, or nothing."""
    raw = request.POST.get("aksi", "")
    if raw == "":
        return None, []
    if raw.isdigit() and int(raw) in Aksi.values:
        return int(raw), []
    return None, [_("Choose one of the 8 aksi.")]


def region_document(request, code, document_id):
    """Any document of the region (of an action, a pair or an aksi), as an attachment, to
    the detail readers of the region only."""
    region = get_region_for_user(request.user, code)
    document = get_document_for_user(request.user, document_id, region=region)
    return _attachment(document)


@require_POST
def region_document_remove(request, code, document_id):
    region = get_region_for_user(request.user, code)
    document = get_document_for_user(request.user, document_id, region=region)
    document_delete(document=document, user=request.user)
    messages.success(request, _("The document was deleted; a trace of it is kept."))
    back = reverse("followup:aksi", args=[region.code])
    if document.round_id:
        back += f"?round={document.round_id}"
    return redirect(back)


# The 8 aksi of a region ------------------------------------------------------------------


def aksi_page(request, code):
    region = get_region_for_user(request.user, code)
    rounds = rounds_visible_to(request.user, region)
    round_ = pick_round(rounds, request.GET.get("round"), user=request.user, region=region)
    return _aksi_page(request, region, rounds, round_)


def _aksi_page(request, region, rounds, round_, *, failed=None, errors=(), status=200):
    overview = aksi_overview(region, round_, request.user)
    context = {
        "region": region,
        "rounds": rounds,
        "round": round_,
        "overview": overview,
        "may_upload": can_manage_actions(request.user, region),
        "may_delete": can_delete_actions(request.user, region),
        "failed": failed,
        "upload_errors": list(errors),
        "accept": ",".join(EXTENSIONS),
        "max_bytes": settings.EVIDENCE_MAX_BYTES,
    }
    return render(request, "followup/aksi.html", context, status=status)


@require_POST
def aksi_document_add(request, code, aksi):
    """A document filed directly under one aksi of the region, for the round chosen on the
    page (or for no round)."""
    region = get_region_for_user(request.user, code)
    if aksi not in Aksi.values:
        raise Http404(_("No such aksi."))
    if not can_manage_actions(request.user, region):
        raise PermissionDenied(_("You may not add documents in this region."))
    rounds = rounds_visible_to(request.user, region)
    raw_round = request.POST.get("round", "")
    round_ = pick_round(rounds, raw_round, user=request.user, region=region) if raw_round else None
    errors = _upload(request, region=region, round=round_, aksi=aksi)
    back = reverse("followup:aksi", args=[region.code])
    if round_ is not None:
        back += f"?round={round_.pk}"
    if not errors:
        messages.success(request, _("The document was added."))
        return redirect(f"{back}#aksi-{aksi}")
    shown = round_ or pick_round(rounds, None, user=request.user, region=region)
    return _aksi_page(request, region, rounds, shown, failed=aksi, errors=errors, status=400)


# Documents of a pair (the scorer's pair panel) -------------------------------------------


def pair_documents_context(request, round_, actor_a, actor_b, *, errors=(), added=False) -> dict:
    """What the pair panel's documents section shows: nothing for the users who do not
    read details (viewers); the list, and the upload form for the users who plan."""
    region = round_.region
    reads = can_read_details(request.user, region)
    return {
        "round": round_,
        "actor_a": actor_a,
        "actor_b": actor_b,
        "reads_documents": reads,
        "documents": list(
            pair_documents(round=round_, actor_a_id=actor_a.pk, actor_b_id=actor_b.pk)
        )
        if reads
        else [],
        "may_upload": reads and can_manage_actions(request.user, region),
        "integration_needs_document": EvidencePolicy.current().integration_needs_document,
        "aksi_choices": Aksi.choices,
        "accept": ",".join(EXTENSIONS),
        "max_bytes": settings.EVIDENCE_MAX_BYTES,
        "upload_errors": list(errors),
        "added": added,
    }


@require_POST
def pair_document_add(request, round_id, actor_a_id, actor_b_id):
    """A document on a pair of a round, from the pair panel (htmx: the panel's documents
    section comes back, with the refusal in it; without htmx, back to the pair)."""
    round_ = get_round_for_user(request.user, round_id)
    if not can_manage_actions(request.user, round_.region):
        raise PermissionDenied(_("You may not add documents in this region."))
    # As the pair panel: any pair but two actors of this round gets the same 404.
    if not round_has_actors(round=round_, actor_ids=[actor_a_id, actor_b_id]):
        raise Http404
    actors = Actor.objects.select_related("sector").in_bulk([actor_a_id, actor_b_id])
    if len(actors) != 2:
        raise Http404
    first, second = sorted(actors.values(), key=lambda actor: actor.pk)
    aksi, errors = _posted_aksi(request)
    if not errors:
        errors = _upload(request, round=round_, actor_a=first, actor_b=second, aksi=aksi)
    if request.headers.get("HX-Request") == "true":
        context = pair_documents_context(
            request, round_, first, second, errors=errors, added=not errors
        )
        return render(
            request, "followup/_pair_documents.html", context, status=400 if errors else 200
        )
    if errors:
        for message in errors:
            messages.error(request, message)
    else:
        messages.success(request, _("The document was added."))
    if can_score(request.user, round_.region):
        return redirect("assessments:pair", round_.pk, first.pk, second.pk)
    return redirect(f"{reverse('followup:aksi', args=[round_.region.code])}?round={round_.pk}")
