"""The Django admin is a door like the pages and the API: it shows, offers and changes only
what lies inside the admin's jurisdiction, by the rules of ``accounts.scoping``."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.scoping import jurisdiction_q, manages_reference_data, scope


def _scoped_choices(model, request):
    """The rows of ``model`` the user may pick, or None when the model is not regional."""
    if not hasattr(model, "jurisdiction_path"):
        return None
    return scope(model._default_manager.all(), request.user)


class ScopedFormFieldsMixin:
    """Foreign keys and many-to-many fields offer only rows inside the jurisdiction (for
    model admins and inlines alike)."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        choices = _scoped_choices(db_field.related_model, request)
        if choices is not None:
            kwargs["queryset"] = choices
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        choices = _scoped_choices(db_field.related_model, request)
        if choices is not None:
            kwargs["queryset"] = choices
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ScopedInline(ScopedFormFieldsMixin, admin.TabularInline):
    pass


class ScopedAdmin(ScopedFormFieldsMixin, admin.ModelAdmin):
    """Lists, change pages, deletions, autocompletes and history pages of the objects
    inside the user's jurisdiction only (through the model's ``jurisdiction_path``).

    History pages (django-simple-history) are read-only: reverting to an old version would
    be a write that bypasses the services (a closed round reopened without a reason).
    """

    def get_queryset(self, request):
        return scope(super().get_queryset(request), request.user)

    def history_view(self, request, object_id, extra_context=None):
        self._require_history_in_scope(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET":
            raise PermissionDenied(_("An old version is shown, not restored."))
        self._require_history_in_scope(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def revert_disabled(self, request, obj=None):
        return True

    def _require_history_in_scope(self, request, object_id):
        object_id = unquote(object_id)
        if self.get_queryset(request).filter(pk=object_id).exists():
            return
        if not hasattr(self.model, "history"):
            return  # Django's own history page: it redirects for an object not in the queryset
        # A deleted object: its last recorded region decides.
        history = self.model.history.filter(**{self.model._meta.pk.attname: object_id})
        in_scope = history.filter(jurisdiction_q(request.user, self.model.jurisdiction_path))
        if not history.exists() or not in_scope.exists():
            raise Http404(_("No such object in your jurisdiction."))


class ReferenceDataAdmin(admin.ModelAdmin):
    """Data shared by every region (sectors, vocabularies): every admin reads it, national
    admins change it."""

    def has_add_permission(self, request, *args):
        return manages_reference_data(request.user) and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return manages_reference_data(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return manages_reference_data(request.user) and super().has_delete_permission(request, obj)
