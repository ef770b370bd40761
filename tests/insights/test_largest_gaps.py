"""The dashboard's largest gaps are the head of the gap list, sorted and cut in the
database: the same pairs in the same order as the full list, with its counts."""

import random

import pytest

from insights.selectors.gaps import gaps_for_round, largest_gaps
from insights.selectors.trends import round_snapshot
from tests.factories import ActorFactory, score

pytestmark = pytest.mark.django_db


@pytest.fixture
def crowded(open_round, district, health, planning, education):
    """Twelve members in three sectors, levels drawn with many ties (a fixed seed)."""
    members = [
        ActorFactory(name=f"Aktor {index:02d}", sector=sector, home_region=district)
        for index, sector in enumerate([health, planning, education] * 4)
    ]
    draw = random.Random(2026)
    for index, first in enumerate(members):
        for second in members[index + 1 :]:
            level = draw.choice([None, 0, 0, 1, 1, 2, 3, 4])
            if level is not None:
                score(open_round, first, second, level)
    return members


def head(round_, limit, target=3):
    return largest_gaps(
        round=round_, summary=round_snapshot(round=round_).summary, limit=limit, target=target
    )


def pairs(gaps):
    return [(gap.actor_a.pk, gap.actor_b.pk, gap.level) for gap in gaps]


@pytest.mark.parametrize("limit", [1, 3, 10, 25, 500])
@pytest.mark.parametrize("target", [1, 3, 4])
def test_the_head_is_the_gap_list_cut(open_round, crowded, limit, target):
    full = gaps_for_round(round=open_round, target=target)
    shown = head(open_round, limit, target)
    assert pairs(shown.gaps) == pairs(full.gaps[:limit])
    assert shown.count == len(full.gaps)
    assert shown.left_out == max(0, len(full.gaps) - limit)
    assert (shown.assessed, shown.possible) == (full.assessed, full.possible)
    assert shown.reaching_target == full.reaching_target
    assert shown.not_assessed == full.not_assessed


def test_two_queries_whatever_the_number_of_pairs(
    django_assert_num_queries, open_round, crowded, district, health
):
    summary = round_snapshot(round=open_round).summary
    with django_assert_num_queries(2):
        largest_gaps(round=open_round, summary=summary, limit=10)
    more = [ActorFactory(sector=health, home_region=district) for _ in range(8)]
    for actor in more:
        score(open_round, actor, crowded[1], 0)
    summary = round_snapshot(round=open_round).summary
    with django_assert_num_queries(2):
        shown = largest_gaps(round=open_round, summary=summary, limit=10)
    assert len(shown.gaps) == 10


def test_a_round_without_gaps_reads_no_pair(django_assert_num_queries, open_round, actors):
    score(open_round, actors[0], actors[1], 4)
    summary = round_snapshot(round=open_round).summary
    with django_assert_num_queries(1):
        shown = largest_gaps(round=open_round, summary=summary, limit=10)
    assert (shown.gaps, shown.count, shown.reaching_target) == ([], 0, 1)
