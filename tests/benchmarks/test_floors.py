"""The floors of ``bench`` compute, with raw SQL, the answer of the page they are the
floor of: the round comparison's kinds of change and the sector × sector matrix."""

from collections import Counter

import pytest

from assessments.models import PairAssessment
from benchmarks import synthetic
from benchmarks.management.commands.bench import comparison_rows, sector_rows
from insights.selectors.structure import sector_matrix
from insights.selectors.trends import ChangeKind, compare_rounds


@pytest.fixture
def district():
    """Seven actors, a closed 2025 round and an open 2026 round, every pair scored in both
    but one pair left out of each: a pair newly scored and one not yet scored again."""
    builder = synthetic.Builder(seed=16)
    district = builder.district(7)
    builder.two_rounds([district])
    current, previous = district.rounds
    first, second, third = district.actors[:3]
    PairAssessment.objects.filter(round=previous, actor_a_id=first, actor_b_id=second).delete()
    PairAssessment.objects.filter(round=current, actor_a_id=first, actor_b_id=third).delete()
    return district


def names(pair) -> frozenset:
    return frozenset((pair.actor_a.name, pair.actor_b.name))


@pytest.mark.django_db
def test_the_comparison_floor_finds_the_pages_kinds_of_change(district):
    current, previous = district.rounds
    rows = comparison_rows(current.pk, previous.pk)
    result = compare_rounds(current=current, previous=previous)

    totals = {kind: total for kind, total, *_rest in rows}
    expected = {kind.value: len(pairs) for kind, pairs in result.groups if pairs}
    assert totals == expected
    assert {ChangeKind.NEW, ChangeKind.NOT_YET} <= set(totals)
    # 21 pairs, fewer than a kind's rows shown: every pair is listed, with its two levels.
    listed = Counter((kind, frozenset((x, y)), b, n) for kind, _t, x, y, b, n in rows)
    assert listed == Counter(
        (kind.value, names(pair), pair.previous, pair.current)
        for kind, pairs in result.groups
        for pair in pairs
    )


@pytest.mark.django_db
def test_the_sector_floor_counts_and_averages_as_the_page(district):
    current = district.rounds[0]
    matrix = sector_matrix(round=current)
    expected = {
        key: (summary.assessed, summary.mean)
        for key, summary in matrix.pairs.items()
        if summary.assessed
    }
    found = {(s, t): (n, float(m)) for s, t, n, m in sector_rows(current.pk)}
    assert found.keys() == expected.keys()
    for key, (count, mean) in found.items():
        assert count == expected[key][0]
        assert mean == pytest.approx(expected[key][1])
