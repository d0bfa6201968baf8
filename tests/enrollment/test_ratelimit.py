"""The submissions limit: a window of its own for each address, starting with its first form, so that no
clock boundary lets a second batch through; Retry-After says when the address may send again; without the
shared cache, each process still counts."""

import logging
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from enrollment.models import Enquiry
from tests.enrollment.conftest import enquiry_data, post_data, today

pytestmark = pytest.mark.django_db

BEFORE_THE_HOUR = datetime(2026, 12, 1, 14, 59, 50, tzinfo=UTC)


@pytest.fixture
def clock(settings):
    """A clock the test moves, with the counters in this process's memory, which moves with it (Redis
    keeps real time: a window there cannot be made to end by moving the clock)."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "moving-clock"}
    }
    settings.RATE_LIMIT_SUBMISSIONS = 10
    settings.RATE_LIMIT_WINDOW_SECONDS = 3600
    cache.clear()
    with time_machine.travel(BEFORE_THE_HOUR, tick=False) as traveller:
        yield traveller
    cache.clear()


def send(client):
    return client.post(reverse("enrollment:contact"), enquiry_data())


def test_a_clock_hour_boundary_does_not_let_a_second_batch_through(client, clock):
    assert [send(client).status_code for _ in range(10)] == [302] * 10

    clock.move_to(BEFORE_THE_HOUR + timedelta(seconds=20))  # 15:00:10, past the hour
    response = send(client)

    assert response.status_code == 429
    assert Enquiry.objects.count() == 10


def test_retry_after_says_when_the_address_may_send_again(client, clock):
    for _ in range(10):
        send(client)
    clock.move_to(BEFORE_THE_HOUR + timedelta(minutes=20))

    refused = send(client)

    assert refused.status_code == 429
    retry_after = int(refused["Retry-After"])
    assert retry_after == 40 * 60
    clock.shift(retry_after - 1)
    assert send(client).status_code == 429
    clock.shift(1)
    assert send(client).status_code == 302


def test_the_window_of_one_address_does_not_start_anothers(client, clock):
    for _ in range(10):
        send(client)
    clock.move_to(BEFORE_THE_HOUR + timedelta(minutes=59, seconds=59))
    other = Client(REMOTE_ADDR="203.0.113.9")
    assert send(other).status_code == 302

    clock.shift(2)  # the first address's window is over; the other's has just begun

    assert send(client).status_code == 302
    assert [send(other).status_code for _ in range(9)] == [302] * 9
    assert send(other).status_code == 429


def test_without_the_cache_each_process_still_counts_and_says_so_in_the_log(
    client, settings, cache_unavailable, caplog
):
    settings.RATE_LIMIT_SUBMISSIONS = 3
    with caplog.at_level(logging.WARNING, logger="enrollment.ratelimit"):
        statuses = [send(client).status_code for _ in range(4)]

    assert statuses == [302, 302, 302, 429]
    assert Enquiry.objects.count() == 3
    assert "Rate limit counted by this process alone" in caplog.text


def test_without_the_cache_a_refused_form_is_taken_back_from_the_count(
    client, settings, cache_unavailable, cohort
):
    """The services' refusal (too young) counts as a mistake to fix, not as a submission."""
    settings.RATE_LIMIT_SUBMISSIONS = 1
    settings.RATE_LIMIT_ATTEMPTS = 10
    url = reverse("enrollment:apply", kwargs={"slug": cohort.program.slug})
    too_young = (today() - timedelta(days=365 * 15)).isoformat()

    assert client.post(url, post_data(cohort, date_of_birth=too_young)).status_code == 200
    assert client.post(url, post_data(cohort)).status_code == 302
    assert client.post(url, post_data(cohort)).status_code == 429
