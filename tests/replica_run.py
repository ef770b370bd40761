"""What readers and writers see with a real PostgreSQL streaming replica, as a script run by
tests/test_read_replica.py (it needs its own databases: a primary and a replica that the
test starts on other ports):

    DATABASE_URL=postgres://...:<primary port>/peta \\
    DATABASE_REPLICA_URL=postgres://...:<replica port>/peta \\
    python -m tests.replica_run

It migrates the primary, builds a small world, then prints as JSON, for each step, which
database answered (queries run on each connection) and what the user saw.
"""

import json
import os
import sys
import time


def setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "convergence.settings")
    import django

    django.setup()


def wait_for_replica(timeout=30.0) -> None:
    """Until the replica has replayed everything the primary wrote."""
    from django.db import connections

    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()")
        target = cursor.fetchone()[0]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with connections["replica"].cursor() as cursor:
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target])
            if cursor.fetchone()[0]:
                return
        time.sleep(0.05)
    raise RuntimeError("the replica did not catch up")


def replay(paused: bool) -> None:
    from django.db import connections

    with connections["replica"].cursor() as cursor:
        cursor.execute(
            "SELECT pg_wal_replay_pause()" if paused else "SELECT pg_wal_replay_resume()"
        )


def main() -> dict:
    setup()
    from django.conf import settings
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connections
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import Jurisdiction, Role
    from accounts.roles import ensure_role_groups
    from actors.models import Actor, GovernmentLevel, Region, Sector
    from assessments.rounds import round_create

    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)
    ensure_role_groups()
    province = Region.objects.create(code="72", name="Sulawesi Tengah", level=1)
    sigi = Region.objects.create(
        code="72.10", name="Kabupaten Sigi", level=GovernmentLevel.DISTRICT, parent=province
    )
    health = Sector.objects.create(code="health", name_id="Kesehatan", name_en="Health")
    actors = [
        Actor.objects.create(
            name=f"Dinas {n}", short_name=f"D{n}", kind="government", sector=health,
            government_level=GovernmentLevel.DISTRICT, home_region=sigi,
        )
        for n in range(3)
    ]  # fmt: skip
    from django.contrib.auth import get_user_model

    def user(name, role):
        person = get_user_model().objects.create_user(name, password="x" * 12)
        person.groups.add(Group.objects.get(name=role))
        Jurisdiction.objects.create(user=person, region=sigi)
        return person

    admin, scorer, planner = (
        user("admin", Role.ADMIN),
        user("scorer", Role.SCORER),
        user("planner", Role.PLANNER),
    )
    round_ = round_create(
        user=admin,
        region=sigi,
        name="Pemetaan 2026",
        period_start=__import__("datetime").date(2026, 1, 1),
        period_end=__import__("datetime").date(2026, 12, 31),
        members=actors,
        open_now=True,
    )
    wait_for_replica()

    clients = {}
    for person in (scorer, planner):
        client = Client()
        client.force_login(person)
        clients[person.username] = client
    wait_for_replica()  # the sessions

    page_url = f"/regions/72.10/matrix/?round={round_.pk}"
    matrix_url = f"/api/v1/rounds/{round_.pk}/matrix/"
    pair_url = f"/rounds/{round_.pk}/pairs/{actors[0].pk}-{actors[1].pk}/"
    results = {}

    def step(name, client, method, url, data=None):
        with (
            CaptureQueriesContext(connections["default"]) as primary,
            CaptureQueriesContext(connections["replica"]) as replica,
        ):
            response = getattr(client, method)(url, data) if data else getattr(client, method)(url)
        results[name] = {
            "status": response.status_code,
            "primary_queries": len(primary.captured_queries),
            "replica_queries": len(replica.captured_queries),
            "body": response.content.decode(errors="replace"),
        }

    # A reader's page and an API read: from the replica.
    step("planner opens the matrix page", clients["planner"], "get", page_url)
    step("planner reads", clients["planner"], "get", matrix_url)
    # A save: on the primary, reads included.
    step("scorer saves 2", clients["scorer"], "post", pair_url, {"version": "0", "level": "2"})
    wait_for_replica()

    # The replica lags: replay paused while the scorer saves again.
    replay(paused=True)
    try:
        step("scorer saves 3", clients["scorer"], "post", pair_url, {"version": "1", "level": "3"})
        step("scorer reads", clients["scorer"], "get", matrix_url)
        step("planner reads during lag", clients["planner"], "get", matrix_url)
    finally:
        replay(paused=False)
    wait_for_replica()
    step("planner reads after", clients["planner"], "get", matrix_url)
    pair = [min(actors[0].pk, actors[1].pk), max(actors[0].pk, actors[1].pk)]
    for item in results.values():
        body = item.pop("body")
        if body.startswith("{"):
            levels = {(p["actor_a"], p["actor_b"]): p["level"] for p in json.loads(body)["pairs"]}
            item["level"] = levels.get(tuple(pair))
    return results


if __name__ == "__main__":
    json.dump(main(), sys.stdout)
