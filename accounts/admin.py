from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from accounts.models import Jurisdiction

User = get_user_model()


class JurisdictionInline(admin.TabularInline):
    model = Jurisdiction
    extra = 1
    autocomplete_fields = ["region"]


admin.site.unregister(User)


@admin.register(User)
class UserWithJurisdictionAdmin(UserAdmin):
    inlines = [*UserAdmin.inlines, JurisdictionInline]
    list_filter = [*UserAdmin.list_filter, "jurisdictions__region"]
