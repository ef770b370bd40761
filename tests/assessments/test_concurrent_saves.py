"""Scorers saving at the same moment: one row per pair, no lost update, and no server
error on either database. The SQLite test runs on a file database in a child process
(the suite's own SQLite database is in memory, where SQLite's locking differs)."""

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.db import connection, connections

from assessments.models import PairAssessment
from assessments.services import pair_assessment_save
from tests.assessments.scoring_race import build_world, race

ROOT = Path(__file__).resolve().parents[2]
THREADS, SAVES = 10, 10


def assert_every_save_answered_and_kept(result: dict):
    """Every POST is a save or the "someone else saved" message; every save is kept."""
    assert result["server_errors"] == 0, result["errors"]
    assert result["refused"] == 0, result["errors"]
    assert result["saved"] + result["stale"] == THREADS * SAVES
    assert result["saved"] >= 1
    assert result["lost_updates"] == 0, (result["saved_per_pair"], result["stored"])


def test_ten_scorers_saving_at_once_on_a_sqlite_file_get_no_server_error(tmp_path):
    """10 threads x 10 saves through the scoring page, on one pair and on ten different
    pairs, on a SQLite file (as `make run` uses): never "database is locked"."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "convergence.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'race.sqlite3'}",
    }
    done = subprocess.run(
        [sys.executable, "-m", "tests.assessments.scoring_race", str(THREADS), str(SAVES)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    answer = json.loads(done.stdout.strip().splitlines()[-1])
    assert answer["database"] == "sqlite" and answer["name"].endswith("race.sqlite3")
    assert_every_save_answered_and_kept(answer["one_pair"])
    assert_every_save_answered_and_kept(answer["different_pairs"])


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("different_pairs", [False, True], ids=["one-pair", "different-pairs"])
def test_ten_scorers_saving_at_once_on_postgresql_lose_nothing(different_pairs):
    if connection.vendor != "postgresql":
        pytest.skip("the SQLite file database is raced in the test above")
    round_, actors, users = build_world("race", scorers=THREADS)
    result = race(
        round_=round_, actors=actors, users=users, saves=SAVES, different_pairs=different_pairs
    )
    assert_every_save_answered_and_kept(result.as_dict())


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
