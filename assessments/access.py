"""The authorization helper for rounds, used by pages, the API and reports alike; the
rules themselves are ``accounts.scoping``'s."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.scoping import can_read, sees_drafts
from assessments.models import AssessmentRound, RoundStatus


def get_round_for_user(user, round_id) -> AssessmentRound:
    """The round: 404 if unknown (or a draft the user may not see), 403 outside jurisdiction."""
    try:
        round_ = AssessmentRound.objects.select_related("region", "programme").get(pk=round_id)
    except (AssessmentRound.DoesNotExist, ValueError, TypeError):
        raise Http404(_("No such assessment round.")) from None
    if not can_read(user, round_.region):
        raise PermissionDenied(_("This round is outside your jurisdiction."))
    if round_.status == RoundStatus.DRAFT and not sees_drafts(user):
        raise Http404(_("No such assessment round."))
    return round_


def rounds_visible_to(user, region) -> list[AssessmentRound]:
    """The region's rounds the user may see, newest first (drafts for admins only)."""
    rounds = AssessmentRound.objects.filter(region=region).visible_to(user)
    rounds = list(rounds.select_related("programme").latest_first())
    for round_ in rounds:
        round_.region = region  # already in hand: no query per round
    return rounds


def pick_round(rounds: list[AssessmentRound], raw_id) -> AssessmentRound | None:
    """The round asked for by ``?round=<id>`` among ``rounds``, else the latest; 404 if absent."""
    if raw_id in (None, ""):
        return rounds[0] if rounds else None
    for round_ in rounds:
        if str(round_.pk) == str(raw_id):
            return round_
    raise Http404(_("No such assessment round in this region."))
