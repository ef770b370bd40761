"""Who may see and do what, in one place for pages, the API and the reports.

A user's roles are their groups (admin, scorer, planner, viewer); their jurisdiction is
one or more regions and everything below them. Superusers are admins of the whole nation.
Each helper caches what it read on the user object, so a request reads it once.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from accounts.models import Role
from actors.models import GovernmentLevel, Programme, Region


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
        # A jurisdiction over the nation reaches everything, like a superuser's.
        national = any(region.level == GovernmentLevel.NATIONAL for region in regions)
        access = Access(roles, regions, is_national=national)
    user._convergence_access = access
    return access


def can_read(user, region: Region) -> bool:
    access = access_for(user)
    return bool(access.roles) and access.covers(region)


def can_score(user, region: Region) -> bool:
    access = access_for(user)
    return access.has_role(Role.SCORER, Role.ADMIN) and access.covers(region)


# Viewers read; everyone else who works in a region may take its reports to a meeting.
EXPORTING_ROLES = (Role.ADMIN, Role.SCORER, Role.PLANNER)


def can_export(user, region: Region) -> bool:
    """Admins, scorers and planners export a region's reports inside their jurisdiction."""
    access = access_for(user)
    return access.has_role(*EXPORTING_ROLES) and access.covers(region)


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
    if access.is_national:
        return list(Region.objects.filter(parent__isnull=True))
    return list(access.regions)
