"""The Redis cache backend fails fast: a Redis that does not answer costs one short timeout, then the
process skips it for a while instead of waiting on every call."""

import threading
import time

import pytest
import redis

from emsprogram.cache import CacheSkipped, FailFastRedisCache


def backend(location, breaker_seconds=30):
    options = {"socket_connect_timeout": 0.2, "socket_timeout": 0.2, "BREAKER_SECONDS": breaker_seconds}
    return FailFastRedisCache(location, {"OPTIONS": options})


def timed(call):
    started = time.monotonic()
    with pytest.raises(redis.exceptions.RedisError) as raised:
        call()
    return raised.value, time.monotonic() - started


def test_a_redis_that_does_not_answer_costs_one_short_timeout_then_calls_fail_at_once(silent_redis):
    cache = backend(silent_redis)

    first, first_wait = timed(lambda: cache.get("page"))
    second, second_wait = timed(lambda: cache.set("page", "html", 60))

    assert isinstance(first, redis.exceptions.TimeoutError)
    assert 0.2 <= first_wait < 1.5
    assert isinstance(second, CacheSkipped)
    assert second_wait < 0.05


def test_after_the_interval_the_cache_is_tried_again(silent_redis):
    cache = backend(silent_redis, breaker_seconds=0.3)
    timed(lambda: cache.get("page"))
    assert isinstance(timed(lambda: cache.get("page"))[0], CacheSkipped)

    time.sleep(0.35)

    error, wait = timed(lambda: cache.get("page"))
    assert isinstance(error, redis.exceptions.TimeoutError)
    assert wait >= 0.2


def test_every_thread_of_the_process_skips_the_cache_after_one_failed(silent_redis):
    """Django makes a cache object per thread; an outage found by one thread spares the others the wait."""
    timed(lambda: backend(silent_redis).get("page"))
    errors = []
    other = threading.Thread(target=lambda: errors.append(timed(lambda: backend(silent_redis).get("page"))))
    other.start()
    other.join()

    error, wait = errors[0]
    assert isinstance(error, CacheSkipped)
    assert wait < 0.05


def test_the_outage_is_logged_once_per_interval_not_once_per_call(silent_redis, caplog):
    cache = backend(silent_redis)
    for _ in range(5):
        timed(lambda: cache.get("page"))
    warnings = [record for record in caplog.records if record.name == "emsprogram.cache"]
    assert len(warnings) == 1
    assert "Cache unavailable (TimeoutError" in warnings[0].getMessage()
