"""The authorization helper for rounds, used by pages, the API and reports alike; the
rules themselves are ``accounts.scoping``'s."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.scoping import can_read, can_score, sees_drafts
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
    rounds = list(rounds.select_related("programme", "summary").latest_first())
    for round_ in rounds:
        round_.region = region  # already in hand: no query per round
    return rounds


def default_round(rounds: list[AssessmentRound], user, region) -> AssessmentRound | None:
    """The round a page shows when none is asked for (``rounds`` newest first, their
    summaries loaded): a scorer lands on the open round they score; a reader on the latest
    round with something scored, so that a new, empty round does not replace last year's
    figures with 0 % and dashes; the latest round when none has a scored pair."""
    if not rounds:
        return None
    if can_score(user, region):
        for round_ in rounds:
            if round_.status == RoundStatus.OPEN:
                return round_
    for round_ in rounds:
        summary = getattr(round_, "summary", None)
        if summary is not None and summary.assessed:
            return round_
    return rounds[0]


def pick_round(rounds: list[AssessmentRound], raw_id, *, user, region) -> AssessmentRound | None:
    """The round asked for by ``?round=<id>`` among ``rounds``, else ``default_round``; 404
    if the one asked for is not among them."""
    if raw_id in (None, ""):
        return default_round(rounds, user, region)
    for round_ in rounds:
        if str(round_.pk) == str(raw_id):
            return round_
    raise Http404(_("No such assessment round in this region."))


def get_pair_of_round(round_: AssessmentRound, actor_a_id, actor_b_id):
    """The two actors of a pair panel, in canonical order (lower id first). Only two
    actors of ``round_``'s roster make a pair: any other ids (another region's actors,
    unknown ones, one actor twice) get the same 404, which names no one."""
    from actors.models import Actor
    from assessments.selectors import round_has_actors

    if not round_has_actors(round=round_, actor_ids=[actor_a_id, actor_b_id]):
        raise Http404
    actors = Actor.objects.select_related("sector", "home_region").in_bulk([actor_a_id, actor_b_id])
    if len(actors) != 2:
        raise Http404  # deleted since the check above
    return tuple(sorted(actors.values(), key=lambda actor: actor.pk))
