from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.scoping import scope, sees_drafts
from actors.models import (
    Actor,
    ActorKind,
    GovernmentLevel,
    Programme,
    Region,
    Sector,
    TermListField,
    Vocabulary,
)
from convergence.validators import validate_free_text, validate_plain_name


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


# The four yes/no evidence questions (DESIGN.md "Scoring from evidence"), in scale order:
# question n answered yes, with every lower one yes too, supports level n.
EVIDENCE_FIELDS = (
    "shares_information",
    "joint_activities",
    "shared_roles_and_resources",
    "formal_structure",
)


def level_legend() -> list[dict]:
    """The five levels with their names and definitions, for every page's legend."""
    return [
        {"value": level.value, "label": level.label, "definition": LEVEL_DEFINITIONS[level]}
        for level in Level
    ]


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

    def visible_to(self, user):
        """The rounds of the user's jurisdiction; drafts only for those who see them."""
        rounds = scope(self, user)
        return rounds if sees_drafts(user) else rounds.visible()


class AssessmentRound(models.Model):
    """One mapping exercise in a region, like a survey wave."""

    name = models.CharField(_("name"), max_length=200, validators=[validate_plain_name])
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
    history = HistoricalRecords()
    jurisdiction_path = "region"

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


class RoundMember(models.Model):
    """An actor on a round's roster: only members' pairs are scored in the round.

    While the round has never been closed, the member is read as the actor is now. At its
    first closing the member's name, sector, kind, government level and home region are
    frozen here, and the round reads them from here ever after: renaming, moving or
    deactivating the actor later never changes a closed round's figures.
    """

    round = models.ForeignKey(
        AssessmentRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="members"
    )
    actor = models.ForeignKey(
        Actor, verbose_name=_("actor"), on_delete=models.PROTECT, related_name="memberships"
    )
    frozen_at = models.DateTimeField(_("frozen at"), null=True, blank=True, editable=False)
    name = models.CharField(
        _("name"), max_length=200, blank=True, editable=False, validators=[validate_plain_name]
    )
    short_name = models.CharField(
        _("short name"),
        max_length=40,
        blank=True,
        editable=False,
        validators=[validate_plain_name],
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=ActorKind.choices, blank=True, editable=False
    )
    sector = models.ForeignKey(
        Sector,
        verbose_name=_("sector"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    # Health ↔ non-health figures depend on it: frozen with the sector.
    sector_is_health = models.BooleanField(_("health sector"), null=True, editable=False)
    government_level = models.PositiveSmallIntegerField(
        _("government level"),
        choices=GovernmentLevel.choices,
        null=True,
        blank=True,
        editable=False,
    )
    home_region = models.ForeignKey(
        Region,
        verbose_name=_("home region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    history = HistoricalRecords()
    jurisdiction_path = "round__region"

    class Meta:
        verbose_name = _("round member")
        verbose_name_plural = _("round members")
        constraints = [
            models.UniqueConstraint(fields=["round", "actor"], name="member_once_per_round"),
            models.CheckConstraint(
                condition=Q(frozen_at__isnull=True)
                | Q(sector__isnull=False, government_level__isnull=False),
                name="frozen_member_is_complete",
            ),
        ]

    def __str__(self):
        return self.name or str(self.actor)

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None

    def freeze(self, actor: Actor, moment) -> None:
        """Keep ``actor`` as it is at ``moment`` (its sector already loaded)."""
        self.frozen_at = moment
        self.name = actor.name
        self.short_name = actor.short_name
        self.kind = actor.kind
        self.sector_id = actor.sector_id
        self.sector_is_health = actor.sector.is_health
        self.government_level = actor.government_level
        self.home_region_id = actor.home_region_id

    def as_actor(self) -> Actor:
        """The member as the round reads it: the live actor, or as it was at closing."""
        if not self.is_frozen:
            return self.actor
        return frozen_actor(self, is_active=self.actor.is_active)


def frozen_actor(member, *, is_active: bool = True) -> Actor:
    """An unsaved copy of the actor as ``member`` (a RoundMember, or a historical record of
    one, with its sector and home region loaded) froze it, with a copy of its sector that
    keeps the health mark it had."""
    sector = Sector(
        pk=member.sector_id,
        code=member.sector.code,
        name_id=member.sector.name_id,
        name_en=member.sector.name_en,
        sort_order=member.sector.sort_order,
        is_health=member.sector_is_health,
    )
    return Actor(
        pk=member.actor_id,
        name=member.name,
        short_name=member.short_name,
        kind=member.kind,
        sector=sector,
        government_level=member.government_level,
        home_region=member.home_region,
        is_active=is_active,
    )


class PairAssessment(models.Model):
    """The degree of convergence of one unordered pair of actors in one round.

    The pair is stored in canonical order (``actor_a_id < actor_b_id``), so the database's
    unique constraint makes one row per pair per round whichever way round it is scored.
    """

    round = models.ForeignKey(
        AssessmentRound,
        verbose_name=_("round"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    actor_a = models.ForeignKey(
        Actor, verbose_name=_("actor A"), on_delete=models.PROTECT, related_name="+"
    )
    actor_b = models.ForeignKey(
        Actor, verbose_name=_("actor B"), on_delete=models.PROTECT, related_name="+"
    )
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    note = models.TextField(
        _("note"), blank=True, max_length=NOTE_MAX_LENGTH, validators=[validate_free_text]
    )
    # Evidence: None means the question was not answered.
    shares_information = models.BooleanField(
        _("They share information or data with each other"), null=True, blank=True
    )
    joint_activities = models.BooleanField(
        _("They carry out activities together (joint meetings, training, field work)"),
        null=True,
        blank=True,
    )
    shared_roles_and_resources = models.BooleanField(
        _("They agreed shared roles and pooled resources toward a common target"),
        null=True,
        blank=True,
    )
    formal_structure = models.BooleanField(
        _("Both sit in a formal cross-sector structure and share capacity"),
        null=True,
        blank=True,
    )
    evidence_inconsistency_confirmed = models.BooleanField(
        _("inconsistent answers confirmed by the scorer"), default=False
    )
    # Codes of the terms of each vocabulary (actors.VocabularyTerm), managed as data.
    mechanisms = TermListField(_("mechanisms"), vocabulary=Vocabulary.MECHANISM)
    facilitating_factors = TermListField(
        _("facilitating factors"), vocabulary=Vocabulary.FACILITATING_FACTOR
    )
    hindering_factors = TermListField(
        _("hindering factors"), vocabulary=Vocabulary.HINDERING_FACTOR
    )
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("scored by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    scored_at = models.DateTimeField(_("scored at"), auto_now=True)
    # Incremented by every save: a save based on an older version is refused, never a
    # silent overwrite of someone else's change.
    version = models.PositiveIntegerField(_("version"), default=1)
    history = HistoricalRecords()
    jurisdiction_path = "round__region"

    class Meta:
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
        indexes = [
            models.Index(fields=["actor_b", "round"], name="assessment_actor_b_round"),
            # The API's pair list reads a round's pairs by id, a page at a time: without it
            # the database walks the primary key past every other round's pairs.
            models.Index(fields=["round", "id"], name="assessment_round_id"),
        ]

    def __str__(self):
        return f"{self.actor_a} ↔ {self.actor_b}: {self.get_level_display()}"


class RoundSummary(models.Model):
    """The counts a dashboard, a ranking or the national overview reads of a round, kept
    current in the same transaction as every write to the round's pairs or roster
    (``assessments.summaries.refresh_round_summary``), so that none of them reads the
    pairs. ``version`` grows with every refresh: what is built from a round (its matrix,
    its network measures, its reports) is valid while the version is unchanged."""

    round = models.OneToOneField(
        AssessmentRound,
        verbose_name=_("round"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="summary",
    )
    members = models.PositiveIntegerField(_("members"), default=0)
    assessed = models.PositiveIntegerField(_("pairs assessed"), default=0)
    level_0 = models.PositiveIntegerField(default=0)
    level_1 = models.PositiveIntegerField(default=0)
    level_2 = models.PositiveIntegerField(default=0)
    level_3 = models.PositiveIntegerField(default=0)
    level_4 = models.PositiveIntegerField(default=0)
    level_total = models.PositiveIntegerField(_("sum of the levels"), default=0)
    version = models.PositiveBigIntegerField(_("version"), default=0)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # The change like for like since the round before (``previous_round``: the region's
    # latest round before this one that is not a draft, as the rankings take it), counted
    # when either round is written: ``paired_levels`` holds [earlier level, level, pairs]
    # for the pairs scored in both rounds; ``newly_scored`` and ``not_rescored`` the pairs
    # scored in one of them only. Valid while ``previous_version`` is the earlier round's
    # summary version (this round's own writes recount it).
    previous_round = models.ForeignKey(
        AssessmentRound,
        verbose_name=_("Previous round"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    previous_version = models.PositiveBigIntegerField(null=True, blank=True)
    paired_levels = models.JSONField(default=list, blank=True)
    newly_scored = models.PositiveIntegerField(default=0)
    not_rescored = models.PositiveIntegerField(default=0)

    jurisdiction_path = "round__region"

    class Meta:
        verbose_name = _("round summary")
        verbose_name_plural = _("round summaries")

    def __str__(self):
        return f"{self.round_id}: {self.assessed}/{self.possible}"

    @property
    def possible(self) -> int:
        return self.members * (self.members - 1) // 2

    @property
    def counts(self) -> dict[int, int]:
        return {level: getattr(self, f"level_{level}") for level in Level.values}

    def change_since(self, previous: "RoundSummary | None") -> dict | None:
        """The stored change since ``previous`` (a round's summary), when it was counted
        against that round as it stands: ``{"transitions": {(earlier level, level):
        pairs}, "newly_scored": n, "not_rescored": n}``; None otherwise."""
        if (
            previous is None
            or self.previous_round_id != previous.round_id
            or self.previous_version != previous.version
        ):
            return None
        return {
            "transitions": {(before, now): n for before, now, n in self.paired_levels},
            "newly_scored": self.newly_scored,
            "not_rescored": self.not_rescored,
        }


MAIN_ROLE_MAX_LENGTH = 1000


class LevelRole(models.Model):
    """The main role or action of one government level in a round (Kim et al. 2017,
    Table 2, first column): what the level's actors do for the programme, in words."""

    round = models.ForeignKey(
        AssessmentRound,
        verbose_name=_("round"),
        on_delete=models.CASCADE,
        related_name="level_roles",
    )
    government_level = models.PositiveSmallIntegerField(
        _("government level"), choices=GovernmentLevel.choices
    )
    main_role = models.TextField(
        _("main role or action"),
        max_length=MAIN_ROLE_MAX_LENGTH,
        validators=[validate_free_text],
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()
    jurisdiction_path = "round__region"

    class Meta:
        verbose_name = _("main role of a government level")
        verbose_name_plural = _("main roles of the government levels")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "government_level"], name="one_main_role_per_level_per_round"
            ),
        ]

    def __str__(self):
        return f"{self.get_government_level_display()}: {self.main_role}"
