"""The benchmarks' timing helpers: floors and pages measured in turn."""

import pytest
from django.test import Client

from benchmarks.timing import in_turn

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
    assert calls == turn * 4
    assert set(floor_ms) == {"f1", "f2"} and all(ms >= 0 for ms in floor_ms.values())
    assert set(timed) == set(pages)
    assert timed[("a", 1)].name == "health" and timed[("a", 1)].status == 200
    assert timed[("b", 2)].url == "/accounts/login/" and b"<form" in timed[("b", 2)].content
