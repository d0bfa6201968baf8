"""Personal data never reaches the logs, in the production log format, whether e-mail works or not."""

import io
import logging

import pytest
from django.urls import reverse

from emsprogram.logformat import JSONFormatter
from enrollment.models import Application
from tests.enrollment.conftest import enquiry_data, make_cohort, make_level, make_program, post_data

pytestmark = pytest.mark.django_db

PERSON = {
    "first_name": "Marisol",
    "last_name": "Quintanilla-Oyelaran",
    "email": "marisol.quintanilla@example.net",
    "phone": "555 010 7788",
    "date_of_birth": "1991-08-23",
}
TRACES = [
    "Marisol",
    "Quintanilla",
    "marisol.quintanilla",
    "555 010 7788",
    "5550107788",
    "1991-08-23",
    "23/08/1991",
    "08/23/1991",
    "August 23, 1991",
]


@pytest.fixture
def captured_logs():
    """Everything logged at any level, formatted as production writes it (one JSON object per line)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JSONFormatter())
    handler.setLevel(logging.DEBUG)
    root = logging.getLogger()
    previous_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield stream
    root.removeHandler(handler)
    root.setLevel(previous_level)


def assert_no_personal_data(text):
    for trace in TRACES:
        assert trace.lower() not in text.lower(), f"{trace!r} appeared in the logs"


@pytest.mark.parametrize("mail_works", [True, False], ids=["mail works", "mail server down"])
def test_an_application_leaves_no_personal_data_in_the_logs(
    client, settings, captured_logs, django_capture_on_commit_callbacks, mail_works
):
    if not mail_works:
        settings.MAILERS = {"default": {"BACKEND": "tests.enrollment.mailbackends.FailingEmailBackend"}}
    cohort = make_cohort(program=make_program(level=make_level(slug="emt", ladder_order=2)), capacity=1)
    url = reverse("enrollment:apply", kwargs={"slug": cohort.program.slug})

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, post_data(cohort, email="first.person@example.org"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, post_data(cohort, **PERSON), follow=True)

    application = Application.objects.get(email=PERSON["email"])
    assert application.status == "waitlisted"
    assert response.status_code == 200
    logs = captured_logs.getvalue()
    assert logs, "the submission should have logged something (at least the e-mails)"
    assert_no_personal_data(logs)


def test_an_enquiry_leaves_no_personal_data_in_the_logs(
    client, captured_logs, django_capture_on_commit_callbacks
):
    data = enquiry_data(name="Marisol Quintanilla-Oyelaran", email=PERSON["email"], phone=PERSON["phone"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("enrollment:contact"), data, follow=True)
    assert_no_personal_data(captured_logs.getvalue())


def test_a_refused_application_leaves_no_personal_data_in_the_logs(client, captured_logs):
    cohort = make_cohort(program=make_program(level=make_level(slug="emt", ladder_order=2)))
    url = reverse("enrollment:apply", kwargs={"slug": cohort.program.slug})
    response = client.post(url, post_data(cohort, **{**PERSON, "date_of_birth": "2015-01-01"}))
    assert response.status_code == 200  # the form again, with the age message
    assert_no_personal_data(captured_logs.getvalue())
