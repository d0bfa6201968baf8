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


def test_cached_pages_are_sent_compressed_to_browsers_that_accept_gzip(client):
    import gzip

    plain = client.get(reverse("home"))
    hit = client.get(reverse("home"), headers={"accept-encoding": "gzip, br"})
    assert hit["X-Page-Cache"] == "hit"
    assert hit["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in hit["Vary"]
    assert gzip.decompress(hit.content) == plain.content
    assert len(hit.content) < len(plain.content) / 2


def test_every_visitor_of_a_cached_form_page_gets_a_working_token_of_their_own(
    django_capture_on_commit_callbacks,
):
    """The form page is cached without its CSRF token; each response carries the visitor's own."""
    import re

    from django.test import Client

    from enrollment.models import Application
    from tests.enrollment.conftest import make_cohort, make_level, make_program, post_data

    cohort = make_cohort(program=make_program(level=make_level(slug="emt", ladder_order=2)))
    url = reverse("enrollment:apply", kwargs={"slug": cohort.program.slug})
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first_page, second_page = first.get(url), second.get(url)
    assert (first_page["X-Page-Cache"], second_page["X-Page-Cache"]) == ("miss", "hit")

    token = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
    first_token = token.search(first_page.content.decode()).group(1)
    second_token = token.search(second_page.content.decode()).group(1)
    assert first_token != second_token
    assert second_page.cookies["__Host-csrftoken"].value != first_page.cookies["__Host-csrftoken"].value

    with django_capture_on_commit_callbacks(execute=True):
        response = second.post(url, {**post_data(cohort), "csrfmiddlewaretoken": second_token})
    assert response.status_code == 302
    assert Application.objects.count() == 1


def test_a_form_page_with_errors_is_never_cached(client):
    from tests.enrollment.conftest import make_cohort, make_level, make_program

    cohort = make_cohort(program=make_program(level=make_level(slug="emt", ladder_order=2)))
    url = reverse("enrollment:apply", kwargs={"slug": cohort.program.slug})
    response = client.post(url, {"cohort": cohort.pk, "first_name": "Zebulonne"})
    assert response.status_code == 200
    assert "X-Page-Cache" not in response
    assert "Zebulonne" not in client.get(url).content.decode()
