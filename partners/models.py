"""The partners' own views of their ties (DESIGN.md §7).

A member of a round's roster is invited by a personal link (no account) to answer, for
each other member, the same evidence questions as the scorer. Its answers are kept here,
apart from the official levels (``assessments.PairAssessment``): no partner answer ever
changes an official level.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from actors.models import Actor, TermListField, Vocabulary
from assessments.models import NOTE_MAX_LENGTH, AssessmentRound, Level
from convergence.validators import validate_free_text, validate_plain_name

RESPONDENT_MAX_LENGTH = 200


class InvitationStatus(models.TextChoices):
    NOT_SENT = "not_sent", _("Not sent")
    WAITING = "waiting", _("Sent, no answer yet")
    PARTLY = "partly", _("Partly answered")
    ANSWERED = "answered", _("Answered")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")


class Invitation(models.Model):
    """One roster member's link to describe its own ties in one round.

    Only the SHA-256 of the link's token is stored: the token itself is in the link alone,
    shown once when the invitation is made or renewed.
    """

    round = models.ForeignKey(
        AssessmentRound,
        verbose_name=_("round"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    actor = models.ForeignKey(
        Actor, verbose_name=_("actor"), on_delete=models.PROTECT, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    respondent_name = models.CharField(
        _("respondent's name"),
        max_length=RESPONDENT_MAX_LENGTH,
        blank=True,
        validators=[validate_plain_name],
    )
    respondent_position = models.CharField(
        _("respondent's position"),
        max_length=RESPONDENT_MAX_LENGTH,
        blank=True,
        validators=[validate_plain_name],
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    # The token's hash changes at each renewal; the history has no use for it.
    history = HistoricalRecords(excluded_fields=["token_hash"])
    jurisdiction_path = "round__region"

    class Meta:
        ordering = ["round", "actor"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(fields=["round", "actor"], name="one_invitation_per_member"),
        ]

    def __str__(self):
        return f"{self.actor} — {self.round}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()


class PartnerAnswer(models.Model):
    """What one invited member says about its tie with another member of the round."""

    invitation = models.ForeignKey(
        Invitation,
        verbose_name=_("invitation"),
        on_delete=models.CASCADE,
        related_name="answers",
    )
    other_actor = models.ForeignKey(
        Actor, verbose_name=_("other actor"), on_delete=models.PROTECT, related_name="+"
    )
    shares_information = models.BooleanField(null=True, blank=True)
    joint_activities = models.BooleanField(null=True, blank=True)
    shared_roles_and_resources = models.BooleanField(null=True, blank=True)
    formal_structure = models.BooleanField(null=True, blank=True)
    evidence_inconsistency_confirmed = models.BooleanField(default=False)
    # Derived from the answers with the scorer's rules; 0 for "we do not work together",
    # None for "I don't know".
    level = models.PositiveSmallIntegerField(
        _("level"), choices=Level.choices, null=True, blank=True
    )
    not_working_together = models.BooleanField(_("we do not work together"), default=False)
    dont_know = models.BooleanField(_("I don't know"), default=False)
    mechanisms = TermListField(_("mechanisms"), vocabulary=Vocabulary.MECHANISM)
    facilitating_factors = TermListField(
        _("facilitating factors"), vocabulary=Vocabulary.FACILITATING_FACTOR
    )
    hindering_factors = TermListField(
        _("hindering factors"), vocabulary=Vocabulary.HINDERING_FACTOR
    )
    note = models.TextField(
        _("note"), blank=True, max_length=NOTE_MAX_LENGTH, validators=[validate_free_text]
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()
    jurisdiction_path = "invitation__round__region"

    class Meta:
        ordering = ["invitation", "other_actor"]
        verbose_name = _("partner's answer")
        verbose_name_plural = _("partners' answers")
        constraints = [
            models.UniqueConstraint(
                fields=["invitation", "other_actor"], name="one_answer_per_other_member"
            ),
            models.CheckConstraint(
                condition=Q(level__isnull=True) | Q(level__gte=0, level__lte=4),
                name="partner_level_between_0_and_4",
            ),
            models.CheckConstraint(
                condition=~Q(not_working_together=True, dont_know=True),
                name="partner_answer_one_kind",
            ),
        ]

    def __str__(self):
        return f"{self.invitation.actor} → {self.other_actor}: {self.level}"


REASON_MAX_LENGTH = 2000


class Reconciliation(models.Model):
    """The scorer's decision on a pair whose partners gave their views: the official level
    set, why, by whom and when, with both views as they stood when the scorer decided.

    The official level itself is the pair's ``PairAssessment`` (set through the scoring
    service); this record keeps what it was decided from. A pair may be reconciled again:
    each decision is one record."""

    round = models.ForeignKey(
        AssessmentRound,
        verbose_name=_("round"),
        on_delete=models.CASCADE,
        related_name="reconciliations",
    )
    # The pair in canonical order (actor_a.pk < actor_b.pk), as PairAssessment holds it.
    actor_a = models.ForeignKey(
        Actor, verbose_name=_("actor A"), on_delete=models.PROTECT, related_name="+"
    )
    actor_b = models.ForeignKey(
        Actor, verbose_name=_("actor B"), on_delete=models.PROTECT, related_name="+"
    )
    # Each side's view when the scorer decided (``partners.selectors.view_snapshot``):
    # kind, level, the four answers, note, respondent, and the answer's id and time.
    a_view = models.JSONField(_("A's view of B"), null=True, blank=True)
    b_view = models.JSONField(_("B's view of A"), null=True, blank=True)
    a_level = models.PositiveSmallIntegerField(
        _("A's level"), choices=Level.choices, null=True, blank=True
    )
    b_level = models.PositiveSmallIntegerField(
        _("B's level"), choices=Level.choices, null=True, blank=True
    )
    proposed_level = models.PositiveSmallIntegerField(
        _("proposed level"), choices=Level.choices, null=True, blank=True
    )
    previous_level = models.PositiveSmallIntegerField(
        _("official level before"), choices=Level.choices, null=True, blank=True
    )
    level = models.PositiveSmallIntegerField(_("official level set"), choices=Level.choices)
    assessment_version = models.PositiveIntegerField(_("version of the assessment"))
    reason = models.TextField(
        _("reason"), max_length=REASON_MAX_LENGTH, validators=[validate_free_text]
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), default=timezone.now)
    history = HistoricalRecords()
    jurisdiction_path = "round__region"

    class Meta:
        ordering = ["-decided_at", "-id"]
        verbose_name = _("reconciliation")
        verbose_name_plural = _("reconciliations")
        indexes = [
            models.Index(fields=["round", "actor_a", "actor_b"], name="reconciliation_pair"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(actor_a__lt=models.F("actor_b")), name="reconciliation_canonical_pair"
            ),
            models.CheckConstraint(
                condition=Q(level__gte=0, level__lte=4), name="reconciliation_level_between_0_and_4"
            ),
        ]

    def __str__(self):
        return f"{self.actor_a} ↔ {self.actor_b}: {self.level}"
