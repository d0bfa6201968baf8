"""Security headers and cookie attributes with DEBUG off (the test run's settings are production's)."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def csp_directives(response):
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def assert_security_headers(response):
    csp = csp_directives(response)
    assert csp["default-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["form-action"] == ["'self'"]
    assert csp["base-uri"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    for values in csp.values():
        assert "'unsafe-inline'" not in values
        assert "'unsafe-eval'" not in values
    hsts = response["Strict-Transport-Security"]
    assert int(hsts.split("max-age=")[1].split(";")[0]) >= 31536000
    assert "includeSubDomains" in hsts
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] in ("strict-origin-when-cross-origin", "same-origin", "no-referrer")
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def assert_secure_cookie(cookie, *, httponly=True):
    assert cookie.key.startswith("__Host-")
    assert cookie["secure"]
    assert cookie["samesite"] == "Lax"
    assert cookie["path"] == "/"
    assert not cookie["domain"]
    if httponly:
        assert cookie["httponly"]


def test_public_page_sends_every_security_header():
    response = Client().get(reverse("home"), secure=True)
    assert response.status_code == 200
    assert_security_headers(response)


def test_admin_sign_in_page_sends_the_headers_and_secure_cookies():
    response = Client().get("/admin/login/", secure=True)
    assert response.status_code == 200
    assert_security_headers(response)
    assert_secure_cookie(response.cookies["__Host-csrftoken"])


def test_admin_session_cookie_is_secure_and_http_only(django_user_model):
    django_user_model.objects.create_user("officer", password="pw-for-tests-only", is_staff=True)
    client = Client()
    client.get("/admin/login/", secure=True)
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "officer", "password": "pw-for-tests-only"}, secure=True
    )
    assert response.status_code == 302
    assert_secure_cookie(response.cookies["__Host-sessionid"])


def test_admin_pages_work_under_the_policy(admin_client):
    response = admin_client.get("/admin/", secure=True)
    assert response.status_code == 200
    assert_security_headers(response)


def test_form_page_sends_the_headers_and_a_secure_csrf_cookie():
    from tests.enrollment.conftest import make_cohort, make_level, make_program

    cohort = make_cohort(program=make_program(level=make_level(slug="emt", ladder_order=2)))
    response = Client().get(reverse("enrollment:apply", kwargs={"slug": cohort.program.slug}), secure=True)
    assert response.status_code == 200
    assert_security_headers(response)
    assert_secure_cookie(response.cookies["__Host-csrftoken"])
    contact = Client().get(reverse("enrollment:contact"), secure=True)
    assert_security_headers(contact)
    assert_secure_cookie(contact.cookies["__Host-csrftoken"])
