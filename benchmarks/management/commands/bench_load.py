"""Throughput of the matrix page under load: gunicorn (2 workers) and wrk, on this machine.

    python manage.py bench_load [--actors 50] [--connections 16] [--duration 20]

Builds a district of N actors with a fully scored round in the configured database,
starts gunicorn on a free loopback port with DEBUG off, runs wrk against the matrix page
(as a logged-in planner) and against /healthz (a trivial page) in the same run, prints
requests per second, latency percentiles and errors, then stops gunicorn and removes the
data. Needs wrk (Debian: apt-get install wrk).
"""

import os
import random
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import date

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.core.management.base import BaseCommand, CommandError

from actors.models import Actor, ActorKind, GovernmentLevel, Region, Sector
from assessments.models import AssessmentRound, PairAssessment, RoundStatus

CODE = "98"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# wrk --latency prints the percentiles on lines of their own under "Latency Distribution":
#       50%    3.32ms
# The thread statistics above them end in a "+/- Stdev" column (74.50%) that an unanchored
# "50%" would also match, reading the next word ("Req/Sec") as the median.
_DISTRIBUTION = re.compile(r"^\s*Latency Distribution\s*$(?P<lines>(?:\n\s+\d+%\s+\S+)+)", re.M)
_PERCENTILE = re.compile(r"^\s+(\d+)%\s+(\S+)$", re.M)


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
    non_2xx = number(r"^\s*Non-2xx or 3xx responses: (\d+)$", int) or 0
    return {
        "rps": number(r"^Requests/sec:\s+([\d.]+)$"),
        "requests": number(r"^\s*(\d+) requests in ", int),
        "p50": percentiles["50"],
        "p99": percentiles["99"],
        "errors": (sum(int(g) for g in errors.groups()) if errors else 0) + non_2xx,
    }


class Command(BaseCommand):
    help = "Requests per second and p99 latency of the matrix page under gunicorn + wrk."

    def add_arguments(self, parser):
        parser.add_argument("--actors", type=int, default=50)
        parser.add_argument("--connections", type=int, default=16)
        parser.add_argument("--duration", type=int, default=20)
        parser.add_argument("--workers", type=int, default=2)

    def handle(self, *args, actors, connections, duration, workers, **options):
        wrk = shutil.which("wrk")
        if not wrk:
            raise CommandError("wrk is not installed (apt-get install wrk).")
        self.cleanup()
        try:
            district, cookie = self.build(actors)
            port = free_port()
            server = self.start_gunicorn(port, workers)
            try:
                base = f"http://127.0.0.1:{port}"
                matrix = f"{base}/regions/{district.code}/matrix/"
                self.check_matrix(matrix, cookie)
                self.stdout.write(
                    f"gunicorn {workers} workers, wrk {connections} connections × {duration} s, "
                    f"{settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}, "
                    f"{actors}-actor matrix ({actors * (actors - 1) // 2} pairs)"
                )
                self.stdout.write(
                    f"{'page':<22}{'req/s':>10}{'p50':>10}{'p99':>10}{'requests':>10}{'errors':>8}"
                )
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
                            *headers,
                            url,
                        ],
                        capture_output=True,
                        text=True,
                        timeout=duration + 60,
                        check=True,
                    )
                    figures = parse_wrk(result.stdout)
                    self.stdout.write(
                        f"{name:<22}{figures['rps']:>10.1f}{figures['p50']:>10}{figures['p99']:>10}"
                        f"{figures['requests']:>10}{figures['errors']:>8}"
                    )
            finally:
                server.terminate()
                server.wait(timeout=30)
        finally:
            self.cleanup()

    def cleanup(self):
        PairAssessment.objects.filter(round__region__code__startswith=CODE).delete()
        AssessmentRound.objects.filter(region__code__startswith=CODE).delete()
        Actor.objects.filter(home_region__code__startswith=CODE).delete()
        Region.objects.filter(code__startswith=CODE + ".").delete()
        Region.objects.filter(code=CODE).delete()
        get_user_model().objects.filter(username="bench-load").delete()

    def build(self, count):
        rng = random.Random(count)
        province = Region.objects.create(code=CODE, name="Beban", level=GovernmentLevel.PROVINCE)
        district = Region.objects.create(
            code=f"{CODE}.01",
            name="Kabupaten Beban",
            level=GovernmentLevel.DISTRICT,
            parent=province,
        )
        sectors = list(Sector.objects.all()[:8]) or [
            Sector.objects.create(
                code="load-health", name_id="Kesehatan", name_en="Health", is_health=True
            )
        ]
        Actor.objects.bulk_create(
            Actor(
                name=f"Aktor {index:03d}",
                short_name=f"A{index:03d}",
                kind=ActorKind.GOVERNMENT,
                sector=sectors[index % len(sectors)],
                government_level=GovernmentLevel.DISTRICT,
                home_region=district,
            )
            for index in range(count)
        )
        members = list(Actor.objects.filter(home_region=district).order_by("pk"))
        round_ = AssessmentRound.objects.create(
            name="Beban",
            region=district,
            period_start=date(2026, 1, 1),
            period_end=date(2026, 12, 31),
            status=RoundStatus.CLOSED,
        )
        PairAssessment.objects.bulk_create(
            PairAssessment(round=round_, actor_a=a, actor_b=b, level=rng.randint(0, 4))
            for i, a in enumerate(members)
            for b in members[i + 1 :]
        )
        user = get_user_model().objects.create_superuser("bench-load", password=None)
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        return district, f"{settings.SESSION_COOKIE_NAME}={session.session_key}"

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
