from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from accounts.admin_scope import ReferenceDataAdmin, ScopedAdmin, ScopedInline
from accounts.scoping import manages_reference_data, may_create_region
from actors.models import (
    Actor,
    GovernmentLevel,
    Programme,
    ProgrammeParticipant,
    Region,
    Sector,
)
from actors.services import programme_save


class RegionAdminForm(forms.ModelForm):
    """A new region must lie below the admin's own; provinces are added nationally."""

    user = None  # set by RegionAdmin.get_form

    class Meta:
        model = Region
        fields = ["code", "name", "level", "parent"]

    def _post_clean(self):
        super()._post_clean()  # the model's own rules (code, level, parent) first
        region = self.instance
        if region.pk is None and not self.errors and not may_create_region(self.user, region):
            if region.level > GovernmentLevel.PROVINCE:
                self.add_error("code", _("You may add regions only inside your jurisdiction."))
            else:
                self.add_error("level", _("Provinces are added by a national admin."))


@admin.register(Region)
class RegionAdmin(ScopedAdmin):
    form = RegionAdminForm
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent"]
    ordering = ["code"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.user = request.user
        return form

    def get_readonly_fields(self, request, obj=None):
        # A code (and so its level and parent) never changes: only the name does.
        return ["code", "level", "parent"] if obj is not None else []

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.level <= GovernmentLevel.PROVINCE:
            return manages_reference_data(request.user)
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.level <= GovernmentLevel.PROVINCE:
            return manages_reference_data(request.user)
        return super().has_delete_permission(request, obj)


@admin.register(Sector)
class SectorAdmin(ReferenceDataAdmin):
    list_display = ["name_id", "name_en", "code", "is_health", "sort_order"]
    list_filter = ["is_health"]
    list_editable = ["sort_order"]
    search_fields = ["name_id", "name_en", "code"]


@admin.register(Actor)
class ActorAdmin(ScopedAdmin, SimpleHistoryAdmin):
    list_display = [
        "name",
        "short_name",
        "kind",
        "sector",
        "government_level",
        "home_region",
        "is_active",
    ]
    list_filter = ["is_active", "kind", "sector", "government_level"]
    search_fields = ["name", "short_name", "home_region__name", "home_region__code"]
    autocomplete_fields = ["home_region"]
    list_select_related = ["sector", "home_region"]
    actions = ["deactivate", "activate"]

    @staticmethod
    def _set_active(queryset, active: bool) -> int:
        # One save each, not an update: the history keeps the change, and a deactivated
        # actor leaves the rosters of open rounds where nobody scored it.
        changed = [actor for actor in queryset if actor.is_active != active]
        for actor in changed:
            actor.is_active = active
            actor.save(update_fields=["is_active"])
        return len(changed)

    @admin.action(description=_("Deactivate the selected actors"))
    def deactivate(self, request, queryset):
        count = self._set_active(queryset, False)
        self.message_user(
            request,
            ngettext("%(count)d actor deactivated.", "%(count)d actors deactivated.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Activate the selected actors"))
    def activate(self, request, queryset):
        count = self._set_active(queryset, True)
        self.message_user(
            request,
            ngettext("%(count)d actor activated.", "%(count)d actors activated.", count)
            % {"count": count},
            messages.SUCCESS,
        )


class ParticipantInline(ScopedInline):
    model = ProgrammeParticipant
    extra = 1
    autocomplete_fields = ["actor"]


@admin.register(Programme)
class ProgrammeAdmin(ScopedAdmin, SimpleHistoryAdmin):
    list_display = ["name", "region", "period_start", "period_end", "lead_actor"]
    list_filter = ["region__level"]
    search_fields = ["name", "region__name", "region__code"]
    autocomplete_fields = ["region", "lead_actor"]
    list_select_related = ["region", "lead_actor"]
    inlines = [ParticipantInline]

    # Saved through the programme service, like the API; the participants' inline forms
    # run the same model rules (ProgrammeParticipant.clean) as the service does.
    def save_model(self, request, obj, form, change):
        programme_save(programme=obj)
