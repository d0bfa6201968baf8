"""Redis stopped or out of reach: the site serves every page uncached, takes applications and questions,
lets staff sign in and work, loads the demo content, and says in /healthz that the cache is down. When the
cache is back, no page from before the outage hides a change made during it."""

import os
import subprocess
import sys
import time
from contextlib import contextmanager
from io import StringIO
from pathlib import Path
from unittest import mock

import pytest
import redis
from django.core.cache import caches
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from enrollment.models import Application, Enquiry
from roles.models import CertificationLevel, Role
from sitetools import pagecache
from tests.conftest import UNREACHABLE_REDIS
from tests.enrollment.conftest import enquiry_data, make_cohort, make_level, make_program, post_data
from tests.signin import app_code, enrolled_device

PROJECT_DIR = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery staple"

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort(db):
    return make_cohort(program=make_program(level=make_level(slug="emt", ladder_order=2)), capacity=10)


def public_pages(cohort):
    program = cohort.program
    return [
        reverse("home"),
        reverse("roles:index"),
        reverse("roles:detail", kwargs={"slug": "emt"}),
        reverse("roles:compare") + "?levels=emt",
        reverse("roles:faq"),
        reverse("enrollment:program-list"),
        program.get_absolute_url(),
        reverse("enrollment:apply-start"),
        reverse("enrollment:apply", kwargs={"slug": program.slug}) + f"?cohort={cohort.pk}",
        reverse("enrollment:contact"),
        "/sitemap.xml",
        "/robots.txt",
    ]


def test_every_public_page_is_served_uncached_when_the_cache_is_down(client, cohort, cache_unavailable):
    for _ in range(2):
        for url in public_pages(cohort):
            response = client.get(url)
            assert response.status_code == 200, url
            assert "X-Page-Cache" not in response, url


@pytest.mark.django_db(transaction=True)
def test_an_application_sent_while_the_cache_is_down_is_stored_and_confirmed(cache_unavailable):
    """Committed for real (on_commit callbacks run in the request, as in production): the page cache's
    invalidation then fails, and the applicant still gets the confirmation, not an error."""
    cohort = make_cohort(program=make_program(level=make_level(slug="emt", ladder_order=2)), capacity=10)
    client = Client(enforce_csrf_checks=True)
    url = reverse("enrollment:apply", kwargs={"slug": cohort.program.slug})
    form = client.get(url)
    token = form.context["csrf_token"]

    response = client.post(url, {**post_data(cohort), "csrfmiddlewaretoken": str(token)})

    assert response.status_code == 302
    assert Application.objects.filter(cohort=cohort).count() == 1
    confirmation = client.get(response["Location"])
    assert confirmation.status_code == 200
    assert Application.objects.get().reference in confirmation.content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_question_sent_while_the_cache_is_down_is_stored(client, cache_unavailable):
    response = client.post(reverse("enrollment:contact"), enquiry_data())
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200
    assert Enquiry.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_rate_limit_still_stops_a_flood_when_the_cache_is_down(client, settings, cache_unavailable):
    settings.RATE_LIMIT_SUBMISSIONS = 2
    statuses = [client.post(reverse("enrollment:contact"), enquiry_data()).status_code for _ in range(3)]
    assert statuses == [302, 302, 429]
    assert Enquiry.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_staff_sign_in_and_edit_content_while_the_cache_is_down(client, django_user_model, cache_unavailable):
    officer = django_user_model.objects.create_superuser("officer", "officer@example.org", PASSWORD)
    device = enrolled_device(officer)

    signed_in = client.post("/admin/login/?next=/admin/", {"username": "officer", "password": PASSWORD})
    assert signed_in["Location"] == reverse("admin:second-factor-code")
    assert client.post(signed_in["Location"], {"code": app_code(device)}).status_code == 302
    assert client.get("/admin/").status_code == 200

    added = client.post(
        "/admin/roles/role/add/",
        {
            "name": "Flight medic",
            "slug": "flight-medic",
            "summary": "Care in the air.",
            "description": "Works on helicopters.",
            "credentials": "",
            "order": "5",
            "is_published": "on",
        },
    )
    assert added.status_code == 302, added.content.decode()[:2000]
    assert Role.objects.filter(slug="flight-medic").exists()


def test_the_health_check_says_the_cache_is_down_and_the_site_still_serves(client, cache_unavailable):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": "ok", "cache": "unavailable"}


@pytest.mark.django_db(transaction=True)
def test_the_demo_loader_finishes_when_the_cache_is_down(cache_unavailable):
    out, err = StringIO(), StringIO()
    call_command("load_demo_content", stdout=out, stderr=err)
    assert "Demo content loaded" in out.getvalue()
    assert CertificationLevel.objects.exists()
    assert "the pages it holds were not invalidated" in err.getvalue()


def test_a_redis_that_does_not_answer_costs_one_short_wait_not_one_per_request(
    client, cohort, settings, silent_redis
):
    settings.CACHES = {
        "default": {
            "BACKEND": "emsprogram.cache.FailFastRedisCache",
            "LOCATION": silent_redis,
            "OPTIONS": {"socket_connect_timeout": 0.3, "socket_timeout": 0.3, "BREAKER_SECONDS": 60},
        }
    }
    durations = []
    for url in public_pages(cohort)[:6]:
        started = time.monotonic()
        assert client.get(url).status_code == 200
        durations.append(time.monotonic() - started)
    assert 0.3 <= durations[0] < 2
    assert max(durations[1:]) < 0.3, durations


@contextmanager
def cache_outage():
    """The cache stops answering for a while, then comes back with what it held (a network blip)."""
    backend = caches["default"]
    failure = redis.exceptions.ConnectionError("Error 111 connecting to the cache. Connection refused.")
    names = ["get", "get_many", "set", "add", "incr", "decr", "delete", "get_or_set"]
    with mock.patch.multiple(backend, **{name: mock.Mock(side_effect=failure) for name in names}):
        yield


@pytest.mark.django_db(transaction=True)
def test_a_change_made_while_the_cache_was_away_shows_once_it_is_back(client):
    program = make_program(level=make_level(slug="emt", ladder_order=2), name="Weekday EMT")
    url = reverse("enrollment:program-list")
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"

    with cache_outage():
        program.name = "Evening EMT"
        program.save()  # committed; telling the page cache fails

    response = client.get(url)
    assert "Evening EMT" in response.content.decode()
    assert response["X-Page-Cache"] == "miss"


@pytest.mark.django_db(transaction=True)
def test_pages_served_during_an_outage_are_fresh_and_the_cache_fills_again_after(client):
    program = make_program(level=make_level(slug="emt", ladder_order=2), name="Weekday EMT")
    url = reverse("enrollment:program-list")
    client.get(url)

    with cache_outage():
        program.name = "Evening EMT"
        program.save()
        during = client.get(url)
        assert during.status_code == 200
        assert "Evening EMT" in during.content.decode()
        assert "X-Page-Cache" not in during

    assert client.get(url)["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "hit"


def test_a_generation_the_cache_lost_never_matches_a_page_stored_before(client, cohort):
    """Redis may evict the generation, or restart from a snapshot: it must not start again at a number an
    older page was stored under."""
    url = reverse("enrollment:program-list")
    pagecache.bump_generation()
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"

    caches["default"].delete_many(list(pagecache.GENERATION_KEYS.values()))
    pagecache.bump_generation()  # a change, after the generation was lost

    assert client.get(url)["X-Page-Cache"] == "miss"


@pytest.mark.slow
def test_the_demo_loader_runs_with_production_settings_and_redis_stopped(tmp_path):
    """As an operator runs it: its own process, DEBUG off, REDIS_URL pointing at no Redis."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_"))}
    env.update(
        DJANGO_SECRET_KEY="outage-" + "k" * 50,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'site.sqlite3'}",
        REDIS_URL=UNREACHABLE_REDIS,
    )

    def manage(*args):
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=PROJECT_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )

    assert manage("migrate", "--noinput", "-v", "0").returncode == 0
    loaded = manage("load_demo_content")

    assert loaded.returncode == 0, loaded.stderr[-3000:]
    assert "Demo content loaded" in loaded.stdout
    assert "the pages it holds were not invalidated" in loaded.stderr
