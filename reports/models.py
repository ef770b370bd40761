"""A report built in the background (``reports.builds``): a big round's PDF or XLSX takes
longer than a planner should wait on a page, so it is queued, built by the task worker
(``manage.py db_worker``), kept in storage for a while and downloaded from its own page.

A build belongs to the user who asked for it (the file carries their name, "Exported
by"): nobody else sees it, and its download checks again that they may still read the
region's reports."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from actors.models import Region
from assessments.models import AssessmentRound


class BuildStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Being built")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


# A build that may still produce a file.
PENDING_STATUSES = (BuildStatus.QUEUED, BuildStatus.RUNNING)


class ReportBuild(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.CASCADE,
        related_name="report_builds",
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.CASCADE, related_name="+"
    )
    round = models.ForeignKey(
        AssessmentRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="+"
    )
    format = models.CharField(_("format"), max_length=8)
    # What else the request asked for: {"target": 0-4, "sector": id or None}.
    options = models.JSONField(_("options"), default=dict)
    language = models.CharField(_("language"), max_length=8)
    # ``reports.stored.round_version`` when asked: a build of the same version, options
    # and language is reused instead of built again.
    version = models.CharField(_("version"), max_length=64)
    status = models.CharField(
        _("status"), max_length=8, choices=BuildStatus.choices, default=BuildStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    file_name = models.CharField(_("file in storage"), max_length=255, blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    jurisdiction_path = "region"  # accounts.scoping

    class Meta:
        verbose_name = _("report build")
        verbose_name_plural = _("report builds")
        indexes = [
            # A user's builds, newest first; the reuse of a build of the same request.
            models.Index(fields=["requested_by", "-created_at"], name="report_build_user"),
            models.Index(fields=["round", "version"], name="report_build_round"),
        ]

    def __str__(self):
        return f"{self.format.upper()} · {self.round_id} · {self.get_status_display()}"

    @property
    def pending(self) -> bool:
        return self.status in PENDING_STATUSES
