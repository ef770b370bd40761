"""Serializers of the API. Model rules are the models' own (``full_clean``, as the admin
runs them); pair assessments are validated and saved by ``assessments.services``."""

import copy

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.scoping import may_create_region, roster_candidates, scope, visible_regions
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
    Vocabulary,
    level_for_code,
    normalize_region_code,
    parent_code_for,
    region_from_code,
)
from actors.services import ParticipantsRefused, programme_save
from assessments.models import (
    EVIDENCE_FIELDS,
    AssessmentRound,
    Level,
    PairAssessment,
    RoundStatus,
)
from assessments.rounds import (
    ROUND_FIELDS,
    roster_set,
    round_create,
    round_set_status,
    round_update,
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


@extend_schema_field(OpenApiTypes.INT)
class RosterActorField(serializers.PrimaryKeyRelatedField):
    """An actor the user may name on a roster: of their jurisdiction, or homed at a level
    above it (``accounts.scoping.roster_candidates``)."""

    def get_queryset(self):
        return roster_candidates(self.context["request"].user).select_related("home_region")


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
    actor = RosterActorField()
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
    # A district's programme may be led by, or include, a provincial office.
    lead_actor = RosterActorField(allow_null=True, required=False)
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
            attrs["participants"] = participants
        return attrs

    def create(self, validated_data):
        return self._save(Programme(), validated_data)

    def update(self, instance, validated_data):
        return self._save(instance, validated_data)

    @staticmethod
    def _save(programme, validated_data):
        participants = validated_data.pop("participants", None)
        for key, value in validated_data.items():
            setattr(programme, key, value)
        try:
            return programme_save(programme=programme, participants=participants)
        except ParticipantsRefused as refused:
            raise serializers.ValidationError({"participants": refused.rows}) from None


# Rounds ----------------------------------------------------------------------------------


class RoundSerializer(FullCleanMixin, serializers.ModelSerializer):
    """A round and its roster (``members``: actor ids), written through the round services
    (``assessments.rounds``): a new round without ``members`` takes the proposed roster (the
    previous round's); ``status`` opens, closes (freezing the roster) or, with
    ``reopen_reason``, reopens a closed round."""

    region = VisibleRegionField()
    programme = VisibleProgrammeField(allow_null=True, required=False)
    members = RosterActorField(
        many=True,
        required=False,
        help_text=gettext_lazy(
            "The actors on the round's roster (ids): of its region, below it, or at a level "
            "above it. Writing the list replaces the roster; a member with scored pairs stays."
        ),
    )
    reopen_reason = serializers.CharField(
        write_only=True,
        required=False,
        max_length=100,
        help_text=gettext_lazy(
            "Why a closed round is reopened (required to reopen); kept in history."
        ),
    )

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
            "members",
            "reopen_reason",
        ]
        read_only_fields = ["created_at"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["members"] = sorted(member.actor_id for member in instance.members.all())
        return data

    def validate(self, attrs):
        if (
            self.instance is not None
            and "region" in attrs
            and attrs["region"] != self.instance.region
        ):
            raise serializers.ValidationError(
                {"region": _("The region of a round cannot be changed.")}
            )
        members = attrs.pop("members", None)
        reason = attrs.pop("reopen_reason", None)
        attrs = super().validate(attrs)
        if members is not None:
            attrs["members"] = members
        if reason is not None:
            attrs["reopen_reason"] = reason
        return attrs

    @transaction.atomic
    def create(self, validated_data):
        status = validated_data.get("status", RoundStatus.DRAFT)
        if status == RoundStatus.CLOSED:
            raise serializers.ValidationError(
                {"status": _("A new round starts as a draft or open.")}
            )
        return round_create(
            user=_user(self),
            region=validated_data["region"],
            name=validated_data["name"],
            period_start=validated_data["period_start"],
            period_end=validated_data["period_end"],
            programme=validated_data.get("programme"),
            members=validated_data.get("members"),
            open_now=status == RoundStatus.OPEN,
        )

    @transaction.atomic
    def update(self, instance, validated_data):
        user = _user(self)
        changes = {
            field: validated_data[field] for field in ROUND_FIELDS if field in validated_data
        }
        if changes:
            instance = round_update(user=user, round=instance, **changes)
        if "members" in validated_data:
            roster_set(user=user, round=instance, actors=validated_data["members"])
        if "status" in validated_data:
            instance = round_set_status(
                user=user,
                round=instance,
                status=validated_data["status"],
                reason=validated_data.get("reopen_reason", ""),
            )
        return AssessmentRound.objects.prefetch_related("members").get(pk=instance.pk)


class RosterCandidateSerializer(serializers.ModelSerializer):
    """An actor that may be put on a round's roster, and whether it is on it."""

    sector = serializers.SlugRelatedField(slug_field="code", read_only=True)
    home_region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    on_roster = serializers.BooleanField()

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
            "on_roster",
        ]
        read_only_fields = fields


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
    """A list of codes of ``vocabulary``'s terms (``actors.Vocabulary``): the vocabularies
    are data, listed by /api/v1/vocabularies/; the scoring service checks the codes."""

    def __init__(self, vocabulary: str, **kwargs):
        self.vocabulary = vocabulary
        kwargs.setdefault("required", False)
        super().__init__(child=serializers.CharField(), **kwargs)


# The moment a pair was scored as DRF writes a model's DateTimeField (in the site's time
# zone), without building the serializer's fields for it.
SCORED_AT = serializers.DateTimeField(read_only=True)


class PairAssessmentSerializer(serializers.ModelSerializer):
    """A pair assessment as read; "not assessed" pairs have none (and are never 0)."""

    scored_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    mechanisms = VocabularyListField(Vocabulary.MECHANISM, read_only=True)
    facilitating_factors = VocabularyListField(Vocabulary.FACILITATING_FACTOR, read_only=True)
    hindering_factors = VocabularyListField(Vocabulary.HINDERING_FACTOR, read_only=True)

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

    def to_representation(self, instance):
        """What ``ModelSerializer`` gives (a test holds the two equal), without its work
        per field: a page of the pair list holds up to 500 of them, and that work was most
        of the page's time."""
        scored_at = instance.scored_at
        return {
            "id": instance.pk,
            "round": instance.round_id,
            "actor_a": instance.actor_a_id,
            "actor_b": instance.actor_b_id,
            "level": instance.level,
            "note": instance.note,
            **{name: getattr(instance, name) for name in EVIDENCE_FIELDS},
            "evidence_inconsistency_confirmed": instance.evidence_inconsistency_confirmed,
            "mechanisms": list(instance.mechanisms),
            "facilitating_factors": list(instance.facilitating_factors),
            "hindering_factors": list(instance.hindering_factors),
            "scored_by": instance.scored_by.username if instance.scored_by_id else None,
            "scored_at": None if scored_at is None else SCORED_AT.to_representation(scored_at),
            "version": instance.version,
        }


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
    mechanisms = VocabularyListField(Vocabulary.MECHANISM)
    facilitating_factors = VocabularyListField(Vocabulary.FACILITATING_FACTOR)
    hindering_factors = VocabularyListField(Vocabulary.HINDERING_FACTOR)


class PairAssessmentCreateSerializer(PairAssessmentUpdateSerializer):
    """A pair to score in a round (an existing assessment of the pair is replaced)."""

    round = VisibleRoundField()
    # A round of the user's region may include the offices of the levels above it: the
    # scoring service then checks that both are on the round's roster.
    actor_a = RosterActorField()
    actor_b = RosterActorField()


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


@extend_schema_field(MatrixPairSerializer(many=True))
class MatrixPairsField(serializers.Field):
    """The matrix's pairs as the view builds them, already plain ``{"actor_a", "actor_b",
    "level"}`` dicts of integers: written out as they are (a field serializer per pair
    cost ten times the JSON of a 200-actor round's 19,900 pairs); documented as
    ``MatrixPairSerializer``. The matrix is only ever read."""

    def to_representation(self, value):
        return value


class MatrixSerializer(serializers.Serializer):
    """The who × who matrix of a round. ``pairs`` holds the assessed pairs only: a pair of
    ``actors`` that is absent is not assessed (which is not level 0)."""

    round = RoundSummarySerializer()
    actors = MatrixActorSerializer(many=True)
    pairs = MatrixPairsField()
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
        help_text=gettext_lazy("The token stops working at this time; ask for a new one then.")
    )
