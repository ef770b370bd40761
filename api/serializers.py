"""Serializers of the API. Model rules are the models' own (``full_clean``, as the admin
runs them); pair assessments are validated and saved by ``assessments.services``."""

import copy

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.scoping import may_create_region, scope, visible_regions
from actors.models import (
    NATIONAL_CODE,
    Actor,
    Contribution,
    Programme,
    ProgrammeParticipant,
    ProgrammeStage,
    Region,
    Sector,
    TargetGroup,
    level_for_code,
    normalize_region_code,
    parent_code_for,
    region_from_code,
)
from assessments.models import (
    EVIDENCE_FIELDS,
    AssessmentRound,
    FacilitatingFactor,
    HinderingFactor,
    Level,
    Mechanism,
    PairAssessment,
    RoundStatus,
)


def _user(serializer):
    return serializer.context["request"].user


class FullCleanMixin:
    """Validate the object as the admin does: the model's ``full_clean`` on a copy of it
    with the new values, its messages keyed by field; cleaned values are kept."""

    clean_exclude: tuple[str, ...] = ()

    def validate(self, attrs):
        attrs = super().validate(attrs)
        model = self.Meta.model
        candidate = copy.copy(self.instance) if self.instance is not None else model()
        names = {field.name for field in model._meta.concrete_fields}
        for key, value in attrs.items():
            if key in names:
                setattr(candidate, key, value)
        candidate.full_clean(exclude=list(self.clean_exclude))
        for key in attrs:
            if key in names:
                attrs[key] = getattr(candidate, key)
        return attrs


def _choice_list(choices):
    return serializers.ListField(child=serializers.ChoiceField(choices=choices), required=False)


# Regions ---------------------------------------------------------------------------------


class RegionSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Region
        fields = ["code", "name", "level", "parent"]
        read_only_fields = fields


class RegionCreateSerializer(serializers.Serializer):
    """A new region: its level and parent come from the code (dotted or undotted)."""

    code = serializers.CharField(max_length=20)
    name = serializers.CharField(max_length=150)

    def validate(self, attrs):
        code = normalize_region_code(attrs["code"])
        parent_code = parent_code_for(code) if level_for_code(code) is not None else None
        parent = Region.objects.filter(code=parent_code).first() if parent_code else None
        if parent is None and parent_code not in (None, NATIONAL_CODE):
            raise serializers.ValidationError(
                {"code": _("The parent region %(parent)s is not known.") % {"parent": parent_code}}
            )
        # The model's rules (a well-formed code, its level, its parent), as the admin's.
        region = region_from_code(code, attrs["name"], parent=parent)
        if Region.objects.filter(code=region.code).exists():
            raise serializers.ValidationError(
                {"code": _("A region with the code %(code)s already exists.") % {"code": code}}
            )
        if not may_create_region(_user(self), region):
            raise serializers.ValidationError(
                {"code": _("The region %(code)s is outside your jurisdiction.") % {"code": code}}
            )
        return {"region": region}

    def create(self, validated_data):
        region = validated_data["region"]
        region.save()
        return region


class RegionUpdateSerializer(FullCleanMixin, serializers.ModelSerializer):
    """A region's name; its code (and so its level and parent) never changes."""

    class Meta:
        model = Region
        fields = ["name"]


# Sectors ---------------------------------------------------------------------------------


class SectorSerializer(FullCleanMixin, serializers.ModelSerializer):
    class Meta:
        model = Sector
        fields = ["id", "code", "name_id", "name_en", "is_health", "sort_order"]


# Actors ----------------------------------------------------------------------------------


@extend_schema_field(OpenApiTypes.STR)
class VisibleRegionField(serializers.SlugRelatedField):
    """A region named by its code (dotted or undotted), among the user's jurisdiction."""

    def __init__(self, **kwargs):
        super().__init__(slug_field="code", **kwargs)

    def get_queryset(self):
        return visible_regions(self.context["request"].user)

    def to_internal_value(self, data):
        return super().to_internal_value(normalize_region_code(str(data)))


@extend_schema_field(OpenApiTypes.INT)
class VisibleActorField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return scope(Actor.objects, self.context["request"].user).select_related("home_region")


@extend_schema_field(OpenApiTypes.INT)
class VisibleProgrammeField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return scope(Programme.objects, self.context["request"].user).select_related("region")


@extend_schema_field(OpenApiTypes.INT)
class VisibleRoundField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return AssessmentRound.objects.visible_to(self.context["request"].user).select_related(
            "region"
        )


class ActorSerializer(FullCleanMixin, serializers.ModelSerializer):
    sector = serializers.SlugRelatedField(slug_field="code", queryset=Sector.objects.all())
    home_region = VisibleRegionField()

    class Meta:
        model = Actor
        fields = [
            "id",
            "name",
            "short_name",
            "kind",
            "sector",
            "government_level",
            "home_region",
            "is_active",
        ]


# Programmes ------------------------------------------------------------------------------


class ParticipantSerializer(serializers.ModelSerializer):
    actor = VisibleActorField()
    stages = _choice_list(ProgrammeStage.choices)
    contributions = _choice_list(Contribution.choices)

    class Meta:
        model = ProgrammeParticipant
        fields = [
            "actor",
            "role",
            "stages",
            "intervention_type",
            "contributions",
            "contribution_note",
        ]
        # The programme and actor pair is unique; checked across the list in the parent.
        validators = []


class ProgrammeSerializer(FullCleanMixin, serializers.ModelSerializer):
    region = VisibleRegionField()
    lead_actor = VisibleActorField(allow_null=True, required=False)
    target_groups = _choice_list(TargetGroup.choices)
    participants = ParticipantSerializer(many=True, required=False)

    class Meta:
        model = Programme
        fields = [
            "id",
            "name",
            "region",
            "period_start",
            "period_end",
            "lead_actor",
            "target_groups",
            "description",
            "participants",
        ]

    def validate(self, attrs):
        participants = attrs.pop("participants", None)
        attrs = super().validate(attrs)
        if participants is not None:
            actors = [data["actor"].pk for data in participants]
            errors = [
                {"actor": [_("This actor is already a participant of the programme.")]}
                if actor in actors[:index]
                else {}
                for index, actor in enumerate(actors)
            ]
            if any(errors):
                raise serializers.ValidationError({"participants": errors})
            attrs["participants"] = participants
        return attrs

    @transaction.atomic
    def create(self, validated_data):
        participants = validated_data.pop("participants", [])
        programme = Programme.objects.create(**validated_data)
        self._replace_participants(programme, participants)
        return programme

    @transaction.atomic
    def update(self, instance, validated_data):
        participants = validated_data.pop("participants", None)
        for key, value in validated_data.items():
            setattr(instance, key, value)
        instance.save()
        if participants is not None:
            self._replace_participants(instance, participants)
        return instance

    @staticmethod
    def _replace_participants(programme, participants):
        """The participants become exactly the given list (matched on the actor).

        Each is checked by the model (``ProgrammeParticipant.clean`` needs the saved
        programme); a refusal rolls the whole write back.
        """
        current = {p.actor_id: p for p in programme.participants.all()}
        programme.participants.exclude(actor_id__in=[d["actor"].pk for d in participants]).delete()
        errors, saved = [], []
        for data in participants:
            participant = current.get(data["actor"].pk) or ProgrammeParticipant(programme=programme)
            for key, value in data.items():
                setattr(participant, key, value)
            try:
                participant.full_clean(validate_unique=False)
            except DjangoValidationError as error:
                errors.append(serializers.as_serializer_error(error))
                continue
            errors.append({})
            saved.append(participant)
        if any(errors):
            raise serializers.ValidationError({"participants": errors})
        for participant in saved:
            participant.save()


# Rounds ----------------------------------------------------------------------------------


class RoundSerializer(FullCleanMixin, serializers.ModelSerializer):
    region = VisibleRegionField()
    programme = VisibleProgrammeField(allow_null=True, required=False)

    class Meta:
        model = AssessmentRound
        fields = [
            "id",
            "name",
            "region",
            "programme",
            "period_start",
            "period_end",
            "status",
            "created_at",
        ]
        read_only_fields = ["created_at"]

    def validate(self, attrs):
        if self.instance is not None:
            if self.instance.status == RoundStatus.CLOSED:
                raise serializers.ValidationError(
                    _("This round is closed: it can no longer be changed.")
                )
            if "region" in attrs and attrs["region"] != self.instance.region:
                raise serializers.ValidationError(
                    {"region": _("The region of a round cannot be changed.")}
                )
        region = attrs.get("region") or self.instance.region
        if not region.is_mapping_unit:
            raise serializers.ValidationError(
                {"region": _("Rounds are held for a province or a district.")}
            )
        programme = attrs.get("programme", self.instance.programme if self.instance else None)
        if programme is not None and not (
            region.contains(programme.region) or programme.region.contains(region)
        ):
            raise serializers.ValidationError(
                {"programme": _("The programme must belong to the round's region.")}
            )
        return super().validate(attrs)


class RoundSummarySerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = AssessmentRound
        fields = ["id", "name", "region", "status"]
        read_only_fields = fields


# Pair assessments ------------------------------------------------------------------------


@extend_schema_field(
    {
        "type": "integer",
        "minimum": min(Level.values),
        "maximum": max(Level.values),
        "nullable": True,
    }
)
class LevelInputField(serializers.IntegerField):
    """A level as given; its range is checked by the scoring service."""


class VocabularyListField(serializers.ListField):
    """A list of strings from ``vocabulary``; the scoring service checks the items."""

    def __init__(self, vocabulary, **kwargs):
        self.vocabulary = vocabulary
        kwargs.setdefault("required", False)
        super().__init__(child=serializers.CharField(), **kwargs)


class PairAssessmentSerializer(serializers.ModelSerializer):
    """A pair assessment as read; "not assessed" pairs have none (and are never 0)."""

    scored_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    mechanisms = serializers.ListField(
        child=serializers.ChoiceField(choices=Mechanism.choices), read_only=True
    )
    facilitating_factors = serializers.ListField(
        child=serializers.ChoiceField(choices=FacilitatingFactor.choices), read_only=True
    )
    hindering_factors = serializers.ListField(
        child=serializers.ChoiceField(choices=HinderingFactor.choices), read_only=True
    )

    class Meta:
        model = PairAssessment
        fields = [
            "id",
            "round",
            "actor_a",
            "actor_b",
            "level",
            "note",
            *EVIDENCE_FIELDS,
            "evidence_inconsistency_confirmed",
            "mechanisms",
            "facilitating_factors",
            "hindering_factors",
            "scored_by",
            "scored_at",
            "version",
        ]
        read_only_fields = fields


class PairAssessmentUpdateSerializer(serializers.Serializer):
    """The values of a pair assessment as ``pair_assessment_save`` takes them.

    Give ``level``, or the four evidence answers (true, false or null) and let the level be
    derived; answers that skip a step need ``confirm_inconsistent`` and a level. Send the
    ``version`` you read as ``expected_version`` (0 for a pair not assessed yet) and a save
    over someone else's newer one is refused with 409 instead of overwriting it.
    """

    level = LevelInputField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    shares_information = serializers.BooleanField(required=False, allow_null=True)
    joint_activities = serializers.BooleanField(required=False, allow_null=True)
    shared_roles_and_resources = serializers.BooleanField(required=False, allow_null=True)
    formal_structure = serializers.BooleanField(required=False, allow_null=True)
    confirm_inconsistent = serializers.BooleanField(required=False)
    expected_version = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    mechanisms = VocabularyListField(Mechanism)
    facilitating_factors = VocabularyListField(FacilitatingFactor)
    hindering_factors = VocabularyListField(HinderingFactor)


class PairAssessmentCreateSerializer(PairAssessmentUpdateSerializer):
    """A pair to score in a round (an existing assessment of the pair is replaced)."""

    round = VisibleRoundField()
    actor_a = VisibleActorField()
    actor_b = VisibleActorField()


# The who × who matrix --------------------------------------------------------------------


class StaleAssessmentSerializer(serializers.Serializer):
    """A save refused because the pair changed since it was read: what is stored now."""

    detail = serializers.CharField()
    current = PairAssessmentSerializer(allow_null=True)


class MatrixActorSerializer(serializers.ModelSerializer):
    sector = serializers.SlugRelatedField(slug_field="code", read_only=True)
    home_region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    is_health = serializers.BooleanField(source="sector.is_health", read_only=True)

    class Meta:
        model = Actor
        fields = [
            "id",
            "name",
            "short_name",
            "sector",
            "is_health",
            "government_level",
            "home_region",
        ]
        read_only_fields = fields


class MatrixPairSerializer(serializers.Serializer):
    actor_a = serializers.IntegerField()
    actor_b = serializers.IntegerField()
    level = serializers.ChoiceField(choices=Level.choices)


class MatrixSerializer(serializers.Serializer):
    """The who × who matrix of a round. ``pairs`` holds the assessed pairs only: a pair of
    ``actors`` that is absent is not assessed (which is not level 0)."""

    round = RoundSummarySerializer()
    actors = MatrixActorSerializer(many=True)
    pairs = MatrixPairSerializer(many=True)
    assessed = serializers.IntegerField()
    possible = serializers.IntegerField()


# Imports and exports ---------------------------------------------------------------------


class ImportFileSerializer(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=True, use_url=False)


class PairImportSerializer(ImportFileSerializer):
    shape = serializers.ChoiceField(choices=[("edges", "edges"), ("matrix", "matrix")])


class ImportResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()
    expiry = serializers.DateTimeField(
        help_text=_lazy("The token stops working at this time; ask for a new one then.")
    )
