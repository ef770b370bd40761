from django.contrib import admin

from accounts.admin_scope import ReferenceDataAdmin
from followup.models import EvidencePolicy


@admin.register(EvidencePolicy)
class EvidencePolicyAdmin(ReferenceDataAdmin):
    """The site's one evidence policy: every admin reads it, national admins (and
    superusers) change it; it is never deleted (switched off instead)."""

    list_display = ["__str__", "integration_needs_document", "updated_at", "updated_by"]
    fields = ["integration_needs_document", "updated_at", "updated_by"]
    readonly_fields = ["updated_at", "updated_by"]

    def has_add_permission(self, request, *args):
        return super().has_add_permission(request, *args) and not EvidencePolicy.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        obj.pk = 1
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
