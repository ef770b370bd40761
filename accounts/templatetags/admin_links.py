"""``user|may_administer``: whether the header offers the Django admin (admins only)."""

from django import template

from accounts.models import Role
from accounts.scoping import access_for

register = template.Library()


@register.filter
def may_administer(user) -> bool:
    """Staff with the admin role (or superusers): the admin lets in staff only."""
    return bool(
        user and user.is_authenticated and user.is_staff and access_for(user).has_role(Role.ADMIN)
    )
