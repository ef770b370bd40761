"""Two scorers saving the same pair at the same moment: one row, never two (PostgreSQL)."""

import threading

import pytest
from django.db import connection, connections

from assessments.models import PairAssessment
from assessments.services import pair_assessment_save


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_saves_of_one_pair_leave_one_row(open_round, actors, scorer, other_district):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL; SQLite serialises the whole database")
    from accounts.models import Role
    from tests.factories import make_user

    second_scorer = make_user("penilai_sigi_2", role=Role.SCORER, regions=[open_round.region])
    barrier = threading.Barrier(2)
    errors = []

    def save(user, level, first, second):
        try:
            barrier.wait(timeout=10)
            pair_assessment_save(
                round=open_round, actor_a=first, actor_b=second, level=level, user=user
            )
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=save, args=(scorer, 2, actors[0], actors[1])),
        threading.Thread(target=save, args=(second_scorer, 3, actors[1], actors[0])),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    rows = list(PairAssessment.objects.filter(round=open_round).values_list("level", flat=True))
    assert len(rows) == 1 and rows[0] in (2, 3)
