from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from accounts.admin_scope import ScopedAdmin
from assessments.models import AssessmentRound, PairAssessment, RoundStatus


class AssessmentRoundAdminForm(forms.ModelForm):
    reopen_reason = forms.CharField(
        label=_("Reason for reopening"),
        required=False,
        max_length=100,
        help_text=_("Required to reopen a closed round; kept in the round's history."),
    )

    class Meta:
        model = AssessmentRound
        fields = ["name", "region", "programme", "period_start", "period_end", "status"]

    def clean(self):
        cleaned = super().clean()
        was_closed = self.instance.pk and self.initial.get("status") == RoundStatus.CLOSED
        reopened = was_closed and cleaned.get("status") != RoundStatus.CLOSED
        if reopened and not (cleaned.get("reopen_reason") or "").strip():
            raise forms.ValidationError(
                {"reopen_reason": _("Say why this closed round is reopened.")}
            )
        return cleaned


@admin.register(AssessmentRound)
class AssessmentRoundAdmin(ScopedAdmin, SimpleHistoryAdmin):
    form = AssessmentRoundAdminForm
    list_display = ["name", "region", "programme", "period_start", "period_end", "status"]
    list_filter = ["status", "region__level"]
    search_fields = ["name", "region__name", "region__code"]
    autocomplete_fields = ["region", "programme"]
    list_select_related = ["region", "programme"]

    @staticmethod
    def _is_closed(obj) -> bool:
        # Asked of the database: on a refused POST the instance in hand already carries
        # the status typed into the form.
        return (
            obj is not None
            and obj.pk is not None
            and AssessmentRound.objects.filter(pk=obj.pk, status=RoundStatus.CLOSED).exists()
        )

    def get_readonly_fields(self, request, obj=None):
        # A closed round is read-only: only its status changes, to reopen it with a reason.
        if self._is_closed(obj):
            return ["name", "region", "programme", "period_start", "period_end"]
        return []

    def get_fields(self, request, obj=None):
        fields = [f for f in super().get_fields(request, obj) if f != "reopen_reason"]
        if self._is_closed(obj):
            fields.append("reopen_reason")
        return fields

    def has_delete_permission(self, request, obj=None):
        # A round that holds scored pairs is closed, never deleted (the database refuses
        # it too: its pairs protect it).
        if obj is not None and obj.assessments.exists():
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        reason = (form.cleaned_data.get("reopen_reason") or "").strip()
        if reason:
            obj._change_reason = reason  # django-simple-history keeps it with the change
        super().save_model(request, obj, form, change)


@admin.register(PairAssessment)
class PairAssessmentAdmin(ScopedAdmin, SimpleHistoryAdmin):
    list_display = ["round", "actor_a", "actor_b", "level", "scored_by", "scored_at"]
    # Only the rounds of the pairs listed (a plain filter would name every round).
    list_filter = ["level", "round__status", ("round", admin.RelatedOnlyFieldListFilter)]
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
