import pytest
from django.urls import reverse

from roles.models import FAQTopic

pytestmark = pytest.mark.django_db


def test_anonymous_home_page_is_served_from_the_cache_on_the_second_visit(client):
    first = client.get(reverse("home"))
    second = client.get(reverse("home"))
    assert first["X-Page-Cache"] == "miss"
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content


def test_cached_page_still_carries_fresh_security_headers(client):
    client.get(reverse("home"))
    hit = client.get(reverse("home"))
    assert hit["X-Page-Cache"] == "hit"
    assert "default-src 'none'" in hit["Content-Security-Policy"]
    assert "nonce-" not in hit["Content-Security-Policy"]
    assert hit["Cross-Origin-Resource-Policy"] == "same-origin"


def test_saving_content_invalidates_cached_pages(client, django_capture_on_commit_callbacks):
    client.get(reverse("home"))
    with django_capture_on_commit_callbacks(execute=True):
        FAQTopic.objects.create(slug="costs", name="Costs")
    assert client.get(reverse("home"))["X-Page-Cache"] == "miss"


def test_visitors_with_a_session_always_get_a_fresh_page(client, admin_user):
    client.force_login(admin_user)
    client.get(reverse("home"))
    assert "X-Page-Cache" not in client.get(reverse("home"))


def test_pages_that_did_not_opt_in_are_never_cached(client):
    client.get("/robots.txt")
    assert "X-Page-Cache" not in client.get("/robots.txt")


def test_the_cache_can_be_turned_off(client, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    client.get(reverse("home"))
    assert "X-Page-Cache" not in client.get(reverse("home"))
