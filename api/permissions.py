"""Who may call what. Jurisdiction is applied by the querysets (``accounts.scoping``);
these classes refuse, with 403, a request whose role does not allow it at all."""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from accounts.models import Role
from accounts.scoping import access_for, reads_details


class ReadAnyRoleWriteAdmin(BasePermission):
    """Reads for any role, writes for ``write_roles``: admins (regions, actors,
    programmes, rounds); subclasses name other roles and their message."""

    message = _("Only admins may change this.")
    write_roles: tuple[str, ...] = (Role.ADMIN,)

    def has_permission(self, request, view):
        access = access_for(request.user)
        if not access.roles:
            self.message = _("Your account has no role in this application.")
            return False
        self.message = type(self).message
        return request.method in SAFE_METHODS or access.has_role(*self.write_roles)


class ReadAnyRoleWriteNationalAdmin(ReadAnyRoleWriteAdmin):
    """Sectors are shared by every region: only a national admin changes them."""

    message = _("Sectors are shared by every region: only a national admin may change them.")

    def has_permission(self, request, view):
        if not super().has_permission(request, view):
            return False
        if request.method in SAFE_METHODS:
            return True
        self.message = ReadAnyRoleWriteNationalAdmin.message
        return access_for(request.user).is_national


VIEWERS_READ_VIEWS_ONLY = _(
    "Viewers read the matrix and the planners' views; the details of pairs (notes, "
    "evidence) and file exports are for scorers, planners and admins."
)


class ReadDetailsWriteScorer(ReadAnyRoleWriteAdmin):
    """Pair assessments: read by the roles that read pair details (not viewers), written
    by scorers and admins. Whether they may score in a given region is decided by the
    scoring service."""

    message = _("Only scorers and admins may score pairs.")

    def has_permission(self, request, view):
        access = access_for(request.user)
        if not access.roles:
            self.message = _("Your account has no role in this application.")
            return False
        if not reads_details(request.user):
            self.message = VIEWERS_READ_VIEWS_ONLY
            return False
        self.message = ReadDetailsWriteScorer.message
        return request.method in SAFE_METHODS or access.has_role(Role.SCORER, Role.ADMIN)


class ReadsDetails(BasePermission):
    """File exports: for the roles that read pair details (not viewers)."""

    message = VIEWERS_READ_VIEWS_ONLY

    def has_permission(self, request, view):
        if not access_for(request.user).roles:
            self.message = _("Your account has no role in this application.")
            return False
        self.message = VIEWERS_READ_VIEWS_ONLY
        return reads_details(request.user)


class AdminOnly(BasePermission):
    """Bulk imports: admins only, for reads (its form) and writes alike."""

    message = _("Only admins may import files.")

    def has_permission(self, request, view):
        return access_for(request.user).has_role(Role.ADMIN)
