"""Sector × sector, by government level (Kim et al. 2017, Table 2) and who × how pages."""

from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.scoping import can_score, get_programme_for_user, get_region_for_user
from actors.models import Programme
from assessments.access import pick_round, rounds_visible_to
from assessments.levels import level_role_set
from assessments.models import MAIN_ROLE_MAX_LENGTH, RoundStatus, level_legend
from followup.access import can_manage_actions
from insights.selectors import structure as selectors
from insights.selectors.gaps import DEFAULT_TARGET
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
        matrix = selectors.cached_sector_matrix(round=picked.round)
        # Asked once for the page: the cells below only read the answer.
        may_plan = can_manage_actions(request.user, picked.region)
        context.update(
            matrix=matrix,
            # Built when the tables are (not from the cache): the template calls it.
            rows=partial(_sector_rows, matrix, region=picked.region, plan=may_plan),
            may_plan=may_plan,
            target=DEFAULT_TARGET,
            tables_timeout=selectors.ROUND_STATE_TIMEOUT,
        )
    return render(request, "insights/sectors.html", context)


def _sector_rows(matrix, *, region, plan: bool) -> list[dict]:
    """The matrix's rows with, in each cell whose mean is below the target, the link that
    opens a follow-up action on the sector pair (for those who plan; no query)."""
    new_action = reverse("followup:new", args=[region.code])
    rows = []
    for row in matrix.rows:
        cells = []
        for column, summary in zip(matrix.sectors, row.cells, strict=True):
            below = summary.mean is not None and summary.mean < DEFAULT_TARGET
            query = {
                "round": matrix.round.pk,
                "sector_a": row.sector.pk,
                "sector_b": column.pk,
                "target": int(DEFAULT_TARGET),
            }
            cells.append(
                {
                    "summary": summary,
                    "column": column,
                    "action_url": f"{new_action}?{urlencode(query)}" if plan and below else None,
                }
            )
        rows.append({"sector": row.sector, "actor_count": row.actor_count, "cells": cells})
    return rows


@require_http_methods(["GET", "POST"])
def by_level(request, code):
    """Kim et al.'s Table 2 for a round; a POST records a level's main role or action
    (``assessments.levels.level_role_set`` decides who may, and when)."""
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
        "can_edit_roles": picked.round is not None
        and picked.round.status != RoundStatus.CLOSED
        and can_score(request.user, picked.region),
        "main_role_max": MAIN_ROLE_MAX_LENGTH,
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
    status = 200
    if request.method == "POST":
        if picked.round is None:
            raise Http404(_("This region has no assessment round yet."))
        raw_level = request.POST.get("government_level", "")
        level = int(raw_level) if raw_level.isascii() and raw_level.isdigit() else raw_level
        main_role = request.POST.get("main_role", "")
        try:
            level_role_set(
                round=picked.round, government_level=level, main_role=main_role, user=request.user
            )
        except ValidationError as error:
            status = 400
            context["role_error"] = {"level": level, "text": main_role, "messages": error.messages}
        else:
            messages.success(request, _("The main role of the level was saved."))
            return redirect(f"{request.get_full_path()}#level-{level}")
    if picked.round is not None:
        table = selectors.by_government_level(round=picked.round, programme=context["programme"])
        context["table"] = table
        error = context.get("role_error")
        if error is not None:
            # Shown in the level's own form when the page offers one, else above the table.
            error["inline"] = context["can_edit_roles"] and any(
                row.level == error["level"] and (row.actors or row.main_role) for row in table.rows
            )
    return render(request, "insights/by_level.html", context, status=status)


def region_who_how(request, code):
    """The region's "who × how" in the navigation: that of its first programme (in the
    order of the by-level page, which lists them all); the by-level page when it has none."""
    region = get_region_for_user(request.user, code)
    programme = Programme.objects.filter(region=region).order_by("name", "pk").first()
    if programme is None:
        messages.info(
            request,
            _(
                "This region has no programme yet, and who × how shows a programme's "
                "participants. An admin adds programmes in the administration pages."
            ),
        )
        return redirect("insights:by_level", region.code)
    return redirect("insights:who_how", programme.pk)


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
