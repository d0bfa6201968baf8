"""Admissions read applications: the list (newest first, filters, search) and a read-friendly page where
they assign, edit details and keep notes, each recorded in the application's history."""

import html
import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from enrollment import services
from enrollment.models import Application, ApplicationEvent, ApplicationNote, EmailNotification
from tests.staff.conftest import (
    change_form_data,
    change_url,
    changelist,
    listed_references,
    make_cohort,
    make_program,
    make_staff,
    submit,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_programs(levels, emt_program):
    emr = make_program(level=levels["emr"], slug="emr", name="EMR")
    emt_cohort = make_cohort(program=emt_program, capacity=1, code="EMT-A")
    emr_cohort = make_cohort(program=emr, capacity=5, code="EMR-A")
    return emt_cohort, emr_cohort


def backdate(application, days):
    Application.objects.filter(pk=application.pk).update(submitted_at=timezone.now() - timedelta(days=days))


def test_the_list_shows_the_columns_that_matter_newest_first(admissions_client, two_programs, officer):
    emt_cohort, _ = two_programs
    older = submit(emt_cohort, first_name="Olive", last_name="Older")
    newer = submit(emt_cohort, first_name="Nina", last_name="Newer")
    backdate(older, 3)
    Application.objects.filter(pk=newer.pk).update(assigned_to=officer)
    EmailNotification.objects.create(
        kind="status-change", status="failed", application=newer, error="SMTPException"
    )

    response = admissions_client.get(changelist())

    assert response.status_code == 200
    assert listed_references(response) == [newer.reference, older.reference]
    page = response.content.decode()
    for heading in (
        "Reference",
        "Name",
        "Cohort",
        "Status",
        "Waitlist",
        "Received",
        "Assigned to",
        "E-mail failed",
    ):
        assert re.search(rf'<div class="text"><a role="button" href="[^"]*">{heading}</a>', page), heading
    assert "Newer, Nina" in page
    assert "EMT-A" in page
    assert "On the waitlist" in page  # the second applicant to a one-seat cohort
    assert '<td class="field-waitlist">#1</td>' in page
    assert '<td class="field-assignee">Dana Officer</td>' in page  # by name, not by username
    assert page.count('<td class="field-email_problem">Failed</td>') == 1


def test_filter_by_program_cohort_and_status(admissions_client, two_programs):
    emt_cohort, emr_cohort = two_programs
    emt_seat, emt_waiting = submit(emt_cohort), submit(emt_cohort)
    emr_seat = submit(emr_cohort)

    by_program = admissions_client.get(changelist(), {"program": emr_cohort.program_id})
    assert listed_references(by_program) == [emr_seat.reference]
    by_cohort = admissions_client.get(changelist(), {"cohort__id__exact": emt_cohort.pk})
    assert set(listed_references(by_cohort)) == {emt_seat.reference, emt_waiting.reference}
    by_status = admissions_client.get(changelist(), {"status__exact": "waitlisted"})
    assert listed_references(by_status) == [emt_waiting.reference]


def test_the_start_filter_lists_this_year_s_and_coming_starts_and_the_one_chosen(
    admissions_client, emt_program
):
    coming = make_cohort(program=emt_program, code="EMT-COMING", starts_in=30)
    this_year = make_cohort(program=emt_program, code="EMT-SPRING", starts_in=-200, deadline_before=7)
    years_ago = make_cohort(program=emt_program, code="EMT-OLD", starts_in=-800, deadline_before=7)

    def start_links(page):
        return set(re.findall(r"cohort__id__exact=(\d+)", page.content.decode()))

    assert start_links(admissions_client.get(changelist())) == {str(coming.pk), str(this_year.pk)}
    # An older start's applications are still listed by its address, and the filter then names it.
    chosen = admissions_client.get(changelist(), {"cohort__id__exact": years_ago.pk})
    assert str(years_ago.pk) in start_links(chosen)
    assert "EMT-OLD" in chosen.content.decode()


def test_filter_by_submitted_date(admissions_client, two_programs):
    emt_cohort, _ = two_programs
    old, recent = submit(emt_cohort), submit(emt_cohort)
    backdate(old, 40)
    page = admissions_client.get(changelist()).content.decode()
    past_7_days = html.unescape(
        re.search(r'href="(\?submitted_at__gte=[^"]+)"[^>]*>Past 7 days', page).group(1)
    )
    response = admissions_client.get(changelist() + past_7_days)
    assert listed_references(response) == [recent.reference]


def test_new_means_unassigned_live_and_recent_and_me_means_mine(admissions_client, two_programs, officer):
    emt_cohort, emr_cohort = two_programs
    fresh = submit(emr_cohort)
    mine = submit(emr_cohort)
    Application.objects.filter(pk=mine.pk).update(assigned_to=officer)
    stale = submit(emr_cohort)
    backdate(stale, 20)

    new = admissions_client.get(changelist(), {"assignment": "new"})
    assert listed_references(new) == [fresh.reference]
    me = admissions_client.get(changelist(), {"assignment": "me"})
    assert listed_references(me) == [mine.reference]
    nobody = admissions_client.get(changelist(), {"assignment": "nobody"})
    assert set(listed_references(nobody)) == {fresh.reference, stale.reference}


@pytest.mark.parametrize("term", ["Zebulon", "ZEBEDEE-SURNAME", "zeb@example.COM", "reference"])
def test_search_by_name_email_or_reference(admissions_client, two_programs, term):
    emt_cohort, _ = two_programs
    wanted = submit(emt_cohort, first_name="Zebulon", last_name="Zebedee-Surname", email="zeb@example.com")
    submit(emt_cohort)
    query = wanted.reference if term == "reference" else term
    response = admissions_client.get(changelist(), {"q": query})
    assert listed_references(response) == [wanted.reference]


def test_the_page_groups_the_details_and_never_lets_status_or_position_be_written(
    admissions_client, two_programs
):
    emt_cohort, _ = two_programs
    submit(emt_cohort)
    waiting = submit(emt_cohort)
    page = admissions_client.get(change_url(waiting)).content.decode()
    for heading in ("Course start and status", "Applicant", "Certification", "Consents", "Staff", "History"):
        assert f">{heading}<" in page, heading
    for field in ("status", "waitlist_position", "cohort", "reference", "consent_data_processing"):
        assert f'name="{field}"' not in page
    assert 'name="assigned_to"' in page
    assert "EMT-A (EMT)" in page


def test_assigned_to_offers_only_active_staff_who_may_see_applications(
    admissions_client, two_programs, officer, django_user_model
):
    make_staff(django_user_model, "retired", is_active=False, is_superuser=True)
    make_staff(django_user_model, "operator", is_superuser=True)
    make_staff(django_user_model, "colleague", group="Admissions")
    make_staff(django_user_model, "writer", group="Content editors")
    django_user_model.objects.create_user("visitor", "visitor@example.org", "x")
    application = submit(two_programs[0])
    form = admissions_client.get(change_url(application)).context["adminform"].form
    usernames = [user.username for user in form.fields["assigned_to"].queryset]
    assert usernames == ["colleague", "officer", "operator"]


def test_assigning_and_editing_are_recorded_in_the_history(admissions_client, two_programs, officer):
    application = submit(two_programs[0], phone="555 000 1111")
    page = admissions_client.get(change_url(application))

    response = admissions_client.post(
        change_url(application), change_form_data(page, assigned_to=officer.pk, phone="555 000 2222")
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    application.refresh_from_db()
    assert application.assigned_to == officer
    assert application.phone == "555 000 2222"
    event = application.events.get(kind=ApplicationEvent.Kind.EDITED)
    assert event.actor == officer
    assert event.changes["phone"] == ["555 000 1111", "555 000 2222"]
    assert event.changes["assigned_to"] == [None, "Dana Officer"]
    history = admissions_client.get(change_url(application)).content.decode()
    assert "Changed phone, assigned to" in history
    assert "555 000 1111 → 555 000 2222" in history
    assert "Dana Officer" in history


def test_notes_keep_their_author_and_time_and_cannot_be_edited(admissions_client, two_programs, officer):
    application = submit(two_programs[0])
    page = admissions_client.get(change_url(application))
    before = timezone.now()

    response = admissions_client.post(
        change_url(application),
        change_form_data(page, **{"notes-0-text": "Called her: documents on Monday."}),
    )

    assert response.status_code == 302
    note = ApplicationNote.objects.get(application=application)
    assert note.author == officer
    assert note.created_at >= before
    assert note.text == "Called her: documents on Monday."
    assert application.events.filter(kind="note", actor=officer).exists()

    page = admissions_client.get(change_url(application))
    text = page.content.decode()
    assert "Called her: documents on Monday." in text
    assert "Dana Officer, " in text
    assert 'name="notes-0-text"' not in text  # the existing note is shown, not editable
    assert 'name="notes-1-text"' in text  # and a new one can be added

    # A forged edit of the existing note changes nothing.
    admissions_client.post(change_url(application), change_form_data(page, **{"notes-0-text": "Rewritten"}))
    note.refresh_from_db()
    assert note.text == "Called her: documents on Monday."


def test_an_unchanged_save_records_nothing(admissions_client, two_programs):
    application = submit(two_programs[0])
    events = application.events.count()
    page = admissions_client.get(change_url(application))
    assert admissions_client.post(change_url(application), change_form_data(page)).status_code == 302
    assert application.events.count() == events


def test_assign_to_me_action(admissions_client, two_programs, officer):
    first, second = submit(two_programs[1]), submit(two_programs[1])
    response = admissions_client.post(
        changelist(), {"action": "assign_to_me", "_selected_action": [first.pk, second.pk]}, follow=True
    )
    assert "2 application(s) assigned to you." in response.content.decode()
    assert set(Application.objects.values_list("assigned_to", flat=True)) == {officer.pk}
    assert ApplicationEvent.objects.filter(kind="assigned", actor=officer).count() == 2


def edit(client, application, **changes):
    page = client.get(change_url(application))
    return client.post(change_url(application), change_form_data(page, **changes))


def test_an_edit_giving_the_e_mail_of_another_live_application_to_the_same_start_is_explained(
    admissions_client, two_programs
):
    cohort = two_programs[1]
    first = submit(cohort, email="sam@example.org")
    second = submit(cohort, email="other@example.org")

    response = edit(admissions_client, second, email="SAM@example.org")

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["email"]
    assert errors == [
        f"{first.reference} already uses this e-mail address for the same course start ({cohort.code}). One "
        "person has one live application per start: withdraw or decline one of them first."
    ]
    second.refresh_from_db()
    assert second.email == "other@example.org"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("date_of_birth", "0001-01-01", "Check the year of the date of birth."),
        ("date_of_birth", "9999-12-31", "The date of birth must be in the past."),
        ("phone", "abc", "Enter a phone number with its area code"),
        ("postal_code", "12", "Enter a 5-digit ZIP code"),
    ],
)
def test_staff_edits_are_checked_like_the_public_form(admissions_client, two_programs, field, value, message):
    application = submit(two_programs[1])
    before = getattr(application, field)

    response = edit(admissions_client, application, **{field: value})

    assert response.status_code == 200
    assert response.context["adminform"].form.errors[field][0].startswith(message)
    application.refresh_from_db()
    assert getattr(application, field) == before


def test_a_certification_below_the_courses_requirement_is_refused(admissions_client, levels):
    from tests.enrollment.conftest import certified

    paramedic = make_program(level=levels["paramedic"], slug="paramedic", name="Paramedic")
    application = submit(
        make_cohort(program=paramedic, capacity=3, code="PARA-2"), **certified(levels["emt"])
    )

    response = edit(admissions_client, application, certification_level=levels["emr"].pk)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["certification_level"] == [
        "Not eligible for PARA-2: The Paramedic course requires Emergency Medical Technician certification or higher; "
        "Emergency Medical Responder is not enough."
    ]


def test_only_a_real_tick_agrees_to_text_messages(admissions_client, two_programs):
    application = submit(two_programs[1], consent_sms=False)
    assert edit(admissions_client, application, consent_sms="0").status_code == 302
    application.refresh_from_db()
    assert application.consent_sms is False


def test_a_value_stored_before_a_rule_existed_does_not_block_other_edits(admissions_client, two_programs):
    application = submit(two_programs[1])
    Application.objects.filter(pk=application.pk).update(postal_code="01360 1234")

    assert edit(admissions_client, application, phone="555 010 9999").status_code == 302

    application.refresh_from_db()
    assert (application.phone, application.postal_code) == ("555 010 9999", "01360 1234")


def test_full_width_digits_typed_by_staff_are_read_as_digits(admissions_client, two_programs):
    application = submit(two_programs[1])
    assert edit(admissions_client, application, postal_code="０１３６０").status_code == 302
    application.refresh_from_db()
    assert application.postal_code == "01360"


def test_saving_keeps_an_assignee_who_has_since_left_admissions(
    admissions_client, two_programs, django_user_model
):
    former = make_staff(django_user_model, "former", group="Admissions")
    application = submit(two_programs[1])
    Application.objects.filter(pk=application.pk).update(assigned_to=former)
    former.groups.clear()

    assert edit(admissions_client, application, phone="555 010 7777").status_code == 302

    application.refresh_from_db()
    assert application.assigned_to == former


def test_saving_an_application_page_opened_earlier_keeps_a_colleagues_assignment(
    admissions_client, two_programs, django_user_model
):
    colleague = make_staff(django_user_model, "colleague", group="Admissions")
    application = submit(two_programs[1])
    page = admissions_client.get(change_url(application))  # opened while unassigned

    services.application_assign(application=application, to=colleague, by=colleague)
    response = admissions_client.post(change_url(application), change_form_data(page, phone="555 010 4444"))

    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.phone, application.assigned_to) == ("555 010 4444", colleague)


def test_an_expiry_stored_before_the_upper_bound_does_not_block_other_edits(admissions_client, levels):
    from datetime import date

    from tests.enrollment.conftest import certified

    paramedic = make_program(level=levels["paramedic"], slug="paramedic", name="Paramedic")
    application = submit(make_cohort(program=paramedic, capacity=3), **certified(levels["emt"]))
    Application.objects.filter(pk=application.pk).update(certification_expiry=date(2045, 1, 1))

    assert edit(admissions_client, application, phone="555 010 3333").status_code == 302


# Eligibility after an edit: the rules of the public form (enrollment.services) hold for staff edits too.


def years_before(day, years):
    """The same day of the month `years` earlier (the 28th at most, so that 29 February is no trouble)."""
    return date(day.year - years, day.month, min(day.day, 28))


@pytest.fixture
def paramedic_seat(levels):
    from tests.enrollment.conftest import certified

    paramedic = make_program(level=levels["paramedic"], slug="paramedic", name="Paramedic")
    cohort = make_cohort(program=paramedic, capacity=3, code="PARA-1")
    return submit(cohort, date_of_birth=date(1995, 5, 17), **certified(levels["emt"]))


def test_an_edit_making_a_paramedic_applicant_16_with_an_expired_certification_is_refused(
    admissions_client, paramedic_seat
):
    application = paramedic_seat
    start = application.cohort.start_date
    sixteen = years_before(start, 16)
    expired = timezone.localdate() - timedelta(days=30)
    before = (application.date_of_birth, application.certification_expiry)

    response = edit(
        admissions_client,
        application,
        date_of_birth=sixteen.isoformat(),
        certification_expiry=expired.isoformat(),
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["date_of_birth"] == [
        f"Not eligible for PARA-1: You must be at least 18 on the first day of the course "
        f"({start:%B} {start.day}, {start.year}). Check your date of birth, or choose a later start date."
    ]
    assert errors["certification_expiry"][0].startswith(
        "Not eligible for PARA-1: Your certification must still be valid after the first day of the course"
    )
    application.refresh_from_db()
    assert (application.date_of_birth, application.certification_expiry) == before
    assert application.status == "held"
    assert not application.events.filter(kind="edited").exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("certification_level", "", "requires current Emergency Medical Technician certification"),
        ("certification_number", "", "Enter the number of your certification"),
        ("certification_state", "", "Enter the state that issued your certification"),
        ("certification_expiry", "", "Enter the date your certification expires."),
    ],
)
def test_an_edit_removing_the_required_certification_is_refused(
    admissions_client, paramedic_seat, field, value, message
):
    response = edit(admissions_client, paramedic_seat, **{field: value})
    assert response.status_code == 200
    assert message in response.context["adminform"].form.errors[field][0]


def test_an_edit_that_keeps_the_applicant_eligible_is_saved(admissions_client, paramedic_seat):
    start = paramedic_seat.cohort.start_date
    eighteen = years_before(start, 18)
    response = edit(admissions_client, paramedic_seat, date_of_birth=eighteen.isoformat())
    assert response.status_code == 302
    paramedic_seat.refresh_from_db()
    assert paramedic_seat.date_of_birth == eighteen


def test_a_withdrawn_application_is_held_to_the_same_rules(admissions_client, paramedic_seat):
    # It can be offered a seat again from the admin, which does not check the person's details again.
    services.application_withdraw(application=paramedic_seat, notify=False)
    start = paramedic_seat.cohort.start_date
    response = edit(admissions_client, paramedic_seat, date_of_birth=years_before(start, 16).isoformat())
    assert "date_of_birth" in response.context["adminform"].form.errors


def test_an_ineligible_detail_stored_earlier_does_not_block_other_edits(admissions_client, paramedic_seat):
    # The start moved later than the certification's expiry after the person applied.
    Application.objects.filter(pk=paramedic_seat.pk).update(
        certification_expiry=paramedic_seat.cohort.start_date - timedelta(days=1)
    )
    assert edit(admissions_client, paramedic_seat, phone="555 010 2222").status_code == 302
