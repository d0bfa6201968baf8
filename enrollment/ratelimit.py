"""A per-address limit on form submissions, counted in the Django cache so that it holds across every app
server (Redis in production):

- "submissions": forms that are stored, at most RATE_LIMIT_SUBMISSIONS per window (counted before storing,
  and taken back when the services refuse the form);
- "attempts": forms sent back with mistakes to fix, or refused by the services, and honeypot hits, at most
  RATE_LIMIT_ATTEMPTS per window. A person fixing a long form may need several tries, so this limit is
  wider; it still slows down anyone probing the forms;
- "uploads": documents sent on an applicant's page, at most RATE_LIMIT_UPLOADS per window, counted twice:
  per address, and per application (`who`, whatever address they come from), so that neither one
  connection nor one application's link can fill the documents storage.

An address's window starts with its first counted form and lasts settings.RATE_LIMIT_WINDOW_SECONDS; its
count starts again after that. A window tied to the clock (each hour) would let twice the limit through in
seconds, either side of the hour. Retry-After says when the address's own window ends.

Without the cache (Redis stopped or out of reach) the limit fails open, to a count kept in this process
alone, with a WARNING in the log: the forms keep working, and an address can still send no more than the
limit to each app server process while the outage lasts (docs/decisions.md).

The client address is REMOTE_ADDR. Behind a reverse proxy (DJANGO_BEHIND_PROXY=1, which also sets
SECURE_PROXY_SSL_HEADER) it is the rightmost X-Forwarded-For entry instead: the one our own proxy appended,
which a client cannot forge (entries to its left can be). With several proxies in a chain, make the outer
ones replace the header rather than append to it. The staff sign-in lockout (django-axes) uses the same
address (settings.AXES_CLIENT_IP_CALLABLE)."""

import hashlib
import ipaddress
import logging
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache

logger = logging.getLogger(__name__)

LIMITS = {
    "submissions": "RATE_LIMIT_SUBMISSIONS",
    "attempts": "RATE_LIMIT_ATTEMPTS",
    "uploads": "RATE_LIMIT_UPLOADS",
}

# The counts of this process alone, for when the shared cache is unavailable. Bounded, like any LocMemCache.
_process_counts = LocMemCache("ratelimit-fallback", {"OPTIONS": {"MAX_ENTRIES": 10_000}})


def _ip_address(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_address(request) -> str | None:
    """The address of the person sending the request, as a normalised IP address (None if unknown). Behind
    our proxy, an X-Forwarded-For whose last entry is no address (the request did not come through the
    proxy) is ignored: the connection's own address is used."""
    if settings.SECURE_PROXY_SSL_HEADER:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        address = _ip_address(forwarded[-1])
        if address is not None:
            return address
    return _ip_address(request.META.get("REMOTE_ADDR", ""))


def _counter_prefix(request, scope: str, who: str | None = None) -> str:
    # Hashed: the cache never holds a visitor's address (or whatever else is counted) in clear.
    counted = f"who:{who}" if who is not None else (client_address(request) or "unknown")
    return f"ratelimit:{scope}:{hashlib.sha256(counted.encode()).hexdigest()[:32]}"


def _count(store, prefix: str, length: int) -> tuple[str, int, float]:
    """Count one form in `store`: the counter's key, the count so far in the address's window, and the time
    the window ends. The window's start is kept under its own key, which lives as long as the window; the
    counter's key names the start, so a new window never inherits an old count."""
    started = store.get_or_set(f"{prefix}:start", time.time(), timeout=length)
    key = f"{prefix}:{started!r}"
    store.add(key, 0, timeout=length + 60)
    try:
        count = store.incr(key)
    except ValueError:  # expired between add and incr
        store.add(key, 1, timeout=length + 60)
        count = 1
    return key, count, started + length


def hit(request, scope: str = "submissions", *, who: str | None = None) -> bool:
    """Count one submission (or attempt, or upload) from the request's address, or for `who` (such as an
    application's reference) whatever the address; True when it goes over the limit."""
    length = max(int(settings.RATE_LIMIT_WINDOW_SECONDS), 1)
    prefix = _counter_prefix(request, scope, who)
    store = cache
    try:
        key, count, ends = _count(store, prefix, length)
    except Exception as error:  # noqa: BLE001 - any failure of the cache: fail open to this process's count
        logger.warning(
            "Rate limit counted by this process alone: the cache is unavailable (%s)", type(error).__name__
        )
        store = _process_counts
        key, count, ends = _count(store, prefix, length)
    counted = scope if who is None else f"{scope}:{who}"
    request.ratelimit_counted = {**getattr(request, "ratelimit_counted", {}), counted: (store, key)}
    if count > getattr(settings, LIMITS[scope]):
        request.ratelimit_retry_after = max(math.ceil(ends - time.time()), 1)
        return True
    return False


def refund(request, scope: str = "submissions") -> None:
    """Take back one count of `hit`: what was counted as a submission turned out not to be stored."""
    counted = getattr(request, "ratelimit_counted", {}).get(scope)
    if counted is None:
        return
    store, key = counted
    try:
        store.decr(key)
    except ValueError:  # the window ended meanwhile: nothing to take back
        pass
    except Exception as error:  # noqa: BLE001 - the cache went away since: the count stays, no harm
        logger.warning("Rate limit count not taken back: the cache is unavailable (%s)", type(error).__name__)


def retry_after_seconds(request) -> int:
    """Seconds until the window that `hit` found full ends and the address may send forms again."""
    return getattr(request, "ratelimit_retry_after", max(int(settings.RATE_LIMIT_WINDOW_SECONDS), 1))
