"""A simple limit on the partners' links, which need no login (so axes does not guard them).

A fixed window per minute, counted in Django's cache: every request to a link counts
against the address it comes from (``PARTNER_REQUESTS_PER_MINUTE``), and against the
token it names, so that one link shared on many phones cannot flood the server either.
A token that names no invitation counts ten times, so guessing is slowed far below the
normal use of a link (a token has 256 random bits: guessing is hopeless anyway; the limit
keeps it from costing the server).

The default cache is per process (LocMemCache): with several worker processes each keeps
its own count, so the limit is per worker; a shared cache (Redis, memcached, a database
cache) in CACHES makes it one limit for all of them.
"""

import hashlib

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

WINDOW_SECONDS = 60
MISS_WEIGHT = 10


def _hit(key: str, weight: int) -> int:
    cache.add(key, 0, timeout=WINDOW_SECONDS * 2)
    try:
        return cache.incr(key, weight)
    except ValueError:  # expired between add and incr
        cache.set(key, weight, timeout=WINDOW_SECONDS * 2)
        return weight


def over_limit(request, token: str, *, known: bool) -> bool:
    """Count this request; True when its address or its token is over the limit."""
    limit = settings.PARTNER_REQUESTS_PER_MINUTE
    window = int(timezone.now().timestamp()) // WINDOW_SECONDS
    weight = 1 if known else MISS_WEIGHT
    address = get_client_ip_address(request) or "unknown"
    by_address = _hit(f"partners:rate:ip:{address}:{window}", weight)
    if not known:
        return by_address > limit
    digest = hashlib.sha256(token.encode()).hexdigest()[:32]
    by_token = _hit(f"partners:rate:token:{digest}:{window}", weight)
    return by_address > limit or by_token > limit
