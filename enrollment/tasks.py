"""E-mails as background tasks (`django.tasks`), enqueued by enrollment.services after commit.

Development and tests use the immediate backend, which runs a task as soon as it is enqueued. Production
sets TASKS_BACKEND=django_tasks_db.DatabaseBackend and runs the worker as its own process:
`python manage.py db_worker` (`make worker`; see docs/deployment.md).

A task takes only ids (and short strings) and looks the record up. Sending never raises: a failure is
logged with the reference or id only (never a name or address) and recorded as an EmailNotification,
which staff see in the admin."""

import logging

from django.db import DatabaseError
from django.tasks import task

from enrollment import emails
from enrollment.models import Application, EmailNotification, Enquiry

logger = logging.getLogger(__name__)

Kind = EmailNotification.Kind


def _record(kind: str, status: str, *, application_id=None, enquiry_id=None, error: str = "") -> None:
    try:
        EmailNotification.objects.create(
            kind=kind, status=status, application_id=application_id, enquiry_id=enquiry_id, error=error[:200]
        )
    except DatabaseError as db_error:
        logger.error("Could not record e-mail %s (%s): %s", kind, status, type(db_error).__name__)


def _deliver(kind: str, build, *, application_id=None, enquiry_id=None) -> str:
    subject = f"application {application_id}" if application_id else f"enquiry {enquiry_id}"
    try:
        message = build()
        if message is None:
            logger.warning("E-mail %s for %s skipped: the record no longer exists", kind, subject)
            return "skipped"
        message.send()
    except Exception as error:  # noqa: BLE001 - any failure of the mail server must stay inside the task
        # The class only: SMTP errors can carry the recipient's address in their text.
        logger.error("E-mail %s for %s failed: %s", kind, subject, type(error).__name__)
        _record(
            kind,
            EmailNotification.Status.FAILED,
            application_id=application_id,
            enquiry_id=enquiry_id,
            error=type(error).__name__,
        )
        return "failed"
    _record(kind, EmailNotification.Status.SENT, application_id=application_id, enquiry_id=enquiry_id)
    return "sent"


def _application(application_id: int):
    return (
        Application.objects.select_related("cohort", "cohort__program", "cohort__program__level")
        .filter(pk=application_id)
        .first()
    )


def _enquiry(enquiry_id: int):
    return Enquiry.objects.select_related("program").filter(pk=enquiry_id).first()


def _for_application(build_message):
    def build(application_id, *args):
        application = _application(application_id)
        return None if application is None else build_message(application, *args)

    return build


@task
def send_application_confirmation(application_id: int) -> str:
    return _deliver(
        Kind.APPLICATION_CONFIRMATION,
        lambda: _for_application(emails.application_confirmation)(application_id),
        application_id=application_id,
    )


@task
def send_admissions_notice(application_id: int) -> str:
    return _deliver(
        Kind.ADMISSIONS_NOTICE,
        lambda: _for_application(emails.admissions_notice)(application_id),
        application_id=application_id,
    )


@task
def send_promotion_notice(application_id: int) -> str:
    return _deliver(
        Kind.PROMOTION,
        lambda: _for_application(emails.promotion_notice)(application_id),
        application_id=application_id,
    )


@task
def send_status_notice(application_id: int, status: str, message: str = "") -> str:
    return _deliver(
        Kind.STATUS_CHANGE,
        lambda: _for_application(emails.status_notice)(application_id, status, message),
        application_id=application_id,
    )


@task
def send_enquiry_acknowledgement(enquiry_id: int) -> str:
    def build():
        enquiry = _enquiry(enquiry_id)
        return None if enquiry is None else emails.enquiry_acknowledgement(enquiry)

    return _deliver(Kind.ENQUIRY_ACKNOWLEDGEMENT, build, enquiry_id=enquiry_id)


@task
def send_enquiry_notice(enquiry_id: int) -> str:
    def build():
        enquiry = _enquiry(enquiry_id)
        return None if enquiry is None else emails.enquiry_notice(enquiry)

    return _deliver(Kind.ENQUIRY_NOTICE, build, enquiry_id=enquiry_id)


_KINDS = {
    send_application_confirmation.name: (Kind.APPLICATION_CONFIRMATION, "application"),
    send_admissions_notice.name: (Kind.ADMISSIONS_NOTICE, "application"),
    send_promotion_notice.name: (Kind.PROMOTION, "application"),
    send_status_notice.name: (Kind.STATUS_CHANGE, "application"),
    send_enquiry_acknowledgement.name: (Kind.ENQUIRY_ACKNOWLEDGEMENT, "enquiry"),
    send_enquiry_notice.name: (Kind.ENQUIRY_NOTICE, "enquiry"),
}


def enqueue_safely(mail_task, object_id: int, *args) -> None:
    """Enqueue an e-mail task; never raise. With the immediate backend the task runs right here, in
    the request that made the submission, so nothing it does may reach that request. A task that
    cannot even be enqueued (the task store is down) is recorded as a failed e-mail."""
    try:
        mail_task.enqueue(object_id, *args)
    except Exception as error:  # noqa: BLE001 - the submission is committed; the e-mail must not undo it
        kind, subject = _KINDS.get(mail_task.name, (None, None))
        logger.error(
            "Could not enqueue e-mail task %s for %s %s: %s",
            mail_task.name,
            subject,
            object_id,
            type(error).__name__,
        )
        if kind is not None:
            ids = {"application_id": object_id} if subject == "application" else {"enquiry_id": object_id}
            _record(
                kind, EmailNotification.Status.FAILED, error=f"not enqueued: {type(error).__name__}", **ids
            )
