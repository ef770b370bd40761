"""The partners' views of a round under /api/v1/rounds/<id>/partner-views/: each pair's two
views beside the official level, and the response of each roster member. The same
selectors as the pages (``partners.selectors``); scoped like the round, and, like the
details of pairs, not for viewers."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from api.permissions import ReadsDetails
from api.serializers import RoundSummarySerializer
from assessments.models import AssessmentRound, Level
from partners.models import InvitationStatus
from partners.selectors import invitations_for_round, pair_views_with_official


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
