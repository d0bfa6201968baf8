"""A per-address limit on form submissions, counted in the Django cache so that it holds across every app
server (Redis in production), in windows of settings.RATE_LIMIT_WINDOW_SECONDS:

- "submissions": forms that are stored, at most RATE_LIMIT_SUBMISSIONS per window (counted before storing,
  and taken back when the services refuse the form);
- "attempts": forms sent back with mistakes to fix, or refused by the services, and honeypot hits, at most
  RATE_LIMIT_ATTEMPTS per window. A person fixing a long form may need several tries, so this limit is
  wider; it still slows down anyone probing the forms.

The client address is REMOTE_ADDR. Behind a reverse proxy (DJANGO_BEHIND_PROXY=1, which also sets
SECURE_PROXY_SSL_HEADER) it is the rightmost X-Forwarded-For entry instead: the one our own proxy appended,
which a client cannot forge (entries to its left can be). With several proxies in a chain, make the outer
ones replace the header rather than append to it."""

import contextlib
import hashlib
import time

from django.conf import settings
from django.core.cache import cache


def client_address(request) -> str:
    if settings.SECURE_PROXY_SSL_HEADER:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        entries = [entry.strip() for entry in forwarded.split(",") if entry.strip()]
        if entries:
            return entries[-1]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _window() -> tuple[int, int]:
    length = max(int(settings.RATE_LIMIT_WINDOW_SECONDS), 1)
    return int(time.time() // length), length


def _key(request, scope: str, window: int) -> str:
    # Hashed: the cache never holds a visitor's address in clear, and any address makes a valid key.
    digest = hashlib.sha256(client_address(request).encode("utf-8", "surrogateescape")).hexdigest()[:32]
    return f"ratelimit:{scope}:{digest}:{window}"


LIMITS = {"submissions": "RATE_LIMIT_SUBMISSIONS", "attempts": "RATE_LIMIT_ATTEMPTS"}


def hit(request, scope: str = "submissions") -> bool:
    """Count one submission (or attempt) from the request's address; True when it goes over the limit."""
    window, length = _window()
    key = _key(request, scope, window)
    cache.add(key, 0, timeout=length + 60)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=length + 60)
        count = 1
    return count > getattr(settings, LIMITS[scope])


def refund(request, scope: str = "submissions") -> None:
    """Take back one count of `hit`: what was counted as a submission turned out not to be stored."""
    window, _ = _window()
    with contextlib.suppress(ValueError):  # the window ended meanwhile: nothing to take back
        cache.decr(_key(request, scope, window))


def retry_after_seconds() -> int:
    """Seconds until the current window ends and the count starts again."""
    window, length = _window()
    return max(int((window + 1) * length - time.time()), 1)
