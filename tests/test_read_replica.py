"""A read replica taken by configuration: pages and API reads go to it, writes and the
reads of a write to the primary, and a user who has just saved reads from the primary while
the replica catches up. Tried against a real PostgreSQL streaming replica that the test
starts itself (pg_basebackup -R and a second server, on ports of their own)."""

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from convergence.replica import PrimaryReplicaRouter, replica_configured

ROOT = Path(__file__).resolve().parent.parent
PG_BIN = next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)), None)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _as_postgres(command: list[str], **kwargs):
    """PostgreSQL's servers refuse to run as root: run as the postgres user when root."""
    if os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    return subprocess.run(command, check=True, capture_output=True, text=True, **kwargs)


@pytest.fixture(scope="module")
def streaming_replica():
    """A primary and its streaming replica, each on a free port, removed afterwards."""
    if PG_BIN is None or not (PG_BIN / "initdb").exists():
        pytest.skip("PostgreSQL's server binaries (initdb, pg_ctl) are not installed here")
    base = Path(tempfile.mkdtemp(prefix="pk-replica-"))
    os.chmod(base, 0o777)
    if os.geteuid() == 0:
        shutil.chown(base, "postgres")
    primary, replica = base / "primary", base / "replica"
    ports = {"primary": _free_port(), "replica": _free_port()}
    pg_ctl = str(PG_BIN / "pg_ctl")
    try:
        _as_postgres([str(PG_BIN / "initdb"), "-D", str(primary), "-U", "postgres", "-A", "trust"])
        with open(primary / "postgresql.conf", "a") as conf:
            conf.write(
                f"port = {ports['primary']}\nlisten_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{base}'\nwal_level = replica\n"
                "max_wal_senders = 4\nfsync = off\n"
            )
        with open(primary / "pg_hba.conf", "a") as hba:
            hba.write("host replication all 127.0.0.1/32 trust\n")
        _as_postgres([pg_ctl, "-D", str(primary), "-l", str(base / "primary.log"), "-w", "start"])
        _as_postgres(
            [str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(ports["primary"]),
             "-U", "postgres", "peta"]
        )  # fmt: skip
        _as_postgres(
            [str(PG_BIN / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(ports["primary"]),
             "-U", "postgres", "-D", str(replica), "-R", "-X", "stream"]
        )  # fmt: skip
        with open(replica / "postgresql.conf", "a") as conf:
            conf.write(f"port = {ports['replica']}\n")
        _as_postgres([pg_ctl, "-D", str(replica), "-l", str(base / "replica.log"), "-w", "start"])
        yield {name: f"postgres://postgres@127.0.0.1:{port}/peta" for name, port in ports.items()}
    finally:
        for data in (replica, primary):
            if (data / "postmaster.pid").exists():
                _as_postgres([pg_ctl, "-D", str(data), "-m", "immediate", "stop"])
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="module")
def seen(streaming_replica):
    """Who answered what, step by step (tests/replica_run.py on the two servers)."""
    env = {
        **os.environ,
        "DATABASE_URL": streaming_replica["primary"],
        "DATABASE_REPLICA_URL": streaming_replica["replica"],
        "DEBUG": "0",
        "SECRET_KEY": "replica-test-only",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "STATIC_MANIFEST": "0",
        "REPLICA_PINNED_SECONDS": "60",
    }
    done = subprocess.run(
        [sys.executable, "-m", "tests.replica_run"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_pages_and_api_reads_go_to_the_replica(seen):
    for step in ("planner opens the matrix page", "planner reads"):
        assert seen[step]["status"] == 200
        assert seen[step]["replica_queries"] > 0
        assert seen[step]["primary_queries"] == 0, step


def test_writes_and_their_reads_go_to_the_primary(seen):
    saved = seen["scorer saves 2"]
    assert saved["status"] == 302
    assert (saved["replica_queries"], saved["primary_queries"] > 0) == (0, True)


def test_the_writer_sees_their_save_while_the_replica_lags_and_others_catch_up(seen):
    # The scorer saved level 3 while the replica's replay was paused.
    assert seen["scorer saves 3"]["status"] == 302
    # They read from the primary (their browser wrote a moment ago): their save is there.
    assert seen["scorer reads"]["level"] == 3
    assert seen["scorer reads"]["replica_queries"] == 0
    # Another user reads the replica: the level before, until it catches up...
    assert seen["planner reads during lag"]["level"] == 2
    assert seen["planner reads during lag"]["replica_queries"] > 0
    # ...and then the new one.
    assert seen["planner reads after"]["level"] == 3


def test_without_a_replica_everything_uses_the_primary(settings):
    assert not replica_configured()
    router = PrimaryReplicaRouter()
    assert router.db_for_read(None) == "default"
    assert router.db_for_write(None) == "default"
    assert router.allow_migrate("replica", "assessments") is False
