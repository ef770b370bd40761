"""The staff's invitation pages and the partners' own form (no account: the link is the
key). Reads in partners.selectors, writes in partners.services."""

from functools import wraps
from urllib.parse import quote

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.scoping import can_score
from actors.models import Actor
from actors.selectors import read_vocabularies
from assessments.access import get_round_for_user
from assessments.forms import add_service_errors
from assessments.models import EVIDENCE_FIELDS, PairAssessment, level_legend
from assessments.selectors import round_actors, round_has_actors
from assessments.services import StaleAssessment
from partners import services
from partners.forms import PartnerAnswerForm, ReconcileForm, RespondentForm
from partners.models import Invitation
from partners.selectors import (
    answers_of,
    disagreements_for_round,
    invitations_for_round,
    pair_views,
    views_version,
)
from partners.templatetags.partner_views import views_context
from partners.throttling import over_limit

# Staff ------------------------------------------------------------------------------------


def _managed_round(user, round_id):
    round_ = get_round_for_user(user, round_id)
    if not can_score(user, round_.region):
        raise PermissionDenied(_("You may not manage the invitations of this round."))
    return round_


def _managed_invitation(round_, invitation_id) -> Invitation:
    invitation = Invitation.objects.filter(round=round_, pk=invitation_id).first()
    if invitation is None:
        raise Http404(_("No such invitation in this round."))
    invitation.round = round_
    return invitation


def _list_page(request, round_, *, status=200, error=None):
    context = {
        "round": round_,
        "region": round_.region,
        "summary": invitations_for_round(round_),
        "disagreements": disagreements_for_round(round_),
        "error": error,
    }
    return render(request, "partners/invitations.html", context, status=status)


@require_GET
def invitation_list(request, round_id):
    return _list_page(request, _managed_round(request.user, round_id))


def _sheet(request, invitation: Invitation, token: str) -> dict:
    link = request.build_absolute_uri(reverse("partners:form", args=[token]))
    expires = formats.date_format(timezone.localtime(invitation.expires_at), "DATE_FORMAT")
    text = _(
        "Dear %(actor)s: the health office invites you to describe how your organisation "
        "works with the other members of %(round)s. It takes about 15 minutes on a phone, "
        "and you can come back to it. Open this link (valid until %(expires)s): %(link)s"
    ) % {
        "actor": invitation.actor.name,
        "round": invitation.round.name,
        "expires": expires,
        "link": link,
    }
    return {
        "invitation": invitation,
        "link": link,
        "qr": segno.make(link, error="m").svg_data_uri(scale=4),
        "text": text,
        "whatsapp": "https://wa.me/?text=" + quote(text),
        "expires": expires,
    }


def _sheets_page(request, round_, made):
    response = render(
        request,
        "partners/sheets.html",
        {
            "round": round_,
            "region": round_.region,
            "sheets": [_sheet(request, invitation, token) for invitation, token in made],
        },
    )
    add_never_cache_headers(response)
    return response


@require_POST
def invitation_create(request, round_id):
    round_ = _managed_round(request.user, round_id)
    raw = request.POST.getlist("actor")
    try:
        ids = {int(value) for value in raw}
    except ValueError:
        return _list_page(request, round_, status=400, error=_("Choose members from the list."))
    actors = list(Actor.objects.filter(pk__in=ids))
    if len(actors) != len(ids):
        return _list_page(request, round_, status=400, error=_("Choose members from the list."))
    try:
        made = services.invite(round=round_, actors=actors, user=request.user)
    except ValidationError as error:
        return _list_page(request, round_, status=400, error=" ".join(error.messages))
    if not made:
        messages.info(request, _("Every member chosen already has a link."))
        return redirect("partners:invitations", round_id=round_.pk)
    return _sheets_page(request, round_, made)


@require_POST
def invitation_revoke(request, round_id, invitation_id):
    round_ = _managed_round(request.user, round_id)
    invitation = _managed_invitation(round_, invitation_id)
    services.revoke(invitation=invitation, user=request.user)
    messages.success(
        request, _("The link of %(actor)s no longer works.") % {"actor": invitation.actor}
    )
    return redirect("partners:invitations", round_id=round_.pk)


@require_POST
def invitation_renew(request, round_id, invitation_id):
    round_ = _managed_round(request.user, round_id)
    invitation = _managed_invitation(round_, invitation_id)
    try:
        token = services.renew(invitation=invitation, user=request.user)
    except ValidationError as error:
        return _list_page(request, round_, status=400, error=" ".join(error.messages))
    return _sheets_page(request, round_, [(invitation, token)])


# Partners ---------------------------------------------------------------------------------


def _private(response):
    """A page of a link is the holder's alone: never cached, never indexed. Its address
    (the token) is never sent to another site as a referrer: the site's policy is
    "same-origin" (SECURE_REFERRER_POLICY). "no-referrer" would be stricter but makes the
    browser send ``Origin: null`` with the form, which Django's CSRF check refuses."""
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _gone(request, error: services.LinkGone):
    return render(request, "partners/gone.html", {"message": error.message}, status=410)


def partner_link(view):
    """Find the link's invitation (404 for an unknown or tampered token), count the request
    against the rate limit (429), refuse a link that may no longer be used (410); the view
    gets the invitation."""

    @login_not_required
    @wraps(view)
    def wrapper(request, token, *args, **kwargs):
        invitation = services.invitation_for_token(token)
        if over_limit(request, token, known=invitation is not None):
            response = render(request, "partners/too_many.html", status=429)
            response["Retry-After"] = "60"
            return _private(response)
        if invitation is None:
            return _private(render(request, "partners/unknown.html", status=404))
        try:
            services.check_usable(invitation)
            response = view(request, token, invitation, *args, **kwargs)
        except services.LinkGone as error:
            response = _gone(request, error)
        return _private(response)

    return wrapper


def _members_by_sector(invitation):
    answers = answers_of(invitation)
    members = [
        actor for actor in round_actors(round=invitation.round) if actor.pk != invitation.actor_id
    ]
    for actor in members:
        actor.partner_answer = answers.get(actor.pk)
    return members, answers


@partner_link
@require_http_methods(["GET", "POST"])
def partner_home(request, token, invitation):
    if not invitation.respondent_name:
        form = RespondentForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.identify(
                    invitation=invitation,
                    name=form.cleaned_data["respondent_name"],
                    position=form.cleaned_data["respondent_position"],
                )
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    for message in errors:
                        form.add_error(field if field in form.fields else None, message)
            else:
                return redirect("partners:form", token=token)
        status = 400 if request.method == "POST" else 200
        return render(
            request,
            "partners/respondent.html",
            {"invitation": invitation, "form": form, "token": token},
            status=status,
        )
    if request.method == "POST":
        return redirect("partners:form", token=token)
    return _home_page(request, token, invitation)


def _home_page(request, token, invitation, *, status=200, error=None):
    members, answers = _members_by_sector(invitation)
    return render(
        request,
        "partners/home.html",
        {
            "invitation": invitation,
            "token": token,
            "members": members,
            "answered": sum(1 for actor in members if actor.pk in answers),
            "total": len(members),
            "error": error,
        },
        status=status,
    )


KINDS = {
    "none": services.NOT_WORKING_TOGETHER,
    "unknown": services.DONT_KNOW,
    "answers": services.ANSWERED,
}


@partner_link
@require_http_methods(["GET", "POST"])
def partner_member(request, token, invitation, actor_id):
    if not invitation.respondent_name:
        return redirect("partners:form", token=token)
    other = services.other_member(invitation, actor_id)
    if other is None:
        return _private(render(request, "partners/unknown.html", status=404))
    existing = invitation.answers.filter(other_actor_id=other.pk).first()
    vocabularies = read_vocabularies()
    form = PartnerAnswerForm(
        request.POST if request.method == "POST" else None,
        initial=PartnerAnswerForm.initial_for(existing),
        vocabularies=vocabularies,
        held=existing,
    )
    status = 200
    if request.method == "POST":
        kind = KINDS.get(request.POST.get("kind", "answers"))
        if kind is None:
            form.add_error(None, _("Unknown kind of answer."))
        elif form.is_valid():
            data = form.cleaned_data
            try:
                services.answer_save(
                    invitation=invitation,
                    other_actor=other,
                    answers={
                        "kind": kind,
                        "evidence": tuple(data[name] for name in EVIDENCE_FIELDS),
                        "level": data["level"],
                        "confirm_inconsistent": data["confirm_inconsistent"],
                        "mechanisms": data["mechanisms"],
                        "facilitating_factors": data["facilitating_factors"],
                        "hindering_factors": data["hindering_factors"],
                        "note": data["note"],
                    },
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Saved: %(actor)s.") % {"actor": other.name})
                return redirect(reverse("partners:form", args=[token]) + f"#m{other.pk}")
        status = 400
    return render(
        request,
        "partners/member.html",
        {
            "invitation": invitation,
            "token": token,
            "other": other,
            "form": form,
            "existing": existing,
            "legend": level_legend(),
        },
        status=status,
    )


@partner_link
@require_POST
def partner_submit(request, token, invitation):
    try:
        services.submit(invitation=invitation)
    except ValidationError as error:
        return _home_page(request, token, invitation, status=400, error=" ".join(error.messages))
    messages.success(
        request,
        _("Thank you: your answers are sent. You may still change them while the link works."),
    )
    return redirect("partners:form", token=token)


# The scorer's reconciliation ------------------------------------------------------------


@require_POST
def reconcile_pair(request, round_id, actor_a_id, actor_b_id):
    """The reconcile form of the pair panel: the official level set from both views, with
    the reason. Accepted: back to the pair's panel (its history shows the decision).
    Refused: the views again with the form and the reason of the refusal (400)."""
    round_ = get_round_for_user(request.user, round_id)
    if not can_score(request.user, round_.region):
        raise PermissionDenied(_("You may not score pairs in this region."))
    # As the pair panel: only two actors of this round, the same 404 for any other ids.
    if not round_has_actors(round=round_, actor_ids=[actor_a_id, actor_b_id]):
        raise Http404
    actors = Actor.objects.select_related("sector").in_bulk([actor_a_id, actor_b_id])
    if len(actors) != 2:
        raise Http404
    first, second = sorted(actors.values(), key=lambda actor: actor.pk)
    form = ReconcileForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            record = services.reconcile(
                round=round_,
                actor_a=first,
                actor_b=second,
                level=data["level"],
                reason=data["reason"],
                user=request.user,
                views_version=data["views_version"],
                expected_version=data["version"],
            )
        except (services.StaleViews, StaleAssessment) as stale:
            # Show the views and the level as they stand now; what was typed stays, and
            # the next decision is based on what is shown.
            posted = request.POST.copy()
            current = PairAssessment.objects.filter(
                round=round_, actor_a=first, actor_b=second
            ).first()
            posted[form.add_prefix("views_version")] = views_version(
                pair_views(round_, first.pk, second.pk)
            )
            posted[form.add_prefix("version")] = current.version if current is not None else 0
            form = ReconcileForm(posted)
            form.is_valid()
            add_service_errors(form, stale)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if request.headers.get("HX-Request") != "true":
                messages.success(
                    request,
                    _("Reconciled: %(pair)s, official level %(level)s.")
                    % {"pair": f"{first} ↔ {second}", "level": record.level},
                )
            return redirect("assessments:pair", round_.pk, first.pk, second.pk)
    existing = PairAssessment.objects.filter(round=round_, actor_a=first, actor_b=second).first()
    context = {
        "round": round_,
        "region": round_.region,
        "pair_a": first,
        "pair_b": second,
        **views_context(round_, first, second, existing, form=form, csrf_token=get_token(request)),
    }
    template = (
        "partners/_reconcile_refused.html"
        if request.headers.get("HX-Request") == "true"
        else "partners/reconcile.html"
    )
    return render(request, template, context, status=400)
