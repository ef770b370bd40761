"""Reads of follow-up actions shared by the pages and the API."""

from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from accounts.scoping import scope
from actors.models import Actor, Region
from assessments.models import AssessmentRound
from followup.models import FollowUpAction


def actions_visible_to(user) -> QuerySet:
    """The actions of the user's jurisdiction, from the rounds the user may see."""
    rounds = AssessmentRound.objects.visible_to(user)
    return scope(FollowUpAction.objects.all(), user).filter(round__in=rounds)


def filter_actions(
    actions: QuerySet,
    *,
    status: str | None = None,
    owner: Actor | None = None,
    aksi: int | None = None,
    overdue: bool = False,
    round: AssessmentRound | None = None,
    region: Region | None = None,
    today: date | None = None,
) -> QuerySet:
    """``actions`` narrowed by the list's filters, soonest due first, with what a row shows.
    Overdue: still to be done and due before today in the site's time zone (WITA)."""
    if region is not None:
        actions = actions.filter(region=region)
    if round is not None:
        actions = actions.filter(round=round)
    if status:
        actions = actions.filter(status=status)
    if owner is not None:
        actions = actions.filter(owner=owner)
    if aksi:
        actions = actions.filter(aksi=aksi)
    if overdue:
        actions = actions.overdue(today or timezone.localdate())
    return (
        actions.select_related(
            "region", "round", "actor_a", "actor_b", "sector_a", "sector_b", "owner"
        )
        .prefetch_related("involved")
        .order_by("due_date", "id")
    )


def action_owners(region: Region) -> QuerySet:
    """The actors that own an action of ``region``, for the list's owner filter."""
    return Actor.objects.filter(owned_actions__region=region).distinct().order_by("name")
