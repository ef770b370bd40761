"""Follow-up actions under /api/v1/actions/: the same selectors and services as the pages
(``followup.selectors``, ``followup.services``), scoped to the user's jurisdiction."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.response import Response
from rest_framework.reverse import reverse

from accounts.models import Role
from accounts.scoping import (
    access_for,
    can_read_details,
    reads_details,
    roster_candidates,
    visible_regions,
)
from actors.models import Actor, Region, Sector
from api.filters import WithinRegionFilter
from api.permissions import VIEWERS_READ_VIEWS_ONLY, ReadAnyRoleWriteAdmin
from api.serializers import VisibleRoundField
from assessments.models import AssessmentRound, Level
from followup.access import PLANNING_ROLES, get_document_for_user
from followup.documents import attachment_response
from followup.models import (
    NOTES_MAX_LENGTH,
    ActionStatus,
    Aksi,
    DocumentSubject,
    EvidenceDocument,
    FollowUpAction,
    SubjectKind,
)
from followup.selectors import (
    DOCUMENT_RELATIONS,
    action_results,
    actions_visible_to,
    documents_visible_to,
    filter_actions,
)
from followup.services import (
    action_create,
    action_delete,
    action_update,
    document_delete,
    document_upload,
)


def next_round_results(actions, user) -> dict:
    """``action_results`` over the rounds of the actions' regions that the user sees."""
    actions = list(actions)
    rounds = AssessmentRound.objects.filter(
        region_id__in={action.region_id for action in actions}
    ).visible_to(user)
    return action_results(actions, rounds)


class ReadAnyRoleWritePlanners(ReadAnyRoleWriteAdmin):
    """Reads for any role; writes for scorers, planners and admins, deletes for admins
    (the service checks the region)."""

    message = _("Only the scorers, planners and admins of a region may plan follow-up actions.")
    write_roles = tuple(PLANNING_ROLES)

    def has_permission(self, request, view):
        allowed = super().has_permission(request, view)
        access = access_for(request.user)
        if request.method != "DELETE" or not access.roles:
            return allowed
        self.message = _("Only admins may delete follow-up actions.")
        return access.has_role(Role.ADMIN)


@extend_schema_field(OpenApiTypes.INT)
class RosterCandidateField(serializers.PrimaryKeyRelatedField):
    """An actor of the user's jurisdiction or above it; the service checks the roster."""

    def get_queryset(self):
        return roster_candidates(self.context["request"].user)


class NextRoundResultSerializer(serializers.Serializer):
    round = serializers.IntegerField(source="round.pk")
    level = serializers.FloatField(
        allow_null=True,
        help_text=_(
            "The pair's level, or the mean level of the sector pair's or the actor's "
            "assessed pairs; null when none is assessed."
        ),
    )
    reached = serializers.BooleanField(allow_null=True)


class FollowUpActionSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    sector_a = serializers.SlugRelatedField(slug_field="code", read_only=True)
    sector_b = serializers.SlugRelatedField(slug_field="code", read_only=True)
    subject_kind = serializers.ChoiceField(choices=SubjectKind.choices, read_only=True)
    aksi_label = serializers.CharField(source="get_aksi_display", read_only=True)
    overdue = serializers.SerializerMethodField(
        help_text=_("Not done nor dropped, and due before today (the site's date).")
    )
    created_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    next_round = serializers.SerializerMethodField(
        help_text=_(
            "How the subject stood in the first round after the action's own, against the "
            "target; null while there is none."
        )
    )

    class Meta:
        model = FollowUpAction
        fields = [
            "id",
            "region",
            "round",
            "subject_kind",
            "actor_a",
            "actor_b",
            "sector_a",
            "sector_b",
            "target_level",
            "mechanism",
            "owner",
            "involved",
            "aksi",
            "aksi_label",
            "due_date",
            "status",
            "overdue",
            "notes",
            "created_by",
            "created_at",
            "updated_at",
            "next_round",
        ]
        read_only_fields = fields

    @extend_schema_field(NextRoundResultSerializer(allow_null=True))
    def get_next_round(self, action):
        results = self.context.get("results")
        if results is None:
            results = next_round_results([action], self.context["request"].user)
        result = results.get(action.pk)
        if result is None:
            return None
        return NextRoundResultSerializer(
            {
                "round": result.round,
                "level": result.level,
                "reached": result.reached(action.target_level),
            }
        ).data

    def get_overdue(self, action) -> bool:
        return action.is_overdue(self.context.get("today") or timezone.localdate())


class FollowUpActionUpdateSerializer(serializers.Serializer):
    """What changes on an action; its round and subject stay (another gap is another
    action). The rules (roster, due date, mechanism) are the service's."""

    target_level = serializers.IntegerField(help_text=_("The level to reach, 0–4."))
    mechanism = serializers.CharField(
        max_length=40, help_text=_("A code of the mechanisms vocabulary.")
    )
    owner = RosterCandidateField()
    involved = RosterCandidateField(many=True, required=False)
    aksi = serializers.IntegerField(help_text=_("The aksi konvergensi, 1–8."))
    due_date = serializers.DateField()
    status = serializers.ChoiceField(choices=ActionStatus.choices, required=False)
    notes = serializers.CharField(
        allow_blank=True, required=False, trim_whitespace=False, max_length=NOTES_MAX_LENGTH
    )


class FollowUpActionCreateSerializer(FollowUpActionUpdateSerializer):
    """A new action on a pair of actors (``actor_a`` and ``actor_b``), a sector pair
    (``sector_a`` and ``sector_b``, codes) or one actor (``actor_a``)."""

    round = VisibleRoundField()
    actor_a = RosterCandidateField(required=False, allow_null=True)
    actor_b = RosterCandidateField(required=False, allow_null=True)
    sector_a = serializers.SlugRelatedField(
        slug_field="code", queryset=Sector.objects.all(), required=False, allow_null=True
    )
    sector_b = serializers.SlugRelatedField(
        slug_field="code", queryset=Sector.objects.all(), required=False, allow_null=True
    )


def _rounds(request):
    if request is None:
        return AssessmentRound.objects.none()
    return AssessmentRound.objects.visible_to(request.user)


def _actions(request):
    if request is None:
        return FollowUpAction.objects.none()
    return actions_visible_to(request.user)


class EvidenceDocumentSerializer(serializers.ModelSerializer):
    uploaded_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    download = serializers.SerializerMethodField(
        help_text=_("Where the file is downloaded (an attachment, for this API's users).")
    )

    class Meta:
        model = EvidenceDocument
        fields = [
            "id",
            "action",
            "title",
            "original_name",
            "kind",
            "size",
            "uploaded_by",
            "uploaded_at",
            "download",
        ]
        read_only_fields = fields

    def get_download(self, document) -> str:
        return reverse(
            "api:followupaction-document",
            args=[document.action_id, document.pk],
            request=self.context.get("request"),
        )


class EvidenceUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        allow_empty_file=True,
        help_text=_("PDF, JPG, PNG, DOCX or XLSX; the type is read from the content."),
    )
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)


class FollowUpActionFilter(django_filters.FilterSet):
    region = WithinRegionFilter(prefix="region__")
    round = django_filters.ModelChoiceFilter(queryset=_rounds)
    status = django_filters.ChoiceFilter(choices=ActionStatus.choices)
    aksi = django_filters.TypedChoiceFilter(choices=Aksi.choices, coerce=int)
    owner = django_filters.ModelChoiceFilter(queryset=Actor.objects.all())
    target_level = django_filters.TypedChoiceFilter(choices=Level.choices, coerce=int)
    overdue = django_filters.BooleanFilter(
        method="filter_overdue",
        help_text=_("true: only the actions not done nor dropped and due before today."),
    )

    class Meta:
        model = FollowUpAction
        fields = ["region", "round", "status", "aksi", "owner", "target_level", "overdue"]

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        overdue = queryset.overdue(timezone.localdate())
        return overdue if value else queryset.exclude(pk__in=overdue.values("pk"))


@extend_schema_view(
    create=extend_schema(
        request=FollowUpActionCreateSerializer, responses={201: FollowUpActionSerializer}
    ),
    update=extend_schema(
        request=FollowUpActionUpdateSerializer, responses=FollowUpActionSerializer
    ),
    partial_update=extend_schema(
        request=FollowUpActionUpdateSerializer, responses=FollowUpActionSerializer
    ),
)
class FollowUpActionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The follow-up actions (RTL) of the rounds of the user's jurisdiction, soonest due
    first.

    Every role reads them. Scorers, planners and admins of the action's region create and
    change them (POST, PUT, PATCH); admins delete them (the history keeps them). A due
    date before the round's start, an actor not on the round's roster or a mechanism that
    is not an active term is refused (400) with nothing written.
    """

    serializer_class = FollowUpActionSerializer
    permission_classes = [ReadAnyRoleWritePlanners]
    filterset_class = FollowUpActionFilter
    input_serializers = {
        "create": FollowUpActionCreateSerializer,
        "update": FollowUpActionUpdateSerializer,
        "partial_update": FollowUpActionUpdateSerializer,
    }

    def get_serializer_class(self):
        return self.input_serializers.get(self.action, self.serializer_class)

    def get_queryset(self):
        return filter_actions(actions_visible_to(self.request.user))

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": timezone.localdate()}

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        actions = list(page if page is not None else queryset)
        context = {
            **self.get_serializer_context(),
            "results": next_round_results(actions, request.user),
        }
        data = FollowUpActionSerializer(actions, many=True, context=context).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def _output(self, action):
        return FollowUpActionSerializer(action, context=self.get_serializer_context()).data

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        action = action_create(user=request.user, **serializer.validated_data)
        return Response(self._output(action), status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        action = self.get_object()
        serializer = self.get_serializer(data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        action = action_update(action=action, user=request.user, **serializer.validated_data)
        return Response(self._output(action))

    def perform_destroy(self, instance):
        action_delete(action=instance, user=self.request.user)

    def _action_with_documents(self, request):
        """The action (404 outside the jurisdiction) for a reader of its details (403 for
        viewers: documents, like pair details, are for scorers, planners and admins)."""
        followup = self.get_object()
        if not can_read_details(request.user, followup.region):
            raise PermissionDenied(VIEWERS_READ_VIEWS_ONLY)
        return followup

    @extend_schema(methods=["GET"], responses=EvidenceDocumentSerializer(many=True))
    @extend_schema(
        methods=["POST"],
        request={"multipart/form-data": EvidenceUploadSerializer},
        responses={201: EvidenceDocumentSerializer},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        url_path="documents",
        parser_classes=[MultiPartParser, FormParser],
        filterset_class=None,
        pagination_class=None,
    )
    def documents(self, request, pk=None):
        """The action's evidence documents (GET), or a new one (POST, multipart: scorers,
        planners and admins of its region). A file too large, of a type not taken, or whose
        content does not match its name is refused (400) with nothing stored."""
        followup = self._action_with_documents(request)
        context = self.get_serializer_context()
        if request.method == "GET":
            present = followup.documents.present().select_related("uploaded_by")
            return Response(
                EvidenceDocumentSerializer(
                    present.order_by("-uploaded_at", "-id"), many=True, context=context
                ).data
            )
        upload = EvidenceUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        document = document_upload(
            action=followup,
            user=request.user,
            file=upload.validated_data["file"],
            title=upload.validated_data.get("title", ""),
        )
        return Response(
            EvidenceDocumentSerializer(document, context=context).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        responses={(200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY)}
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"documents/(?P<document_id>[0-9]+)",
        url_name="document",
        filterset_class=None,
        pagination_class=None,
    )
    def document(self, request, pk=None, document_id=None):
        """One document's file, as an attachment."""
        followup = self._action_with_documents(request)
        document = get_document_for_user(request.user, document_id, action=followup)
        return attachment_response(document)


# Documents of every subject under /api/v1/documents/ --------------------------------------


class ReadDetailsWritePlanners(BasePermission):
    """Documents are pair details: read by scorers, planners and admins (not viewers),
    added by them too (the service checks the region), deleted by admins."""

    def has_permission(self, request, view):
        access = access_for(request.user)
        if not access.roles:
            self.message = _("Your account has no role in this application.")
            return False
        if not reads_details(request.user):
            self.message = VIEWERS_READ_VIEWS_ONLY
            return False
        if request.method in SAFE_METHODS:
            return True
        if request.method == "DELETE":
            self.message = _("Only admins may delete documents.")
            return access.has_role(Role.ADMIN)
        self.message = _("Only the scorers, planners and admins of a region may add documents.")
        return access.has_role(*PLANNING_ROLES)


class DocumentSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    subject_kind = serializers.ChoiceField(
        choices=DocumentSubject.choices,
        read_only=True,
        help_text=_("What the document is evidence for: an action, a pair or an aksi."),
    )
    subject_label = serializers.CharField(read_only=True)
    aksi_label = serializers.CharField(source="get_aksi_display", read_only=True, allow_null=True)
    uploaded_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    download = serializers.SerializerMethodField(
        help_text=_("Where the file is downloaded (an attachment, for this API's users).")
    )

    class Meta:
        model = EvidenceDocument
        fields = [
            "id",
            "region",
            "subject_kind",
            "subject_label",
            "action",
            "round",
            "actor_a",
            "actor_b",
            "aksi",
            "aksi_label",
            "title",
            "original_name",
            "kind",
            "size",
            "uploaded_by",
            "uploaded_at",
            "download",
        ]
        read_only_fields = fields

    def get_download(self, document) -> str:
        return reverse("api:document-file", args=[document.pk], request=self.context.get("request"))


@extend_schema_field(OpenApiTypes.INT)
class VisibleActionField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return actions_visible_to(self.context["request"].user).select_related("region", "round")


class DocumentUploadSerializer(serializers.Serializer):
    """A file and what it is evidence for: an ``action``; or a pair (``round``,
    ``actor_a``, ``actor_b``, optional ``aksi``); or an ``aksi`` of a ``region`` (optional
    ``round``: the year it belongs to)."""

    file = serializers.FileField(
        allow_empty_file=True,
        help_text=_("PDF, JPG, PNG, DOCX or XLSX; the type is read from the content."),
    )
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    action = VisibleActionField(required=False, allow_null=True)
    round = VisibleRoundField(required=False, allow_null=True)
    actor_a = RosterCandidateField(required=False, allow_null=True)
    actor_b = RosterCandidateField(required=False, allow_null=True)
    region = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Region.objects.none(),
        required=False,
        allow_null=True,
        help_text=_("A Kemendagri code: the region of an aksi's document."),
    )
    aksi = serializers.ChoiceField(choices=Aksi.choices, required=False, allow_null=True)

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            fields["region"].queryset = visible_regions(request.user)
        return fields

    def validate(self, data):
        action_ = data.get("action")
        pair = data.get("actor_a") is not None or data.get("actor_b") is not None
        if action_ is not None and (pair or data.get("region") or data.get("aksi")):
            raise serializers.ValidationError(
                {"action": _("A document of an action takes its subject from the action.")}
            )
        if pair and (data.get("actor_a") is None or data.get("actor_b") is None):
            raise serializers.ValidationError({"actor_b": _("Name both actors of the pair.")})
        if pair and data.get("round") is None:
            raise serializers.ValidationError({"round": _("Name the round of the pair.")})
        if action_ is None and not pair and data.get("region") is None:
            if data.get("round") is None:
                raise serializers.ValidationError(
                    {
                        "region": _(
                            "Name what the document is evidence for: an action, a pair of a "
                            "round, or a region's aksi."
                        )
                    }
                )
            data["region"] = data["round"].region
        if (
            action_ is None
            and not pair
            and data.get("round") is not None
            and data["round"].region_id != data["region"].pk
        ):
            raise serializers.ValidationError(
                {"round": _("This round is not one of this region's.")}
            )
        return data


class DocumentFilter(django_filters.FilterSet):
    region = WithinRegionFilter(prefix="region__")
    round = django_filters.ModelChoiceFilter(queryset=_rounds)
    aksi = django_filters.TypedChoiceFilter(choices=Aksi.choices, coerce=int)
    # An action the user may read (another's id answers 400 as an unknown one does; a
    # huge number is refused, never sent to the database).
    action = django_filters.ModelChoiceFilter(queryset=_actions)
    subject = django_filters.ChoiceFilter(
        choices=DocumentSubject.choices,
        method="filter_subject",
        help_text=_("action, pair or aksi."),
    )
    # An actor's id (the method filters, so the schema is told the type).
    actor = extend_schema_field(OpenApiTypes.INT)(
        django_filters.ModelChoiceFilter(
            queryset=Actor.objects.all(),
            method="filter_actor",
            help_text=_("The documents of the pairs this actor is part of."),
        )
    )

    class Meta:
        model = EvidenceDocument
        fields = ["region", "round", "aksi", "action", "subject", "actor"]

    def filter_subject(self, queryset, name, value):
        if value == DocumentSubject.ACTION:
            return queryset.filter(action__isnull=False)
        if value == DocumentSubject.PAIR:
            return queryset.filter(actor_a__isnull=False)
        if value == DocumentSubject.AKSI:
            return queryset.filter(action__isnull=True, actor_a__isnull=True)
        return queryset

    def filter_actor(self, queryset, name, value):
        return queryset.filter(Q(actor_a=value) | Q(actor_b=value)) if value else queryset


@extend_schema_view(
    create=extend_schema(
        request={"multipart/form-data": DocumentUploadSerializer},
        responses={201: DocumentSerializer},
    ),
)
class DocumentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The evidence documents of the user's jurisdiction, whatever they prove: an action,
    a pair of actors in a round, or one of a region's 8 aksi. Newest first.

    Scorers, planners and admins read them (viewers read the map, not the evidence: 403)
    and add them (POST, multipart: a file too large, of a type not taken, or whose content
    does not match its name is refused, 400, with nothing stored). Admins delete them
    (DELETE: the row, its file and its history stay as a trace)."""

    serializer_class = DocumentSerializer
    permission_classes = [ReadDetailsWritePlanners]
    filterset_class = DocumentFilter
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self):
        return (
            documents_visible_to(self.request.user)
            .select_related("region", *DOCUMENT_RELATIONS)
            .order_by("-uploaded_at", "-id")
        )

    def get_serializer_class(self):
        return DocumentUploadSerializer if self.action == "create" else DocumentSerializer

    def create(self, request, *args, **kwargs):
        upload = self.get_serializer(data=request.data)
        upload.is_valid(raise_exception=True)
        data = upload.validated_data
        document = document_upload(
            user=request.user,
            file=data["file"],
            title=data.get("title", ""),
            action=data.get("action"),
            round=data.get("round"),
            actor_a=data.get("actor_a"),
            actor_b=data.get("actor_b"),
            region=data.get("region"),
            aksi=data.get("aksi"),
        )
        document = self.get_queryset().get(pk=document.pk)
        return Response(
            DocumentSerializer(document, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    def perform_destroy(self, instance):
        document_delete(document=instance, user=self.request.user)

    @extend_schema(
        responses={(200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY)}
    )
    @action(detail=True, methods=["get"], url_path="file", url_name="file", filterset_class=None)
    def file(self, request, pk=None):
        """The document's file, as an attachment."""
        document = self.get_object()
        if not can_read_details(request.user, document.region):
            raise PermissionDenied(VIEWERS_READ_VIEWS_ONLY)
        return attachment_response(document)
