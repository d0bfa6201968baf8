"""The sign-up e-mails: both parts say the same things, a seat's e-mails carry a calendar file that reads back
at the right local time (across daylight-saving changes), the joining link only for a seat, what people typed
escaped in HTML; and they are owed with the change, retried after a failure, and never sent twice."""

import re
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from icalendar import Calendar

from infosessions import emails, ics, outbox, services
from infosessions.models import SessionEmail, SessionSignup
from tests.enrollment.mailbackends import OutageEmailBackend, delivered_to
from tests.infosessions.conftest import make_online_session, make_session, school_time, sign_up

pytestmark = pytest.mark.django_db

Kind = SessionEmail.Kind


def built(signup, kind=Kind.CONFIRMATION):
    return emails.build(SessionEmail(signup=signup, kind=kind))


def html_part(message):
    return next(content for content, mimetype in message.alternatives if mimetype == "text/html")


def invitation(message) -> Calendar:
    (attachment,) = message.attachments
    assert attachment.filename == emails.INVITATION_FILENAME
    assert attachment.mimetype == "text/calendar"
    return Calendar.from_ical(attachment.content)


@pytest.fixture
def new_york(settings):
    settings.TIME_ZONE = "America/New_York"
    with timezone.override("America/New_York"):
        yield


def test_a_seats_confirmation_says_when_and_where_in_both_parts_with_the_invitation(new_york):
    session = make_session(
        title="EMT open evening",
        place="Skills lab 2, 120 Harbor Road",
        starts_at=school_time(2031, 5, 13, 18, 30),
    )
    signup = sign_up(session, name="Jordan Example", notify=False)

    message = built(signup)

    assert message.to == [signup.email]
    assert message.subject == f"Your seat: EMT open evening, May 13 ({signup.reference})"
    for part in (message.body, html_part(message)):
        assert "You have a seat at the info session" in part
        assert "Tuesday, May 13, 2031, 6:30 PM to 7:30 PM EDT" in part
        assert "Skills lab 2, 120 Harbor Road" in part
        assert signup.reference in part
    event = invitation(message).events[0]
    assert event.start == school_time(2031, 5, 13, 18, 30)
    assert str(event["summary"]).startswith("EMT open evening")
    assert str(event["location"]) == "Skills lab 2, 120 Harbor Road"


def test_a_waitlist_place_has_no_invitation_and_no_joining_link():
    session = make_online_session(capacity=1)
    sign_up(session, notify=False)
    waiting = sign_up(session, notify=False)

    message = built(waiting)

    assert message.attachments == []
    assert "number 1 on the waitlist" in message.body
    assert session.joining_link not in message.body
    assert session.joining_link not in html_part(message)


def test_an_online_seat_gets_the_joining_link_in_both_parts_and_in_the_invitation():
    session = make_online_session()
    signup = sign_up(session, notify=False)

    message = built(signup)

    assert session.joining_link in message.body
    assert f'href="{session.joining_link}"' in html_part(message)
    event = invitation(message).events[0]
    assert str(event["location"]) == session.joining_link
    assert str(event["url"]) == session.joining_link


def test_what_a_person_typed_is_escaped_in_html_and_as_typed_in_text():
    signup = sign_up(make_session(), name="<b>Sam</b> & Co", notify=False)

    message = built(signup)

    assert "Hello <b>Sam</b> & Co," in message.body
    assert "&lt;b&gt;Sam&lt;/b&gt; &amp; Co" in html_part(message)
    assert "<b>Sam</b>" not in html_part(message)


def test_the_promotion_and_the_reminder_say_what_happened():
    session = make_session(capacity=1)
    signup = sign_up(session, notify=False)

    promotion, reminder = built(signup, Kind.PROMOTION), built(signup, Kind.REMINDER)

    assert promotion.subject.startswith("A seat is yours")
    assert "you were first on the waitlist" in promotion.body
    assert len(promotion.attachments) == 1
    assert reminder.subject.startswith("Tomorrow:")
    assert reminder.attachments == []


# The calendar file


def read_back(signup):
    calendar = Calendar.from_ical(ics.signup_invitation(signup))
    (event,) = calendar.events
    (zone,) = calendar.timezones
    return calendar, event, zone


@pytest.mark.parametrize(
    "local,utc_hour",
    [
        # Sunday 9 March 2031: New York's clocks go forward at 2 am (EST, -5, to EDT, -4).
        ((2031, 3, 9, 10, 0), 14),
        # Sunday 2 November 2031: they go back at 2 am (EDT to EST).
        ((2031, 11, 2, 10, 0), 15),
        # The Saturdays before: the other offset.
        ((2031, 3, 8, 10, 0), 15),
        ((2031, 11, 1, 10, 0), 14),
    ],
)
def test_the_invitation_reads_back_at_the_schools_local_time_either_side_of_a_clock_change(
    new_york, local, utc_hour
):
    signup = sign_up(make_session(starts_at=school_time(*local), duration_minutes=90), notify=False)

    calendar, event, zone = read_back(signup)

    assert str(calendar["method"]) == "PUBLISH"
    assert event["dtstart"].params["TZID"] == "America/New_York"
    assert str(zone["tzid"]) == "America/New_York"
    assert (event.start.hour, event.start.minute) == local[3:]
    assert event.start.astimezone(timezone.UTC).hour == utc_hour
    assert event.end - event.start == timedelta(minutes=90)
    # The file's own VTIMEZONE, not the reader's zone database, gives the same offset.
    own_zone = zone.to_tz()
    naive = event.start.replace(tzinfo=None)
    assert naive.replace(tzinfo=own_zone).utcoffset() == event.start.utcoffset()


def test_a_session_across_the_spring_change_ends_an_hour_later_by_the_clock_only(new_york):
    # 1:30 am, 60 minutes: at 2 am the clocks jump to 3 am, so it ends at 3:30 by the clock.
    signup = sign_up(make_session(starts_at=school_time(2031, 3, 9, 1, 30)), notify=False)

    _, event, _ = read_back(signup)

    assert (event.end.hour, event.end.minute) == (3, 30)
    assert event.end.astimezone(timezone.UTC) - event.start.astimezone(timezone.UTC) == timedelta(hours=1)


def test_the_invitations_uid_is_the_sign_ups_own_and_stays_the_same():
    session = make_session()
    first, second = sign_up(session, notify=False), sign_up(session, notify=False)

    uid = str(read_back(first)[1]["uid"])

    assert uid == str(read_back(first)[1]["uid"])
    assert uid != str(read_back(second)[1]["uid"])
    assert first.reference.lower() in uid


# Owed, sent, retried, never twice


def test_a_failed_send_is_tried_again_and_sent_once_the_mail_server_is_back(
    settings, django_capture_on_commit_callbacks
):
    settings.MAILERS = {"default": {"BACKEND": "tests.enrollment.mailbackends.OutageEmailBackend"}}
    OutageEmailBackend.down = True
    session = make_session()
    with django_capture_on_commit_callbacks(execute=True):
        signup = sign_up(session)
    email = SessionEmail.objects.get(signup=signup)
    assert (email.status, email.attempts, email.error) == ("pending", 1, "SMTPServerDisconnected")
    assert email.next_attempt_at > timezone.now()

    OutageEmailBackend.down = False
    assert outbox.emails_send_due()["sent"] == 0  # not due yet
    assert outbox.emails_send_due(now=email.next_attempt_at)["sent"] == 1
    assert outbox.emails_send_due(now=email.next_attempt_at + timedelta(hours=1))["sent"] == 0
    assert len(delivered_to(signup.email)) == 1
    assert SessionEmail.objects.get(pk=email.pk).status == "sent"


def test_an_email_claimed_by_one_sender_is_not_sent_by_another():
    signup = sign_up(make_session(), notify=False)
    email = outbox.email_queue(Kind.CONFIRMATION, signup=signup)  # its task waits for the commit
    now = timezone.now()

    assert outbox.email_deliver(email.pk, now=now) == "sent"
    assert outbox.email_deliver(email.pk, now=now) == "not-due"
    assert len(mail.outbox) == 1


# The reminders


def reminders_at(now):
    return services.reminders_send(now=now)


def test_the_reminder_goes_the_day_before_to_each_seat_once(new_york, django_capture_on_commit_callbacks):
    session = make_session(capacity=2, starts_at=school_time(2031, 5, 13, 18, 30))
    seats = [sign_up(session, notify=False) for _ in range(2)]
    waiting = sign_up(session, notify=False)
    cancelled = sign_up(make_session(starts_at=school_time(2031, 5, 13, 9, 0)), notify=False)
    services.signup_cancel(signup=cancelled, notify=False)
    SessionSignup.objects.update(created_at=school_time(2031, 5, 1, 12, 0))

    assert reminders_at(school_time(2031, 5, 11, 23, 59)) == 0  # two days before
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_at(school_time(2031, 5, 12, 0, 5)) == 2
    assert reminders_at(school_time(2031, 5, 12, 17, 0)) == 0  # the job again, on another machine

    assert sorted(message.to[0] for message in mail.outbox) == sorted(signup.email for signup in seats)
    assert all(message.subject.startswith("Tomorrow:") for message in mail.outbox)
    assert not SessionEmail.objects.filter(signup__in=[waiting, cancelled], kind=Kind.REMINDER).exists()


def test_someone_who_signed_up_hours_ago_is_not_reminded_on_top_of_the_confirmation(new_york):
    session = make_session(starts_at=school_time(2031, 5, 13, 18, 30))
    signup = sign_up(session, notify=False)
    SessionSignup.objects.filter(pk=signup.pk).update(created_at=school_time(2031, 5, 12, 9, 0))

    assert reminders_at(school_time(2031, 5, 12, 12, 0)) == 0


def test_the_day_before_a_clock_change_is_the_schools_day(new_york):
    # Sunday 9 March 2031, 9 am: its day before runs from Saturday midnight to Sunday midnight, New York time.
    signup = sign_up(make_session(starts_at=school_time(2031, 3, 9, 9, 0)), notify=False)
    SessionSignup.objects.filter(pk=signup.pk).update(created_at=school_time(2031, 3, 1, 9, 0))

    assert reminders_at(school_time(2031, 3, 7, 23, 30)) == 0
    assert reminders_at(school_time(2031, 3, 8, 0, 30)) == 1


def test_the_scheduled_command_owes_the_reminders_and_sends_what_is_due(new_york):
    session = make_session(starts_at=school_time(2031, 5, 13, 18, 30))
    signup = sign_up(session, notify=False)
    SessionSignup.objects.filter(pk=signup.pk).update(created_at=school_time(2031, 5, 1, 9, 0))
    out = StringIO()

    with time_machine.travel(school_time(2031, 5, 12, 8, 0), tick=False):
        call_command("send_session_reminders", stdout=out)

    assert "1 reminder(s) owed; 1 e-mail(s) sent, 0 failed" in out.getvalue()
    assert [message.subject[:9] for message in delivered_to(signup.email)] == ["Tomorrow:"]


# Every kind, as tests/enrollment/test_emails.py checks the applications' e-mails


def every_kind(settings):
    settings.SITE_URL = "https://school.example"
    session = make_session(capacity=1, title="EMT course open evening")
    seat, waiting = sign_up(session, notify=False), sign_up(session, notify=False)
    online = sign_up(make_online_session(title="Paramedic online evening"), notify=False)
    return {
        "seat": (seat, built(seat)),
        "online-seat": (online, built(online)),
        "waitlist": (waiting, built(waiting)),
        "promotion": (waiting, built(waiting, Kind.PROMOTION)),
        "reminder": (seat, built(seat, Kind.REMINDER)),
    }


def test_every_kind_says_the_same_in_both_parts_links_to_the_site_and_names_nobody_else(settings):
    from tests.enrollment.test_emails import normalised, visible_text

    emails_of = every_kind(settings)
    people = {signup.pk: signup for signup, _ in emails_of.values()}
    for name, (signup, message) in emails_of.items():
        html = html_part(message)
        assert normalised(message.body) == visible_text(html), name
        for href in re.findall(r'href="([^"]*)"', html):
            assert href.startswith(
                ("https://school.example", "mailto:", "tel:", "https://meet.example.org/")
            ), (
                name,
                href,
            )
        assert message.to == [signup.email], name
        assert message.message()["Reply-To"] == settings.SCHOOL["ADMISSIONS_EMAIL"], name
        assert "Auto-Submitted" not in message.message(), name
        assert "\n" not in message.subject and len(message.subject) <= 60, (name, message.subject)
        for other in (person for pk, person in people.items() if pk != signup.pk):
            for part in (message.subject, message.body, html):
                assert other.name not in part and other.email not in part and other.reference not in part, (
                    name
                )


def test_a_long_title_keeps_every_subject_short_with_the_key_words_first():
    session = make_session(
        capacity=1,
        title="EMT course open evening: how the course works, paying for it, and a tour of the skills lab",
    )
    seat, waiting = sign_up(session, notify=False), sign_up(session, notify=False)

    for signup, kind, first_words in (
        (seat, Kind.CONFIRMATION, "Your seat: EMT course open evening"),
        (waiting, Kind.CONFIRMATION, "Waitlist place 1: EMT course open"),
        (waiting, Kind.PROMOTION, "A seat is yours: EMT course open"),
        (seat, Kind.REMINDER, "Tomorrow: EMT course open evening"),
    ):
        subject = built(signup, kind).subject
        assert subject.startswith(first_words), subject
        assert len(subject) <= 60 and subject.endswith(f"({signup.reference})"), (kind, subject)
