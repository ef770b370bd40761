"""Sector × sector, by government level (Kim et al. 2017, Table 2) and who × how pages."""

from django.shortcuts import render
from django.utils.translation import gettext as _

from accounts.scoping import get_programme_for_user
from actors.models import Programme
from assessments.access import pick_round, rounds_visible_to
from assessments.models import level_legend
from insights.selectors import structure as selectors
from insights.views import region_and_round


def sector_matrix(request, code):
    picked = region_and_round(request, code)
    context = {
        "region": picked.region,
        "rounds": picked.rounds,
        "round": picked.round,
        "legend": level_legend(),
    }
    if picked.round is not None:
        context["matrix"] = selectors.sector_matrix(round=picked.round)
    return render(request, "insights/sectors.html", context)


def by_level(request, code):
    picked = region_and_round(request, code)
    # Offered as the programme filter; the one asked for is taken from this list, so an id
    # of another region's programme (or no programme at all) is refused without reading it.
    programmes = list(Programme.objects.filter(region=picked.region).order_by("name", "pk"))
    context = {
        "region": picked.region,
        "rounds": picked.rounds,
        "round": picked.round,
        "programmes": programmes,
        "programme": None,
        "legend": level_legend(),
    }
    raw_programme = request.GET.get("programme", "").strip()
    if raw_programme:
        programme = next((item for item in programmes if str(item.pk) == raw_programme), None)
        if programme is None:
            context["programme_error"] = _(
                "There is no programme “%(value)s” in this region. Choose one of the "
                "region's programmes, or all actors of the round."
            ) % {"value": raw_programme}
            return render(request, "insights/by_level.html", context, status=404)
        programme.region = picked.region  # already in hand: no query
        context["programme"] = programme
    if picked.round is not None:
        context["table"] = selectors.by_government_level(
            round=picked.round, programme=context["programme"]
        )
    return render(request, "insights/by_level.html", context)


def who_how(request, programme_id):
    programme = get_programme_for_user(request.user, programme_id)
    rounds = rounds_visible_to(request.user, programme.region)
    raw_round = request.GET.get("round")
    if raw_round in (None, ""):
        round_ = selectors.default_round_for_programme(rounds=rounds, programme=programme)
    else:
        round_ = pick_round(rounds, raw_round, user=request.user, region=programme.region)
    context = {
        "programme": programme,
        "region": programme.region,
        "rounds": rounds,
        "round": round_,
        "matrix": selectors.who_how_matrix(programme=programme, round=round_),
        "legend": level_legend(),
    }
    return render(request, "insights/who_how.html", context)
