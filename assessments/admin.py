from django.contrib import admin

from accounts.admin_scope import JurisdictionScopedAdmin
from assessments.models import AssessmentRound, PairAssessment, RoundStatus


@admin.register(AssessmentRound)
class AssessmentRoundAdmin(JurisdictionScopedAdmin):
    list_display = ["name", "region", "programme", "period_start", "period_end", "status"]
    list_filter = ["status", "region__level"]
    search_fields = ["name", "region__name", "region__code"]
    autocomplete_fields = ["region", "programme"]
    list_select_related = ["region", "programme"]


@admin.register(PairAssessment)
class PairAssessmentAdmin(JurisdictionScopedAdmin):
    region_lookup = "round__region"
    list_display = ["round", "actor_a", "actor_b", "level", "scored_by", "scored_at"]
    list_filter = ["level", "round__status", "round"]
    search_fields = ["actor_a__name", "actor_b__name", "note"]
    list_select_related = ["round", "actor_a", "actor_b", "scored_by"]
    readonly_fields = ["round", "actor_a", "actor_b", "scored_by", "scored_at"]

    # Scores are written through the scoring page and its service (which checks the
    # round, the pair and the scorer); the admin only reads them.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return (
            obj is not None
            and obj.round.status != RoundStatus.CLOSED
            and super().has_delete_permission(request, obj)
        )
