from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from accounts.admin_scope import JurisdictionScopedAdmin
from actors.models import Actor, Programme, ProgrammeParticipant, Region, Sector


@admin.register(Region)
class RegionAdmin(JurisdictionScopedAdmin):
    region_lookup = ""
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent"]
    ordering = ["code"]


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["name_id", "name_en", "code", "is_health", "sort_order"]
    list_filter = ["is_health"]
    list_editable = ["sort_order"]
    search_fields = ["name_id", "name_en", "code"]


@admin.register(Actor)
class ActorAdmin(JurisdictionScopedAdmin, SimpleHistoryAdmin):
    region_lookup = "home_region"
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

    @admin.action(description=_("Deactivate the selected actors"))
    def deactivate(self, request, queryset):
        count = queryset.update(is_active=False)
        self.message_user(
            request,
            ngettext("%(count)d actor deactivated.", "%(count)d actors deactivated.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Activate the selected actors"))
    def activate(self, request, queryset):
        count = queryset.update(is_active=True)
        self.message_user(
            request,
            ngettext("%(count)d actor activated.", "%(count)d actors activated.", count)
            % {"count": count},
            messages.SUCCESS,
        )


class ParticipantInline(admin.TabularInline):
    model = ProgrammeParticipant
    extra = 1
    autocomplete_fields = ["actor"]
    formfield_for_foreignkey = JurisdictionScopedAdmin.formfield_for_foreignkey


@admin.register(Programme)
class ProgrammeAdmin(JurisdictionScopedAdmin, SimpleHistoryAdmin):
    list_display = ["name", "region", "period_start", "period_end", "lead_actor"]
    list_filter = ["region__level"]
    search_fields = ["name", "region__name", "region__code"]
    autocomplete_fields = ["region", "lead_actor"]
    list_select_related = ["region", "lead_actor"]
    inlines = [ParticipantInline]
