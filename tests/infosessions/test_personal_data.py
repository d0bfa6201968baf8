"""Info-session sign-ups are personal data like applications: in the per-person export staff download, and
deleted by the retention purge once their session is long past."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from enrollment import selectors
from infosessions.models import SessionEmail, SessionSignup
from sitetools.sources import Source
from tests.infosessions.conftest import make_session, sign_up
from tests.staff.conftest import make_cohort, submit

pytestmark = pytest.mark.django_db


def test_the_per_person_export_lists_their_sign_ups_and_no_one_elses(admissions_client, emt_program):
    application = submit(make_cohort(program=emt_program, capacity=5), email="petra@example.net")
    session = make_session(title="EMT open evening")
    sign_up(
        session,
        name="Petra P",
        email="petra@example.net",
        phone="555-0101",
        source=Source(utm_source="newsletter"),
    )
    sign_up(session, name="Someone Else", email="else@example.net")

    response = admissions_client.post(reverse("admin:enrollment_application_export", args=[application.pk]))

    [person] = json.loads(response.content)["people"]
    [signup] = person["info_session_signups"]
    assert signup["session"] == "EMT open evening"
    assert (signup["name"], signup["phone"], signup["utm_source"]) == ("Petra P", "555-0101", "newsletter")
    assert signup["emails"][0]["kind"].startswith("Sign-up confirmation")
    assert "else@example.net" not in response.content.decode()


def test_someone_who_only_signed_up_still_gets_the_key_empty_or_full():
    data = selectors.applicant_data(["nobody@example.org"])
    assert data["people"][0]["info_session_signups"] == []


def test_the_purge_deletes_sign_ups_of_sessions_long_past_and_keeps_the_rest():
    old = make_session(starts_in=timedelta(days=-800))
    recent = make_session(starts_in=timedelta(days=-30))
    upcoming = make_session(starts_in=timedelta(days=7))
    gone = SessionSignup.objects.create(
        reference="OLDSIGNUP1", session=old, name="Old Person", email="old@example.org", status="booked"
    )
    SessionEmail.objects.create(signup=gone, kind="confirmation", status="sent")
    kept = [
        SessionSignup.objects.create(
            reference="RECENT0001", session=recent, name="Recent", email="r@example.org", status="booked"
        ),
        sign_up(upcoming, notify=False),
    ]

    out = StringIO()
    call_command("purge_personal_data", stdout=out)
    assert "Would delete 1 info-session sign-up(s): OLDSIGNUP1" in out.getvalue()
    assert SessionSignup.objects.filter(pk=gone.pk).exists()

    call_command("purge_personal_data", "--execute", stdout=StringIO())
    assert not SessionSignup.objects.filter(pk=gone.pk).exists()
    assert not SessionEmail.objects.filter(signup_id=gone.pk).exists()
    assert set(SessionSignup.objects.all()) == set(kept)


def test_a_sign_up_cancelled_long_ago_goes_even_if_its_session_is_ahead():
    future = make_session(starts_in=timedelta(days=30))
    signup = sign_up(future, notify=False)
    SessionSignup.objects.filter(pk=signup.pk).update(
        status="cancelled", cancelled_at=timezone.now() - timedelta(days=800)
    )
    call_command("purge_personal_data", "--execute", stdout=StringIO())
    assert not SessionSignup.objects.filter(pk=signup.pk).exists()
