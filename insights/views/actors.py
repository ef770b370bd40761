"""One actor's page, over ``insights.selectors.actors``."""

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from assessments.models import Level, level_legend
from insights.selectors.actors import actor_profile
from insights.selectors.gaps import DEFAULT_TARGET
from insights.views import region_and_round


def _target(raw) -> int:
    if raw in (None, ""):
        return DEFAULT_TARGET
    try:
        value = int(raw)
    except ValueError:
        value = -1
    if value not in Level.values:
        raise Http404(_("The target level must be a whole number from 0 to 4."))
    return value


def actor_page(request, code, actor_id):
    picked = region_and_round(request, code)
    if picked.round is None:
        raise Http404(_("This region has no assessment round yet."))
    position = [round_.pk for round_ in picked.rounds].index(picked.round.pk)
    previous = picked.rounds[position + 1] if position + 1 < len(picked.rounds) else None
    profile = actor_profile(
        actor_id=actor_id,
        round=picked.round,
        previous_round=previous,
        target=_target(request.GET.get("target")),
    )
    if profile is None:
        raise Http404(_("This actor is not on the roster of this round."))
    context = {
        "region": picked.region,
        "rounds": picked.rounds,
        "round": picked.round,
        "profile": profile,
        "levels": Level,
        "legend": level_legend(),
    }
    return render(request, "insights/actor.html", context)
