"""The vocabularies (mechanisms, facilitating and hindering factors) and the main role or
action of each government level in a round, under /api/v1/.

Kept apart from ``api.views`` and ``api.serializers``, which are being reworked for the
schema: these are new endpoints with their own serializers, over the same selectors and
services as the pages (``actors.selectors.read_vocabularies``,
``assessments.levels.level_role_set``)."""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, mixins, serializers, status, viewsets
from rest_framework.response import Response

from accounts.models import Role
from actors.models import GovernmentLevel, Vocabulary, VocabularyTerm
from actors.selectors import read_vocabularies
from api.permissions import ReadAnyRoleWriteAdmin
from api.serializers import VisibleRoundField
from assessments.levels import level_role_set
from assessments.models import MAIN_ROLE_MAX_LENGTH, AssessmentRound, LevelRole
from assessments.services import CHOICE_LIST_FIELDS, CHOICE_LIST_VOCABULARIES

# Vocabularies -----------------------------------------------------------------------------


class VocabularyTermSerializer(serializers.ModelSerializer):
    label = serializers.CharField(
        read_only=True, help_text=_("The label in the language of the request.")
    )

    class Meta:
        model = VocabularyTerm
        fields = ["code", "label", "label_id", "label_en", "is_active", "sort_order"]
        read_only_fields = fields


class VocabularySerializer(serializers.Serializer):
    vocabulary = serializers.ChoiceField(choices=Vocabulary.choices)
    name = serializers.CharField(help_text=_("The vocabulary's name in the request's language."))
    field = serializers.ChoiceField(
        choices=[(name, name) for name in CHOICE_LIST_FIELDS],
        help_text=_("The field of a pair assessment that holds codes of this vocabulary."),
    )
    terms = VocabularyTermSerializer(many=True)


class VocabularyListView(generics.GenericAPIView):
    """The vocabularies of a pair assessment's lists, each with all its terms in order.

    A pair's ``mechanisms``, ``facilitating_factors`` and ``hindering_factors`` hold codes
    of these terms. A save takes the codes of active terms; an inactive term stays on the
    pairs that already hold it. National admins manage the lists in the admin.
    """

    permission_classes = [ReadAnyRoleWriteAdmin]
    serializer_class = VocabularySerializer
    pagination_class = None
    filter_backends = []
    http_method_names = ["get", "head", "options"]

    @extend_schema(operation_id="vocabularies_list", responses=VocabularySerializer(many=True))
    def get(self, request):
        vocabularies = read_vocabularies()
        field_of = {vocabulary: name for name, vocabulary in CHOICE_LIST_VOCABULARIES.items()}
        data = [
            {
                "vocabulary": vocabulary.value,
                "name": str(vocabulary.label),
                "field": field_of[vocabulary.value],
                "terms": vocabularies.of(vocabulary.value).terms,
            }
            for vocabulary in Vocabulary
        ]
        return Response(self.get_serializer(data, many=True).data)


# Main roles of the government levels ------------------------------------------------------


class ReadAnyRoleWriteScorerOrAdmin(ReadAnyRoleWriteAdmin):
    """Reads for any role; writes for scorers and admins (the service checks the region)."""

    message = _("Only the admins and scorers of a region may record the levels' main roles.")
    write_roles = (Role.SCORER, Role.ADMIN)


class LevelRoleSerializer(serializers.ModelSerializer):
    updated_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = LevelRole
        fields = ["id", "round", "government_level", "main_role", "updated_by", "updated_at"]
        read_only_fields = fields


class LevelRoleInputSerializer(serializers.Serializer):
    """What a government level mainly does in a round (Kim et al. 2017, Table 2, "main
    role/action"). An empty ``main_role`` removes it."""

    round = VisibleRoundField()
    government_level = serializers.ChoiceField(choices=GovernmentLevel.choices)
    main_role = serializers.CharField(
        allow_blank=True, trim_whitespace=False, max_length=MAIN_ROLE_MAX_LENGTH
    )


def _visible_rounds(request):
    if request is None:
        return AssessmentRound.objects.none()
    return AssessmentRound.objects.visible_to(request.user)


class LevelRoleFilter(django_filters.FilterSet):
    round = django_filters.ModelChoiceFilter(queryset=_visible_rounds)
    government_level = django_filters.ChoiceFilter(choices=GovernmentLevel.choices)

    class Meta:
        model = LevelRole
        fields = ["round", "government_level"]


@extend_schema_view(
    create=extend_schema(
        request=LevelRoleInputSerializer,
        responses={
            200: LevelRoleSerializer,
            201: LevelRoleSerializer,
            204: OpenApiResponse(description="The main role was removed (an empty text)."),
        },
    ),
)
class LevelRoleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The main role or action of each government level in the rounds of the user's
    jurisdiction, as the by-level view and reports show it.

    POST records it for a round and level (201), changes it (200) or, with an empty text,
    removes it (204): the admins and scorers of the round's region, while the round is not
    closed.
    """

    serializer_class = LevelRoleSerializer
    permission_classes = [ReadAnyRoleWriteAdmin]
    filterset_class = LevelRoleFilter

    def get_permissions(self):
        # Scorers record main roles too; whether they may in this region is the service's.
        if self.action == "create":
            return [ReadAnyRoleWriteScorerOrAdmin()]
        return super().get_permissions()

    def get_queryset(self):
        rounds = AssessmentRound.objects.visible_to(self.request.user)
        return (
            LevelRole.objects.filter(round__in=rounds)
            .select_related("updated_by")
            .order_by("round_id", "government_level")
        )

    def create(self, request, *args, **kwargs):
        serializer = LevelRoleInputSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        round_ = data["round"]
        level = int(data["government_level"])
        existed = LevelRole.objects.filter(round=round_, government_level=level).exists()
        saved = level_role_set(
            round=round_, government_level=level, main_role=data["main_role"], user=request.user
        )
        if saved is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(
            LevelRoleSerializer(saved).data,
            status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED,
        )
