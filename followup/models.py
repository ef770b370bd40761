"""Follow-up actions (rencana tindak lanjut, RTL): what a region plans to do about a gap
that a round showed, tagged with one of the 8 aksi konvergensi (DESIGN.md §8)."""

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from actors.models import Actor, Region, Sector
from assessments.models import AssessmentRound, Level
from convergence.validators import validate_free_text

NOTES_MAX_LENGTH = 4000


class Aksi(models.IntegerChoices):
    """The 8 aksi konvergensi of the national stunting strategy, in their order."""

    SITUATION_ANALYSIS = 1, _("Situation analysis")
    ACTIVITY_PLAN = 2, _("Activity plan")
    REMBUK_STUNTING = 3, _("Rembuk stunting")
    VILLAGE_REGULATION = 4, _("Regent's or mayor's regulation on the villages' role")
    KPM_SUPPORT = 5, _("Support for the human-development cadres (KPM)")
    DATA_MANAGEMENT = 6, _("Data management system")
    STUNTING_MEASUREMENT = 7, _("Measuring and publishing stunting data")
    PERFORMANCE_REVIEW = 8, _("Annual performance review")


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


# An action still to be carried out: only these can be overdue.
OPEN_STATUSES = (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)


class SubjectKind(models.TextChoices):
    PAIR = "pair", _("A pair of actors")
    SECTORS = "sectors", _("A sector pair")
    ACTOR = "actor", _("One actor")


# Exactly one kind of subject: a pair of actors (stored in canonical order, like a
# PairAssessment), a sector pair (in canonical order; one sector twice is the diagonal
# cell of the sector matrix) or one actor.
PAIR_Q = Q(
    actor_a__isnull=False,
    actor_b__isnull=False,
    sector_a__isnull=True,
    sector_b__isnull=True,
    actor_a__lt=F("actor_b"),
)
SECTORS_Q = Q(
    actor_a__isnull=True,
    actor_b__isnull=True,
    sector_a__isnull=False,
    sector_b__isnull=False,
    sector_a__lte=F("sector_b"),
)
ACTOR_Q = Q(
    actor_a__isnull=False, actor_b__isnull=True, sector_a__isnull=True, sector_b__isnull=True
)


class FollowUpActionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today: date):
        """Still to be done and due before ``today`` (the site's date: ``localdate()``)."""
        return self.open().filter(due_date__lt=today)


class FollowUpAction(models.Model):
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="actions"
    )
    round = models.ForeignKey(
        AssessmentRound,
        verbose_name=_("round"),
        on_delete=models.PROTECT,
        related_name="actions",
        help_text=_("The round whose map showed the gap."),
    )
    actor_a = models.ForeignKey(
        Actor,
        verbose_name=_("actor"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    actor_b = models.ForeignKey(
        Actor,
        verbose_name=_("second actor"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    sector_a = models.ForeignKey(
        Sector,
        verbose_name=_("sector"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    sector_b = models.ForeignKey(
        Sector,
        verbose_name=_("second sector"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    target_level = models.PositiveSmallIntegerField(_("target level"), choices=Level.choices)
    # A code of the mechanisms vocabulary (actors.VocabularyTerm), checked by the service.
    mechanism = models.CharField(_("mechanism"), max_length=40)
    owner = models.ForeignKey(
        Actor, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="owned_actions"
    )
    involved = models.ManyToManyField(
        Actor, verbose_name=_("other actors involved"), related_name="involved_actions", blank=True
    )
    aksi = models.PositiveSmallIntegerField(_("aksi konvergensi"), choices=Aksi.choices)
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )
    notes = models.TextField(
        _("notes"), blank=True, max_length=NOTES_MAX_LENGTH, validators=[validate_free_text]
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = FollowUpActionQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[involved])
    jurisdiction_path = "region"

    class Meta:
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")
        constraints = [
            models.CheckConstraint(
                condition=PAIR_Q | SECTORS_Q | ACTOR_Q,
                name="action_has_one_subject",
                violation_error_message=_(
                    "An action is about a pair of actors, a sector pair or one actor."
                ),
            ),
            models.CheckConstraint(
                condition=Q(target_level__gte=0, target_level__lte=4),
                name="action_target_level_0_to_4",
                violation_error_message=_("The level must be between 0 and 4."),
            ),
            models.CheckConstraint(
                condition=Q(aksi__gte=1, aksi__lte=8),
                name="action_aksi_1_to_8",
            ),
        ]
        indexes = [
            models.Index(fields=["region", "due_date"], name="action_region_due"),
            models.Index(fields=["round", "actor_a", "actor_b"], name="action_round_pair"),
        ]

    def __str__(self):
        return f"{self.subject_label}: {self.get_aksi_display()}"

    @property
    def subject_kind(self) -> str:
        if self.sector_a_id is not None:
            return SubjectKind.SECTORS
        if self.actor_b_id is not None:
            return SubjectKind.PAIR
        return SubjectKind.ACTOR

    @property
    def subject_label(self) -> str:
        kind = self.subject_kind
        if kind == SubjectKind.SECTORS:
            return f"{self.sector_a} × {self.sector_b}"
        if kind == SubjectKind.PAIR:
            return f"{self.actor_a} ↔ {self.actor_b}"
        return str(self.actor_a)

    def is_overdue(self, today: date) -> bool:
        return self.status in OPEN_STATUSES and self.due_date < today


class DocumentSubject(models.TextChoices):
    """What an evidence document is attached to."""

    ACTION = "action", _("A follow-up action")
    PAIR = "pair", _("A pair of actors")
    AKSI = "aksi", _("An aksi of the region")


def evidence_path(document: "EvidenceDocument", filename: str) -> str:
    """A name nobody can guess or collide with; the original name is kept in the row."""
    return f"evidence/{uuid.uuid4().hex}{document.extension}"


class EvidenceDocumentQuerySet(models.QuerySet):
    def present(self):
        """Not deleted: a deleted document keeps its row, its file and its history."""
        return self.filter(deleted_at__isnull=True)


class EvidenceDocument(models.Model):
    """A file that proves an action was carried out (SK, MoU, minutes, photo). Stored
    through Django's storage API under a random name, served only by a view that checks
    the jurisdiction (``followup.views.document_download``)."""

    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    action = models.ForeignKey(
        FollowUpAction,
        verbose_name=_("follow-up action"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents",
    )
    # What the document is evidence for: an action, a pair of actors in a round (stored
    # in canonical order, like a PairAssessment), or one of the region's 8 aksi. The aksi
    # is kept on every document (an action's is copied when it is attached, and follows
    # the action's): the performance review files documents by aksi, and a document stays
    # filed when its action is deleted.
    aksi = models.PositiveSmallIntegerField(
        _("aksi konvergensi"), choices=Aksi.choices, null=True, blank=True
    )
    round = models.ForeignKey(
        AssessmentRound,
        verbose_name=_("round"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_a = models.ForeignKey(
        Actor,
        verbose_name=_("actor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_b = models.ForeignKey(
        Actor,
        verbose_name=_("second actor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    title = models.CharField(
        _("what it proves"), max_length=200, blank=True, validators=[validate_free_text]
    )
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    kind = models.CharField(_("type"), max_length=10)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("deleted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = EvidenceDocumentQuerySet.as_manager()
    history = HistoricalRecords()
    jurisdiction_path = "region"

    class Meta:
        verbose_name = _("evidence document")
        verbose_name_plural = _("evidence documents")
        constraints = [
            # A pair is two different actors of one round, in canonical order; a document
            # with no action and no pair is one of the region's aksi.
            models.CheckConstraint(
                condition=Q(actor_a__isnull=True, actor_b__isnull=True)
                | Q(
                    actor_a__isnull=False,
                    actor_b__isnull=False,
                    round__isnull=False,
                    actor_a__lt=F("actor_b"),
                ),
                name="document_pair_in_round",
            ),
            models.CheckConstraint(
                condition=Q(aksi__isnull=True) | Q(aksi__gte=1, aksi__lte=8),
                name="document_aksi_1_to_8",
            ),
            models.CheckConstraint(
                condition=Q(action__isnull=False)
                | Q(actor_a__isnull=False)
                | Q(aksi__isnull=False),
                name="document_has_subject",
                violation_error_message=_(
                    "A document is evidence for an action, a pair of actors or an aksi."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["region", "aksi"], name="document_region_aksi"),
            models.Index(fields=["round", "actor_a", "actor_b"], name="document_round_pair"),
        ]

    def __str__(self):
        return self.title or self.original_name

    @property
    def subject_kind(self) -> str:
        if self.action_id is not None:
            return DocumentSubject.ACTION
        if self.actor_a_id is not None:
            return DocumentSubject.PAIR
        return DocumentSubject.AKSI

    @property
    def subject_label(self) -> str:
        """What the document is attached to, in words (reads the related rows: select
        them with the document)."""
        kind = self.subject_kind
        if kind == DocumentSubject.ACTION:
            return self.action.subject_label
        if kind == DocumentSubject.PAIR:
            return f"{self.actor_a} ↔ {self.actor_b}"
        return f"{self.aksi}. {self.get_aksi_display()}"

    @property
    def extension(self) -> str:
        dot = self.original_name.rfind(".")
        return self.original_name[dot:].lower() if dot > 0 else ""


class EvidencePolicy(models.Model):
    """The site's rules about evidence, one row for the whole site.

    Site-wide rather than per programme: a round need not belong to a programme, so a
    per-programme rule would leave those rounds out; and what counts as proof of
    integration is a national standard, changed by national admins like the other data
    that every region shares (``accounts.scoping.manages_reference_data``)."""

    integration_needs_document = models.BooleanField(
        _("level 4 (integration) needs a document"),
        default=False,
        help_text=_(
            "When on, a pair can be saved at level 4 only if at least one evidence "
            "document is attached to that pair in that round (the scoring page, the API "
            "and the imports alike)."
        ),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("evidence policy")
        verbose_name_plural = _("evidence policy")
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="evidence_policy_single_row"),
        ]

    def __str__(self):
        return str(_("Evidence policy"))

    @classmethod
    def current(cls) -> "EvidencePolicy":
        """The one row (not stored until an admin changes it: off by default)."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)
