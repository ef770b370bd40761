"""The API under /api/v1/. Every queryset is the user's jurisdiction (api.access); pair
assessments are written by ``assessments.services.pair_assessment_save``; bulk imports and
exports by the ``imports`` app."""

from django.contrib.auth.decorators import login_not_required
from django.db.models import Exists, OuterRef
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from knox.models import get_token_model
from knox.settings import knox_settings
from rest_framework import mixins, status, viewsets
from rest_framework import serializers as drf_serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, NotFound, PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.scoping import roster_candidates, scope, visible_regions
from actors.models import Actor, GovernmentLevel, Programme, Sector
from api import filters, serializers
from api.pagination import PairCursorPagination
from api.permissions import (
    AdminOnly,
    ReadAnyRoleWriteAdmin,
    ReadAnyRoleWriteNationalAdmin,
    ReadDetailsWriteScorer,
    ReadsDetails,
)
from assessments.forms import MatrixFilterForm
from assessments.models import EVIDENCE_FIELDS, AssessmentRound, PairAssessment, RoundMember
from assessments.rounds import eligible_actors
from assessments.selectors import end_of_day, matrix_for_round
from assessments.services import StaleAssessment, pair_assessment_save
from convergence.converters import RegionCodeConverter
from imports import pairs as pair_imports
from imports.plan import ACTIONS
from imports.services import run_export, run_import
from imports.tabular import FILE_TYPES, XLSX_CONTENT_TYPE, read_upload

FILE_TYPE_PARAMETER = OpenApiParameter(
    "file_type", str, enum=list(FILE_TYPES), description=gettext_lazy("csv (default) or xlsx")
)
DRY_RUN_PARAMETER = OpenApiParameter(
    "dry_run",
    bool,
    description=gettext_lazy(
        "true: check the file and answer what the import would create, update and leave "
        "unchanged (the first 1,000 rows, with their values), writing nothing."
    ),
)
IMPORT_OUTCOME = inline_serializer(
    "ImportOutcome",
    {
        "created": drf_serializers.IntegerField(),
        "updated": drf_serializers.IntegerField(),
        "unchanged": drf_serializers.IntegerField(),
        "dry_run": drf_serializers.BooleanField(
            required=False, help_text=gettext_lazy("Present and true when nothing was written.")
        ),
        "rows": drf_serializers.ListField(
            required=False,
            help_text=gettext_lazy("Dry run: each good row's action and values, as stored."),
            child=inline_serializer(
                "PlannedRow",
                {
                    "row": drf_serializers.IntegerField(),
                    "cell": drf_serializers.CharField(allow_blank=True),
                    "action": drf_serializers.ChoiceField(choices=list(ACTIONS)),
                    "values": drf_serializers.DictField(),
                    "before": drf_serializers.DictField(
                        help_text=gettext_lazy("An update's old value of each field it changes.")
                    ),
                },
            ),
        ),
        "notes": drf_serializers.ListField(
            required=False,
            child=drf_serializers.CharField(),
            help_text=gettext_lazy(
                "Dry run: what to know before importing (deactivated actors, replaced assessments)."
            ),
        ),
    },
)


FILE_RESPONSE = {
    (200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY),
    (
        200,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ): OpenApiResponse(OpenApiTypes.BINARY),
}


class ReadCreateUpdateViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """List, read, create and update; nothing is deleted through the API (an actor with
    assessments is deactivated, a round is closed)."""

    permission_classes = [ReadAnyRoleWriteAdmin]
    input_serializers: dict[str, type] = {}

    def get_serializer_class(self):
        return self.input_serializers.get(self.action, self.serializer_class)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        instance = serializer.save()
        return Response(self._output(instance), status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        instance = self.get_object()
        serializer = self.get_serializer(
            instance, data=request.data, partial=kwargs.get("partial", False)
        )
        serializer.is_valid(raise_exception=True)
        instance = serializer.save()
        return Response(self._output(instance))

    def _output(self, instance):
        return self.serializer_class(instance, context=self.get_serializer_context()).data


def _file_response(content: bytes, content_type: str, *, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    extension = "xlsx" if content_type == XLSX_CONTENT_TYPE else "csv"
    response["Content-Disposition"] = f'attachment; filename="{name}.{extension}"'
    return response


def _file_type(request) -> str:
    file_type = request.query_params.get("file_type") or "csv"
    if file_type not in FILE_TYPES:
        raise ValidationError({"file_type": [_("Choose csv or xlsx.")]})
    return file_type


class FileExportMixin:
    """Exports answer with a file whatever the Accept header asks (errors stay JSON).

    ``file_actions`` names a viewset's actions that export; None: the whole view does.
    """

    file_actions: set[str] | None = None

    def perform_content_negotiation(self, request, force=False):
        exporting = self.file_actions is None or getattr(self, "action", None) in self.file_actions
        return super().perform_content_negotiation(request, force=force or exporting)


# Regions and sectors ---------------------------------------------------------------------


@extend_schema_view(
    create=extend_schema(
        request=serializers.RegionCreateSerializer,
        responses={201: serializers.RegionSerializer},
    ),
    update=extend_schema(
        request=serializers.RegionUpdateSerializer, responses=serializers.RegionSerializer
    ),
    partial_update=extend_schema(
        request=serializers.RegionUpdateSerializer, responses=serializers.RegionSerializer
    ),
)
class RegionViewSet(ReadCreateUpdateViewSet):
    """Kemendagri regions of the user's jurisdiction. A new region's level and parent come
    from its code."""

    serializer_class = serializers.RegionSerializer
    input_serializers = {
        "create": serializers.RegionCreateSerializer,
        "update": serializers.RegionUpdateSerializer,
        "partial_update": serializers.RegionUpdateSerializer,
    }
    filterset_class = filters.RegionFilter
    lookup_field = "code"
    lookup_value_regex = RegionCodeConverter.regex

    def get_queryset(self):
        return visible_regions(self.request.user).select_related("parent")


class SectorViewSet(ReadCreateUpdateViewSet):
    """Sectors (health or not); shared by every region, so changed by national admins."""

    serializer_class = serializers.SectorSerializer
    permission_classes = [ReadAnyRoleWriteNationalAdmin]
    filterset_class = filters.SectorFilter
    lookup_field = "code"
    queryset = Sector.objects.all()


# Actors and programmes -------------------------------------------------------------------


class ActorViewSet(ReadCreateUpdateViewSet):
    """Actors (organisations) homed in the user's jurisdiction."""

    serializer_class = serializers.ActorSerializer
    filterset_class = filters.ActorFilter

    def get_queryset(self):
        return scope(Actor.objects, self.request.user).select_related("sector", "home_region")


class ProgrammeViewSet(ReadCreateUpdateViewSet):
    """Programmes with their participants. Giving ``participants`` on a write replaces the
    list; leaving it out keeps it."""

    serializer_class = serializers.ProgrammeSerializer
    filterset_class = filters.ProgrammeFilter

    def get_queryset(self):
        return (
            scope(Programme.objects, self.request.user)
            .select_related("region")
            .prefetch_related("participants")
        )


# Rounds, the matrix, and the pairs of a round as files -----------------------------------

MATRIX_PARAMETERS = [
    OpenApiParameter(
        "sector", int, many=True, description=gettext_lazy("Sector ids; repeat for several.")
    ),
    OpenApiParameter("government_level", int, enum=GovernmentLevel.values),
    OpenApiParameter(
        "programme", int, description=gettext_lazy("Only the programme's participants.")
    ),
    OpenApiParameter(
        "as_of",
        OpenApiTypes.DATE,
        description=gettext_lazy(
            "The levels as they stood at the end of that day (from the history)."
        ),
    ),
]


@extend_schema_view(
    matrix=extend_schema(parameters=MATRIX_PARAMETERS, responses=serializers.MatrixSerializer),
    import_pairs=extend_schema(
        request={"multipart/form-data": serializers.PairImportSerializer},
        parameters=[DRY_RUN_PARAMETER],
        responses=IMPORT_OUTCOME,
    ),
    export_pairs=extend_schema(
        parameters=[
            OpenApiParameter("shape", str, enum=list(pair_imports.SHAPES)),
            FILE_TYPE_PARAMETER,
        ],
        responses=FILE_RESPONSE,
    ),
)
class RoundViewSet(FileExportMixin, ReadCreateUpdateViewSet):
    """Assessment rounds (drafts for admins only) and their rosters, written through the
    round services: a closed round's fields and roster are frozen; it is reopened with a
    reason."""

    serializer_class = serializers.RoundSerializer
    filterset_class = filters.RoundFilter
    file_actions = {"export_pairs"}

    def get_queryset(self):
        rounds = AssessmentRound.objects.visible_to(self.request.user).select_related(
            "region", "programme"
        )
        if self.action in ("list", "retrieve"):
            rounds = rounds.prefetch_related("members")  # the roster is part of a round's body
        return rounds

    @extend_schema(responses=serializers.RosterCandidateSerializer(many=True))
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def candidates(self, request, pk=None):
        """The actors that may be put on the round's roster (of its region, below it, or at
        a level above it, and that the user may name), each saying whether it is on it."""
        round_ = self.get_object()
        on_roster = RoundMember.objects.filter(round=round_, actor=OuterRef("pk"))
        actors = (
            eligible_actors(round_.region)
            .filter(pk__in=roster_candidates(request.user).values("pk"))
            .select_related("sector", "home_region")
            .annotate(on_roster=Exists(on_roster))
            .order_by("home_region__code", "name", "pk")
        )
        return Response(serializers.RosterCandidateSerializer(actors, many=True).data)

    def get_permissions(self):
        if self.action == "import_pairs":
            return [AdminOnly()]
        if self.action == "export_pairs":
            return [ReadsDetails()]
        return super().get_permissions()

    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def matrix(self, request, pk=None):
        """The who × who matrix: the round's actors and the levels of the assessed pairs.

        A pair that is not assessed is absent from ``pairs`` (it is never level 0).
        """
        round_ = self.get_object()
        form = MatrixFilterForm(request.query_params or None, region=round_.region)
        if form.is_bound and not form.is_valid():
            raise ValidationError(_form_errors(form))
        chosen = form.cleaned_data if form.is_bound else {}
        as_of = chosen.get("as_of")
        matrix = matrix_for_round(
            round=round_,
            sector_ids=[sector.pk for sector in chosen.get("sector") or ()],
            government_level=chosen.get("government_level"),
            programme=chosen.get("programme"),
            as_of=end_of_day(as_of) if as_of else None,
        )
        data = {
            "round": round_,
            "actors": matrix.actors,
            "pairs": [
                {"actor_a": a, "actor_b": b, "level": level}
                for (a, b), level in sorted(matrix.levels.items())
            ],
            "assessed": len(matrix.levels),
            "possible": matrix.possible_pairs,
        }
        return Response(serializers.MatrixSerializer(data).data)

    @action(
        detail=True,
        methods=["post"],
        url_path="import",
        parser_classes=[MultiPartParser, FormParser],
        filterset_class=None,
        pagination_class=None,
    )
    def import_pairs(self, request, pk=None):
        """Import pair levels (an edge list or a matrix, CSV or XLSX) into an open round.

        Nothing is written unless every row is valid; the errors list each bad row. With
        ``?dry_run=true`` nothing is written: the answer says what the import would do.
        """
        round_ = self.get_object()
        dry_run = _dry_run(request)
        upload = serializers.PairImportSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        plan = run_import(
            kind=upload.validated_data["shape"],
            data=read_upload(upload.validated_data["file"]),
            user=request.user,
            round=round_,
            dry_run=dry_run,
        )
        return _import_response(plan, dry_run=dry_run)

    @action(
        detail=True,
        methods=["get"],
        url_path="export",
        filterset_class=None,
        pagination_class=None,
    )
    def export_pairs(self, request, pk=None):
        """The round's levels as a file that the import reads back unchanged."""
        round_ = self.get_object()
        shape = request.query_params.get("shape") or "edges"
        if shape not in pair_imports.SHAPES:
            raise ValidationError({"shape": [_("Choose edges or matrix.")]})
        content, content_type = run_export(kind=shape, file_type=_file_type(request), round=round_)
        return _file_response(content, content_type, name=f"round-{round_.pk}-{shape}")


def _form_errors(form) -> dict:
    """The page's filter form's errors, keyed by field as the API's other errors."""
    return {
        field: [item["message"] for item in items]
        for field, items in form.errors.get_json_data().items()
    }


# Pair assessments ------------------------------------------------------------------------


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "stale"

    def __init__(self, detail):
        # A dict as it is: the message and the assessment stored now.
        self.detail = detail


@extend_schema_view(
    create=extend_schema(
        request=serializers.PairAssessmentCreateSerializer,
        responses={
            200: serializers.PairAssessmentSerializer,
            201: serializers.PairAssessmentSerializer,
            409: serializers.StaleAssessmentSerializer,
        },
    ),
    update=extend_schema(
        request=serializers.PairAssessmentUpdateSerializer,
        responses={
            200: serializers.PairAssessmentSerializer,
            409: serializers.StaleAssessmentSerializer,
        },
    ),
    partial_update=extend_schema(
        request=serializers.PairAssessmentUpdateSerializer,
        responses={
            200: serializers.PairAssessmentSerializer,
            409: serializers.StaleAssessmentSerializer,
        },
    ),
)
class PairAssessmentViewSet(ReadCreateUpdateViewSet):
    """The scored pairs of the rounds of the user's jurisdiction.

    Writes go through the scoring service, with the rules of the scoring page: an open
    round, a scorer (or admin) of its region, two distinct active actors of the round's
    region, a level 0-4 or evidence answers to derive it from. POST scores a pair (and
    replaces its assessment if it has one: 200 instead of 201); PUT replaces the
    assessment; PATCH changes the values it gives and keeps the others. With
    ``expected_version``, a save over a newer one is refused (409, with the stored one).
    """

    serializer_class = serializers.PairAssessmentSerializer
    permission_classes = [ReadDetailsWriteScorer]
    input_serializers = {
        "create": serializers.PairAssessmentCreateSerializer,
        "update": serializers.PairAssessmentUpdateSerializer,
        "partial_update": serializers.PairAssessmentUpdateSerializer,
    }
    filterset_class = filters.PairAssessmentFilter
    pagination_class = PairCursorPagination

    def get_queryset(self):
        rounds = AssessmentRound.objects.visible_to(self.request.user)
        return PairAssessment.objects.filter(round__in=rounds).select_related("scored_by")

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        round_, actor_a, actor_b = data["round"], data["actor_a"], data["actor_b"]
        first, second = sorted([actor_a.pk, actor_b.pk])
        existed = PairAssessment.objects.filter(
            round=round_, actor_a_id=first, actor_b_id=second
        ).exists()
        saved = self._save(round_=round_, actor_a=actor_a, actor_b=actor_b, data=data)
        return Response(
            self._output(saved), status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED
        )

    def update(self, request, *args, **kwargs):
        partial = kwargs.get("partial", False)
        assessment = self.get_object()
        serializer = self.get_serializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        round_ = (
            AssessmentRound.objects.visible_to(request.user)
            .select_related("region")
            .get(pk=assessment.round_id)
        )
        saved = self._save(
            round_=round_,
            actor_a=assessment.actor_a,
            actor_b=assessment.actor_b,
            data=serializer.validated_data,
            keep=assessment if partial else None,
        )
        return Response(self._output(saved))

    def _save(self, *, round_, actor_a, actor_b, data, keep=None):
        """Call the service with the values given; with ``keep`` (PATCH), a value not
        given is the stored one, and new evidence without a level derives the level."""

        def value(name, default):
            if name in data:
                return data[name]
            return getattr(keep, name) if keep is not None else default

        evidence = tuple(value(name, None) for name in EVIDENCE_FIELDS)
        evidence_given = any(name in data for name in EVIDENCE_FIELDS)
        if "level" in data or keep is None:
            level = data.get("level")
        else:
            level = None if evidence_given else keep.level
        if "confirm_inconsistent" in data:
            confirm = data["confirm_inconsistent"]
        else:
            confirm = bool(keep and not evidence_given and keep.evidence_inconsistency_confirmed)
        try:
            return pair_assessment_save(
                round=round_,
                actor_a=actor_a,
                actor_b=actor_b,
                level=level,
                note=value("note", ""),
                user=self.request.user,
                evidence=evidence,
                mechanisms=value("mechanisms", []),
                facilitating_factors=value("facilitating_factors", []),
                hindering_factors=value("hindering_factors", []),
                confirm_inconsistent=confirm,
                expected_version=data.get("expected_version"),
            )
        except StaleAssessment as stale:
            current = stale.current and self._output(stale.current)
            raise Conflict({"detail": stale.messages[0], "current": current}) from None


# Bulk imports and exports of regions and actors ------------------------------------------

IMPORTERS = ("regions", "actors")


def _dry_run(request) -> bool:
    try:
        return drf_serializers.BooleanField().run_validation(
            request.query_params.get("dry_run", "false")
        )
    except ValidationError as error:
        raise ValidationError({"dry_run": error.detail}) from None


def _import_response(plan, *, dry_run: bool) -> Response:
    """A dry run answers as the import would: a file with a bad row is refused (400)."""
    plan.raise_if_refused()
    return Response(plan.preview_dict() if dry_run else plan.as_dict())


@extend_schema(
    request={"multipart/form-data": serializers.ImportFileSerializer},
    responses=IMPORT_OUTCOME,
    parameters=[
        OpenApiParameter("kind", str, OpenApiParameter.PATH, enum=list(IMPORTERS)),
        DRY_RUN_PARAMETER,
    ],
)
class ImportView(APIView):
    """Import regions (code, name) or actors (name, short_name, kind, sector,
    government_level, region_code[, active]) from CSV or XLSX. Nothing is written unless
    every row is valid; importing the same file again changes nothing. With
    ``?dry_run=true`` nothing is written: the answer says what the import would do."""

    permission_classes = [AdminOnly]
    parser_classes = [MultiPartParser, FormParser]

    def post(self, request, kind):
        dry_run = _dry_run(request)
        upload = serializers.ImportFileSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        plan = run_import(
            kind=kind,
            data=read_upload(upload.validated_data["file"]),
            user=request.user,
            dry_run=dry_run,
        )
        return _import_response(plan, dry_run=dry_run)


@extend_schema(
    parameters=[
        OpenApiParameter("kind", str, OpenApiParameter.PATH, enum=list(IMPORTERS)),
        OpenApiParameter(
            "region", str, description=gettext_lazy("Only this region and those below it.")
        ),
        FILE_TYPE_PARAMETER,
    ],
    responses=FILE_RESPONSE,
)
class ExportView(FileExportMixin, APIView):
    """Regions or actors of the user's jurisdiction, in the shape the import reads."""

    permission_classes = [ReadsDetails]

    def get(self, request, kind):
        file_type = _file_type(request)
        if kind == "regions":
            filterset_class, queryset = filters.RegionFilter, visible_regions(request.user)
        else:
            filterset_class, queryset = filters.ActorFilter, scope(Actor.objects, request.user)
        chosen = filterset_class(
            {"region": request.query_params.get("region", "")},
            queryset=queryset,
            request=request,
        )
        if not chosen.is_valid():
            raise ValidationError(chosen.errors)
        content, content_type = run_export(kind=kind, file_type=file_type, queryset=chosen.qs)
        return _file_response(content, content_type, name=kind)


@extend_schema(
    request={"application/json": AuthTokenSerializer},
    responses={200: serializers.TokenSerializer},
)
class TokenView(APIView):
    """Exchange a username and password for a new API token (send it as ``Authorization:
    Token <token>``). It expires after a set time (``expiry``); changing the password or
    deactivating the user revokes every token of theirs. Failed attempts count towards the
    login lockout."""

    authentication_classes = []
    permission_classes = []
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    def post(self, request):
        credentials = AuthTokenSerializer(data=request.data, context={"request": request})
        credentials.is_valid(raise_exception=True)
        user = credentials.validated_data["user"]
        limit = knox_settings.TOKEN_LIMIT_PER_USER
        if limit is not None:
            now = timezone.now()
            live = get_token_model().objects.filter(user=user, expiry__gt=now)
            if live.count() >= limit:
                raise PermissionDenied(
                    _(
                        "This user already holds %(limit)d valid tokens: revoke one "
                        "(POST /api/v1/token/revoke/ with it) or ask an admin to."
                    )
                    % {"limit": limit}
                )
        instance, token = get_token_model().objects.create(user=user)
        return Response(
            serializers.TokenSerializer({"token": token, "expiry": instance.expiry}).data
        )


@extend_schema(request=None, responses={204: None})
class TokenRevokeView(APIView):
    """Revoke the token this request is made with (for example when a script is retired)."""

    permission_classes = [IsAuthenticated]

    def post(self, request):
        if not isinstance(request.auth, get_token_model()):
            raise ValidationError({"detail": _("Send this request with the token to revoke.")})
        request.auth.delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


@csrf_exempt  # it writes nothing; a refused token would otherwise answer in HTML
@login_not_required
def not_found(request, *args, **kwargs):
    """Any other path under /api/v1/: a JSON 404, like every other answer of the API. (A
    plain view, so that the browsable API's breadcrumbs do not list it.)"""
    return JsonResponse({"detail": str(NotFound.default_detail)}, status=404)
