"""Thin views over ``insights.selectors``; one module per group of pages."""

from dataclasses import dataclass

from accounts.scoping import get_region_for_user
from actors.models import Region
from assessments.access import pick_round, rounds_visible_to
from assessments.models import AssessmentRound


@dataclass
class RegionRound:
    region: Region
    rounds: list[AssessmentRound]
    round: AssessmentRound | None


def region_and_round(request, code) -> RegionRound:
    """The region (403 outside jurisdiction) and the round picked by ``?round=`` (or the
    default: ``assessments.access.default_round``)."""
    region = get_region_for_user(request.user, code)
    rounds = rounds_visible_to(request.user, region)
    round_ = pick_round(rounds, request.GET.get("round"), user=request.user, region=region)
    return RegionRound(region, rounds, round_)
