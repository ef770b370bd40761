"""The planners' views as read endpoints under /api/v1/regions/<code>/: dashboard, sector ×
sector, by government level, network, round comparison, programme overlaps, the province
ranking and the national overview.

Each endpoint is the page of the same name without its HTML: the same scoping (the region
and the round are picked by ``insights.views.region_and_round``, 403 outside the user's
jurisdiction, 404 for a round that is not the region's), the same selectors
(``insights.selectors``) and so the same figures, at the same fixed number of queries.
"""

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from actors.models import GovernmentLevel, Programme, Sector
from api.permissions import ReadAnyRoleWriteAdmin
from api.serializers import MatrixActorSerializer
from assessments.models import Level
from insights.selectors import network as network_selectors
from insights.selectors import structure, trends
from insights.views import region_and_round
from insights.views.trends import ComparisonFilterForm, previous_round

ROUND_PARAMETER = OpenApiParameter(
    "round",
    int,
    description=gettext_lazy(
        "The round (of this region) to read. Default, as on the page: for a scorer the open "
        "round they score, for others the latest round with a scored pair."
    ),
)


class LevelField(serializers.IntegerField):
    """A convergence level, 0 (none) to 4 (integration); null where not assessed."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", min(Level.values))
        kwargs.setdefault("max_value", max(Level.values))
        super().__init__(**kwargs)


# Shared parts ---------------------------------------------------------------------------


class RoundRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()
    status = serializers.CharField()
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    programme = serializers.IntegerField(source="programme_id", allow_null=True)


class SummarySerializer(serializers.Serializer):
    """A set of pairs: how many could be scored (``possible``), how many are (``assessed``),
    how many at each level, and the mean over the assessed pairs only. A pair not assessed
    is never counted as level 0."""

    possible = serializers.IntegerField()
    assessed = serializers.IntegerField()
    not_assessed = serializers.SerializerMethodField()
    counts = serializers.SerializerMethodField(
        help_text=gettext_lazy("Assessed pairs at each level, keyed by the level 0–4.")
    )
    coverage_percent = serializers.SerializerMethodField()
    mean = serializers.FloatField(allow_null=True)
    index_percent = serializers.FloatField(
        allow_null=True,
        help_text=gettext_lazy("The convergence index: mean level / 4 × 100, on assessed pairs."),
    )
    highest = LevelField(allow_null=True)

    def get_not_assessed(self, summary) -> int:
        return summary.possible - summary.assessed

    def get_counts(self, summary) -> dict[str, int]:
        return {str(level): summary.counts.get(level, 0) for level in Level.values}

    def get_coverage_percent(self, summary) -> float | None:
        return None if summary.coverage is None else summary.coverage * 100


class ChangeSerializer(serializers.Serializer):
    """The change from an earlier round, like for like: on the ``paired`` pairs scored in
    both rounds only. Pairs newly scored and pairs not re-scored are counted beside it,
    never mixed into it."""

    paired = serializers.IntegerField()
    mean_before = serializers.FloatField(allow_null=True)
    mean_now = serializers.FloatField(allow_null=True)
    mean = serializers.FloatField(allow_null=True, help_text=gettext_lazy("Now minus before."))
    index_before = serializers.FloatField(allow_null=True)
    index_now = serializers.FloatField(allow_null=True)
    index_points = serializers.FloatField(allow_null=True)
    improved = serializers.IntegerField()
    declined = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    newly_scored = serializers.IntegerField()
    not_rescored = serializers.IntegerField()
    still_open = serializers.BooleanField()


class SectorRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    is_health = serializers.BooleanField()


class RegionRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    level = serializers.IntegerField()


class TallySerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


# Views ------------------------------------------------------------------------------------


class RegionView(APIView):
    """A planners' view of a region: read by every role, in the reader's jurisdiction."""

    permission_classes = [ReadAnyRoleWriteAdmin]
    http_method_names = ["get", "head", "options"]

    def picked(self, request, code):
        return region_and_round(request, code)

    @staticmethod
    def require_round(picked):
        if picked.round is None:
            raise Http404(_("This region has no assessment round yet."))
        return picked.round


# Dashboard ---------------------------------------------------------------------------------


class DashboardSerializer(serializers.Serializer):
    region = RegionRefSerializer()
    round = RoundRefSerializer(allow_null=True)
    actor_count = serializers.IntegerField(allow_null=True)
    summary = SummarySerializer(allow_null=True)
    previous_round = RoundRefSerializer(allow_null=True)
    previous_summary = SummarySerializer(allow_null=True)
    change = ChangeSerializer(allow_null=True)
    coverage_points = serializers.FloatField(
        allow_null=True,
        help_text=gettext_lazy(
            "Coverage now minus coverage in the previous round, in percentage points (two "
            "sets of pairs: not a change in convergence)."
        ),
    )


class DashboardView(RegionView):
    """The region's dashboard: the round's coverage, distribution and convergence index,
    and the change since the round before it, like for like (``change``)."""

    @extend_schema(parameters=[ROUND_PARAMETER], responses=DashboardSerializer)
    def get(self, request, code):
        picked = self.picked(request, code)
        board = trends.region_dashboard(
            region=picked.region, rounds=picked.rounds, round=picked.round
        )
        current, previous = board.current, board.previous
        data = {
            "region": board.region,
            "round": current and current.round,
            "actor_count": current and current.actor_count,
            "summary": current and current.summary,
            "previous_round": previous and previous.round,
            "previous_summary": previous and previous.summary,
            "change": board.change,
            "coverage_points": board.coverage_points,
        }
        return Response(DashboardSerializer(data).data)


# Sector × sector --------------------------------------------------------------------------


class SectorCellSerializer(serializers.Serializer):
    sector_a = serializers.CharField(help_text=gettext_lazy("Sector code."))
    sector_b = serializers.CharField(help_text=gettext_lazy("Sector code."))
    summary = SummarySerializer()


class SectorCountSerializer(SectorRefSerializer):
    actor_count = serializers.IntegerField()


class SectorLinkSerializer(serializers.Serializer):
    sector = serializers.CharField(source="sector.code")
    actor_count = serializers.IntegerField()
    summary = SummarySerializer()


class HealthConvergenceSerializer(serializers.Serializer):
    health_sectors = serializers.SerializerMethodField(help_text=gettext_lazy("Sector codes."))
    health_actor_count = serializers.IntegerField()
    non_health_actor_count = serializers.IntegerField()
    overall = SummarySerializer()
    by_sector = SectorLinkSerializer(many=True)

    def get_health_sectors(self, health) -> list[str]:
        return [sector.code for sector in health.health_sectors]


class SectorMatrixSerializer(serializers.Serializer):
    """Between every two sectors of the round (a sector with itself: pairs of two of its
    actors), and health with each non-health sector."""

    round = RoundRefSerializer()
    sectors = SectorCountSerializer(many=True)
    pairs = SectorCellSerializer(many=True)
    health = HealthConvergenceSerializer()


class SectorMatrixView(RegionView):
    """Sector × sector: the mean and highest level and the coverage between sectors."""

    @extend_schema(parameters=[ROUND_PARAMETER], responses=SectorMatrixSerializer)
    def get(self, request, code):
        matrix = structure.sector_matrix(round=self.require_round(self.picked(request, code)))
        code_of = {sector.pk: sector.code for sector in matrix.sectors}
        data = {
            "round": matrix.round,
            "sectors": [
                {
                    "code": sector.code,
                    "name": sector.name,
                    "is_health": sector.is_health,
                    "actor_count": matrix.actor_counts[sector.pk],
                }
                for sector in matrix.sectors
            ],
            "pairs": [
                {"sector_a": code_of[a], "sector_b": code_of[b], "summary": summary}
                for (a, b), summary in matrix.pairs.items()
            ],
            "health": matrix.health,
        }
        return Response(SectorMatrixSerializer(data).data)


# By government level ----------------------------------------------------------------------


class ConvergenceSerializer(serializers.Serializer):
    summary = SummarySerializer()
    median = serializers.FloatField(allow_null=True)
    mechanisms = TallySerializer(many=True)
    facilitating_factors = TallySerializer(many=True)
    hindering_factors = TallySerializer(many=True)


class LevelActorSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="actor.pk")
    name = serializers.CharField(source="actor.name")
    sector = serializers.CharField(source="actor.sector.code")
    role = serializers.CharField(allow_null=True)


class GovernmentLevelRowSerializer(ConvergenceSerializer):
    """Within one government level: the pairs whose two actors are both at it."""

    level = serializers.ChoiceField(choices=GovernmentLevel.choices)
    label = serializers.CharField(source="level.label")
    main_role = serializers.CharField(
        help_text=gettext_lazy("The level's main role or action, as recorded for the round.")
    )
    actors = LevelActorSerializer(many=True)
    roles = TallySerializer(many=True)


class LevelLinkSerializer(ConvergenceSerializer):
    """Between two levels: the pairs with one actor at ``upper`` and one at ``lower``."""

    upper = serializers.ChoiceField(choices=GovernmentLevel.choices)
    lower = serializers.ChoiceField(choices=GovernmentLevel.choices)
    upper_actor_count = serializers.IntegerField()
    lower_actor_count = serializers.IntegerField()
    adjacent = serializers.BooleanField()


class GovernmentLevelTableSerializer(serializers.Serializer):
    """Kim et al. (2017) Table 2 for the round: within each level, pusat to desa, and between
    every two levels that have actors."""

    round = RoundRefSerializer()
    programme = serializers.IntegerField(source="programme.pk", allow_null=True)
    rows = GovernmentLevelRowSerializer(many=True)
    links = LevelLinkSerializer(many=True)


class ByLevelView(RegionView):
    """By government level: the degree of convergence, mechanisms and factors recorded
    within each level and between levels (province ↔ district, district ↔ kecamatan…)."""

    @extend_schema(
        parameters=[
            ROUND_PARAMETER,
            OpenApiParameter(
                "programme",
                int,
                description=gettext_lazy("Only the actors of this programme of the region."),
            ),
        ],
        responses=GovernmentLevelTableSerializer,
    )
    def get(self, request, code):
        picked = self.picked(request, code)
        programme = None
        raw = request.query_params.get("programme", "").strip()
        if raw:
            programme = Programme.objects.filter(region=picked.region, pk__in=_ids(raw)).first()
            if programme is None:
                raise Http404(
                    _("There is no programme “%(value)s” in this region.") % {"value": raw}
                )
        table = structure.by_government_level(round=self.require_round(picked), programme=programme)
        return Response(GovernmentLevelTableSerializer(table).data)


def _ids(raw: str) -> list[int]:
    return [int(raw)] if raw.isascii() and raw.isdigit() else []


# Network ----------------------------------------------------------------------------------


class NetworkNodeSerializer(serializers.Serializer):
    actor = MatrixActorSerializer()
    degree = serializers.IntegerField(help_text=gettext_lazy("Links at cooperation or above."))
    weighted_degree = serializers.IntegerField(help_text=gettext_lazy("Sum of their levels."))
    betweenness = serializers.FloatField(
        help_text=gettext_lazy(
            "Share of shortest paths between two other actors through this one, a link's "
            "length being 1 / level."
        )
    )
    brokerage = serializers.FloatField(
        allow_null=True,
        help_text=gettext_lazy(
            "The same share on the paths between a health and a non-health actor only; null "
            "where it cannot be measured."
        ),
    )
    assessed_pairs = serializers.IntegerField()
    in_degree = serializers.IntegerField(
        source="partner.named_by",
        allow_null=True,
        help_text=gettext_lazy(
            "Partners' answers: members that say they work with this actor (cooperation or "
            "above); null when no member answered about it."
        ),
    )
    in_answers = serializers.IntegerField(
        source="partner.answered_by",
        help_text=gettext_lazy("Members that gave a yes-or-no answer about this actor."),
    )
    out_degree = serializers.IntegerField(
        source="partner.names",
        allow_null=True,
        help_text=gettext_lazy(
            "Partners' answers: members this actor says it works with; null when it has not "
            "answered."
        ),
    )
    out_answers = serializers.IntegerField(
        source="partner.answered",
        help_text=gettext_lazy("Members this actor gave a yes-or-no answer about."),
    )
    named_back = serializers.IntegerField(
        source="partner.confirmed",
        help_text=gettext_lazy("Ties this actor names that the other side names back."),
    )


class PartnerTiesSerializer(serializers.Serializer):
    """The partners' answers as a directed network. ``reciprocity`` is ``confirmed`` /
    ``checkable``: only ties whose other side answered about the first are counted; null
    when none can be checked. "I don't know" and no answer are missing, never "no"."""

    members = serializers.IntegerField()
    invited = serializers.IntegerField()
    respondents = serializers.IntegerField()
    named = serializers.IntegerField()
    checkable = serializers.IntegerField()
    confirmed = serializers.IntegerField()
    unchecked = serializers.IntegerField()
    reciprocity = serializers.FloatField(allow_null=True)


class NetworkLinkSerializer(serializers.Serializer):
    actor_a = serializers.IntegerField(source="actor_a.pk")
    actor_b = serializers.IntegerField(source="actor_b.pk")
    level = LevelField()


class NetworkSerializer(serializers.Serializer):
    """The round's network: a link is a pair scored cooperation (1) or above. ``density``
    is links / pairs assessed: a pair nobody scored is unknown, not a missing link."""

    round = RoundRefSerializer()
    summary = SummarySerializer()
    density_percent = serializers.FloatField(allow_null=True)
    health_actors = serializers.IntegerField()
    non_health_actors = serializers.IntegerField()
    nodes = NetworkNodeSerializer(many=True)
    links = NetworkLinkSerializer(many=True)
    partners = PartnerTiesSerializer()
    isolated = serializers.SerializerMethodField()
    brokers = serializers.SerializerMethodField()

    def get_isolated(self, network) -> list[int]:
        return [node.actor.pk for node in network.isolated]

    def get_brokers(self, network) -> list[int]:
        """Actors with a health ↔ non-health brokerage above 0, highest first."""
        return [node.actor.pk for node in network.brokers]


class NetworkView(RegionView):
    """The network metrics of the round, as on the network page and in the reports."""

    @extend_schema(parameters=[ROUND_PARAMETER], responses=NetworkSerializer)
    def get(self, request, code):
        network = network_selectors.network_for_round(
            round=self.require_round(self.picked(request, code))
        )
        return Response(NetworkSerializer(network).data)


# Comparison -------------------------------------------------------------------------------


class PairChangeSerializer(serializers.Serializer):
    actor_a = serializers.IntegerField(source="actor_a.pk")
    actor_b = serializers.IntegerField(source="actor_b.pk")
    previous = LevelField(allow_null=True)
    current = LevelField(allow_null=True)
    kind = serializers.ChoiceField(choices=trends.ChangeKind.choices)


class ComparisonSerializer(serializers.Serializer):
    """Every pair of the two rounds by kind of change. ``change`` is like for like: on the
    pairs scored in both rounds (with a sector, on that sector's pairs)."""

    round = RoundRefSerializer(source="current")
    previous_round = RoundRefSerializer(source="previous")
    sector = serializers.CharField(source="sector.code", allow_null=True)
    change = ChangeSerializer()
    actors = MatrixActorSerializer(many=True)
    pairs = PairChangeSerializer(many=True)


class ComparisonView(RegionView):
    """The round against an earlier round of the region (default: the one before it)."""

    @extend_schema(
        parameters=[
            ROUND_PARAMETER,
            OpenApiParameter("previous", int, description=gettext_lazy("The earlier round.")),
            OpenApiParameter(
                "sector", int, description=gettext_lazy("Only pairs with an actor in it.")
            ),
        ],
        responses=ComparisonSerializer,
    )
    def get(self, request, code):
        picked = self.picked(request, code)
        current = self.require_round(picked)
        previous = previous_round(picked.rounds, current, request.query_params.get("previous"))
        if previous is None:
            raise Http404(_("This round has no earlier round to compare with."))
        sectors = list(Sector.objects.all())
        filters = ComparisonFilterForm(request.query_params, sectors=sectors)
        if not filters.is_valid():
            raise ValidationError(filters.errors)
        chosen = filters.cleaned_data["sector"]
        sector = next(item for item in sectors if item.pk == chosen) if chosen else None
        result = trends.compare_rounds(current=current, previous=previous, sector=sector)
        pairs = [pair for _kind, group in result.groups for pair in group]
        actors = {}
        for pair in pairs:
            actors.setdefault(pair.actor_a.pk, pair.actor_a)
            actors.setdefault(pair.actor_b.pk, pair.actor_b)
        data = {
            "current": result.current,
            "previous": result.previous,
            "sector": result.sector,
            "change": result.change,
            "actors": list(actors.values()),
            "pairs": pairs,
        }
        return Response(ComparisonSerializer(data).data)


# Overlaps ---------------------------------------------------------------------------------


class ProgrammeRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    target_groups = serializers.ListField(child=serializers.CharField())
    lead_actor = serializers.IntegerField(source="lead_actor_id", allow_null=True)


class OverlapSerializer(serializers.Serializer):
    first = serializers.IntegerField(source="first.pk")
    second = serializers.IntegerField(source="second.pk")
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    target_groups = serializers.ListField(child=serializers.CharField())
    level = LevelField(
        allow_null=True, help_text=gettext_lazy("The lead actors' pair in the round.")
    )
    status = serializers.ChoiceField(choices=trends.OverlapStatus.choices)
    is_risk = serializers.BooleanField()


class OverlapReportSerializer(serializers.Serializer):
    """Programmes of the region overlapping in period and target group; a risk where their
    lead actors stand below coordination (level < 2) or their pair is not assessed."""

    round = RoundRefSerializer(allow_null=True)
    programmes = ProgrammeRefSerializer(many=True)
    overlaps = OverlapSerializer(many=True)


class OverlapsView(RegionView):
    """Programme overlaps (tumpang tindih) and the level of their lead actors' pair."""

    @extend_schema(parameters=[ROUND_PARAMETER], responses=OverlapReportSerializer)
    def get(self, request, code):
        picked = self.picked(request, code)
        report = trends.programme_overlaps(region=picked.region, round=picked.round)
        return Response(OverlapReportSerializer(report).data)


# Rankings ---------------------------------------------------------------------------------


class RankingRuleSerializer(serializers.Serializer):
    min_coverage_percent = serializers.IntegerField()
    min_pairs = serializers.IntegerField()


class DistrictStandingSerializer(serializers.Serializer):
    district = RegionRefSerializer()
    rank = serializers.IntegerField(
        allow_null=True, help_text=gettext_lazy("Null: not ranked (no round scored enough).")
    )
    enough_scored = serializers.BooleanField()
    round = RoundRefSerializer(allow_null=True)
    previous_round = RoundRefSerializer(allow_null=True)
    actor_count = serializers.IntegerField()
    summary = SummarySerializer(allow_null=True)
    change = ChangeSerializer(allow_null=True)


class ProvinceRankingSerializer(serializers.Serializer):
    """The province's districts, ranked by the convergence index of their latest round
    scored enough (``rule``); the others after them, unranked."""

    province = RegionRefSerializer()
    rule = RankingRuleSerializer()
    standings = DistrictStandingSerializer(many=True)


class ProvinceRankingView(RegionView):
    """The ranking of a province's districts (as on the province's dashboard)."""

    @extend_schema(responses=ProvinceRankingSerializer)
    def get(self, request, code):
        picked = self.picked(request, code)
        if picked.region.level != GovernmentLevel.PROVINCE:
            raise Http404(_("Districts are ranked within a province: choose a province."))
        ranking = trends.province_ranking(province=picked.region)
        return Response(ProvinceRankingSerializer(ranking).data)


class ProvinceStandingSerializer(serializers.Serializer):
    province = RegionRefSerializer()
    rank = serializers.IntegerField(allow_null=True)
    district_count = serializers.IntegerField()
    districts_with_round = serializers.IntegerField()
    districts_ranked = serializers.IntegerField()
    actor_count = serializers.IntegerField()
    assessed = serializers.IntegerField()
    possible = serializers.IntegerField()
    mean = serializers.FloatField(allow_null=True)
    index_percent = serializers.FloatField(allow_null=True)
    coverage_percent = serializers.FloatField(allow_null=True)
    coverage_all_percent = serializers.FloatField(allow_null=True)
    open_rounds = serializers.IntegerField()
    closed_rounds = serializers.IntegerField()
    change = ChangeSerializer(allow_null=True)


class NationalOverviewSerializer(serializers.Serializer):
    """Every province over its districts' latest rounds scored enough to rank, pooled."""

    nation = RegionRefSerializer()
    rule = RankingRuleSerializer()
    standings = ProvinceStandingSerializer(many=True)


class NationalOverviewView(RegionView):
    """The national overview (as on the national dashboard): for the national region only."""

    @extend_schema(responses=NationalOverviewSerializer)
    def get(self, request, code):
        picked = self.picked(request, code)
        if picked.region.level != GovernmentLevel.NATIONAL:
            raise Http404(_("The national overview is read on the national region."))
        overview = trends.national_overview(nation=picked.region)
        return Response(NationalOverviewSerializer(overview).data)
