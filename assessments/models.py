from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from actors.models import Actor, Programme, Region


class Level(models.IntegerChoices):
    """Kim et al. (2017) degrees of intersectoral convergence, in that order.

    "Not assessed" is not a level: a pair without a PairAssessment is not assessed.
    """

    NONE = 0, _("None")
    COOPERATION = 1, _("Cooperation")
    COORDINATION = 2, _("Coordination")
    COLLABORATION = 3, _("Collaboration")
    INTEGRATION = 4, _("Integration")

    @property
    def definition(self):
        return LEVEL_DEFINITIONS[self.value]


LEVEL_DEFINITIONS = {
    Level.NONE: _("No working relationship."),
    Level.COOPERATION: _("Information and data are shared; activities stay separate."),
    Level.COORDINATION: _("Activities are carried out together, but not in a structured way."),
    Level.COLLABORATION: _("Roles and resources are shared toward a common goal."),
    Level.INTEGRATION: _(
        "Both take part in a cross-sector structure and share capacity and resources."
    ),
}


NOTE_MAX_LENGTH = 4000


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class AssessmentRoundQuerySet(models.QuerySet):
    def visible(self):
        """Rounds shown to readers: drafts are still being prepared by an admin."""
        return self.exclude(status=RoundStatus.DRAFT)

    def latest_first(self):
        return self.order_by("-period_start", "-id")


class AssessmentRound(models.Model):
    """One mapping exercise in a region, like a survey wave."""

    name = models.CharField(_("name"), max_length=200)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="rounds"
    )
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        related_name="rounds",
        null=True,
        blank=True,
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    status = models.CharField(
        _("status"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.DRAFT
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = AssessmentRoundQuerySet.as_manager()

    class Meta:
        ordering = ["-period_start", "-id"]
        verbose_name = _("assessment round")
        verbose_name_plural = _("assessment rounds")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="round_period_ordered",
                violation_error_message=_("The period must end after it starts."),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status == RoundStatus.OPEN


class PairAssessment(models.Model):
    """The degree of convergence of one unordered pair of actors in one round.

    The pair is stored in canonical order (``actor_a_id < actor_b_id``), so the database's
    unique constraint makes one row per pair per round whichever way round it is scored.
    """

    round = models.ForeignKey(
        AssessmentRound,
        verbose_name=_("round"),
        on_delete=models.CASCADE,
        related_name="assessments",
    )
    actor_a = models.ForeignKey(
        Actor, verbose_name=_("actor A"), on_delete=models.PROTECT, related_name="+"
    )
    actor_b = models.ForeignKey(
        Actor, verbose_name=_("actor B"), on_delete=models.PROTECT, related_name="+"
    )
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    note = models.TextField(_("note"), blank=True, max_length=NOTE_MAX_LENGTH)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("scored by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    scored_at = models.DateTimeField(_("scored at"), auto_now=True)

    class Meta:
        ordering = ["round", "actor_a", "actor_b"]
        verbose_name = _("pair assessment")
        verbose_name_plural = _("pair assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "actor_a", "actor_b"], name="one_assessment_per_pair_per_round"
            ),
            models.CheckConstraint(
                condition=Q(actor_a__lt=F("actor_b")),
                name="pair_distinct_and_canonical",
                violation_error_message=_("A pair needs two different actors."),
            ),
            models.CheckConstraint(
                condition=Q(level__gte=0, level__lte=4),
                name="level_between_0_and_4",
                violation_error_message=_("The level must be between 0 and 4."),
            ),
        ]
        indexes = [models.Index(fields=["actor_b", "round"], name="assessment_actor_b_round")]

    def __str__(self):
        return f"{self.actor_a} ↔ {self.actor_b}: {self.get_level_display()}"
