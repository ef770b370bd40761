"""Timing a page through Django's test client: the whole request (middleware, view,
template), its median server time, its query count and its size."""

import gc
import gzip
import statistics
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


@dataclass
class Timing:
    name: str
    url: str
    status: int
    median_ms: float
    queries: int
    content: bytes = field(repr=False)

    @property
    def kib(self) -> float:
        return len(self.content) / 1024

    @property
    def gzip_kib(self) -> float:
        return len(gzip.compress(self.content)) / 1024


def logged_in_client(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def time_page(client: Client, name: str, url: str, *, runs: int, warm: bool = True) -> Timing:
    """The median of ``runs`` requests of ``url``, after one unmeasured request that warms
    the caches (templates, translations) when ``warm``."""
    if warm:
        client.get(url)
    times = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url)
            content = b"".join(response) if response.streaming else response.content
            times.append((time.perf_counter() - start) * 1000)
    return Timing(name, url, response.status_code, statistics.median(times), len(queries), content)


@contextmanager
def quiet_collector():
    """Python's garbage collector off while the runs are timed, after one full collection,
    as ``timeit`` does: no item pays for collecting what another one left."""
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def in_turn(
    client: Client, floors: dict[str, Callable[[], object]], pages: dict, *, runs: int
) -> tuple[dict[str, float], dict]:
    """Every floor (a name: a function computing the floor's answer) and every page (a key:
    (name, url)) of a run, taken in turn ``runs`` times after one unmeasured call each:
    the median milliseconds of each floor, and a ``Timing`` of each page. A shared
    machine's slower and faster moments then fall on the floors and the pages alike, and a
    ratio of the two holds; measured one after the other, a floor taken in a fast minute
    and its page in a slow one would not compare."""
    for work in floors.values():
        work()
    for _name, url in pages.values():
        client.get(url)
    floor_ms: dict[str, list[float]] = {name: [] for name in floors}
    page_ms: dict = {key: [] for key in pages}
    last: dict = {}
    with quiet_collector():
        for _ in range(runs):
            for name, work in floors.items():
                start = time.perf_counter()
                work()
                floor_ms[name].append((time.perf_counter() - start) * 1000)
            if floors and pages:
                # The first request after the floors costs 1.5-2 ms more, whichever page it
                # is (measured in turn with the sector page and its shell, each first in
                # turn): not counted against that page.
                client.get(next(iter(pages.values()))[1])
            for key, (name, url) in pages.items():
                last[key] = time_page(client, name, url, runs=1, warm=False)
                page_ms[key].append(last[key].median_ms)
    return (
        {name: statistics.median(times) for name, times in floor_ms.items()},
        {key: replace(last[key], median_ms=statistics.median(page_ms[key])) for key in pages},
    )


def target_line(met: bool | None, text: str) -> str:
    """How every bench command reports a target: PASS or FAIL, then what was measured; INFO
    (``met`` None) for a figure shown beside a target that is set at another size."""
    return f"{'INFO' if met is None else 'PASS' if met else 'FAIL'}  {text}"


def print_targets(stdout, targets: list[tuple[bool | None, str]]) -> None:
    """A line per (met, description), under a heading."""
    stdout.write("\nTargets")
    for met, text in targets:
        stdout.write(target_line(met, text))


def statuses_target(timings) -> tuple[bool, str]:
    """Every page timed answered 200."""
    failed = [item.url for item in timings if item.status != 200]
    return not failed, "every page answered 200" + (f": not {failed}" if failed else "")
