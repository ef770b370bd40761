"""``user|may_import``: whether the header offers the import page (admins only)."""

from django import template

from accounts.models import Role
from accounts.scoping import access_for

register = template.Library()


@register.filter
def may_import(user) -> bool:
    return bool(user and user.is_authenticated and access_for(user).has_role(Role.ADMIN))
