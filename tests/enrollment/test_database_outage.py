"""A database that drops or goes away: what is committed stays committed and the person is told the truth.
A stored application is confirmed without writing anything after its commit; an outage gets a 503 page that
says to try again in a minute (and, after sending a form, to check the e-mail first); sending the form again
says plainly that the application is already in."""

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import OperationalError
from django.test import Client
from django.urls import reverse

from enrollment.models import Application, Cohort
from tests.enrollment.conftest import post_data

pytestmark = pytest.mark.django_db


def apply_url(cohort):
    return reverse("enrollment:apply", kwargs={"slug": cohort.program.slug})


def test_a_stored_application_is_confirmed_without_any_write_after_its_commit(client, cohort, monkeypatch):
    def session_store_down(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(SessionStore, "save", session_store_down)
    monkeypatch.setattr(SessionStore, "create", session_store_down)

    response = client.post(apply_url(cohort), post_data(cohort), follow=True)

    application = Application.objects.get()
    assert response.status_code == 200
    assert application.reference in response.content.decode()


def test_the_confirmation_shows_the_reference_when_the_database_is_down(client, cohort, monkeypatch):
    response = client.post(apply_url(cohort), post_data(cohort))
    reference = Application.objects.get().reference

    def database_down(*args, **kwargs):
        raise OperationalError("the database system is shutting down")

    monkeypatch.setattr("django.db.models.query.QuerySet.get", database_down)
    page = client.get(response.url)

    assert page.status_code == 503
    assert page["Retry-After"] == "60"
    html = page.content.decode()
    assert reference in html
    assert "Your application is in" in html
    assert "do not send the form again" in html


def test_another_browser_cannot_see_a_confirmation(cohort):
    response = Client().post(apply_url(cohort), post_data(cohort))
    assert Client().get(response.url).status_code == 404


def test_a_database_outage_gets_the_try_again_page_not_a_server_error(cohort, monkeypatch, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0

    def database_down(*args, **kwargs):
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr(Cohort.objects, "for_public_display", database_down)
    response = Client(raise_request_exception=False).get(reverse("enrollment:apply-start"))

    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    html = response.content.decode()
    assert "try again in a minute" in html
    assert "check your e-mail for our confirmation before you send it again" in html
    assert settings.SCHOOL["PHONE"] in html


def test_a_bug_is_still_a_server_error(monkeypatch, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0

    def broken(*args, **kwargs):
        raise ZeroDivisionError

    monkeypatch.setattr(Cohort.objects, "for_public_display", broken)
    response = Client(raise_request_exception=False).get(reverse("enrollment:apply-start"))
    assert response.status_code == 500


@pytest.mark.parametrize("url_name", ["enrollment:apply", "enrollment:contact"])
def test_a_put_on_a_form_page_is_not_taken_for_a_post(cohort, url_name):
    url = apply_url(cohort) if url_name == "enrollment:apply" else reverse(url_name)
    response = Client().put(url, "first_name=A")
    assert response.status_code == 405
    assert "POST" in response["Allow"]
    assert not Application.objects.exists()
