"""CACHE_URL: several workers or servers share one Redis (the machine's, at
127.0.0.1:6379, database 15, under a key prefix of the test's own, deleted after it). The
matrix page built by one "server" is read back by another: the second reads no level."""

import uuid

import pytest
import redis
from django.core.cache import caches

from tests.assessments.test_matrix_cache import reads_pairs, table, view
from tests.factories import score

REDIS_URL = "redis://127.0.0.1:6379/15"


@pytest.fixture
def shared_redis(settings):
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip("no Redis at 127.0.0.1:6379 (apt-get install redis-server)")
    prefix = f"peta-konvergensi-test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    keys = lambda: list(client.scan_iter(f"{prefix}:*"))  # noqa: E731
    yield keys
    for key in keys():
        client.delete(key)


def test_a_second_server_reads_the_matrix_the_first_built(
    shared_redis, scorer_client, open_round, actors
):
    score(open_round, actors[0], actors[1], 3)
    first, first_sql = view(scorer_client, open_round.region)
    assert reads_pairs(first_sql)
    assert shared_redis()  # stored in Redis

    # Another process: its own connection to the same Redis, nothing in memory.
    caches["default"].close()
    del caches["default"]
    again, again_sql = view(scorer_client, open_round.region)
    assert not reads_pairs(again_sql)
    assert table(again) == table(first)
