import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from convergence.fields import ChoiceListField
from convergence.validators import normalize_newlines, validate_free_text, validate_plain_name


class GovernmentLevel(models.IntegerChoices):
    """The tiers of Indonesian government, top down (the order is used for sorting)."""

    NATIONAL = 0, _("National (pusat)")
    PROVINCE = 1, _("Province (provinsi)")
    DISTRICT = 2, _("District / city (kabupaten/kota)")
    SUBDISTRICT = 3, _("Subdistrict (kecamatan)")
    VILLAGE = 4, _("Village (desa/kelurahan)")


# Kemendagri codes, dotted: 72, 72.03, 72.03.01, 72.03.01.2001.
CODE_PATTERNS = {
    GovernmentLevel.PROVINCE: re.compile(r"^\d{2}$"),
    GovernmentLevel.DISTRICT: re.compile(r"^\d{2}\.\d{2}$"),
    GovernmentLevel.SUBDISTRICT: re.compile(r"^\d{2}\.\d{2}\.\d{2}$"),
    GovernmentLevel.VILLAGE: re.compile(r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$"),
}
NATIONAL_CODE = "ID"
_UNDOTTED_CUTS = {2: (2,), 4: (2, 4), 6: (2, 4, 6), 10: (2, 4, 6, 10)}


def normalize_region_code(raw: str) -> str:
    """Return the dotted form of a Kemendagri code given dotted or undotted ("7203")."""
    code = (raw or "").strip()
    if code.upper() == NATIONAL_CODE:
        return NATIONAL_CODE
    if code.isdigit() and len(code) in _UNDOTTED_CUTS:
        parts, start = [], 0
        for end in _UNDOTTED_CUTS[len(code)]:
            parts.append(code[start:end])
            start = end
        return ".".join(parts)
    return code


def level_for_code(code: str) -> GovernmentLevel | None:
    if code == NATIONAL_CODE:
        return GovernmentLevel.NATIONAL
    for level, pattern in CODE_PATTERNS.items():
        if pattern.match(code):
            return level
    return None


def parent_code_for(code: str) -> str | None:
    """The code of the region directly above ``code`` (provinces sit below the nation)."""
    if code == NATIONAL_CODE:
        return None
    if "." not in code:
        return NATIONAL_CODE
    return code.rsplit(".", 1)[0]


class RegionQuerySet(models.QuerySet):
    def within(self, region: "Region"):
        """The region and every region below it."""
        return self.filter(region.subtree_q())


class Region(models.Model):
    """A Kemendagri administrative area (wilayah)."""

    code = models.CharField(_("Kemendagri code"), max_length=13, unique=True)
    name = models.CharField(_("name"), max_length=150, validators=[validate_plain_name])
    level = models.PositiveSmallIntegerField(_("government level"), choices=GovernmentLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    objects = RegionQuerySet.as_manager()
    jurisdiction_path = ""  # accounts.scoping: how a row reaches its region

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self):
        return f"{self.code} {self.name}"

    def clean(self):
        self.code = normalize_region_code(self.code)
        errors = {}
        expected_level = level_for_code(self.code)
        if expected_level is None:
            errors["code"] = _("A Kemendagri code looks like 72, 72.03, 72.03.01 or 72.03.01.2001.")
        elif self.level is not None and expected_level != self.level:
            errors["level"] = _("The code %(code)s is the code of a %(level)s.") % {
                "code": self.code,
                "level": GovernmentLevel(expected_level).label,
            }
        if self.level == GovernmentLevel.NATIONAL:
            if self.parent_id:
                errors["parent"] = _("The national level has no parent region.")
        elif self.level is not None:
            if self.parent is None:
                # Provinces are the top of the Kemendagri list; the nation is optional.
                if self.level != GovernmentLevel.PROVINCE:
                    errors["parent"] = _("Every region below a province needs a parent.")
            elif self.parent.level != self.level - 1:
                errors["parent"] = _("The parent must be one government level above.")
            elif (
                "code" not in errors
                and self.parent.level != GovernmentLevel.NATIONAL
                and not self.code.startswith(self.parent.code + ".")
            ):
                errors["code"] = _(
                    "The code %(code)s does not start with its parent's code %(parent)s."
                ) % {"code": self.code, "parent": self.parent.code}
        if errors:
            raise ValidationError(errors)

    def subtree_q(self, prefix: str = "") -> Q:
        """A filter for this region and every region below it (the code is a path)."""
        if self.level == GovernmentLevel.NATIONAL:
            return Q()
        return Q(**{f"{prefix}code": self.code}) | Q(
            **{f"{prefix}code__startswith": self.code + "."}
        )

    def contains(self, other: "Region") -> bool:
        if self.level == GovernmentLevel.NATIONAL:
            return True
        return other.code == self.code or other.code.startswith(self.code + ".")

    def ancestor_codes(self) -> list[str]:
        """The codes of the regions above this one (the nation's last), from the code."""
        codes, code = [], self.code
        while "." in code:
            code = code.rsplit(".", 1)[0]
            codes.append(code)
        if self.level != GovernmentLevel.NATIONAL:
            codes.append(NATIONAL_CODE)
        return codes

    def admits(self, home_region: "Region") -> bool:
        """Whether an actor homed in ``home_region`` may take part in this region's rounds
        and programmes: homed here or below (kecamatan, desa), or at a level above (the
        provincial and national offices), since convergence across levels is the point."""
        return self.contains(home_region) or home_region.code in self.ancestor_codes()

    def members_q(self, prefix: str = "") -> Q:
        """The database twin of ``admits`` for actors (``prefix`` leads to the actor)."""
        return self.subtree_q(f"{prefix}home_region__") | Q(
            **{f"{prefix}home_region__code__in": self.ancestor_codes()}
        )

    @property
    def is_mapping_unit(self) -> bool:
        """Rounds are held for provinces and districts (and nationally)."""
        return self.level <= GovernmentLevel.DISTRICT


def region_from_code(code: str, name: str, *, parent: Region | None) -> Region:
    """An unsaved region whose level comes from its code, checked by ``Region.clean``.

    Every way a region is added uses it: the region import, the API and the restore of a
    round. Raises ValidationError keyed by field. A province may stand without a parent
    while no national region exists (as the demo data and every installation so far keep
    them).
    """
    region = Region(code=normalize_region_code(code), name=name.strip(), parent=parent)
    region.level = level_for_code(region.code)
    errors = {}
    try:
        region.clean_fields(exclude=["parent", "level"])
    except ValidationError as error:
        errors.update(error.error_dict)
    try:
        region.clean()
    except ValidationError as error:
        for key, messages in error.error_dict.items():
            if key == "parent" and region.level == GovernmentLevel.PROVINCE and parent is None:
                continue
            errors.setdefault(key, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    return region


class Sector(models.Model):
    """A sector of government or society; health is one of them."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_id = models.CharField(
        _("name (Bahasa Indonesia)"), max_length=100, validators=[validate_plain_name]
    )
    name_en = models.CharField(
        _("name (English)"), max_length=100, validators=[validate_plain_name]
    )
    is_health = models.BooleanField(
        _("health sector"),
        default=False,
        help_text=_("Health ↔ non-health convergence is measured with this mark."),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        ordering = ["-is_health", "sort_order", "name_id"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "id").startswith("en") else self.name_id


class ActorKind(models.TextChoices):
    GOVERNMENT = "government", _("Government agency (OPD)")
    HEALTH_FACILITY = "health_facility", _("Health facility")
    NGO = "ngo", _("Non-governmental organisation (LSM)")
    PRIVATE = "private", _("Private sector (CSR)")
    COMMUNITY = "community", _("Community organisation")
    ACADEMIC = "academic", _("Academic institution")
    DONOR = "donor", _("Development partner / donor")
    LEGISLATURE = "legislature", _("Legislature (DPRD)")


class ActorQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def in_mapping_unit(self, region: Region):
        """Actors that take part in the rounds of ``region`` (see ``mapping_unit_q``)."""
        return self.filter(mapping_unit_q(region))

    def within(self, region: Region):
        return self.filter(region.subtree_q("home_region__"))


def mapping_unit_q(region: Region, prefix: str = "") -> Q:
    """Filter for the actors whose assessments belong to the rounds of ``region``.

    A district's actors are those homed in the district or below it (kecamatan, desa); a
    province's (or the nation's) are those homed at that level itself, since each district
    below it holds rounds of its own.
    """
    if region.level == GovernmentLevel.DISTRICT:
        return region.subtree_q(f"{prefix}home_region__")
    return Q(**{f"{prefix}home_region": region})


class Actor(models.Model):
    """An organisation that takes part in a programme (never a person)."""

    name = models.CharField(_("name"), max_length=200, validators=[validate_plain_name])
    short_name = models.CharField(_("short name"), max_length=40, validators=[validate_plain_name])
    kind = models.CharField(_("kind"), max_length=20, choices=ActorKind.choices)
    sector = models.ForeignKey(
        Sector, verbose_name=_("sector"), on_delete=models.PROTECT, related_name="actors"
    )
    government_level = models.PositiveSmallIntegerField(
        _("government level"), choices=GovernmentLevel.choices
    )
    home_region = models.ForeignKey(
        Region, verbose_name=_("home region"), on_delete=models.PROTECT, related_name="actors"
    )
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("An actor with assessments is deactivated, never deleted."),
    )

    objects = ActorQuerySet.as_manager()
    history = HistoricalRecords()
    jurisdiction_path = "home_region"

    class Meta:
        ordering = ["name"]
        verbose_name = _("actor")
        verbose_name_plural = _("actors")
        constraints = [
            models.UniqueConstraint(
                fields=["home_region", "name"], name="actor_name_unique_in_region"
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        # A Puskesmas works at the kecamatan level: it is homed in its kecamatan.
        if (
            self.home_region_id
            and self.government_level is not None
            and self.home_region.level != self.government_level
        ):
            raise ValidationError(
                {
                    "government_level": _(
                        "The government level must be that of the home region: "
                        "%(region)s is a %(level)s."
                    )
                    % {
                        "region": self.home_region.name,
                        "level": GovernmentLevel(self.home_region.level).label,
                    }
                }
            )

    def belongs_to_mapping_unit(self, region: Region) -> bool:
        """The Python twin of ``mapping_unit_q`` for one actor already in memory."""
        if region.level == GovernmentLevel.DISTRICT:
            return region.contains(self.home_region)
        return self.home_region_id == region.id


class ProgrammeStage(models.TextChoices):
    PLANNING = "planning", _("Planning (perencanaan)")
    BUDGETING = "budgeting", _("Budgeting (penganggaran)")
    IMPLEMENTATION = "implementation", _("Implementation (pelaksanaan)")
    MONITORING = "monitoring", _("Monitoring (pemantauan)")
    CONTROL = "control", _("Control / evaluation (pengendalian)")


class ParticipantRole(models.TextChoices):
    LEAD = "lead", _("Lead")
    IMPLEMENTER = "implementer", _("Implementer")
    FUNDER = "funder", _("Funder")
    DATA_PROVIDER = "data_provider", _("Data provider")
    TECHNICAL_SUPPORT = "technical_support", _("Technical support")
    MONITORING = "monitoring", _("Monitoring")


class TargetGroup(models.TextChoices):
    PREGNANT_WOMEN = "pregnant_women", _("Pregnant women")
    BREASTFEEDING_MOTHERS = "breastfeeding_mothers", _("Breastfeeding mothers")
    CHILDREN_0_23 = "children_0_23", _("Children 0–23 months")
    CHILDREN_0_59 = "children_0_59", _("Children 0–59 months")
    ADOLESCENT_GIRLS = "adolescent_girls", _("Adolescent girls")
    BRIDES_TO_BE = "brides_to_be", _("Brides-to-be (calon pengantin)")
    SCHOOL_CHILDREN = "school_children", _("School children")
    AT_RISK_FAMILIES = "at_risk_families", _("Families at risk of stunting")


class InterventionType(models.TextChoices):
    SPECIFIC = "specific", _("Nutrition-specific (health)")
    SENSITIVE = "sensitive", _("Nutrition-sensitive (non-health)")


class Contribution(models.TextChoices):
    APBD = "apbd", _("Budget: APBD")
    APBN_DAK = "apbn_dak", _("Budget: APBN / DAK")
    DANA_DESA = "dana_desa", _("Budget: Dana Desa")
    CSR = "csr", _("Budget: CSR")
    DONOR_FUNDS = "donor_funds", _("Budget: donor funds")
    STAFF = "staff", _("Staff")
    FACILITIES = "facilities", _("Facilities")
    DATA = "data", _("Data")


class Programme(models.Model):
    """A cross-sector programme in a region, e.g. stunting reduction."""

    name = models.CharField(_("name"), max_length=200, validators=[validate_plain_name])
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="programmes"
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    lead_actor = models.ForeignKey(
        Actor,
        verbose_name=_("lead actor"),
        on_delete=models.PROTECT,
        related_name="led_programmes",
        null=True,
        blank=True,
    )
    target_groups = ChoiceListField(_("target groups"), vocabulary=TargetGroup)
    description = models.TextField(_("description"), blank=True, validators=[validate_free_text])
    history = HistoricalRecords()
    jurisdiction_path = "region"

    class Meta:
        ordering = ["-period_start", "name"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="programme_period_ordered",
                violation_error_message=_("The period must end after it starts."),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        self.description = normalize_newlines(self.description)
        if (
            self.lead_actor_id
            and self.region_id
            and not self.region.admits(self.lead_actor.home_region)
        ):
            raise ValidationError(
                {
                    "lead_actor": _(
                        "The lead actor must be homed in the programme's region, below it "
                        "or at a level above it."
                    )
                }
            )


class ProgrammeParticipant(models.Model):
    """An actor's part in a programme: its role, the stages it takes part in, what it brings."""

    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        on_delete=models.CASCADE,
        related_name="participants",
    )
    actor = models.ForeignKey(
        Actor, verbose_name=_("actor"), on_delete=models.PROTECT, related_name="participations"
    )
    role = models.CharField(_("role"), max_length=20, choices=ParticipantRole.choices)
    stages = ChoiceListField(_("stages"), vocabulary=ProgrammeStage)
    intervention_type = models.CharField(
        _("intervention type"), max_length=12, choices=InterventionType.choices, blank=True
    )
    contributions = ChoiceListField(_("contributions"), vocabulary=Contribution)
    contribution_note = models.CharField(
        _("contribution details"), max_length=300, blank=True, validators=[validate_free_text]
    )
    history = HistoricalRecords()
    jurisdiction_path = "programme__region"

    class Meta:
        ordering = ["programme", "actor__name"]
        verbose_name = _("programme participant")
        verbose_name_plural = _("programme participants")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "actor"], name="participant_once_per_programme"
            ),
        ]

    def __str__(self):
        return f"{self.actor} — {self.get_role_display()}"

    @property
    def stage_labels(self) -> list[str]:
        labels = dict(ProgrammeStage.choices)
        return [str(labels.get(stage, stage)) for stage in self.stages]

    def clean(self):
        self.contribution_note = normalize_newlines(self.contribution_note)
        if (
            self.actor_id
            and self.programme_id
            and not self.programme.region.admits(self.actor.home_region)
        ):
            raise ValidationError(
                {
                    "actor": _(
                        "The actor must be homed in the programme's region, below it or at a "
                        "level above it."
                    )
                }
            )


# --- vocabularies (mechanisms, facilitating and hindering factors) ------------------------


class Vocabulary(models.TextChoices):
    """The lists a pair's ``TermListField`` values come from (Kim et al. 2017, Table 2:
    the key mechanisms of convergence, and its facilitators and barriers)."""

    MECHANISM = "mechanism", _("Mechanisms")
    FACILITATING_FACTOR = "facilitating_factor", _("Facilitating factors")
    HINDERING_FACTOR = "hindering_factor", _("Hindering factors")


validate_term_code = RegexValidator(
    r"^[a-z][a-z0-9_]*$",
    _("A code is lower-case letters, digits and underscores, starting with a letter."),
    code="invalid_code",
)


class VocabularyTermQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def in_order(self):
        return self.order_by("vocabulary", "sort_order", "code")


class VocabularyTerm(models.Model):
    """One entry of a vocabulary: a mechanism, a facilitating or a hindering factor.

    Pairs store the ``code``, which never changes once the term exists; labels, order and
    the active flag do. An inactive term is no longer offered, but the pairs that hold it
    keep it and still show its label. National admins manage the lists.
    """

    vocabulary = models.CharField(_("vocabulary"), max_length=30, choices=Vocabulary.choices)
    code = models.CharField(_("code"), max_length=60, validators=[validate_term_code])
    label_id = models.CharField(
        _("label (Bahasa Indonesia)"), max_length=200, validators=[validate_plain_name]
    )
    label_en = models.CharField(
        _("label (English)"), max_length=200, validators=[validate_plain_name]
    )
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_(
            "Only active terms are offered when scoring; pairs that hold an inactive term keep it."
        ),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)
    history = HistoricalRecords()

    objects = VocabularyTermQuerySet.as_manager()

    class Meta:
        ordering = ["vocabulary", "sort_order", "code"]
        verbose_name = _("vocabulary term")
        verbose_name_plural = _("vocabulary terms")
        constraints = [
            models.UniqueConstraint(
                fields=["vocabulary", "code"], name="term_code_unique_in_vocabulary"
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return self.label_en if (get_language() or "id").startswith("en") else self.label_id


class TermListField(models.JSONField):
    """A JSON list of codes of one vocabulary's terms (``VocabularyTerm``), in the list's
    order without duplicates. Which codes may be chosen is the scoring service's rule
    (``assessments.services.clean_pair_values``): it reads the terms, a field cannot."""

    def __init__(self, *args, vocabulary: str | None = None, **kwargs):
        self.vocabulary = vocabulary
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["vocabulary"] = self.vocabulary
        return name, path, args, kwargs

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise ValidationError(_("Choose from the list."), code="invalid")

    def formfield(self, **kwargs):
        vocabulary = self.vocabulary

        def choices():
            terms = VocabularyTerm.objects.active().filter(vocabulary=vocabulary).in_order()
            return [(term.code, term.label) for term in terms]

        return forms.MultipleChoiceField(
            choices=choices,
            required=not self.blank,
            label=self.verbose_name,
            help_text=self.help_text,
            widget=forms.CheckboxSelectMultiple,
        )
