"""What a region report holds, read with the selectors that the pages use.

The builders in ``pdf.py``, ``xlsx.py`` and ``exports.py`` take a ``RegionReport`` (or the
pair rows alone) and return bytes; nothing here or there repeats a page's arithmetic.
"""

from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils import timezone

from actors.models import GovernmentLevel, Region
from actors.selectors import Vocabularies, read_vocabularies
from assessments.models import AssessmentRound, Level, PairAssessment
from assessments.selectors import (
    Matrix,
    PairRow,
    matrix_for_round,
    pair_rows_for_round,
    reuse_matrices,
)
from followup.selectors import CheckedAction, round_actions_checked
from insights.selectors.gaps import GapList, pairs_below_target
from insights.selectors.network import LINK_LEVEL, Network, NetworkLink, network_from_matrix
from insights.selectors.structure import (
    GovernmentLevelTable,
    SectorMatrix,
    by_government_level,
    sector_matrix,
)
from insights.selectors.trends import (
    ProvinceRanking,
    RegionDashboard,
    RoundComparison,
    compare_rounds,
    province_ranking,
    region_dashboard,
)
from partners.selectors import ResponseRate, directed_views, latest_reconciliations, response_rate
from reports.exports import PartnerViews

# The pairs' lists of codes read as JSON text, and the texts of an empty list.
LIST_TEXTS = {
    "mechanisms_text": "mechanisms",
    "facilitating_text": "facilitating_factors",
    "hindering_text": "hindering_factors",
}
EMPTY_LISTS = (None, "", "[]", "null")


def _worth_printing(candidates: list[tuple], limit: int) -> list:
    """The keys of at most ``limit`` of ``candidates`` ((key, note, has lists), the keys in
    matrix order): those with a note first, then those with lists, then the others; the
    chosen keys in matrix order."""
    if len(candidates) <= limit:
        return sorted(key for key, _note, _lists in candidates)

    def weight(candidate) -> tuple:
        key, note, lists = candidate
        return (0 if note else 1 if lists else 2, key)

    return sorted(key for key, _note, _lists in sorted(candidates, key=weight)[:limit])


@dataclass(frozen=True)
class RoundContent:
    """Everything read from one round; ``comparison`` is None in a region's first round."""

    matrix: Matrix
    sectors: SectorMatrix
    by_level: GovernmentLevelTable
    network: Network
    comparison: RoundComparison | None
    gaps: GapList
    partner_views: PartnerViews  # the partners' answers, by (author id, other id)
    # The round's follow-up actions (RTL), each checked in the next round when there is one.
    actions: list[CheckedAction]
    vocabularies: Vocabularies
    # The latest reconciliation of each reconciled pair, by (lower id, higher id).
    reconciliations: dict = field(default_factory=dict)
    # How many of the invited members answered the partners' form (the dashboard's figure).
    partner_response: ResponseRate | None = None

    @cached_property
    def pairs(self) -> list[PairRow]:
        """Every scored pair of the round, in matrix order, read when first asked for: the
        XLSX writes them all, the PDF prints a few (``pairs_to_print``)."""
        return pair_rows_for_round(round=self.matrix.round, vocabularies=self.vocabularies)

    def pairs_to_print(self, limit: int) -> tuple[list[PairRow], int]:
        """At most ``limit`` pairs, and the number of pairs scored: all the pairs when they
        fit; otherwise those with a note, then those with mechanisms or factors recorded,
        kept in matrix order. When the round has more pairs than that and the whole list
        was not read, two queries: what each pair has written (no row built), then the
        chosen pairs' rows."""
        if "pairs" in self.__dict__ or len(self.matrix.levels) <= limit:
            pairs = self.pairs
            chosen = _worth_printing(
                [
                    (
                        index,
                        row.note,
                        row.mechanisms or row.facilitating_factors or row.hindering_factors,
                    )
                    for index, row in enumerate(pairs)
                ],
                limit,
            )
            return [pairs[index] for index in chosen], len(pairs)
        position = {actor.pk: index for index, actor in enumerate(self.matrix.actors)}
        written = (
            PairAssessment.objects.filter(round=self.matrix.round)
            .order_by()
            .annotate(**{text: Cast(name, TextField()) for text, name in LIST_TEXTS.items()})
            .values_list("pk", "actor_a_id", "actor_b_id", "note", *LIST_TEXTS)
        )
        candidates = [
            (
                (position.get(a, -1), position.get(b, -1), pk),
                note,
                any(text not in EMPTY_LISTS for text in lists),
            )
            for pk, a, b, note, *lists in written
        ]
        rows = pair_rows_for_round(
            round=self.matrix.round,
            vocabularies=self.vocabularies,
            pks=[key[2] for key in _worth_printing(candidates, limit)],
            actors=self.matrix.actors,
        )
        return rows, len(candidates)


@dataclass(frozen=True)
class RegionReport:
    """A region's report for one round (None: the region has no round yet).

    ``ranking`` is the province's districts ranked, for a province only.
    """

    region: Region
    round: AssessmentRound | None
    target: Level
    exported_by: str
    exported_at: datetime
    dashboard: RegionDashboard
    content: RoundContent | None
    ranking: ProvinceRanking | None

    @property
    def is_province(self) -> bool:
        return self.region.level == GovernmentLevel.PROVINCE


def region_report(
    *,
    region: Region,
    rounds: list[AssessmentRound],
    round: AssessmentRound | None,
    target: Level,
    exported_by: str,
) -> RegionReport:
    """The report of ``round`` among ``rounds`` (the region's visible rounds, newest first).

    Each round's matrix is read once and shared by the selectors (``reuse_matrices``).
    Queries, whatever the number of actors: the matrices of this round and the previous
    one 4 (2 in a first round), the change like for like 1 (none in a first round), the
    vocabularies (for the labels of the by-level table and the pair rows) 1, the by-level
    table's roster rows (its cached part's name), mechanisms and factors and the levels'
    main roles 3 (the mechanisms and factors not when cached), the pair rows 1, the
    partners' views 1, their reconciliations 1, the partners' response 1; the round's
    follow-up actions 1 (and the next round's matrix, 2, when the report is of an earlier
    round and the round has actions to check there); a province adds its ranking.
    """
    with reuse_matrices():
        return _region_report(
            region=region, rounds=rounds, round=round, target=target, exported_by=exported_by
        )


def _region_report(*, region, rounds, round, target, exported_by) -> RegionReport:
    dashboard = region_dashboard(region=region, rounds=rounds, round=round)
    content = None
    if round is not None:
        matrix = matrix_for_round(round=round)
        previous = dashboard.previous.round if dashboard.previous else None
        vocabularies = read_vocabularies()
        content = RoundContent(
            matrix=matrix,
            sectors=sector_matrix(round=round),
            by_level=by_government_level(round=round, vocabularies=vocabularies),
            network=network_from_matrix(matrix=matrix),
            comparison=compare_rounds(current=round, previous=previous) if previous else None,
            gaps=pairs_below_target(matrix=matrix, target=target),
            partner_views=directed_views(round),
            actions=round_actions_checked(round=round, rounds=rounds),
            vocabularies=vocabularies,
            reconciliations=latest_reconciliations(round),
            partner_response=response_rate(round),
        )
    ranking = None
    if region.level == GovernmentLevel.PROVINCE:
        ranking = province_ranking(province=region)
    return RegionReport(
        region=region,
        round=round,
        target=Level(target),
        exported_by=exported_by,
        exported_at=timezone.now(),
        dashboard=dashboard,
        content=content,
        ranking=ranking,
    )


@dataclass(frozen=True)
class LinkEvidence:
    """What the scorers recorded about one link: the labels of its mechanisms and factors."""

    mechanisms: list[str]
    facilitating_factors: list[str]
    hindering_factors: list[str]


NO_EVIDENCE = LinkEvidence([], [], [])


@dataclass(frozen=True)
class NetworkFiles:
    """A round's network for Gephi: the network of the pages (nodes with their metrics,
    links at cooperation or above) and, for each link, what was recorded about it, keyed
    by the two actor ids in the stored order (lower first, as the links are)."""

    region: Region
    round: AssessmentRound
    network: Network
    evidence: dict[tuple[int, int], LinkEvidence]

    def evidence_of(self, link: NetworkLink) -> LinkEvidence:
        return self.evidence.get((link.actor_a.pk, link.actor_b.pk), NO_EVIDENCE)


def network_files(*, region: Region, round: AssessmentRound) -> NetworkFiles:
    """Four queries, whatever the number of actors: the round's actors and levels (those
    of ``matrix_for_round``, from which ``network_from_matrix`` computes the metrics), the
    mechanisms and factors of the links (one ``values_list``), the vocabularies for their
    labels."""
    matrix = matrix_for_round(round=round)
    network = network_from_matrix(matrix=matrix)
    vocabularies = read_vocabularies()
    rows = (
        PairAssessment.objects.filter(round=round, level__gte=LINK_LEVEL)
        .order_by()
        .values_list(
            "actor_a_id", "actor_b_id", "mechanisms", "facilitating_factors", "hindering_factors"
        )
    )
    evidence = {
        (a, b): LinkEvidence(
            mechanisms=vocabularies.mechanisms.labels(mechanisms),
            facilitating_factors=vocabularies.facilitating_factors.labels(facilitating),
            hindering_factors=vocabularies.hindering_factors.labels(hindering),
        )
        for a, b, mechanisms, facilitating, hindering in rows
    }
    return NetworkFiles(region=region, round=round, network=network, evidence=evidence)
