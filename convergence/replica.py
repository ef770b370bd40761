"""A read replica taken by configuration (``DATABASE_REPLICA_URL``).

Reads of pages, reports and API lists go to the replica; every write, every read inside a
transaction (a read that decides a write) and every read of a request that writes (POST,
PUT, PATCH, DELETE) go to the primary. A replica lags its primary by a moment: so that a
user who has just saved sees their save, their browser reads from the primary for
``REPLICA_PINNED_SECONDS`` after a write (a signed cookie); other users may see the
replica's slightly older state meanwhile (docs/deployment.md, "Read replica").
"""

import time
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core import signing
from django.db import connections

REPLICA = "replica"
PIN_COOKIE = "pk_primary"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}

# Whether the current request must read from the primary.
_on_primary: ContextVar[bool] = ContextVar("replica_on_primary", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextmanager
def reading_primary():
    """Every read inside goes to the primary (a background task that reads rows written a
    moment ago, before the replica has them)."""
    token = _on_primary.set(True)
    try:
        yield
    finally:
        _on_primary.reset(token)


class PrimaryReplicaRouter:
    """Route reads to the replica unless the request or the transaction needs the primary."""

    def db_for_read(self, model, **hints):
        if not replica_configured() or _on_primary.get():
            return "default"
        if connections["default"].in_atomic_block:
            return "default"  # a read inside a write sees what the write sees
        return REPLICA

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the primary's rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


class ReplicaRoutingMiddleware:
    """Pins a request to the primary when it writes, or when its browser wrote within the
    last ``REPLICA_PINNED_SECONDS``; after a request that wrote, sets that pin."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replica_configured():
            return self.get_response(request)
        writes = request.method not in SAFE_METHODS
        token = _on_primary.set(writes or self._recently_wrote(request))
        try:
            response = self.get_response(request)
        finally:
            _on_primary.reset(token)
        if writes and response.status_code < 400:
            response.set_signed_cookie(
                PIN_COOKIE,
                str(time.time() + settings.REPLICA_PINNED_SECONDS),
                salt=PIN_COOKIE,
                max_age=settings.REPLICA_PINNED_SECONDS,
                httponly=True,
                secure=settings.SESSION_COOKIE_SECURE,
                samesite="Lax",
            )
        return response

    @staticmethod
    def _recently_wrote(request) -> bool:
        try:
            until = float(request.get_signed_cookie(PIN_COOKIE, salt=PIN_COOKIE))
        except (KeyError, signing.BadSignature, ValueError):
            return False
        return time.time() < until
