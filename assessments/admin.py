from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from accounts.admin_scope import ScopedAdmin
from actors.models import Actor
from assessments.models import AssessmentRound, PairAssessment, RoundStatus
from assessments.rounds import (
    ROUND_FIELDS,
    check_roster,
    check_round_fields,
    check_status_change,
    eligible_actors,
    roster_set,
    round_create,
    round_set_status,
    round_update,
)
from assessments.summaries import refresh_round_summary


class AssessmentRoundAdminForm(forms.ModelForm):
    """A round's fields, its status and its roster, checked by the rules of
    ``assessments.rounds`` and saved through its services (``AssessmentRoundAdmin``)."""

    members = forms.ModelMultipleChoiceField(
        label=_("Roster"),
        queryset=Actor.objects.none(),
        required=False,
        widget=FilteredSelectMultiple(_("actors"), is_stacked=False),
        help_text=_(
            "The actors taking part: of the round's region, below it (kecamatan, desa) or at "
            "a level above it (the provincial offices). A member with scored pairs stays."
        ),
    )
    reopen_reason = forms.CharField(
        label=_("Reason for reopening"),
        required=False,
        max_length=100,
        help_text=_("Required to reopen a closed round; kept in the round's history."),
    )

    class Meta:
        model = AssessmentRound
        fields = ["name", "region", "programme", "period_start", "period_end", "status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        round_ = self.instance
        if not round_.pk:
            return
        if "members" in self.fields:
            self.fields["members"].queryset = (
                eligible_actors(round_.region)
                .filter(Q(is_active=True) | Q(memberships__round=round_))
                .select_related("home_region")
                .distinct()
                .order_by("home_region__code", "name")
            )
            self.initial["members"] = list(round_.members.values_list("actor_id", flat=True))
        if "programme" in self.fields:
            # Only the programmes of the round's region, or of a region above or below it.
            region = round_.region
            self.fields["programme"].queryset = self.fields["programme"].queryset.filter(
                region.subtree_q("region__") | Q(region__code__in=region.ancestor_codes())
            )

    def clean(self):
        cleaned = super().clean()
        stored = AssessmentRound.objects.filter(pk=self.instance.pk).first()
        region = cleaned.get("region") or (stored.region if stored else None)
        try:
            if region is not None and "name" in self.fields:
                check_round_fields(
                    region=region,
                    name=cleaned.get("name") or "",
                    period_start=cleaned.get("period_start"),
                    period_end=cleaned.get("period_end"),
                    programme=cleaned.get("programme"),
                )
            if stored is None:
                if cleaned.get("status") == RoundStatus.CLOSED:
                    raise ValidationError({"status": _("A new round starts as a draft or open.")})
            else:
                if "status" in cleaned:
                    check_status_change(
                        round=stored,
                        status=cleaned["status"],
                        reason=cleaned.get("reopen_reason", ""),
                    )
                if "members" in cleaned and not self.fields["members"].disabled:
                    check_roster(stored, cleaned["members"])
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)
        return cleaned


@admin.register(AssessmentRound)
class AssessmentRoundAdmin(ScopedAdmin, SimpleHistoryAdmin):
    """Rounds, written through ``assessments.rounds``: a new round takes the proposed
    roster (the previous round's), which is then edited on its page; opening, closing
    (which freezes the roster) and reopening with a reason are that module's services."""

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
            return ["name", "region", "programme", "period_start", "period_end", "members"]
        if obj is not None:
            return ["region"]
        return []

    def get_fields(self, request, obj=None):
        fields = [
            f for f in super().get_fields(request, obj) if f not in ("reopen_reason", "members")
        ]
        if obj is not None:
            fields.append("members")
        if self._is_closed(obj):
            fields.append("reopen_reason")
        return fields

    @admin.display(description=_("Roster"))
    def members(self, obj):
        names = obj.members.order_by("name").values_list("name", flat=True)
        return format_html_join(", ", "{}", ((name,) for name in names)) or "–"

    def has_delete_permission(self, request, obj=None):
        # A round that holds scored pairs is closed, never deleted (the database refuses
        # it too: its pairs protect it).
        if obj is not None and obj.assessments.exists():
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if not change:
            created = round_create(
                user=request.user,
                region=data["region"],
                name=data["name"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                programme=data.get("programme"),
                open_now=data.get("status") == RoundStatus.OPEN,
            )
            obj.pk, obj.status = created.pk, created.status
            return
        stored = AssessmentRound.objects.get(pk=obj.pk)
        if stored.status != RoundStatus.CLOSED:
            round_update(
                user=request.user,
                round=stored,
                **{field: data[field] for field in ROUND_FIELDS if field in data},
            )
        if "members" in data and stored.status != RoundStatus.CLOSED:
            roster_set(user=request.user, round=stored, actors=data["members"])
        round_set_status(
            user=request.user,
            round=stored,
            status=data.get("status", stored.status),
            reason=data.get("reopen_reason", ""),
        )

    def save_related(self, request, form, formsets, change):
        pass  # the roster is saved by save_model, through the roster service


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

    def delete_model(self, request, obj):
        with transaction.atomic():
            super().delete_model(request, obj)
            refresh_round_summary(obj.round_id)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            rounds = set(queryset.values_list("round_id", flat=True))
            super().delete_queryset(request, queryset)
            for round_id in rounds:
                refresh_round_summary(round_id)
