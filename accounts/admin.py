from django import forms
from django.contrib import admin, messages
from django.contrib.admin import RelatedOnlyFieldListFilter
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from knox.models import get_token_model

from accounts.admin_scope import ScopedInline
from accounts.models import Jurisdiction, Role
from accounts.scoping import forget_access, scope_users

User = get_user_model()


class JurisdictionInline(ScopedInline):
    """The regions a user works in; an admin offers only regions inside their own."""

    model = Jurisdiction
    extra = 1
    autocomplete_fields = ["region"]

    def get_min_num(self, request, obj=None, **kwargs):
        # A user an admin (not a superuser) manages always has a region: without one they
        # would belong to nobody's jurisdiction and drop out of the admin's list.
        return 0 if request.user.is_superuser else 1


class RoleField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, group):
        return Role(group.name).label


class ScopedUserCreationForm(AdminUserCreationForm):
    """Username, password and role(s) in one step; the jurisdiction inline is required."""

    groups = RoleField(
        label=_("roles"),
        queryset=Group.objects.filter(name__in=Role.values),
        widget=forms.CheckboxSelectMultiple,
        required=True,
    )

    class Meta(AdminUserCreationForm.Meta):
        fields = ["username", "groups"]


admin.site.unregister(User)


@admin.register(User)
class UserWithJurisdictionAdmin(UserAdmin):
    """Users, each with roles and jurisdictions.

    An admin who is not a superuser sees and changes only the users whose jurisdictions
    all lie inside their own (``accounts.scoping.scope_users``), gives only the four roles
    and only regions inside their own, and never sees the superuser, staff or permission
    fields: staff status follows the admin role.
    """

    inlines = [JurisdictionInline]
    list_display = ["username", "first_name", "last_name", "email", "is_active", "roles"]
    list_filter = ["is_active", "groups", ("jurisdictions__region", RelatedOnlyFieldListFilter)]
    scoped_fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
        (_("Access"), {"fields": ("is_active", "groups")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    scoped_add_fieldsets = (
        (None, {"fields": ("username", "usable_password", "password1", "password2", "groups")}),
    )

    @admin.display(description=_("roles"))
    def roles(self, user):
        return ", ".join(sorted(str(Role(group.name).label) for group in user.groups.all()))

    def get_queryset(self, request):
        users = super().get_queryset(request).prefetch_related("groups")
        return scope_users(users, request.user)

    def get_fieldsets(self, request, obj=None):
        if request.user.is_superuser:
            return super().get_fieldsets(request, obj)
        return self.scoped_add_fieldsets if obj is None else self.scoped_fieldsets

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return super().get_readonly_fields(request, obj)
        return ["last_login", "date_joined"]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None and not request.user.is_superuser:
            kwargs["form"] = ScopedUserCreationForm
        return super().get_form(request, obj, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups" and not request.user.is_superuser:
            kwargs["queryset"] = Group.objects.filter(name__in=Role.values)
            kwargs["form_class"] = RoleField
            kwargs["widget"] = forms.CheckboxSelectMultiple
            kwargs["label"] = _("roles")
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        user = form.instance
        if not request.user.is_superuser and not user.is_superuser:
            # Only admins use the Django admin; nobody gets a permission of their own.
            is_admin = user.groups.filter(name=Role.ADMIN).exists()
            if user.is_staff != is_admin:
                user.is_staff = is_admin
                user.save(update_fields=["is_staff"])
        forget_access(user)


AuthToken = get_token_model()
admin.site.unregister(AuthToken)


@admin.register(AuthToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """API tokens of the users an admin manages: listed, and revoked by deleting them.
    Tokens are issued by the API (POST /api/v1/token/) and stored hashed: never shown."""

    list_display = ["user", "created", "expiry"]
    list_filter = ["expiry"]
    search_fields = ["user__username"]
    list_select_related = ["user"]
    fields = ["user", "created", "expiry"]
    readonly_fields = fields
    actions = ["revoke"]

    def get_queryset(self, request):
        users = scope_users(User.objects.all(), request.user)
        return super().get_queryset(request).filter(user__in=users)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # "revoke" says what it does
        return actions

    @admin.action(description=_("Revoke the selected tokens"), permissions=["delete"])
    def revoke(self, request, queryset):
        count, _deleted = queryset.delete()
        self.message_user(
            request,
            ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
