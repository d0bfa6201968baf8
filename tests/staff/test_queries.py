"""The staff pages run a fixed number of queries, whatever the number of rows on the page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from enrollment import services
from enrollment.models import Application, EmailNotification, SavedAnswer
from tests.staff.conftest import change_url, changelist, make_cohort, submit

pytestmark = pytest.mark.django_db


def count_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def add_applications(emt_program, officer, number):
    """`number` applications over several cohorts, some assigned, some waitlisted, some with failed e-mails."""
    made = []
    while len(made) < number:
        cohort = make_cohort(program=emt_program, capacity=2)
        for _ in range(3):
            made.append(submit(cohort))
    for application in made[::2]:
        Application.objects.filter(pk=application.pk).update(assigned_to=officer)
    for application in made[::3]:
        EmailNotification.objects.create(kind="promotion", status="failed", application=application)
    # As many enquiries, about the program, half of them assigned, with a note and answered; a third from
    # applicants (other records of the same person).
    for index in range(number):
        enquiry = services.enquiry_submit(
            name=f"Asker {index}",
            email=made[index].email.upper() if index % 3 == 0 else f"asker{index}@example.org",
            message="?",
            program=emt_program,
            notify=False,
        )
        if index % 2:
            services.enquiry_assign(enquiry=enquiry, to=officer)
            services.enquiry_note_add(enquiry=enquiry, text="Called back.", by=officer)
            services.enquiry_reply(enquiry=enquiry, body="Answered.", by=officer)
    return made


@pytest.mark.parametrize(
    "url",
    [
        changelist(),
        changelist() + "?assignment=new&status__exact=waitlisted",
        changelist("cohort"),
        changelist("enquiry"),
        reverse("admin:index"),
    ],
    ids=["applications", "applications filtered", "cohorts", "enquiries", "front page"],
)
def test_list_pages_run_the_same_queries_for_3_or_30_rows(
    admissions_client, emt_program, officer, django_assert_max_num_queries, url
):
    add_applications(emt_program, officer, 3)
    few = count_queries(admissions_client, url)

    add_applications(emt_program, officer, 30)
    with django_assert_max_num_queries(few):
        admissions_client.get(url)


def test_cohort_list_runs_the_same_queries_for_3_or_30_cohorts(
    editor_client, emt_program, django_assert_max_num_queries
):
    for _ in range(3):
        submit(make_cohort(program=emt_program, capacity=1))
    few = count_queries(editor_client, changelist("cohort"))

    for _ in range(27):
        cohort = make_cohort(program=emt_program, capacity=1)
        submit(cohort)
        submit(cohort)
    with django_assert_max_num_queries(few):
        response = editor_client.get(changelist("cohort"))
    assert response.content.decode().count('class="field-seats_left_display"') == 30


def test_an_application_page_with_a_long_history_runs_a_bounded_number_of_queries(
    admissions_client, emt_program, officer, django_assert_max_num_queries
):
    from enrollment import services

    cohort = make_cohort(program=emt_program, capacity=1)
    application = submit(cohort)
    services.application_note_add(application=application, text="First", by=officer)
    few = count_queries(admissions_client, change_url(application))

    for number in range(20):
        services.application_note_add(application=application, text=f"Note {number}", by=officer)
        services.application_assign(application=application, to=officer if number % 2 else None, by=officer)
        # The same person's other records, shown on the page.
        submit(make_cohort(program=emt_program, capacity=1), email=application.email, notify=False)
        services.enquiry_submit(
            name="Same", email=application.email, message="?", program=emt_program, notify=False
        )
    with django_assert_max_num_queries(few):
        page = admissions_client.get(change_url(application)).content.decode()
    panel = page.split('id="other-records-heading"')[1].split("</section>")[0]
    assert panel.count("Application EMS-") == 20 and panel.count(">Enquiry #") == 20


def test_an_enquiry_page_with_a_long_conversation_runs_a_bounded_number_of_queries(
    admissions_client, emt_program, officer, django_assert_max_num_queries
):
    enquiry = services.enquiry_submit(
        name="Long Talk", email="long@example.org", message="?", program=emt_program, notify=False
    )
    SavedAnswer.objects.create(title="Dates", body="{next_starts}")
    services.enquiry_reply(enquiry=enquiry, body="First answer.", by=officer)
    few = count_queries(admissions_client, change_url(enquiry, "enquiry"))

    for number in range(20):
        services.enquiry_reply(enquiry=enquiry, body=f"Answer {number}", by=officer)
        services.enquiry_note_add(enquiry=enquiry, text=f"Note {number}", by=officer)
        services.enquiry_assign(enquiry=enquiry, to=officer if number % 2 else None, by=officer)
        SavedAnswer.objects.create(title=f"Answer {number}", body="{name}")
        submit(make_cohort(program=emt_program, capacity=1), email="long@example.org", notify=False)
        services.enquiry_submit(
            name="Long Talk", email="LONG@example.org", message="?", program=emt_program, notify=False
        )
    with django_assert_max_num_queries(few):
        page = admissions_client.get(change_url(enquiry, "enquiry")).content.decode()
    assert page.count("Answer by Dana Officer") == 21
    panel = page.split('id="other-records-heading"')[1].split("</section>")[0]
    assert panel.count("Application EMS-") == 20 and panel.count(">Enquiry #") == 20
