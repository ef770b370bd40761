"""Throughput of the matrix page under load: gunicorn (2 workers) and wrk, on this machine.

    python manage.py bench_load [--actors 50] [--connections 16] [--duration 20]
                                [--timeout 2]

Builds a district of N actors with a closed, fully scored round (``benchmarks.synthetic``)
in the configured database, starts gunicorn on a free loopback port with DEBUG off, runs
wrk against the matrix page (as the benchmark's user) and against /healthz (a trivial
page) in the same run, prints requests per second, latency percentiles and errors and
PASS or FAIL for issue 16's targets (``load_targets``), then stops gunicorn and removes the
data. Needs wrk (Debian: apt-get install wrk).
"""

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core.management.base import BaseCommand, CommandError

from assessments.models import RoundStatus
from benchmarks import synthetic
from benchmarks.timing import print_targets

MATRIX_SHARE, SHARE_ACTORS = 0.05, 50  # issue 16


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# wrk --latency prints the percentiles on lines of their own under "Latency Distribution",
# a value in seconds padded with a space to align with milliseconds:
#       50%    3.32ms
#       99%    1.51s
# The thread statistics above them end in a "+/- Stdev" column (74.50%) that an unanchored
# "50%" would also match, reading the next word ("Req/Sec") as the median.
_DISTRIBUTION = re.compile(
    r"^[ \t]*Latency Distribution[ \t]*$(?P<lines>(?:\n[ \t]+\d+%[ \t]+\S+[ \t]*)+)", re.M
)
_PERCENTILE = re.compile(r"^[ \t]+(\d+)%[ \t]+(\S+)[ \t]*$", re.M)


def parse_wrk(output: str) -> dict:
    """Requests per second, requests, p50, p99 and errors (socket errors and non-2xx/3xx
    responses) from the output of ``wrk --latency``."""

    def number(pattern, cast=float):
        match = re.search(pattern, output, re.M)
        return cast(match.group(1)) if match else None

    distribution = _DISTRIBUTION.search(output)
    if distribution is None:
        raise ValueError("wrk printed no latency distribution (run it with --latency).")
    percentiles = dict(_PERCENTILE.findall(distribution.group("lines")))
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    non_2xx = number(r"^\s*Non-2xx or 3xx responses: (\d+)[ \t]*$", int) or 0
    return {
        "rps": number(r"^Requests/sec:\s+([\d.]+)[ \t]*$"),
        "requests": number(r"^\s*(\d+) requests in ", int),
        "p50": percentiles["50"],
        "p99": percentiles["99"],
        "errors": (sum(int(g) for g in errors.groups()) if errors else 0) + non_2xx,
    }


def load_targets(healthz: dict, matrix: dict, *, actors: int, timeout: int) -> list:
    """Issue 16's targets, as (met, description): the matrix's share of /healthz's
    requests per second (the target is set at 50 actors: above that size the share is
    shown as information, met None), and no error (set at 200 actors with a 10 s
    time-out; held at any size)."""
    share = matrix["rps"] / healthz["rps"]
    return [
        (
            share >= MATRIX_SHARE if actors <= SHARE_ACTORS else None,
            f"{actors}-actor matrix at {MATRIX_SHARE:.0%} or more of /healthz's requests per "
            f"second (target set at {SHARE_ACTORS} actors): {share:.1%}",
        ),
        (
            matrix["errors"] == 0,
            f"{actors}-actor matrix: 0 errors with a {timeout} s time-out (target set at 200 "
            f"actors, 10 s): {matrix['errors']}",
        ),
    ]


class Command(BaseCommand):
    help = "Requests per second and p99 latency of the matrix page under gunicorn + wrk."

    def add_arguments(self, parser):
        parser.add_argument("--actors", type=int, default=50)
        parser.add_argument("--connections", type=int, default=16)
        parser.add_argument("--duration", type=int, default=20)
        parser.add_argument("--workers", type=int, default=2)
        # wrk counts a request unanswered after this many seconds as an error (its own
        # default: 2 s).
        parser.add_argument("--timeout", type=int, default=2)

    def handle(self, *args, actors, connections, duration, workers, timeout, **options):
        wrk = shutil.which("wrk")
        if not wrk:
            raise CommandError("wrk is not installed (apt-get install wrk).")
        synthetic.prepare(self.stdout)
        session = None
        try:
            district, session = self.build(actors)
            cookie = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"
            port = free_port()
            server = self.start_gunicorn(port, workers)
            try:
                base = f"http://127.0.0.1:{port}"
                matrix = f"{base}/regions/{district.code}/matrix/"
                self.check_matrix(matrix, cookie)
                self.stdout.write(
                    f"gunicorn {workers} workers, wrk {connections} connections × {duration} s "
                    f"(time-out {timeout} s), "
                    f"{settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}, "
                    f"{actors}-actor matrix ({actors * (actors - 1) // 2} pairs)"
                )
                self.stdout.write(
                    f"{'page':<22}{'req/s':>10}{'p50':>10}{'p99':>10}{'requests':>10}{'errors':>8}"
                )
                measured = {}
                for name, url, headers in (
                    ("trivial (/healthz)", f"{base}/healthz", []),
                    ("who × who matrix", matrix, ["-H", f"Cookie: {cookie}"]),
                ):
                    result = subprocess.run(
                        [
                            wrk,
                            "-t2",
                            f"-c{connections}",
                            f"-d{duration}s",
                            "--latency",
                            f"--timeout={timeout}s",
                            *headers,
                            url,
                        ],
                        capture_output=True,
                        text=True,
                        timeout=duration + 60,
                        check=True,
                    )
                    figures = measured[name] = parse_wrk(result.stdout)
                    self.stdout.write(
                        f"{name:<22}{figures['rps']:>10.1f}{figures['p50']:>10}{figures['p99']:>10}"
                        f"{figures['requests']:>10}{figures['errors']:>8}"
                    )
                print_targets(
                    self.stdout,
                    load_targets(
                        measured["trivial (/healthz)"],
                        measured["who × who matrix"],
                        actors=actors,
                        timeout=timeout,
                    ),
                )
            finally:
                server.terminate()
                server.wait(timeout=30)
        finally:
            if session is not None:
                session.delete()
            synthetic.remove_synthetic()

    def build(self, count):
        """The district and its closed round (``benchmarks.synthetic``), committed: gunicorn
        reads them from another process. A session of the benchmark's user for wrk."""
        builder = synthetic.Builder(seed=count)
        district = builder.district(count)
        builder.rounds([district], 2026, status=RoundStatus.CLOSED)
        user = builder.superuser()
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        return district.region, session

    def start_gunicorn(self, port, workers):
        env = {
            **os.environ,
            "DEBUG": "0",
            # The same key as this process: the session it made must be valid there.
            "SECRET_KEY": settings.SECRET_KEY,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_COOKIES": "0",
            "STATIC_MANIFEST": "0",
        }
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "convergence.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--log-level",
                "warning",
            ],
            cwd=settings.BASE_DIR,
            env=env,
        )
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
                return server
            except OSError:
                time.sleep(0.2)
        server.terminate()
        raise CommandError("gunicorn did not start.")

    def check_matrix(self, url, cookie):
        request = urllib.request.Request(url, headers={"Cookie": cookie})
        with urllib.request.urlopen(request, timeout=30) as response:
            if response.status != 200 or b'class="matrix"' not in response.read():
                raise CommandError(f"The matrix page did not render for the benchmark user: {url}")
