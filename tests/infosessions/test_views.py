"""The public pages of info sessions: the list, a session's page and its sign-up form (with the public forms'
protections), the confirmation after post/redirect/get, the next session on other pages, and the calendar
files of a seat and of a course start."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from infosessions.models import SessionSignup
from tests.enrollment.conftest import make_cohort, make_program
from tests.infosessions.conftest import make_online_session, make_session, sign_up, signup_data

pytestmark = pytest.mark.django_db


def detail_url(session):
    return reverse("infosessions:detail", kwargs={"pk": session.pk})


def test_the_list_shows_upcoming_published_sessions_with_their_seats(client):
    upcoming = make_session(title="EMT open evening", capacity=3)
    sign_up(upcoming)
    make_session(title="Draft evening", is_published=False)
    make_session(title="Last month's evening", starts_in=timedelta(days=-30))

    html = client.get(reverse("infosessions:list")).content.decode()

    assert "EMT open evening" in html
    assert "2 seats left" in html
    assert "Draft evening" not in html
    assert "Last month" not in html


def test_an_online_sessions_link_is_never_on_its_public_page(client):
    session = make_online_session(title="Paramedic online session")

    html = client.get(detail_url(session)).content.decode()

    assert "Paramedic online session" in html
    assert session.joining_link not in html
    assert "we e-mail you the link" in html


def test_an_unpublished_session_has_no_page(client):
    assert client.get(detail_url(make_session(is_published=False))).status_code == 404


def test_signing_up_redirects_to_a_confirmation_for_this_browser_only(client):
    session = make_online_session()

    response = client.post(
        detail_url(session), signup_data(name="Jordan Example", email="Jordan@Example.com")
    )

    signup = SessionSignup.objects.get()
    assert (signup.name, signup.email, signup.status) == ("Jordan Example", "jordan@example.com", "booked")
    assert response.status_code == 302
    assert response["Location"] == reverse("infosessions:signup-done", kwargs={"reference": signup.reference})
    html = client.get(response["Location"]).content.decode()
    assert signup.reference in html
    assert "You have a seat" in html
    assert session.joining_link in html  # the person's own confirmation shows the link
    assert Client().get(response["Location"]).status_code == 404  # another browser sees nothing


def test_a_full_session_with_a_waitlist_offers_it_and_says_the_place(client):
    session = make_session(capacity=1)
    sign_up(session)

    page = client.get(detail_url(session)).content.decode()
    response = client.post(detail_url(session), signup_data(), follow=True)

    assert "Full: waitlist open" in page
    assert "Join the waitlist" in page
    assert "You are number 1 on the waitlist" in response.content.decode()


def test_a_full_session_without_a_waitlist_shows_no_form_and_refuses_a_late_form(client):
    session = make_session(capacity=1, waitlist_allowed=False)
    sign_up(session)

    page = client.get(detail_url(session)).content.decode()
    refused = client.post(detail_url(session), signup_data(email="late@example.org"))

    assert "Every seat is taken" in page
    assert 'name="email"' not in page
    assert refused.status_code == 200
    assert "Every seat is taken and this session has no waitlist" in refused.content.decode()
    assert not SessionSignup.objects.filter(email="late@example.org").exists()


def test_mistakes_are_shown_at_each_field_and_nothing_is_stored(client, session):
    response = client.post(detail_url(session), signup_data(name="", email="not-an-address", phone="call me"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "Enter your name." in html
    assert "Enter an e-mail address in the form name@example.com." in html
    assert "Enter a phone number with its area code" in html
    assert not SessionSignup.objects.exists()


def test_the_same_address_again_is_told_it_is_in_already(client, session):
    client.post(detail_url(session), signup_data(email="casey@example.org"))

    response = client.post(detail_url(session), signup_data(email="CASEY@example.org"))

    assert response["Location"] == reverse("infosessions:signup-already")
    assert "already signed up" in client.get(response["Location"]).content.decode()
    assert session.signups.count() == 1


def test_a_filled_honeypot_looks_like_success_and_stores_nothing(client, session):
    response = client.post(detail_url(session), signup_data(website="https://spam.example"))

    assert response["Location"] == reverse("infosessions:signup-received")
    assert not SessionSignup.objects.exists()


def test_too_many_sign_ups_from_one_address_get_a_friendly_429(client, settings):
    settings.RATE_LIMIT_SUBMISSIONS = 2
    session = make_session()
    for _ in range(2):
        assert client.post(detail_url(session), signup_data()).status_code == 302

    response = client.post(detail_url(session), signup_data())

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert session.signups.count() == 2


def test_the_form_requires_a_csrf_token(session):
    assert Client(enforce_csrf_checks=True).post(detail_url(session), signup_data()).status_code == 403
    assert not SessionSignup.objects.exists()


def test_the_form_works_without_javascript_a_plain_post_with_labels(client, session):
    html = client.get(detail_url(session)).content.decode()
    assert 'method="post"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    for field in ("name", "email", "phone"):
        assert f'for="id_{field}"' in html


def test_a_sign_up_moves_the_seats_shown_by_the_cached_pages_on(
    client, session, django_capture_on_commit_callbacks
):
    client.get(detail_url(session))
    assert client.get(detail_url(session))["X-Page-Cache"] == "hit"
    assert "10 seats left" in client.get(reverse("infosessions:list")).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        Client().post(detail_url(session), signup_data())

    page = client.get(detail_url(session))
    assert page["X-Page-Cache"] == "miss"
    assert "9 seats left" in page.content.decode()
    assert "9 seats left" in client.get(reverse("infosessions:list")).content.decode()


def test_program_pages_and_the_home_page_show_the_next_session_about_them(client, levels):
    emt, paramedic = make_program(level=levels["emt"]), make_program(level=levels["paramedic"])
    make_session(title="Paramedic evening", programs=[paramedic], starts_in=timedelta(days=2))
    make_session(title="EMT evening", programs=[emt], starts_in=timedelta(days=5))
    make_session(title="Morning for everyone", starts_in=timedelta(days=9))

    emt_page = client.get(emt.get_absolute_url()).content.decode()
    home = client.get(reverse("home")).content.decode()

    assert "EMT evening" in emt_page
    assert "Paramedic evening" not in emt_page
    assert "Paramedic evening" in home  # the next of all


def test_a_session_about_every_course_shows_on_each_programs_page(client, levels):
    emt = make_program(level=levels["emt"])
    make_session(title="Morning for everyone")

    assert "Morning for everyone" in client.get(emt.get_absolute_url()).content.decode()


def test_a_course_starts_first_day_can_be_added_to_a_calendar(client, levels):
    program = make_program(level=levels["emt"], name="EMT evening course")
    cohort = make_cohort(program=program, location="Main campus, room 4")

    assert (
        reverse("infosessions:cohort-calendar", kwargs={"pk": cohort.pk})
        in client.get(program.get_absolute_url()).content.decode()
    )
    assert (
        reverse("infosessions:cohort-calendar", kwargs={"pk": cohort.pk})
        in client.get(reverse("enrollment:apply-start")).content.decode()
    )
    response = client.get(reverse("infosessions:cohort-calendar", kwargs={"pk": cohort.pk}))

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    event = Calendar.from_ical(response.content).events[0]
    assert event.start == cohort.start_date
    assert str(event["location"]) == "Main campus, room 4"
    assert "EMT evening course" in str(event["summary"])
    assert cohort.schedule in str(event["description"])


def test_a_past_start_or_a_draft_programs_start_has_no_calendar_file(client, levels):
    past = make_cohort(program=make_program(level=levels["emt"]), starts_in=-3, deadline_before=10)
    draft = make_cohort(program=make_program(level=levels["emt"], is_published=False))

    for cohort in (past, draft):
        assert (
            client.get(reverse("infosessions:cohort-calendar", kwargs={"pk": cohort.pk})).status_code == 404
        )


def test_the_confirmation_offers_the_seats_calendar_file_to_this_browser_only(client):
    session = make_online_session()
    done = client.post(detail_url(session), signup_data())["Location"]
    signup = SessionSignup.objects.get()
    url = reverse("infosessions:signup-calendar", kwargs={"reference": signup.reference})

    assert url in client.get(done).content.decode()
    event = Calendar.from_ical(client.get(url).content).events[0]
    assert str(event["location"]) == session.joining_link
    assert Client().get(url).status_code == 404
