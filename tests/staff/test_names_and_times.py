"""Staff read people by their names and times in the school's time zone (settings.TIME_ZONE), never a user id
or UTC: the titles of notes, the history, e-mail attempts, the lists' dates and who is assigned."""

from datetime import UTC, datetime

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from enrollment import services
from enrollment.models import (
    ApplicationEvent,
    ApplicationNote,
    EmailAttempt,
    EmailNotification,
    Enquiry,
    EnquiryNote,
)
from tests.staff.conftest import change_form_data, change_url, changelist, make_cohort, make_staff, submit

pytestmark = pytest.mark.django_db

# 06:05 UTC on 15 January is 01:05 at a school in New York (UTC-5 in winter).
MOMENT = datetime(2026, 1, 15, 6, 5, tzinfo=UTC)
AT_THE_SCHOOL = "15 Jan 2026 01:05"
IN_UTC = "06:05"


@pytest.fixture(autouse=True)
def _school_in_new_york(settings):
    settings.TIME_ZONE = "America/New_York"


@pytest.fixture
def application(emt_program):
    return submit(make_cohort(program=emt_program), notify=False)


def note_written_at_moment(application, by):
    note = services.application_note_add(application=application, text="Called back.", by=by)
    ApplicationNote.objects.filter(pk=note.pk).update(created_at=MOMENT)
    return ApplicationNote.objects.select_related("author").get(pk=note.pk)


def test_a_notes_title_names_its_author_and_says_the_schools_time(application, officer):
    note = note_written_at_moment(application, officer)

    assert str(note) == f"Note by Dana Officer, {AT_THE_SCHOOL}"


def test_a_note_by_someone_without_a_full_name_is_titled_with_their_username(application, django_user_model):
    note = note_written_at_moment(application, make_staff(django_user_model, "night-desk"))

    assert str(note) == f"Note by night-desk, {AT_THE_SCHOOL}"


def test_a_note_whose_author_was_removed_says_so(application, officer):
    note = note_written_at_moment(application, officer)
    officer.delete()
    note.refresh_from_db()

    assert str(note) == f"Note by a removed user, {AT_THE_SCHOOL}"


def test_an_enquirys_note_is_titled_the_same_way(officer):
    enquiry = services.enquiry_submit(name="Casey", email="casey@example.org", message="When?", notify=False)
    note = services.enquiry_note_add(enquiry=enquiry, text="Rang back.", by=officer)
    EnquiryNote.objects.filter(pk=note.pk).update(created_at=MOMENT)

    assert str(EnquiryNote.objects.get(pk=note.pk)) == f"Note by Dana Officer, {AT_THE_SCHOOL}"


def test_an_email_attempt_says_the_schools_time(application):
    notification = EmailNotification.objects.create(
        kind="status-change", status="failed", application=application
    )
    attempt = EmailAttempt.objects.create(
        notification=notification, at=MOMENT, succeeded=False, error="SMTPException"
    )

    assert str(attempt) == f"{AT_THE_SCHOOL}: SMTPException"


def test_an_applications_page_shows_notes_and_history_by_name_at_the_schools_time(
    admissions_client, application, officer
):
    note_written_at_moment(application, officer)
    ApplicationEvent.objects.filter(application=application).update(at=MOMENT)

    page = admissions_client.get(change_url(application)).content.decode()

    assert f"Note by Dana Officer, {AT_THE_SCHOOL}" in page  # the note's title
    assert f"Dana Officer, {AT_THE_SCHOOL}" in page  # written by
    assert f'<td class="nowrap">{AT_THE_SCHOOL}</td>' in page  # the history
    assert IN_UTC not in page
    assert f"Note by {officer.pk}" not in page


def test_an_emails_page_shows_its_attempts_at_the_schools_time_and_who_asked_by_name(
    admissions_client, application, officer
):
    notification = EmailNotification.objects.create(
        kind="status-change",
        status="failed",
        application=application,
        requested_by=officer,
        created_at=MOMENT,
    )
    EmailAttempt.objects.create(notification=notification, at=MOMENT, succeeded=False, error="SMTPException")

    page = admissions_client.get(change_url(notification, "emailnotification")).content.decode()

    assert f"{AT_THE_SCHOOL}: SMTPException" in page  # the attempt's title, shown to Admissions
    assert '<div class="readonly">Dana Officer</div>' in page  # requested by
    assert IN_UTC not in page


def test_the_lists_show_who_is_assigned_by_name_and_dates_at_the_schools_time(
    admissions_client, application, officer
):
    services.application_assign(application=application, to=officer, by=officer)
    enquiry = services.enquiry_submit(name="Casey", email="casey@example.org", message="When?", notify=False)
    services.enquiry_assign(enquiry=enquiry, to=officer, by=officer)
    application.__class__.objects.filter(pk=application.pk).update(submitted_at=MOMENT)
    Enquiry.objects.filter(pk=enquiry.pk).update(submitted_at=MOMENT)

    applications = admissions_client.get(changelist()).content.decode()
    enquiries = admissions_client.get(reverse("admin:enrollment_enquiry_changelist")).content.decode()

    for page in (applications, enquiries):
        assert '<td class="field-assignee">Dana Officer</td>' in page
        assert IN_UTC not in page
    assert f'<td class="field-received">{AT_THE_SCHOOL}</td>' in applications


def test_the_admins_history_of_a_record_names_who_and_says_the_schools_time(
    admissions_client, application, officer
):
    note_written_at_moment(application, officer)
    admissions_client.post(  # a save through the page, which Django's history records
        change_url(application),
        change_form_data(admissions_client.get(change_url(application)), phone="555 010 9999"),
    )
    LogEntry.objects.update(action_time=MOMENT)

    page = admissions_client.get(reverse("admin:enrollment_application_history", args=[application.pk]))

    content = page.content.decode()
    assert "Jan. 15, 2026, 1:05 a.m." in content
    assert "Dana Officer" in content
