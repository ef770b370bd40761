"""The querysets the API shows a user: their jurisdiction, from ``accounts.access``.

Objects outside these querysets do not exist for the API (404), as the pages refuse them.
"""

from django.db.models import Q

from accounts.access import access_for
from accounts.models import Role
from actors.models import Actor, GovernmentLevel, Programme, Region
from assessments.models import AssessmentRound, PairAssessment

NOTHING = Q(pk__in=[])


def jurisdiction_q(user, prefix: str = "") -> Q:
    """A filter for the regions (through ``prefix``) inside the user's jurisdiction."""
    access = access_for(user)
    if not access.roles:
        return NOTHING
    if access.is_national or any(root.level == GovernmentLevel.NATIONAL for root in access.regions):
        return Q()
    combined = NOTHING
    for root in access.regions:
        combined |= root.subtree_q(prefix)
    return combined


def visible_regions(user):
    return Region.objects.filter(jurisdiction_q(user))


def visible_actors(user):
    return Actor.objects.filter(jurisdiction_q(user, "home_region__"))


def visible_programmes(user):
    return Programme.objects.filter(jurisdiction_q(user, "region__"))


def visible_rounds(user):
    """Rounds of the jurisdiction; drafts for admins only (as ``rounds_visible_to``)."""
    rounds = AssessmentRound.objects.filter(jurisdiction_q(user, "region__"))
    if not access_for(user).has_role(Role.ADMIN):
        rounds = rounds.visible()
    return rounds


def visible_assessments(user):
    return PairAssessment.objects.filter(round__in=visible_rounds(user))
