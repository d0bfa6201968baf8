"""Production queues the e-mails in the database (django-tasks-db) for a worker (`manage.py db_worker`)."""

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from enrollment import services
from enrollment.models import EmailNotification
from tests.enrollment.conftest import post_data, submit

# The worker closes its database connections between batches, so these tests commit for real.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def database_task_backend(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=StringIO(), stderr=StringIO())


def test_emails_wait_for_the_worker_and_are_sent_by_it(client, cohort, database_task_backend):
    from django_tasks_db.models import DBTaskResult

    response = client.post(
        reverse("enrollment:apply", kwargs={"slug": cohort.program.slug}), post_data(cohort)
    )
    assert response.status_code == 302
    assert mail.outbox == []
    assert DBTaskResult.objects.count() == 2

    run_worker()

    assert len(mail.outbox) == 2
    assert EmailNotification.objects.filter(status="sent").count() == 2


def test_status_change_tasks_carry_only_plain_values(cohort, database_task_backend):
    application = submit(cohort, notify=False)
    services.application_withdraw(application=application, message="See you next term.")

    run_worker()

    assert "See you next term." in mail.outbox[0].body
    assert "has been withdrawn" in mail.outbox[0].body
