"""The site's Redis cache backend: Django's own, made to fail fast when Redis is away.

Redis holds nothing the site cannot do without (cached pages, rate-limit counters), so the code that uses the
cache treats any error from it as "the cache is unavailable" and carries on without it (sitetools/pagecache.py,
enrollment/ratelimit.py). What this backend adds is that such an error comes quickly: short socket timeouts
(settings.REDIS_TIMEOUT_SECONDS) so that a Redis that does not answer costs a fraction of a second, and a
per-process circuit breaker so that an outage costs that once per settings.CACHE_BREAKER_SECONDS rather than
once per request: after a Redis error, every call fails at once with `CacheSkipped` until the interval is over,
and the next call tries Redis again."""

import logging
import time

import redis
from django.core.cache.backends.redis import RedisCache
from django.utils.functional import cached_property

logger = logging.getLogger(__name__)


class CacheSkipped(redis.exceptions.ConnectionError):
    """Raised instead of calling Redis while the breaker is open after a recent error."""


class _Breaker:
    def __init__(self, seconds: float):
        self.seconds = seconds
        self.open_until = 0.0

    def check(self) -> None:
        if time.monotonic() < self.open_until:
            raise CacheSkipped("the cache failed moments ago; not trying it again yet")

    def trip(self, error: Exception) -> None:
        # Several threads may fail at once: one line per interval is enough.
        if time.monotonic() >= self.open_until:
            logger.warning(
                "Cache unavailable (%s: %s); working without it, trying again in %s s",
                type(error).__name__,
                error,
                self.seconds,
            )
        self.open_until = time.monotonic() + self.seconds


class _GuardedClient:
    """Django's RedisCacheClient, each call guarded by the breaker."""

    def __init__(self, client, breaker: _Breaker):
        self._client = client
        self._breaker = breaker

    def __getattr__(self, name):
        method = getattr(self._client, name)

        def guarded(*args, **kwargs):
            self._breaker.check()
            try:
                return method(*args, **kwargs)
            except redis.exceptions.RedisError as error:
                self._breaker.trip(error)
                raise

        return guarded


# Django makes a cache object per thread; the breaker is per process, one per Redis location.
_breakers: dict[str, _Breaker] = {}


class FailFastRedisCache(RedisCache):
    """OPTIONS as for Django's RedisCache, plus BREAKER_SECONDS (how long to skip Redis after an error)."""

    def __init__(self, server, params):
        options = dict(params.get("OPTIONS", {}))
        seconds = float(options.pop("BREAKER_SECONDS", 5))
        super().__init__(server, {**params, "OPTIONS": options})
        self._breaker = _breakers.setdefault(str(server), _Breaker(seconds))

    @cached_property
    def _cache(self):
        return _GuardedClient(self._class(self._servers, **self._options), self._breaker)
