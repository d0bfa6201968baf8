"""Admissions answer enquiries: newest first, filtered and searched, marked answered or closed."""

from datetime import timedelta

import pytest
from django.utils import timezone

from enrollment import services
from enrollment.models import Enquiry
from tests.staff.conftest import change_url, changelist

pytestmark = pytest.mark.django_db


def ask(name, email, **fields):
    return services.enquiry_submit(
        name=name, email=email, message=f"A question from {name}.", notify=False, **fields
    )


def listed_names(response):
    return [row.split("</td>")[0] for row in response.content.decode().split('<td class="field-name">')[1:]]


def test_the_list_is_newest_first_with_filters_and_search(admissions_client, emt_program):
    older = ask("Olivia Older", "olivia@example.org")
    Enquiry.objects.filter(pk=older.pk).update(submitted_at=timezone.now() - timedelta(days=2))
    ask("Nadia Newer", "nadia@example.org", program=emt_program)
    answered = ask("Aaron Answered", "aaron@example.org")
    services.enquiry_set_status(enquiry=answered, status=Enquiry.Status.ANSWERED)

    assert listed_names(admissions_client.get(changelist("enquiry"))) == [
        "Aaron Answered",
        "Nadia Newer",
        "Olivia Older",
    ]
    assert listed_names(admissions_client.get(changelist("enquiry"), {"status__exact": "new"})) == [
        "Nadia Newer",
        "Olivia Older",
    ]
    assert listed_names(
        admissions_client.get(changelist("enquiry"), {"program__id__exact": emt_program.pk})
    ) == ["Nadia Newer"]
    assert listed_names(admissions_client.get(changelist("enquiry"), {"q": "olivia@example"})) == [
        "Olivia Older"
    ]


def test_the_page_shows_the_question_as_written_and_lets_staff_set_the_status(admissions_client):
    enquiry = ask("Casey <b>Bold</b>", "casey@example.org")
    page = admissions_client.get(change_url(enquiry, "enquiry")).content.decode()
    assert "A question from Casey &lt;b&gt;Bold&lt;/b&gt;." in page
    assert 'name="message"' not in page
    assert 'name="status"' in page


def test_mark_answered_and_closed_actions(admissions_client):
    first, second = ask("E One", "e1@example.org"), ask("E Two", "e2@example.org")
    response = admissions_client.post(
        changelist("enquiry"), {"action": "mark_answered", "_selected_action": [first.pk]}, follow=True
    )
    assert "1 enquiry(ies) marked answered." in response.content.decode()
    admissions_client.post(
        changelist("enquiry"), {"action": "mark_closed", "_selected_action": [first.pk, second.pk]}
    )
    assert set(Enquiry.objects.values_list("status", flat=True)) == {"closed"}


def test_enquiry_status_service_refuses_unknown_statuses():
    enquiry = ask("E", "e@example.org")
    with pytest.raises(ValueError):
        services.enquiry_set_status(enquiry=enquiry, status="lost")


def test_staff_note_what_was_said_and_who_answers_on_the_enquirys_page(admissions_client, officer):
    from tests.staff.conftest import change_form_data

    enquiry = ask("Nora Note", "nora@example.org")
    page = admissions_client.get(change_url(enquiry, "enquiry"))
    assert 'name="notes-0-text"' in page.content.decode()

    response = admissions_client.post(
        change_url(enquiry, "enquiry"),
        change_form_data(
            page,
            assigned_to=officer.pk,
            status="answered",
            **{"notes-0-text": "Called her: will apply in May."},
        ),
    )

    assert response.status_code == 302
    enquiry.refresh_from_db()
    assert (enquiry.assigned_to, enquiry.status) == (officer, "answered")
    note = enquiry.notes.get()
    assert (note.author, note.text) == (officer, "Called her: will apply in May.")
    page = admissions_client.get(change_url(enquiry, "enquiry")).content.decode()
    assert "Called her: will apply in May." in page
    assert "Dana Officer" in page
    assert "Called her: will apply in May.</textarea>" not in page  # kept as written, not editable
    assert 'name="notes-1-text"' in page  # room for the next note


def test_assign_to_me_and_the_assignment_filters(admissions_client, officer):
    mine, other = ask("Mina Mine", "mina@example.org"), ask("Otto Other", "otto@example.org")

    response = admissions_client.post(
        changelist("enquiry"), {"action": "assign_to_me", "_selected_action": [mine.pk]}, follow=True
    )

    assert "1 enquiry(s) assigned to you." in response.content.decode()
    assert listed_names(admissions_client.get(changelist("enquiry"), {"assignment": "me"})) == ["Mina Mine"]
    assert listed_names(admissions_client.get(changelist("enquiry"), {"assignment": "nobody"})) == [
        "Otto Other"
    ]
    assert Enquiry.objects.get(pk=other.pk).assigned_to is None


def test_an_enquirers_data_export_includes_the_staff_notes(admissions_client, officer):
    import json

    enquiry = ask("Xena Export", "xena@example.org")
    services.enquiry_note_add(enquiry=enquiry, text="Prefers evenings.", by=officer)

    response = admissions_client.post(
        changelist("enquiry"), {"action": "export_enquirer_data", "_selected_action": [enquiry.pk]}
    )

    (person,) = json.loads(response.content)["people"]
    assert [note["text"] for note in person["enquiries"][0]["notes"]] == ["Prefers evenings."]


def test_content_editors_cannot_reach_enquiry_notes(editor_client):
    enquiry = ask("Priya Private", "priya@example.org")
    assert editor_client.get(change_url(enquiry, "enquiry")).status_code == 403


def test_saving_a_note_leaves_a_colleagues_status_and_assignment_alone(
    admissions_client, officer, django_user_model
):
    from tests.staff.conftest import change_form_data, make_staff

    colleague = make_staff(django_user_model, "colleague", group="Admissions")
    enquiry = ask("Rita Race", "rita@example.org")
    page = admissions_client.get(change_url(enquiry, "enquiry"))  # opened while still new and unassigned
    assert 'name="initial-status"' in page.content.decode()  # the page sends back what it was opened with

    services.enquiry_assign(enquiry=enquiry, to=colleague, by=colleague)
    services.enquiry_set_status(enquiry=enquiry, status=Enquiry.Status.ANSWERED, by=colleague)
    response = admissions_client.post(
        change_url(enquiry, "enquiry"), change_form_data(page, **{"notes-0-text": "Left a voicemail."})
    )

    assert response.status_code == 302
    enquiry.refresh_from_db()
    assert (enquiry.status, enquiry.assigned_to) == (Enquiry.Status.ANSWERED, colleague)
    assert enquiry.notes.get().text == "Left a voicemail."


def test_enquiries_are_assigned_to_staff_who_may_read_them(admissions_client, officer, django_user_model):
    from django.contrib.auth.models import Permission

    from tests.staff.conftest import make_staff

    applications_only = make_staff(django_user_model, "applications-only")
    applications_only.user_permissions.add(Permission.objects.get(codename="view_application"))
    enquiry = ask("Ivy Inbox", "ivy@example.org")
    form = admissions_client.get(change_url(enquiry, "enquiry")).context["adminform"].form
    assert [user.username for user in form.fields["assigned_to"].queryset] == ["officer"]
