"""The partners' views of a round under /api/v1/rounds/<id>/partner-views/: each pair's two
views beside the official level, and the response of each roster member. The same
selectors as the pages (``partners.selectors``); scoped like the round, and, like the
details of pairs, not for viewers."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import APIException
from rest_framework.response import Response
from rest_framework.views import APIView

from api.permissions import ReadDetailsWriteScorer, ReadsDetails
from api.serializers import RoundSummarySerializer
from assessments.models import AssessmentRound, Level, RoundMember
from assessments.services import StaleAssessment
from partners.models import InvitationStatus, Reconciliation
from partners.selectors import (
    invitations_for_round,
    pair_views_with_official,
    reconciliations_for_round,
    views_version,
)
from partners.services import StaleViews, reconcile


class PartnerViewSerializer(serializers.Serializer):
    """What one partner says about the other: a level (0 for "we do not work together"),
    or none with ``dont_know``."""

    level = serializers.ChoiceField(choices=Level.choices, allow_null=True)
    not_working_together = serializers.BooleanField()
    dont_know = serializers.BooleanField()


class PairViewsSerializer(serializers.Serializer):
    actor_a = serializers.IntegerField(source="views.actor_a_id", help_text=_("The lower id."))
    actor_b = serializers.IntegerField(source="views.actor_b_id")
    a_view = PartnerViewSerializer(
        source="views.a_view", allow_null=True, help_text=_("A's view of B; null if A gave none.")
    )
    b_view = PartnerViewSerializer(
        source="views.b_view", allow_null=True, help_text=_("B's view of A; null if B gave none.")
    )
    official_level = serializers.ChoiceField(
        source="official",
        choices=Level.choices,
        allow_null=True,
        help_text=_("The scorer's level; null when the pair is not assessed."),
    )
    disagree = serializers.BooleanField(
        source="views.disagree",
        help_text=_("The two levels differ by two or more, or one is 0 and the other 3 or more."),
    )
    proposed_level = serializers.ChoiceField(
        source="views.proposed",
        choices=Level.choices,
        allow_null=True,
        help_text=_("The lower of the two views' levels (or the one given): a proposal only."),
    )
    views_version = serializers.SerializerMethodField(
        help_text=_("Both views as they stand: give it back to reconcile the pair.")
    )

    def get_views_version(self, row) -> str:
        return views_version(row.views)


class MemberResponseSerializer(serializers.Serializer):
    actor = serializers.IntegerField(source="actor.pk")
    name = serializers.CharField(source="actor.name")
    status = serializers.ChoiceField(choices=InvitationStatus.choices)
    answered = serializers.IntegerField(help_text=_("The other members it answered about."))
    others = serializers.IntegerField(help_text=_("The other members of the roster."))
    rate = serializers.IntegerField(allow_null=True, help_text=_("answered / others, in percent."))
    submitted = serializers.SerializerMethodField()

    def get_submitted(self, row) -> bool:
        return bool(row.invitation and row.invitation.submitted_at)


class ResponsesSerializer(serializers.Serializer):
    members = serializers.IntegerField()
    invited = serializers.IntegerField()
    responded = serializers.IntegerField(help_text=_("Members that answered about anyone."))
    response_rate = serializers.IntegerField(
        allow_null=True, help_text=_("responded / members, in percent.")
    )
    answer_rate = serializers.IntegerField(
        allow_null=True, help_text=_("The answers given / all the answers possible, in percent.")
    )
    actors = MemberResponseSerializer(source="rows", many=True)


class RoundPartnerViewsSerializer(serializers.Serializer):
    round = RoundSummarySerializer()
    pairs = PairViewsSerializer(many=True)
    responses = ResponsesSerializer()


class RoundPartnerViewsView(APIView):
    """The partners' views of a round's pairs (each pair with at least one view) and the
    response of each roster member. Answers given through a revoked link are left out."""

    permission_classes = [ReadsDetails]

    @extend_schema(responses=RoundPartnerViewsSerializer, operation_id="rounds_partner_views")
    def get(self, request, id):
        round_ = get_object_or_404(
            AssessmentRound.objects.visible_to(request.user).select_related("region"), pk=id
        )
        data = {
            "round": round_,
            "pairs": pair_views_with_official(round_),
            "responses": invitations_for_round(round_),
        }
        return Response(RoundPartnerViewsSerializer(data).data)


# Reconciliations ---------------------------------------------------------------------------


class StaleConflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "stale"


class ReconciliationViewSnapshotSerializer(serializers.Serializer):
    """One side's view as the scorer saw it when deciding."""

    kind = serializers.ChoiceField(choices=["answers", "none", "unknown"])
    level = serializers.ChoiceField(choices=Level.choices, allow_null=True)
    evidence = serializers.ListField(child=serializers.BooleanField(allow_null=True))
    inconsistency_confirmed = serializers.BooleanField()
    note = serializers.CharField(allow_blank=True)
    respondent = serializers.CharField(allow_blank=True)
    answer = serializers.IntegerField(help_text=_("The partner's answer's id."))
    updated_at = serializers.CharField(help_text=_("When the answer was last changed."))


class ReconciliationSerializer(serializers.ModelSerializer):
    a_view = ReconciliationViewSnapshotSerializer(allow_null=True, read_only=True)
    b_view = ReconciliationViewSnapshotSerializer(allow_null=True, read_only=True)
    decided_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Reconciliation
        fields = [
            "id",
            "actor_a",
            "actor_b",
            "a_view",
            "b_view",
            "a_level",
            "b_level",
            "proposed_level",
            "previous_level",
            "level",
            "assessment_version",
            "reason",
            "decided_by",
            "decided_at",
        ]
        read_only_fields = fields


class StaleReconciliationSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text=_("Why nothing was written: read again."))


# An id outside these bounds names no row (and would overflow the database's integer).
ID_BOUNDS = {"min_value": 1, "max_value": 2**63 - 1}


class ReconcileInputSerializer(serializers.Serializer):
    actor_a = serializers.IntegerField(**ID_BOUNDS)
    actor_b = serializers.IntegerField(**ID_BOUNDS)
    # The service judges the level and the reason, in the same words as the page.
    level = serializers.JSONField(help_text=_("The official level to set, 0-4."))
    reason = serializers.CharField(allow_blank=True, trim_whitespace=False)
    views_version = serializers.CharField(
        help_text=_("The pair's views_version from partner-views: both views as read.")
    )
    expected_version = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=0,
        max_value=2**63 - 1,
        help_text=_("The official assessment's version read (0: not assessed)."),
    )


class RoundReconciliationsView(APIView):
    """The scorer's decisions on pairs whose partners gave their views: GET lists them
    (latest first); POST sets a pair's official level from both views, with the reason,
    through the scoring service (scorers and admins of the round's region, open rounds).
    If a partner changed its answer since ``views_version`` was read, or the official
    assessment changed since ``expected_version``, nothing is written (409)."""

    permission_classes = [ReadDetailsWriteScorer]

    def _round(self, request, id):
        return get_object_or_404(
            AssessmentRound.objects.visible_to(request.user).select_related("region"), pk=id
        )

    @extend_schema(
        responses=ReconciliationSerializer(many=True), operation_id="rounds_reconciliations_list"
    )
    def get(self, request, id):
        records = reconciliations_for_round(self._round(request, id))
        return Response(ReconciliationSerializer(records, many=True).data)

    @extend_schema(
        request=ReconcileInputSerializer,
        responses={201: ReconciliationSerializer, 409: StaleReconciliationSerializer},
        operation_id="rounds_reconciliations_create",
    )
    def post(self, request, id):
        round_ = self._round(request, id)
        serializer = ReconcileInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        # Only members of the round's roster, without naming any actor from elsewhere.
        members = {
            member.actor_id: member.actor
            for member in RoundMember.objects.filter(
                round=round_, actor_id__in=[data["actor_a"], data["actor_b"]]
            ).select_related("actor")
        }
        if data["actor_a"] == data["actor_b"] or len(members) != 2:
            raise DjangoValidationError(
                _("Both actors must be members of this round's roster."),
                code="actor_not_in_round",
            )
        try:
            record = reconcile(
                round=round_,
                actor_a=members[data["actor_a"]],
                actor_b=members[data["actor_b"]],
                level=data["level"],
                reason=data["reason"],
                user=request.user,
                views_version=data["views_version"],
                expected_version=data.get("expected_version"),
            )
        except (StaleViews, StaleAssessment) as stale:
            raise StaleConflict(stale.messages[0]) from None
        return Response(ReconciliationSerializer(record).data, status=status.HTTP_201_CREATED)
