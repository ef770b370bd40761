"""Who sees and does what: the one place that the pages, the API, the Django admin, the
reports, the imports and the commands ask.

- A user's **roles** are their groups (admin, scorer, planner, viewer).
- Their **jurisdiction** is one or more regions and everything below them; a jurisdiction
  over the nation, or being a superuser, reaches every region.
- Every model that lives in a region says how to reach that region in its
  ``jurisdiction_path`` ("home_region" for an actor, "round__region" for a pair);
  ``scope(queryset, user)`` keeps the rows inside the user's jurisdiction.
- Readers see what is not a draft; admins also see drafts (``sees_drafts``).
- Viewers read the views (levels and what is computed from them). The details of a pair
  (its notes and evidence) and every file export are for admins, scorers and planners
  (``can_read_details``).
- Reference data shared by every region (sectors, provinces, vocabularies) is changed by
  national admins only (``manages_reference_data``).

What was read is cached on the user object, so a request reads it once.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from accounts.models import Jurisdiction, Role
from actors.models import Actor, GovernmentLevel, Programme, Region

NOTHING = Q(pk__in=[])

# Roles that read the details of pairs and export files; viewers read the views only.
DETAIL_ROLES = (Role.ADMIN, Role.SCORER, Role.PLANNER)


@dataclass(frozen=True)
class Access:
    roles: frozenset[str]
    regions: tuple[Region, ...]
    is_national: bool

    def covers(self, region: Region) -> bool:
        return self.is_national or any(root.contains(region) for root in self.regions)

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))


def access_for(user) -> Access:
    cached = getattr(user, "_convergence_access", None)
    if cached is not None:
        return cached
    if not user.is_authenticated or not user.is_active:
        access = Access(frozenset(), (), False)
    elif user.is_superuser:
        access = Access(frozenset(Role.values), (), True)
    else:
        roles = frozenset(user.groups.values_list("name", flat=True)) & set(Role.values)
        regions = tuple(Region.objects.filter(jurisdictions_of__user=user).order_by("code"))
        national = any(region.level == GovernmentLevel.NATIONAL for region in regions)
        access = Access(roles, regions, is_national=national)
    user._convergence_access = access
    return access


def forget_access(user) -> None:
    """Drop what ``access_for`` cached (after the user's roles or regions changed)."""
    user.__dict__.pop("_convergence_access", None)


# Querysets ------------------------------------------------------------------------------


def jurisdiction_q(user, path: str = "") -> Q:
    """A filter for the rows whose region (reached by ``path``, "" for a Region itself)
    lies in the user's jurisdiction. Nothing for a user without a role."""
    access = access_for(user)
    if not access.roles:
        return NOTHING
    if access.is_national:
        return Q()
    prefix = f"{path}__" if path else ""
    combined = NOTHING
    for root in access.regions:
        combined |= root.subtree_q(prefix)
    return combined


def scope(queryset: QuerySet, user, path: str | None = None) -> QuerySet:
    """``queryset`` limited to the user's jurisdiction, through the model's
    ``jurisdiction_path`` (or ``path``)."""
    if path is None:
        path = queryset.model.jurisdiction_path
    return queryset.filter(jurisdiction_q(user, path))


def sees_drafts(user) -> bool:
    """Draft rounds are still being prepared: admins see them, readers do not."""
    return access_for(user).has_role(Role.ADMIN)


def visible_regions(user) -> QuerySet:
    return scope(Region.objects.all(), user)


def roster_candidates(user) -> QuerySet:
    """The actors a user may name on the rosters of their rounds: those of their
    jurisdiction and those homed at the levels above it (the provincial and national
    offices that a district round includes). Whether one may be on a given round is the
    round's rule (``Region.admits``)."""
    access = access_for(user)
    if access.is_national:
        return Actor.objects.all()
    above = {code for root in access.regions for code in root.ancestor_codes()}
    return Actor.objects.filter(
        jurisdiction_q(user, "home_region") | Q(home_region__code__in=above)
    )


def scope_users(queryset: QuerySet, user) -> QuerySet:
    """The users an admin manages: everyone for a national admin; otherwise the users,
    never superusers, whose jurisdictions all lie inside the admin's (a user with a
    jurisdiction elsewhere too belongs to another admin as well, and is left to them)."""
    access = access_for(user)
    if not access.has_role(Role.ADMIN):
        return queryset.none()
    if access.is_national:
        return queryset
    inside = Jurisdiction.objects.filter(jurisdiction_q(user, "region")).values("user")
    outside = Jurisdiction.objects.exclude(jurisdiction_q(user, "region")).values("user")
    return queryset.filter(is_superuser=False, pk__in=inside).exclude(pk__in=outside)


# One region --------------------------------------------------------------------------------


def can_read(user, region: Region) -> bool:
    access = access_for(user)
    return bool(access.roles) and access.covers(region)


def can_score(user, region: Region) -> bool:
    access = access_for(user)
    return access.has_role(Role.SCORER, Role.ADMIN) and access.covers(region)


def can_read_details(user, region: Region) -> bool:
    """The notes and evidence of pairs, and every file export (reports, API exports)."""
    access = access_for(user)
    return access.has_role(*DETAIL_ROLES) and access.covers(region)


def reads_details(user) -> bool:
    """Whether the user's role reads pair details anywhere (region checks come after)."""
    return access_for(user).has_role(*DETAIL_ROLES)


def can_administer(user, region: Region) -> bool:
    access = access_for(user)
    return access.has_role(Role.ADMIN) and access.covers(region)


def manages_reference_data(user) -> bool:
    """Sectors, provinces and the vocabularies are shared by every region: national
    admins (and superusers) change them."""
    access = access_for(user)
    return access.has_role(Role.ADMIN) and access.is_national


def may_create_region(user, region: Region) -> bool:
    """A region below the admin's own; provinces and the nation are reference data."""
    if region.level is not None and region.level <= GovernmentLevel.PROVINCE:
        return manages_reference_data(user)
    return can_administer(user, region)


# One object, for the pages ------------------------------------------------------------------


def get_region_for_user(user, code: str) -> Region:
    """The region with ``code``: 404 if there is none, 403 if it is outside the user's reach."""
    region = get_object_or_404(Region, code=code)
    if not can_read(user, region):
        raise PermissionDenied(_("This region is outside your jurisdiction."))
    return region


def get_programme_for_user(user, programme_id) -> Programme:
    """The programme: 404 if unknown, 403 outside the user's jurisdiction."""
    try:
        programme = Programme.objects.select_related("region", "lead_actor__sector").get(
            pk=programme_id
        )
    except (Programme.DoesNotExist, ValueError, TypeError):
        raise Http404(_("No such programme.")) from None
    if not can_read(user, programme.region):
        raise PermissionDenied(_("This programme is outside your jurisdiction."))
    return programme


def readable_root_regions(user) -> list[Region]:
    access = access_for(user)
    if not access.roles:
        return []
    if access.is_national:
        return list(Region.objects.filter(parent__isnull=True))
    return list(access.regions)
