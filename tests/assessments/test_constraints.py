"""The database itself refuses what must never be stored, whatever the path."""

import pytest
from django.db import IntegrityError, transaction

from assessments.models import PairAssessment


def _insert(round_, actor_a, actor_b, level=2):
    with transaction.atomic():
        PairAssessment.objects.create(round=round_, actor_a=actor_a, actor_b=actor_b, level=level)


def test_level_outside_0_to_4_is_refused_by_the_database(open_round, actors):
    with pytest.raises(IntegrityError):
        _insert(open_round, actors[0], actors[1], level=5)
    assert not PairAssessment.objects.exists()


def test_an_actor_paired_with_itself_is_refused_by_the_database(open_round, actors):
    with pytest.raises(IntegrityError):
        _insert(open_round, actors[0], actors[0])


def test_a_pair_out_of_canonical_order_is_refused_by_the_database(open_round, actors):
    with pytest.raises(IntegrityError):
        _insert(open_round, actors[1], actors[0])


def test_a_second_row_for_the_same_pair_is_refused_by_the_database(open_round, actors):
    _insert(open_round, actors[0], actors[1])
    with pytest.raises(IntegrityError):
        _insert(open_round, actors[0], actors[1], level=3)
    assert PairAssessment.objects.count() == 1


def test_an_assessed_actor_cannot_be_deleted(open_round, actors):
    from django.db.models import ProtectedError

    _insert(open_round, actors[0], actors[1])
    with pytest.raises(ProtectedError):
        actors[0].delete()
