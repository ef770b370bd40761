"""The shared reads behind the reports: the pair rows and the gaps below a target."""

import pytest
from django.utils import translation

from assessments.models import Level
from assessments.selectors import matrix_for_round, pair_rows_for_round
from insights.selectors.gaps import gaps_for_round, pairs_below_target
from tests.factories import ActorFactory, score


def test_pair_rows_carry_everything_recorded(scored_round, actors, forum, scorer):
    a, b, c, d = actors
    rows = pair_rows_for_round(round=scored_round)
    assert [(row.actor_a, row.actor_b, row.level) for row in rows] == [
        (a, b, 3),
        (a, c, 4),
        (a, d, 0),
        (b, c, 1),
        (b, d, 2),
        (c, forum, 2),
    ]
    first = rows[0]
    assert first.evidence == (True, True, True, False)
    with translation.override("en"):
        assert first.mechanism_labels == ["Joint planning meeting", "Data sharing"]
        assert first.facilitating_labels == ["A regulation or decree that assigns roles"]
        assert first.hindering_labels == ["Budget limited or not aligned"]
    assert first.note == "=SUM(A1:A9)"
    assert first.scored_by == scorer.username
    assert rows[3].evidence == (True, False, None, None)
    assert rows[2].scored_by == "" and rows[2].mechanisms == []


@pytest.mark.parametrize("count", [5, 25])
def test_pair_rows_take_three_queries(
    django_assert_num_queries, open_round, district, health, count
):
    actors = ActorFactory.create_batch(count, sector=health, home_region=district)
    for index in range(count - 1):
        score(open_round, actors[index], actors[index + 1], index % 5)
    # The round's actors with sectors; the pairs as values; the vocabularies for the labels
    # (data since issue 12, read once whatever the number of pairs).
    with django_assert_num_queries(3):
        rows = pair_rows_for_round(round=open_round)
    assert len(rows) == count - 1


def test_gaps_below_collaboration(scored_round, actors, forum):
    """Below 3: a–d 0 (short by 3), b–c 1 (2), then b–d 2 and c–e 2 (1 each): b–d first,
    as a health ↔ non-health pair. a–b (3) and a–c (4) reach it; 4 pairs not assessed."""
    a, b, c, d = actors
    gaps = gaps_for_round(round=scored_round)
    assert gaps.target == Level.COLLABORATION
    assert [(gap.actor_a, gap.actor_b, gap.level, gap.shortfall) for gap in gaps.gaps] == [
        (a, d, 0, 3),
        (b, c, 1, 2),
        (b, d, 2, 1),
        (c, forum, 2, 1),
    ]
    assert [gap.crosses_health for gap in gaps.gaps] == [True, True, True, False]
    assert gaps.reaching_target == 2 and gaps.not_assessed == 4
    assert gaps.by_level == [(Level.NONE, 1), (Level.COOPERATION, 1), (Level.COORDINATION, 2)]


def test_other_targets(scored_round):
    matrix = matrix_for_round(round=scored_round)
    assert pairs_below_target(matrix=matrix, target=0).gaps == []
    assert len(pairs_below_target(matrix=matrix, target=4).gaps) == 5
    with pytest.raises(ValueError):
        pairs_below_target(matrix=matrix, target=5)
