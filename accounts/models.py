from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from actors.models import Region


class Role(models.TextChoices):
    """The four roles; each is a Django group of the same name."""

    ADMIN = "admin", _("Admin")
    SCORER = "scorer", _("Scorer")
    PLANNER = "planner", _("Planner")
    VIEWER = "viewer", _("Viewer")


class Jurisdiction(models.Model):
    """A region a user works in; the user sees it and everything below it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="jurisdictions",
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="jurisdictions_of",
    )

    jurisdiction_path = "region"

    class Meta:
        verbose_name = _("jurisdiction")
        verbose_name_plural = _("jurisdictions")
        constraints = [
            models.UniqueConstraint(fields=["user", "region"], name="jurisdiction_once_per_user")
        ]

    def __str__(self):
        return f"{self.user} — {self.region}"
