"""Nothing submitted is lost: with a mail server that refuses everything, submissions are still stored,
the person still sees the success page, and staff can see which e-mails failed. The log says which
application or enquiry, never who."""

import logging

import pytest
from django.core import mail
from django.urls import reverse

from enrollment import tasks
from enrollment.models import Application, EmailNotification, Enquiry
from tests.enrollment.conftest import enquiry_data, post_data

pytestmark = pytest.mark.django_db

FAILING_MAILERS = {"default": {"BACKEND": "tests.enrollment.mailbackends.FailingEmailBackend"}}


@pytest.fixture
def mail_server_down(settings):
    settings.MAILERS = FAILING_MAILERS


def test_application_is_stored_and_the_success_page_shown_when_every_send_fails(
    client, cohort, mail_server_down, django_capture_on_commit_callbacks, caplog
):
    data = post_data(cohort, email="Private.Person@example.org", last_name="Privatesurname")
    with caplog.at_level(logging.INFO), django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("enrollment:apply", kwargs={"slug": cohort.program.slug}), data, follow=True
        )

    application = Application.objects.get()
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse(
        "enrollment:application-done", args=[application.reference]
    )
    assert "you have a seat" in response.content.decode()
    assert application.reference in response.content.decode()
    assert mail.outbox == []

    failures = EmailNotification.objects.filter(application=application, status="failed")
    assert set(failures.values_list("kind", flat=True)) == {"application-confirmation", "admissions-notice"}
    assert set(failures.values_list("error", flat=True)) == {"SMTPException"}

    failure_logs = [r for r in caplog.records if r.name == "enrollment.tasks" and r.levelno >= logging.ERROR]
    assert len(failure_logs) == 2
    everything_logged = "\n".join(record.getMessage() for record in caplog.records)
    assert f"application {application.pk}" in everything_logged
    assert "private.person" not in everything_logged.lower()
    assert "Privatesurname" not in everything_logged


def test_enquiry_is_stored_and_the_thank_you_page_shown_when_every_send_fails(
    client, mail_server_down, django_capture_on_commit_callbacks, caplog
):
    with caplog.at_level(logging.INFO), django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("enrollment:contact"), enquiry_data(email="secret@example.org"), follow=True
        )

    enquiry = Enquiry.objects.get()
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("enrollment:contact-done")
    assert EmailNotification.objects.filter(enquiry=enquiry, status="failed").count() == 2
    assert "secret@example.org" not in "\n".join(record.getMessage() for record in caplog.records)


def test_a_task_that_cannot_be_enqueued_never_reaches_the_request(
    client, cohort, monkeypatch, django_capture_on_commit_callbacks
):
    def broken_enqueue(*args, **kwargs):
        raise ConnectionError("task store unreachable")

    monkeypatch.setattr(type(tasks.send_application_confirmation), "enqueue", broken_enqueue)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("enrollment:apply", kwargs={"slug": cohort.program.slug}), post_data(cohort)
        )

    assert response.status_code == 302
    application = Application.objects.get()
    assert EmailNotification.objects.filter(application=application, status="failed").count() == 2


def test_failed_emails_are_listed_for_staff_in_the_admin(
    admin_client, cohort, mail_server_down, django_capture_on_commit_callbacks
):
    from enrollment import services
    from tests.enrollment.conftest import applicant

    with django_capture_on_commit_callbacks(execute=True):
        application = services.application_submit(cohort=cohort, **applicant())

    listing = admin_client.get(
        reverse("admin:enrollment_emailnotification_changelist") + "?status__exact=failed"
    )
    assert listing.status_code == 200
    assert application.reference in listing.content.decode()
    page = admin_client.get(reverse("admin:enrollment_application_change", args=[application.pk]))
    assert "SMTPException" in page.content.decode()
