"""Calendar files (iCalendar, RFC 5545, made with the icalendar library): a person's seat at an info session,
attached to its e-mails, and a course start's first day, for "Add to calendar" on the program pages.

A session's times are written in the school's time zone (settings.TIME_ZONE) with its VTIMEZONE, so that a
calendar shows the right hour whatever the zone it is in, on either side of a daylight-saving change. Each
file has one event whose UID is stable (a sign-up's reference, a start's id): importing it again updates
the event rather than adding a second one."""

from datetime import date, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

CONTENT_TYPE = "text/calendar; charset=utf-8"


def _domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _calendar(event: Event, *, first_day: date, last_day: date) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.SCHOOL['NAME']}//Info sessions and course starts//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add_component(event)
    # The zone's rules around the event (a year either side), not since 1970: a small file.
    calendar.add_missing_timezones(
        first_date=date(first_day.year - 1, 1, 1), last_date=date(last_day.year + 2, 1, 1)
    )
    return calendar.to_ical()


def _event(uid: str, summary: str, *, description: str, location: str = "", url: str = "") -> Event:
    event = Event()
    event.add("uid", f"{uid}@{_domain()}")
    event.add("dtstamp", timezone.now())
    event.add("summary", summary)
    event.add("description", description)
    if location:
        event.add("location", location)
    if url:
        event.add("url", url)
    return event


def signup_invitation(signup) -> bytes:
    """The calendar file of a seat at a session: when, where (the place, or the joining link), and the
    person's reference. Only for someone with a seat: the joining link is in it."""
    session = signup.session
    school_zone = ZoneInfo(settings.TIME_ZONE)
    starts = timezone.localtime(session.starts_at, school_zone)
    ends = timezone.localtime(session.ends_at, school_zone)
    where = session.joining_link if session.is_online else session.place
    lines = [
        session.summary,
        f"Join online: {session.joining_link}" if session.is_online else f"Where: {session.place}",
        f"Your reference: {signup.reference}",
        f"About the session: {_absolute(session.get_absolute_url())}",
        f"Can't come? Tell us: {settings.SCHOOL['PHONE']}, {settings.SCHOOL['ADMISSIONS_EMAIL']}",
    ]
    event = _event(
        f"info-session-signup-{signup.reference.lower()}",
        f"{session.title} ({settings.SCHOOL['NAME']})",
        description="\n".join(line for line in lines if line),
        location=where,
        url=session.joining_link if session.is_online else _absolute(session.get_absolute_url()),
    )
    event.add("dtstart", starts)
    event.add("dtend", ends)
    event.add("status", "CONFIRMED")
    return _calendar(event, first_day=starts.date(), last_day=ends.date())


def cohort_start(cohort) -> bytes:
    """The first day of a course start, as an all-day event (a start has a date, not an hour), with its
    place and schedule. The program must be loaded."""
    program = cohort.program
    event = _event(
        f"course-start-{cohort.pk}",
        f"{program.name} course starts ({settings.SCHOOL['NAME']})",
        description="\n".join(
            [
                f"First day of the {program.name} course ({cohort.code}).",
                f"Schedule: {cohort.get_meeting_pattern_display()}, {cohort.schedule}.",
                f"Last day: {cohort.end_date:%A %-d %B %Y}.",
                f"Apply by {cohort.application_deadline:%-d %B %Y}: {_absolute(cohort.get_apply_url())}",
            ]
        ),
        location=cohort.location,
        url=_absolute(program.get_absolute_url()),
    )
    event.add("dtstart", cohort.start_date)
    event.add("dtend", cohort.start_date + timedelta(days=1))
    event.add("transp", "TRANSPARENT")
    return _calendar(event, first_day=cohort.start_date, last_day=cohort.start_date)
