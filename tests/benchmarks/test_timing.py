"""The benchmarks' timing helpers: floors and pages measured in turn."""

import gc

import pytest
from django.test import Client

from benchmarks.management.commands.bench import sql_target
from benchmarks.timing import Timing, in_turn

pytestmark = pytest.mark.django_db


def test_floors_and_pages_are_taken_in_turn_run_after_run():
    """Each floor and page once unmeasured, then once per run in the same order: floor,
    floor, page, page, floor, floor, page, page…; a page's timing keeps its last response."""
    calls = []
    client = Client()
    fetched = client.get

    def get(url, *args, **kwargs):
        calls.append(url)
        return fetched(url, *args, **kwargs)

    client.get = get
    floors = {name: (lambda name=name: calls.append(name)) for name in ("f1", "f2")}
    pages = {("a", 1): ("health", "/healthz"), ("b", 2): ("login", "/accounts/login/")}
    floor_ms, timed = in_turn(client, floors, pages, runs=3)
    turn = ["f1", "f2", "/healthz", "/accounts/login/"]
    # Each run's first page is asked once more, unmeasured, right after the floors.
    settled = ["f1", "f2", "/healthz", "/healthz", "/accounts/login/"]
    assert calls == turn + settled * 3
    assert set(floor_ms) == {"f1", "f2"} and all(ms >= 0 for ms in floor_ms.values())
    assert set(timed) == set(pages)
    assert timed[("a", 1)].name == "health" and timed[("a", 1)].status == 200
    assert timed[("b", 2)].url == "/accounts/login/" and b"<form" in timed[("b", 2)].content


def _pages(at_50: float, at_200: float) -> dict:
    return {
        size: {"sector × sector": Timing("sector × sector", "/", 200, ms, 5, b"")}
        for size, ms in ((50, at_50), (200, at_200))
    }


def test_the_sql_line_holds_a_page_to_its_floor_or_its_work_beyond_its_shell():
    """Where the SQL floor is above the page's shell the page is held to it whole; where it
    is below, the page's work beyond its shell is (no page is faster than its shell)."""
    floors = {"sector SQL 50": 1.0, "sector SQL 200": 10.0}
    met, line = sql_target("sector × sector", _pages(8.5, 19.0), floors, 7.0)
    assert met
    assert line.endswith(
        "1.50× at 50 actors beyond its shell (8.5 − 7.0 ms, against 1.0 ms; the whole page "
        "8.5×), 1.90× at 200 actors"
    )
    met, line = sql_target("sector × sector", _pages(9.5, 19.0), floors, 7.0)
    assert not met and "2.50× at 50 actors beyond its shell" in line
    met, line = sql_target("sector × sector", _pages(8.5, 21.0), floors, 7.0)
    assert not met and line.endswith("2.10× at 200 actors")
    # A page faster than its shell (the median of a cached answer) counts as no work.
    met, line = sql_target("sector × sector", _pages(6.0, 5.0), floors, 7.0)
    assert met and "0.00× at 50 actors beyond its shell" in line and "0.50× at 200" in line


def test_nothing_is_collected_while_an_item_is_timed():
    seen = []
    floors = {"f": lambda: seen.append(gc.isenabled())}
    in_turn(Client(), floors, {}, runs=2)
    assert seen == [True, False, False] and gc.isenabled()
