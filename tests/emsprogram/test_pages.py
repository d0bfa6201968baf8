from unittest import mock

import pytest
from django.db import OperationalError
from django.urls import reverse

from tests.signin import app_code, enrolled_device

pytestmark = pytest.mark.django_db


def test_home_page_answers_with_the_school_name(client, settings):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert settings.SCHOOL["NAME"] in response.content.decode()


def test_every_page_has_a_skip_link_to_the_main_content(client):
    html = client.get(reverse("home")).content.decode()
    assert 'href="#main"' in html
    assert 'id="main"' in html


def test_footer_shows_the_contact_details_from_settings(client, settings):
    settings.SCHOOL = {**settings.SCHOOL, "PHONE": "+1 555 010 4242", "EMAIL": "hello@school.test"}
    html = client.get(reverse("home")).content.decode()
    assert "+1 555 010 4242" in html
    assert "hello@school.test" in html


def test_health_check_answers_ok_when_the_database_answers(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_health_check_answers_503_when_the_database_does_not(client):
    with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=OperationalError("down")):
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unavailable", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_admin_login_page_answers(client):
    assert client.get("/admin/login/").status_code == 200


def test_unknown_url_gets_the_sites_404_page(client, settings):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "We could not find that page" in html
    assert settings.SCHOOL["NAME"] in html


def test_server_error_page_matches_the_site_and_offers_a_way_to_reach_us(client, settings):
    from emsprogram.views import server_error

    response = server_error(client.get("/").wsgi_request)
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong" in html
    assert settings.SCHOOL["PHONE"] in html


def test_favicon_ico_leads_to_the_sites_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith(".svg")


def test_a_form_post_in_another_charset_gets_the_400_page_not_a_crash(client):
    client.cookies["csrftoken"] = "a" * 32
    response = client.post(
        "/contact/", "a=b", content_type="application/x-www-form-urlencoded; charset=latin-1"
    )
    assert response.status_code == 400
    assert "We could not read that request" in response.content.decode()


def test_a_form_sent_without_its_csrf_cookie_explains_what_to_do_and_stores_nothing(settings):
    from django.test import Client

    from enrollment.models import Enquiry
    from tests.enrollment.conftest import enquiry_data

    browser_without_cookies = Client(enforce_csrf_checks=True)
    response = browser_without_cookies.post(reverse("enrollment:contact"), enquiry_data())

    assert response.status_code == 403
    html = response.content.decode()
    assert "Your form could not be sent" in html
    assert "reload the page and send the form again" in html
    assert settings.SCHOOL["PHONE"] in html
    assert not Enquiry.objects.exists()


def test_a_page_the_account_may_not_see_gets_the_sites_403_page(client, django_user_model):
    from django.core.exceptions import PermissionDenied

    from emsprogram.views import permission_denied

    response = permission_denied(client.get("/").wsgi_request, PermissionDenied())
    assert response.status_code == 403
    assert "You do not have access to this page" in response.content.decode()


def test_the_sitemap_answers_only_get_and_head(client):
    assert client.get("/sitemap.xml").status_code == 200
    assert client.head("/sitemap.xml").status_code == 200
    assert client.trace("/sitemap.xml").status_code == 405


@pytest.mark.parametrize("next_url", ["//evil.example", "https://evil.example/", "javascript:alert(1)"])
def test_signing_in_with_an_unsafe_next_lands_on_the_admin_front_page(client, django_user_model, next_url):
    staffer = django_user_model.objects.create_user(
        "staffer", "s@example.org", "correct horse battery", is_staff=True
    )
    device = enrolled_device(staffer)
    response = client.post(
        f"/admin/login/?next={next_url}",
        {"username": "staffer", "password": "correct horse battery", "next": next_url},
    )
    assert response["Location"] == reverse("admin:second-factor-code")
    response = client.post(response["Location"], {"code": app_code(device)})
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_a_page_without_a_form_answers_other_methods_with_405(method):
    from django.test import Client

    response = getattr(Client(enforce_csrf_checks=True), method)(reverse("roles:faq"))

    assert response.status_code == 405
    assert {"GET", "HEAD"} <= set(response["Allow"].split(", "))


@pytest.mark.parametrize("url", ["/robots.txt", "/sitemap.xml", "/healthz", "/favicon.ico"])
def test_the_files_for_robots_and_balancers_answer_a_post_with_405(url):
    from django.test import Client

    assert Client(enforce_csrf_checks=True).post(url).status_code == 405


def test_a_post_to_no_page_is_not_found(settings):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post("/no-such-page/", {"a": "b"})
    assert response.status_code == 404
