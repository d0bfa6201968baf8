"""The staff side of info sessions: content editors publish sessions and never see who signed up; Admissions
see the sign-ups, mark attendance, cancel (the seat goes to the first person waiting) and find the same
person's enquiries and applications; a session's seats change through the service."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from enrollment import services as enrollment_services
from infosessions.models import InfoSession, SessionSignup
from tests.infosessions.conftest import make_session, sign_up
from tests.staff.conftest import change_form_data

pytestmark = pytest.mark.django_db


def url(name, *args, query=""):
    return reverse(f"admin:infosessions_{name}", args=args) + query


def save_seats(client, session, capacity, **options):
    """Save the session's page as it is, with another number of seats."""
    page = client.get(url("infosession_change", session.pk))
    starts = timezone.localtime(session.starts_at)
    data = change_form_data(
        page,
        capacity=str(capacity),
        starts_at_0=starts.strftime("%Y-%m-%d"),
        starts_at_1=starts.strftime("%H:%M:%S"),
    )
    return client.post(url("infosession_change", session.pk), data, **options)


@pytest.fixture
def full_session():
    """Two seats, both taken by people who came to nothing yet, and two people waiting."""
    session = make_session(capacity=2, title="Saturday talk")
    people = [
        sign_up(session, name=f"Person {n}", email=f"person.{n}@example.org", notify=False) for n in range(4)
    ]
    return session, people


def test_a_content_editor_publishes_a_session_and_never_sees_who_signed_up(editor_client, full_session):
    session, people = full_session
    starts = timezone.localtime(timezone.now() + timedelta(days=20))

    added = editor_client.post(
        url("infosession_add"),
        {
            "title": "EMT open evening",
            "kind": "in-person",
            "starts_at_0": starts.strftime("%Y-%m-%d"),
            "starts_at_1": "18:30:00",
            "duration_minutes": "90",
            "place": "Skills lab 2",
            "capacity": "30",
            "waitlist_allowed": "on",
            "is_published": "on",
        },
    )

    assert added.status_code == 302, added.content.decode()[:3000]
    assert InfoSession.objects.filter(title="EMT open evening").exists()
    page = editor_client.get(url("infosession_change", session.pk)).content.decode()
    assert "2 booked, 2 waiting" in page
    assert people[0].name not in page and people[0].email not in page
    assert editor_client.get(url("sessionsignup_changelist")).status_code == 403
    assert editor_client.get(url("sessionsignup_change", people[0].pk)).status_code == 403


def test_admissions_see_who_signed_up_on_the_sessions_page(admissions_client, full_session):
    session, people = full_session

    page = admissions_client.get(url("infosession_change", session.pk)).content.decode()

    for person in people:
        assert person.name in page
    assert url("sessionsignup_changelist", query=f"?session__id__exact={session.pk}").replace(
        "?", "?"
    ) in page.replace("&amp;", "&")


def test_attendance_is_marked_from_the_list_once_the_session_started(admissions_client, full_session):
    session, people = full_session
    InfoSession.objects.filter(pk=session.pk).update(starts_at=timezone.now() - timedelta(hours=1))

    response = admissions_client.post(
        url("sessionsignup_changelist"),
        {"action": "mark_attended", "_selected_action": [people[0].pk, people[2].pk]},
        follow=True,
    )

    html = response.content.decode()
    assert "Attendance marked for 1 sign-up(s)." in html
    assert "1 sign-up(s) left as they were" in html
    assert SessionSignup.objects.get(pk=people[0].pk).attended is True
    assert SessionSignup.objects.get(pk=people[2].pk).attended is None
    listed = admissions_client.get(url("sessionsignup_changelist", query="?attended=yes")).content.decode()
    assert people[0].reference in listed and people[1].reference not in listed


def test_cancelling_a_seat_from_the_list_gives_it_to_the_first_waiting(admissions_client, full_session):
    session, people = full_session

    response = admissions_client.post(
        url("sessionsignup_changelist"),
        {"action": "cancel_signups", "_selected_action": [people[1].pk]},
        follow=True,
    )

    assert "1 sign-up(s) cancelled; 1 person(s) on the waitlist now have a seat" in response.content.decode()
    statuses = dict(SessionSignup.objects.values_list("pk", "status"))
    assert [statuses[p.pk] for p in people] == ["booked", "cancelled", "booked", "waitlisted"]
    assert SessionSignup.objects.get(pk=people[3].pk).waitlist_position == 1


def test_a_sign_up_links_to_the_same_persons_enquiries_and_applications(admissions_client, full_session):
    _, people = full_session
    enrollment_services.enquiry_submit(name="P", email="PERSON.0@example.org", message="When?", notify=False)

    page = admissions_client.get(url("sessionsignup_change", people[0].pk)).content.decode()

    enquiries = reverse("admin:enrollment_enquiry_changelist") + "?email__iexact=person.0%40example.org"
    assert f'href="{enquiries}">1 enquiry</a>' in page
    assert "0 applications</a>" in page
    listed = admissions_client.get(enquiries).content.decode()
    assert "person.0@example.org" in listed


def test_more_seats_saved_on_the_sessions_page_go_to_the_people_waiting(admissions_client, full_session):
    session, people = full_session

    response = save_seats(admissions_client, session, 3, follow=True)

    assert "1 person(s) on the waitlist now have a seat" in response.content.decode()
    assert SessionSignup.objects.get(pk=people[2].pk).status == "booked"
    assert SessionSignup.objects.get(pk=people[3].pk).waitlist_position == 1


def test_seats_cannot_be_saved_below_the_people_who_have_one(admissions_client, full_session):
    session, _ = full_session

    response = save_seats(admissions_client, session, 1)

    assert response.status_code == 200
    assert "2 people have a seat booked" in response.content.decode()
    assert InfoSession.objects.get(pk=session.pk).capacity == 2


def test_an_in_person_session_needs_a_place_and_an_online_one_a_link(editor_client):
    starts = timezone.localtime(timezone.now() + timedelta(days=20))
    base = {
        "title": "Evening",
        "starts_at_0": starts.strftime("%Y-%m-%d"),
        "starts_at_1": "18:30:00",
        "duration_minutes": "60",
        "capacity": "10",
    }
    in_person = editor_client.post(url("infosession_add"), {**base, "kind": "in-person"}).content.decode()
    online = editor_client.post(url("infosession_add"), {**base, "kind": "online"}).content.decode()

    assert "Say where the session takes place" in in_person
    assert "Give the address people join the online session at" in online
    assert not InfoSession.objects.exists()


def test_the_groups_permissions_on_info_sessions():
    def codenames(name):
        return set(
            Group.objects.get(name=name)
            .permissions.filter(content_type__app_label="infosessions")
            .values_list("codename", flat=True)
        )

    assert codenames("Admissions") == {
        "view_infosession",
        "change_infosession",
        "view_sessionsignup",
        "change_sessionsignup",
        "view_sessionemail",
    }
    assert codenames("Content editors") == {"add_infosession", "change_infosession", "view_infosession"}


@pytest.mark.django_db(transaction=True)
def test_the_groups_get_their_info_session_permissions_back_after_a_flush():
    call_command("flush", "--noinput", verbosity=0)

    admissions = Group.objects.get(name="Admissions")
    editors = Group.objects.get(name="Content editors")
    assert admissions.permissions.filter(codename="change_sessionsignup").exists()
    assert admissions.permissions.filter(codename="export_roster").exists()  # enrollment's, as before
    assert editors.permissions.filter(codename="add_infosession").exists()
    assert not editors.permissions.filter(
        content_type__app_label="infosessions", codename__contains="signup"
    ).exists()


def test_the_session_list_filters_upcoming_and_past_sessions(editor_client):
    make_session(title="Next month's evening", starts_in=timedelta(days=30))
    make_session(title="Last month's evening", starts_in=timedelta(days=-30))

    upcoming = editor_client.get(url("infosession_changelist", query="?when=upcoming")).content.decode()
    past = editor_client.get(url("infosession_changelist", query="?when=past")).content.decode()

    assert "Next month&#x27;s evening" in upcoming and "Last month" not in upcoming
    assert "Last month&#x27;s evening" in past and "Next month" not in past
