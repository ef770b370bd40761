"""Keep the Django admin inside the admin's jurisdiction, like every other page."""

from django.contrib import admin
from django.db.models import Q

from accounts.access import access_for
from actors.models import Actor, Programme, Region


def jurisdiction_q(user, prefix: str) -> Q | None:
    """A filter for objects whose region (reached by ``prefix``) lies in the user's reach;
    None when the user reaches everything."""
    access = access_for(user)
    if access.is_national:
        return None
    q = Q(pk__in=[])
    for root in access.regions:
        q |= root.subtree_q(prefix)
    return q


class JurisdictionScopedAdmin(admin.ModelAdmin):
    """``region_lookup`` leads from the model to its Region ("" for Region itself)."""

    region_lookup = "region"

    def _prefix(self, lookup: str) -> str:
        return f"{lookup}__" if lookup else ""

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        q = jurisdiction_q(request.user, self._prefix(self.region_lookup))
        return queryset if q is None else queryset.filter(q)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        scoped = {Region: "", Actor: "home_region__", Programme: "region__"}
        if db_field.related_model in scoped:
            q = jurisdiction_q(request.user, scoped[db_field.related_model])
            if q is not None:
                kwargs["queryset"] = db_field.related_model._default_manager.filter(q)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
