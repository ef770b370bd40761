"""Scorers racing on the scoring page: N threads, each its own client and database
connection, each opening a pair and saving it M times through POST /rounds/<id>/pairs/.

Used in-process on PostgreSQL (tests/assessments/test_concurrent_saves.py) and, for a
SQLite *file* database (the test database of the suite is in memory), as a script:

    DATABASE_URL=sqlite:////tmp/race.sqlite3 python -m tests.assessments.scoring_race

which migrates that database, builds a small world, runs the race on one pair and on
different pairs, and prints the counts as JSON.
"""

import json
import re
import sys
import threading
from collections import Counter
from dataclasses import asdict, dataclass, field
from itertools import combinations

STALE = "Someone else saved this pair"
VERSION = re.compile(r'name="version" value="(\d+)"')


@dataclass
class RaceResult:
    saved: int = 0  # 200 (htmx) or 302 (form) after a save
    stale: int = 0  # 400 with "someone else saved": the scorer reviews and saves again
    refused: int = 0  # any other 400
    server_errors: int = 0  # 500, or an exception out of the view
    statuses: Counter = field(default_factory=Counter)
    errors: list = field(default_factory=list)  # the first few, to say why
    saved_per_pair: Counter = field(default_factory=Counter)
    # pair -> (version, history rows), read after the race
    stored: dict = field(default_factory=dict)

    @property
    def lost_updates(self) -> int:
        """Saves answered as saved whose version never reached the row (or its history)."""
        return sum(
            abs(self.saved_per_pair[pair] - version) + abs(version - history)
            for pair, (version, history) in self.stored.items()
        )

    def as_dict(self) -> dict:
        data = asdict(self)
        data["statuses"] = dict(self.statuses)
        data["saved_per_pair"] = {f"{a}-{b}": n for (a, b), n in self.saved_per_pair.items()}
        data["stored"] = {f"{a}-{b}": list(v) for (a, b), v in self.stored.items()}
        data["lost_updates"] = self.lost_updates
        return data


def why(response) -> str:
    """The exception behind a server error, when the test client caught one."""
    exc_info = getattr(response, "exc_info", None)
    return repr(exc_info[1]) if exc_info else ""


def build_world(prefix: str = "race", *, scorers: int = 10):
    """A district of Sulawesi Tengah with five actors (ten pairs), an open round and
    ``scorers`` scorers of that district."""
    from accounts.models import Role
    from actors.models import GovernmentLevel
    from tests.factories import ActorFactory, RegionFactory, RoundFactory, make_user

    province = RegionFactory(code="72", name="Sulawesi Tengah", level=GovernmentLevel.PROVINCE)
    district = RegionFactory(
        code="72.10", name="Kabupaten Sigi", level=GovernmentLevel.DISTRICT, parent=province
    )
    actors = [ActorFactory(home_region=district) for _ in range(5)]
    round_ = RoundFactory(region=district, name=f"Pemetaan {prefix}")
    users = [
        make_user(f"{prefix}_{index}", role=Role.SCORER, regions=[district])
        for index in range(scorers)
    ]
    return round_, actors, users


def race(*, round_, actors, users, saves: int, different_pairs: bool) -> RaceResult:
    """Each user's thread opens its pair and saves it ``saves`` times, all starting together.

    One pair: every thread scores actors 0 and 1. Different pairs: thread i scores the
    i-th of the ten pairs of five actors.
    """
    from django.conf import settings
    from django.db import connections
    from django.test import Client

    from assessments.models import PairAssessment

    pairs = list(combinations(sorted(actor.pk for actor in actors), 2))
    result = RaceResult()
    lock = threading.Lock()
    barrier = threading.Barrier(len(users))
    clients = []
    for user in users:  # log in first, one after the other, as people do
        client = Client(raise_request_exception=False)
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        clients.append(client)

    def note(outcome, pair=None, error=None):
        with lock:
            setattr(result, outcome, getattr(result, outcome) + 1)
            if outcome == "saved":
                result.saved_per_pair[pair] += 1
            if error and len(result.errors) < 5:
                result.errors.append(error)

    def work(index, client):
        pair = pairs[index % len(pairs)] if different_pairs else pairs[0]
        url = f"/rounds/{round_.pk}/pairs/{pair[0]}-{pair[1]}/"
        try:
            barrier.wait(timeout=60)
            for step in range(saves):
                try:
                    page = client.get(url)
                    with lock:
                        result.statuses[f"GET {page.status_code}"] += 1
                    if page.status_code != 200:
                        note("server_errors", error=f"GET {page.status_code}: {why(page)}")
                        continue
                    version = VERSION.search(page.content.decode()).group(1)
                    answer = client.post(
                        url,
                        {
                            "level": str((index + step) % 5),
                            "note": f"scorer {index}, save {step}",
                            "version": version,
                        },
                    )
                except Exception as error:  # noqa: BLE001 - counted, and named in the result
                    note("server_errors", error=repr(error))
                    continue
                with lock:
                    result.statuses[f"POST {answer.status_code}"] += 1
                if answer.status_code in (200, 302):
                    note("saved", pair=pair)
                elif answer.status_code == 400 and STALE in answer.content.decode():
                    note("stale")
                elif answer.status_code == 400:
                    note("refused", error=answer.content.decode()[:300])
                else:
                    note("server_errors", error=f"POST {answer.status_code}: {why(answer)}")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=work, args=(index, client)) for index, client in enumerate(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    for pair in set(pairs if different_pairs else pairs[:1]):
        stored = PairAssessment.objects.filter(
            round=round_, actor_a_id=pair[0], actor_b_id=pair[1]
        ).first()
        if stored is not None:
            result.stored[pair] = (stored.version, stored.history.count())
        elif result.saved_per_pair[pair]:
            result.stored[pair] = (0, 0)
    return result


def main(threads: int = 10, saves: int = 10) -> dict:
    """Migrate the configured database, then race on one pair and on different pairs."""
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client's host name, a local e-mail outbox
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", verbosity=0, interactive=False)
    answer = {
        "database": connection.vendor,
        "name": str(connection.settings_dict["NAME"]),
        "options": {
            key: value for key, value in connection.settings_dict["OPTIONS"].items() if key
        },
    }
    for label, different in (("one_pair", False), ("different_pairs", True)):
        round_, actors, users = build_world(label, scorers=threads)
        answer[label] = race(
            round_=round_, actors=actors, users=users, saves=saves, different_pairs=different
        ).as_dict()
    return answer


if __name__ == "__main__":
    print(json.dumps(main(*map(int, sys.argv[1:3])), default=str))
