"""Who may export a region's reports.

Kept here until it moves to ``accounts.access`` beside ``can_read`` and ``can_score``.
"""

from accounts.access import access_for
from accounts.models import Role
from actors.models import Region

EXPORTING_ROLES = (Role.ADMIN, Role.SCORER, Role.PLANNER)


def can_export(user, region: Region) -> bool:
    """Admins, scorers and planners export inside their jurisdiction; viewers only read."""
    access = access_for(user)
    return access.has_role(*EXPORTING_ROLES) and access.covers(region)
