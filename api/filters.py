"""List filters. A region filter takes a code (dotted or undotted) and keeps that region and
everything below it; codes outside the user's jurisdiction are refused like unknown ones."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters.constants import EMPTY_VALUES
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from accounts.scoping import scope, visible_regions
from actors.models import (
    Actor,
    ActorKind,
    GovernmentLevel,
    Programme,
    Region,
    Sector,
    normalize_region_code,
)
from assessments.models import AssessmentRound, Level, PairAssessment, RoundStatus


def _regions(request):
    return Region.objects.none() if request is None else visible_regions(request.user)


def _programmes(request):
    return Programme.objects.none() if request is None else scope(Programme.objects, request.user)


def _rounds(request):
    return (
        AssessmentRound.objects.none()
        if request is None
        else AssessmentRound.objects.visible_to(request.user)
    )


class RegionCodeField(forms.ModelChoiceField):
    default_error_messages = {
        "invalid_choice": _("No region with this code in your jurisdiction."),
    }

    def to_python(self, value):
        return super().to_python(normalize_region_code(value) if value else value)


@extend_schema_field(OpenApiTypes.STR)
class WithinRegionFilter(django_filters.ModelChoiceFilter):
    """The region named by its code and every region below it, through ``prefix``."""

    field_class = RegionCodeField

    def __init__(self, *, prefix: str = "", **kwargs):
        kwargs.setdefault("to_field_name", "code")
        kwargs.setdefault("queryset", _regions)
        kwargs.setdefault(
            "help_text", _("A Kemendagri code: this region and every region below it.")
        )
        super().__init__(**kwargs)
        self.prefix = prefix

    def filter(self, qs, value):
        if value in EMPTY_VALUES:
            return qs
        return qs.filter(value.subtree_q(self.prefix))


def _choice(choices, field_name, help_text=None):
    return django_filters.TypedChoiceFilter(
        field_name=field_name, choices=choices, coerce=int, help_text=help_text
    )


class RegionFilter(django_filters.FilterSet):
    region = WithinRegionFilter(field_name="code")
    level = _choice(GovernmentLevel.choices, "level")

    class Meta:
        model = Region
        fields = ["region", "level"]


class SectorFilter(django_filters.FilterSet):
    is_health = django_filters.BooleanFilter()

    class Meta:
        model = Sector
        fields = ["is_health"]


class ActorFilter(django_filters.FilterSet):
    region = WithinRegionFilter(prefix="home_region__", field_name="home_region")
    sector = django_filters.ModelChoiceFilter(
        queryset=Sector.objects.all(), to_field_name="code", help_text=_("A sector code.")
    )
    government_level = _choice(GovernmentLevel.choices, "government_level")
    kind = django_filters.ChoiceFilter(choices=ActorKind.choices)
    active = django_filters.BooleanFilter(field_name="is_active")
    programme = django_filters.ModelChoiceFilter(
        queryset=_programmes, field_name="participations__programme", distinct=True
    )

    class Meta:
        model = Actor
        fields = ["region", "sector", "government_level", "kind", "active", "programme"]


class ProgrammeFilter(django_filters.FilterSet):
    region = WithinRegionFilter(prefix="region__", field_name="region")

    class Meta:
        model = Programme
        fields = ["region"]


class RoundFilter(django_filters.FilterSet):
    region = WithinRegionFilter(prefix="region__", field_name="region")
    status = django_filters.ChoiceFilter(choices=RoundStatus.choices)
    programme = django_filters.ModelChoiceFilter(queryset=_programmes)

    class Meta:
        model = AssessmentRound
        fields = ["region", "status", "programme"]


class PairAssessmentFilter(django_filters.FilterSet):
    round = django_filters.ModelChoiceFilter(queryset=_rounds)
    region = WithinRegionFilter(prefix="round__region__", field_name="round__region")
    programme = django_filters.ModelChoiceFilter(
        queryset=_programmes, field_name="round__programme"
    )
    level = _choice(Level.choices, "level")
    changed_since = django_filters.IsoDateTimeFilter(
        field_name="scored_at",
        lookup_expr="gte",
        help_text=_("Only pairs scored at or after this moment (ISO 8601)."),
    )

    class Meta:
        model = PairAssessment
        fields = ["round", "region", "programme", "level", "changed_since"]
