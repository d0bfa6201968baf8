"""Nothing owed to a person is lost: every e-mail a submission or a status change owes is written with it,
sent by the worker, tried again after a failure until the mail server takes it, and shown to staff (who
can send it again) when every attempt failed. The log says which application or enquiry, never who."""

import logging
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from enrollment import outbox, services
from enrollment.models import Application, EmailNotification, Enquiry
from tests.enrollment.conftest import details, enquiry_data, post_data, submit
from tests.enrollment.mailbackends import OutageEmailBackend, delivered_to

pytestmark = pytest.mark.django_db

Kind = EmailNotification.Kind
Status = EmailNotification.Status


@pytest.fixture
def mail_server_down(settings):
    settings.MAILERS = {"default": {"BACKEND": "tests.enrollment.mailbackends.FailingEmailBackend"}}


@pytest.fixture
def mail_outage(settings):
    """The mail server is down until the test sets OutageEmailBackend.down = False."""
    settings.MAILERS = {"default": {"BACKEND": "tests.enrollment.mailbackends.OutageEmailBackend"}}
    OutageEmailBackend.down = True
    yield OutageEmailBackend
    OutageEmailBackend.down = True


def later(minutes):
    return timezone.now() + timedelta(minutes=minutes)


def test_application_is_stored_and_confirmed_when_every_send_fails(
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
    assert application.reference in response.content.decode()
    assert mail.outbox == []

    owed = EmailNotification.objects.filter(application=application)
    assert {n.kind for n in owed} == {Kind.APPLICATION_CONFIRMATION, Kind.ADMISSIONS_NOTICE}
    for notification in owed:
        # Not given up: waiting for the next attempt, which is a minute away.
        assert notification.status == Status.PENDING
        assert notification.attempts == 1
        assert notification.error == "SMTPException"
        assert notification.next_attempt_at > timezone.now()
        assert [(a.succeeded, a.error) for a in notification.attempt_log.all()] == [(False, "SMTPException")]

    failure_logs = [
        r for r in caplog.records if r.name == "enrollment.outbox" and r.levelno >= logging.WARNING
    ]
    assert len(failure_logs) == 2
    everything_logged = "\n".join(record.getMessage() for record in caplog.records)
    assert f"application {application.pk}" in everything_logged
    assert "private.person" not in everything_logged.lower()
    assert "Privatesurname" not in everything_logged


def test_enquiry_is_stored_and_thanked_when_every_send_fails(
    client, mail_server_down, django_capture_on_commit_callbacks, caplog
):
    with caplog.at_level(logging.INFO), django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("enrollment:contact"), enquiry_data(email="secret@example.org"), follow=True
        )

    enquiry = Enquiry.objects.get()
    assert response.redirect_chain[-1][0] == reverse("enrollment:contact-done")
    assert EmailNotification.objects.filter(enquiry=enquiry, status=Status.PENDING, attempts=1).count() == 2
    assert "secret@example.org" not in "\n".join(record.getMessage() for record in caplog.records)


def test_emails_that_failed_are_sent_once_the_mail_server_is_back(
    cohort, mail_outage, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        application = submit(cohort)
    assert mail.outbox == []

    # Still down at the first retry: tried again, and again later.
    assert outbox.emails_send_due(now=later(2)) == {"sent": 0, "failed": 2, "not-due": 0}
    assert set(EmailNotification.objects.values_list("attempts", flat=True)) == {2}

    mail_outage.down = False
    assert outbox.emails_send_due(now=later(2)) == {"sent": 0, "failed": 0, "not-due": 0}  # not due yet
    assert outbox.emails_send_due(now=later(10)) == {"sent": 2, "failed": 0, "not-due": 0}

    assert len(delivered_to(application.email)) == 1
    for notification in EmailNotification.objects.all():
        assert notification.status == Status.SENT and notification.error == ""
        assert [a.succeeded for a in notification.attempt_log.all()] == [False, False, True]


def test_retries_wait_longer_each_time_then_give_up_and_tell_staff(
    cohort, mail_server_down, settings, django_capture_on_commit_callbacks, caplog
):
    settings.EMAIL_RETRY_MINUTES = [1, 5, 30]
    with django_capture_on_commit_callbacks(execute=True):
        application = submit(cohort, notify=False)
        services.application_withdraw(application=application)
    notification = EmailNotification.objects.get()
    first_retry = notification.next_attempt_at - notification.last_attempt_at
    assert first_retry == timedelta(minutes=1)

    moment = timezone.now()
    gaps = []
    for _ in range(3):
        notification.refresh_from_db()
        moment = notification.next_attempt_at + timedelta(seconds=1)
        with caplog.at_level(logging.WARNING):
            outbox.emails_send_due(now=moment)
        notification.refresh_from_db()
        if notification.next_attempt_at:
            gaps.append(notification.next_attempt_at - notification.last_attempt_at)

    assert gaps == [timedelta(minutes=5), timedelta(minutes=30)]
    assert notification.status == Status.FAILED
    assert notification.attempts == outbox.max_attempts() == 4
    assert outbox.emails_send_due(now=moment + timedelta(days=1))["sent"] == 0  # given up: no more tries
    assert any(r.levelno == logging.ERROR and "giving up" in r.getMessage() for r in caplog.records)
    assert EmailNotification.objects.undelivered().get() == notification


def test_staff_see_undelivered_emails_and_send_them_again(
    admin_client, cohort, mail_outage, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_RETRY_MINUTES = []  # one attempt, then given up
    with django_capture_on_commit_callbacks(execute=True):
        application = services.application_submit(cohort=cohort, details=details())
    assert EmailNotification.objects.filter(status=Status.FAILED).count() == 2

    listing = admin_client.get(
        reverse("admin:enrollment_emailnotification_changelist") + "?delivery=undelivered"
    )
    assert listing.status_code == 200
    assert application.reference in listing.content.decode()
    page = admin_client.get(reverse("admin:enrollment_application_change", args=[application.pk]))
    assert "SMTPServerDisconnected" in page.content.decode()

    mail_outage.down = False
    confirmation = EmailNotification.objects.get(kind=Kind.APPLICATION_CONFIRMATION)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:enrollment_emailnotification_changelist"),
            {"action": "send_again", "_selected_action": [confirmation.pk]},
            follow=True,
        )
    assert "1 e-mail(s) queued" in response.content.decode()
    confirmation.refresh_from_db()
    assert confirmation.status == Status.SENT
    assert len(delivered_to(application.email)) == 1


def test_sending_again_an_email_already_sent_sends_a_new_copy(
    cohort, admin_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        application = submit(cohort)
    confirmation = EmailNotification.objects.get(kind=Kind.APPLICATION_CONFIRMATION)
    with django_capture_on_commit_callbacks(execute=True):
        outbox.email_resend(notifications=[confirmation], by=admin_user)

    assert len(delivered_to(application.email)) == 2
    copies = EmailNotification.objects.filter(kind=Kind.APPLICATION_CONFIRMATION).order_by("pk")
    assert [c.status for c in copies] == [Status.SENT, Status.SENT]
    assert copies.last().requested_by == admin_user


def test_an_email_whose_task_cannot_be_enqueued_is_owed_and_sent_by_the_sweep(
    client, cohort, monkeypatch, django_capture_on_commit_callbacks
):
    def broken_enqueue(*args, **kwargs):
        raise ConnectionError("task store unreachable")

    monkeypatch.setattr(type(outbox.deliver_email), "enqueue", broken_enqueue)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("enrollment:apply", kwargs={"slug": cohort.program.slug}), post_data(cohort)
        )
    assert response.status_code == 302
    assert mail.outbox == []
    monkeypatch.undo()

    out = StringIO()
    call_command("send_pending_emails", stdout=out)
    assert "2 sent" in out.getvalue()
    assert EmailNotification.objects.filter(status=Status.SENT).count() == 2


def test_nothing_is_owed_when_the_change_rolls_back(cohort, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        submit(cohort)
        raise RuntimeError("something after the submission failed")
    assert mail.outbox == []
    assert not EmailNotification.objects.exists()


def test_an_email_claimed_by_one_sender_is_not_sent_by_another(cohort, django_capture_on_commit_callbacks):
    application = submit(cohort, notify=False)
    with transaction.atomic():
        notification = outbox.email_queue(Kind.APPLICATION_CONFIRMATION, application=application)
        # The commit would send it at once (immediate backend): claim it first, as a worker would.
        assert outbox.OUTBOX.claim(notification.pk, timezone.now())
    assert outbox.email_deliver(notification.pk) == "not-due"
    # The claim lapses: a sender that died leaves the e-mail due again.
    assert outbox.email_deliver(notification.pk, now=later(outbox.LEASE.seconds // 60 + 1)) == "sent"
    assert len(delivered_to(application.email)) == 1


def test_a_line_break_in_a_program_name_cannot_break_an_email_header(
    cohort, django_capture_on_commit_callbacks
):
    program = cohort.program
    program.name = "EMT\r\nBcc: victim@example.org"
    program.save()
    with django_capture_on_commit_callbacks(execute=True):
        submit(cohort)
    assert EmailNotification.objects.filter(status=Status.SENT).count() == 2
    assert all("\n" not in m.subject and "\r" not in m.subject for m in mail.outbox)


# Production: the database task backend and its worker.


@pytest.fixture
def database_task_backend(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=StringIO(), stderr=StringIO())


@pytest.mark.django_db(transaction=True)
def test_tasks_are_written_with_the_submission_and_sent_by_the_worker(client, cohort, database_task_backend):
    from django_tasks_db.models import DBTaskResult

    response = client.post(
        reverse("enrollment:apply", kwargs={"slug": cohort.program.slug}), post_data(cohort)
    )
    assert response.status_code == 302
    assert mail.outbox == []
    assert DBTaskResult.objects.count() == EmailNotification.objects.count() == 2

    run_worker()

    assert len(mail.outbox) == 2
    assert EmailNotification.objects.filter(status=Status.SENT).count() == 2


@pytest.mark.django_db(transaction=True)
def test_with_the_database_backend_the_task_rolls_back_with_the_submission(cohort, database_task_backend):
    from django_tasks_db.models import DBTaskResult

    with pytest.raises(RuntimeError), transaction.atomic():
        submit(cohort)
        assert DBTaskResult.objects.count() == 2  # written in the same transaction
        raise RuntimeError("the connection dropped before the commit")
    assert not DBTaskResult.objects.exists()
    assert not Application.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_worker_schedules_a_retry_after_a_failure(cohort, database_task_backend, mail_outage):
    from django_tasks_db.models import DBTaskResult

    application = submit(cohort, notify=False)
    services.application_withdraw(application=application, message="See you next term.")
    run_worker()

    notification = EmailNotification.objects.get()
    assert notification.status == Status.PENDING and notification.attempts == 1
    retry = DBTaskResult.objects.filter(status="READY").get()
    assert retry.run_after == notification.next_attempt_at

    mail_outage.down = False
    outbox.emails_send_due(now=later(2))
    assert "See you next term." in delivered_to(application.email)[0].body
