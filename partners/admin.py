from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from accounts.admin_scope import ScopedAdmin
from partners.models import Invitation, PartnerAnswer, Reconciliation


class ReadOnlyAdmin(ScopedAdmin, SimpleHistoryAdmin):
    """Invitations, partners' answers and reconciliations are written through the invitation
    pages, the partners' links and the pair panel (partners.services); the admin only reads
    them, in its jurisdiction."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ["actor", "round", "respondent_name", "expires_at", "revoked_at", "submitted_at"]
    list_filter = [("round", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["actor", "round"]
    search_fields = ["actor__name", "respondent_name"]
    exclude = ["token_hash"]


@admin.register(PartnerAnswer)
class PartnerAnswerAdmin(ReadOnlyAdmin):
    list_display = ["invitation", "other_actor", "level", "not_working_together", "dont_know"]
    list_filter = [("invitation__round", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["invitation__actor", "invitation__round", "other_actor"]
    search_fields = ["invitation__actor__name", "other_actor__name", "note"]


@admin.register(Reconciliation)
class ReconciliationAdmin(ReadOnlyAdmin):
    """Made on the pair panel (``partners.services.reconcile``), never here."""

    list_display = [
        "actor_a",
        "actor_b",
        "round",
        "level",
        "proposed_level",
        "decided_by",
        "decided_at",
    ]
    list_filter = [("round", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["actor_a", "actor_b", "round", "decided_by"]
    search_fields = ["actor_a__name", "actor_b__name", "reason"]
