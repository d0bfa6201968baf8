"""Synthetic data at the size of a school after ten years, for measuring the staff pages (issue 15):
`manage.py make_synthetic_data` makes it, `--delete` removes it (docs/performance.md).

What it makes follows the lifecycle the services run, without calling them one by one (that would take
hours): each course start is simulated in time order (applications arrive until its deadline, take a seat
while seats are left and join the waitlist after; held seats are enrolled, released, withdrawn or declined;
a freed seat is offered to the first person waiting, who accepts, turns it down or lets it expire; the course
starts, some leave, the rest complete), and every change is written to the application's history as the
services write it. Then the rows go in with bulk inserts. Only what has happened by now is kept: a start
still taking applications has held seats, open offers and a waitlist.

The database's constraints hold as for real data (seats never over a start's capacity, waitlist places
gapless from 1, one live application per address and start, an expiry on every open offer), so it runs on
SQLite and PostgreSQL alike. Everything it makes is marked, so that `--delete` finds it and nothing else:
programs, levels and info sessions named "Synthetic …" (slugs `synthetic-…`), starts coded `SYN-…`, and
people's addresses at EMAIL_DOMAIN.

It lives in the site shell because it writes both enrollment's and infosessions' rows (enrollment never
imports infosessions)."""

import heapq
import random
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from itertools import count

from django.db import transaction
from django.utils import timezone

from enrollment.models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    ChecklistItem,
    Cohort,
    EmailNotification,
    Enquiry,
    EnquiryEvent,
    EnquiryReply,
    MeetingPattern,
    Program,
    Requirement,
    stage_reached,
)
from infosessions.models import InfoSession, SessionSignup
from roles.models import CertificationLevel
from sitetools.sources import HeardAbout

EMAIL_DOMAIN = "synthetic.example.test"
NAME_PREFIX = "Synthetic"
SLUG_PREFIX = "synthetic-"
CODE_PREFIX = "SYN-"
BATCH = 2000
YEARS = 10
# How long before its start a course start takes applications, and how far ahead starts are planned.
APPLICATION_WINDOW_DAYS = 180
PLANNED_AHEAD_DAYS = 150

Status = ApplicationStatus
Event = ApplicationEvent.Kind
SEAT_HOLDING = {Status.HELD, Status.OFFERED, Status.ENROLLED, Status.STARTED, Status.COMPLETED}
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

FIRST_NAMES = [
    "Avery",
    "Jordan",
    "Casey",
    "Riley",
    "Morgan",
    "Taylor",
    "Jamie",
    "Alex",
    "Sam",
    "Drew",
    "Quinn",
    "Rowan",
    "Emerson",
    "Hayden",
    "Parker",
    "Reese",
    "Skyler",
    "Maria",
    "Jose",
    "Wei",
    "Aisha",
    "Omar",
    "Fatima",
    "Liam",
    "Noah",
    "Olivia",
    "Emma",
    "Sofia",
    "Lucas",
    "Mateo",
    "Chloe",
    "Grace",
    "Ethan",
    "Mia",
    "Zoe",
    "Ivan",
]
LAST_NAMES = [
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Hernandez",
    "Lopez",
    "Gonzalez",
    "Wilson",
    "Anderson",
    "Thomas",
    "Taylor",
    "Moore",
    "Jackson",
    "Martin",
    "Lee",
    "Perez",
    "Thompson",
    "White",
    "Harris",
    "Sanchez",
    "Clark",
    "Ramirez",
    "Lewis",
    "Robinson",
    "Walker",
    "Young",
    "Allen",
    "King",
    "Wright",
    "Scott",
    "Torres",
    "Nguyen",
    "Hill",
    "Flores",
    "Green",
    "Adams",
    "Nelson",
    "Baker",
    "Hall",
]
CITIES = ["Springfield", "Riverton", "Lakeside", "Fairview", "Georgetown", "Salem", "Franklin", "Clinton"]
QUESTIONS = [
    "When does the next course start?",
    "Can I pay the tuition in instalments?",
    "Do I need a driving licence to apply?",
    "Is there an evening option for people who work days?",
    "What do I need before the first day?",
    "Can my employer pay for the course?",
    "How many hours of clinical shifts are there?",
]
# Where people came from: (utm_source, utm_medium, utm_campaign, referrer_host), with their weights.
SOURCES = [
    (("", "", "", ""), 40),
    (("google", "cpc", "spring-intake", ""), 12),
    (("facebook", "social", "open-evening", ""), 8),
    (("newsletter", "email", "monthly", ""), 5),
    (("", "", "", "www.google.com"), 18),
    (("", "", "", "www.bing.com"), 3),
    (("", "", "", "ems-jobs.example.net"), 6),
    (("", "", "", "county-fire.example.org"), 8),
]
HEARD_ABOUT = ["", "", ""] + list(HeardAbout.values)
REQUIREMENTS = ["CPR-BLS card", "Immunisation record", "Background check", "High school diploma"]


def _aware(day: date, hour: int = 9) -> datetime:
    # In UTC: arithmetic on a datetime in the school's zone is wall-clock time, an hour off across a DST change.
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone()).astimezone(UTC)


def _label(status, position=None) -> str:
    # As enrollment.services.seats.status_label words it in the history.
    if status is None:
        return "nothing"
    label = Status(status).label
    return f"{label}, #{position}" if position else label


@contextmanager
def _given_times(*fields):
    """Let bulk inserts keep the times given (submitted_at, updated_at) instead of "now"."""
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


@dataclass
class Made:
    """What was made, by table (the command prints it)."""

    counts: dict = field(default_factory=dict)

    def add(self, name, number):
        self.counts[name] = self.counts.get(name, 0) + number


def exists() -> bool:
    return Program.objects.filter(slug__startswith=SLUG_PREFIX).exists()


class Generator:
    def __init__(self, *, applications, enquiries, cohorts, seed, now=None, programs=None, stdout=None):
        self.rng = random.Random(seed)
        self.now = now or timezone.now()
        self.today = timezone.localdate(self.now)
        self.n_applications = applications
        self.n_enquiries = enquiries
        self.n_cohorts = cohorts
        self.n_programs = programs or max(1, min(12, cohorts // 10 or 1))
        self.stdout = stdout
        self.made = Made()
        self.references = set(Application.objects.values_list("reference", flat=True))
        self.references |= set(SessionSignup.objects.values_list("reference", flat=True))
        self.numbers = count(1)
        self.emails = []  # applicants' addresses, which some enquirers and sign-ups reuse

    def say(self, message):
        if self.stdout is not None:
            self.stdout.write(message)

    # Small random pieces

    def reference(self, prefix):
        while True:
            reference = prefix + "".join(self.rng.choice(REFERENCE_ALPHABET) for _ in range(6))
            if reference not in self.references:
                self.references.add(reference)
                return reference

    def person(self):
        first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
        email = f"{first}.{last}.{next(self.numbers)}@{EMAIL_DOMAIN}".lower()
        return first, last, email

    def source(self):
        utm_source, utm_medium, utm_campaign, referrer = self.rng.choices(
            [s for s, _ in SOURCES], weights=[w for _, w in SOURCES]
        )[0]
        return {
            "utm_source": utm_source,
            "utm_medium": utm_medium,
            "utm_campaign": utm_campaign,
            "referrer_host": referrer,
            "heard_about": self.rng.choice(HEARD_ABOUT),
        }

    def moment_between(self, start: datetime, end: datetime) -> datetime:
        return start + (end - start) * self.rng.random()

    # The whole

    def run(self) -> Made:
        with transaction.atomic():
            programs = self.make_programs()
            cohorts = self.make_cohorts(programs)
            self.make_applications(cohorts)
            self.make_enquiries(programs)
            self.make_info_sessions(programs)
        return self.made

    def make_programs(self):
        levels = list(CertificationLevel.objects.filter(is_published=True).order_by("ladder_order"))
        if not levels:
            levels = [
                CertificationLevel.objects.create(
                    slug=f"{SLUG_PREFIX}level",
                    name=f"{NAME_PREFIX} level",
                    abbreviation="SYN",
                    ladder_order=99,
                    summary="A level made for synthetic data.",
                    description="Made by make_synthetic_data.",
                    exam="None.",
                    recertification="None.",
                )
            ]
            self.made.add("certification levels", 1)
        programs = []
        for number in range(1, self.n_programs + 1):
            level = levels[(number - 1) % len(levels)]
            program = Program.objects.create(
                slug=f"{SLUG_PREFIX}{number}",
                name=f"{NAME_PREFIX} {level.name} course {number}",
                level=level,
                summary=f"A synthetic course for {level.name}.",
                description="Made by make_synthetic_data to measure the staff pages at a school's size.",
                length="16 weeks",
                tuition=Decimal(1200 + 300 * (number % 5)),
                order=900 + number,
            )
            Requirement.objects.bulk_create(
                Requirement(program=program, name=name, order=order)
                for order, name in enumerate(REQUIREMENTS[: 2 + number % 3])
            )
            program.requirement_ids = list(program.requirements.values_list("pk", flat=True))
            programs.append(program)
        self.made.add("programs", len(programs))
        return programs

    def make_cohorts(self, programs):
        first = self.today - timedelta(days=365 * YEARS)
        span = (self.today + timedelta(days=PLANNED_AHEAD_DAYS) - first).days
        cohorts = []
        for number in range(1, self.n_cohorts + 1):
            start = first + timedelta(days=self.rng.randrange(span))
            program = programs[number % len(programs)]
            cohorts.append(
                Cohort(
                    program=program,
                    code=f"{CODE_PREFIX}{number:05d}",
                    start_date=start,
                    end_date=start + timedelta(days=self.rng.choice([84, 112, 140, 180])),
                    meeting_pattern=self.rng.choice(MeetingPattern.values),
                    schedule="Tue and Thu, 6 to 10 pm",
                    location=f"{self.rng.choice(CITIES)} campus",
                    capacity=self.rng.choice([16, 20, 24, 24, 30, 30, 36, 40, 48]),
                    application_deadline=start - timedelta(days=7),
                )
            )
        Cohort.objects.bulk_create(cohorts, batch_size=BATCH)
        self.made.add("course starts", len(cohorts))
        return cohorts

    # Applications

    def window(self, cohort):
        """When applications to a start arrive: from APPLICATION_WINDOW_DAYS before it to its deadline (or now)."""
        opens = _aware(cohort.start_date - timedelta(days=APPLICATION_WINDOW_DAYS))
        closes = min(_aware(cohort.application_deadline, 23), self.now)
        return opens, closes

    def make_applications(self, cohorts):
        # Each start's share: alike for past starts, smaller for those whose window is still running.
        weights = []
        for cohort in cohorts:
            opens, closes = self.window(cohort)
            full = _aware(cohort.application_deadline, 23) - opens
            weights.append(max(0.0, (closes - opens) / full) * self.rng.uniform(0.6, 1.4))
        per_cohort = [0] * len(cohorts)
        if any(weights):
            for index in self.rng.choices(range(len(cohorts)), weights=weights, k=self.n_applications):
                per_cohort[index] += 1
        applications, events = [], []
        for cohort, number in zip(cohorts, per_cohort, strict=True):
            made, happened = self.simulate(cohort, number)
            applications += made
            events += happened
        for application, _, kind, _, changes in events:  # as Application.save keeps it
            application.furthest_stage = max(application.furthest_stage, stage_reached(kind, changes))
        fields = [Application._meta.get_field(name) for name in ("submitted_at", "updated_at")]
        with _given_times(*fields):
            Application.objects.bulk_create(applications, batch_size=BATCH)
        self.made.add("applications", len(applications))
        self.say(f"  {len(applications)} applications")
        ApplicationEvent.objects.bulk_create(
            (
                ApplicationEvent(
                    application=application, at=at, kind=kind, description=description[:300], changes=changes
                )
                for application, at, kind, description, changes in events
            ),
            batch_size=BATCH,
        )
        self.made.add("application history entries", len(events))
        self.say(f"  {len(events)} history entries")
        self.make_checklists(applications)
        self.make_notifications(applications)

    def simulate(self, cohort, number):
        """The applications to one start and their history, from its first application to now."""
        rng, now = self.rng, self.now
        opens, closes = self.window(cohort)
        if number == 0 or closes <= opens:
            return [], []
        start = _aware(cohort.start_date, 8)
        end = _aware(cohort.end_date, 17)
        queue, order = [], count()
        applications, events = [], []
        state = {"seats": 0}
        waitlist = []

        def push(at, action, application=None):
            heapq.heappush(queue, (at, next(order), action, application))

        def change(application, at, status, reason="", position=None):
            old, old_position = application.status, application.waitlist_position
            application.status, application.waitlist_position = status, position
            application.status_reason = reason
            application.updated_at = at
            if status != Status.OFFERED:
                application.offer_expires_at = None
            description = f"{_label(old, old_position)} → {_label(status, position)}"
            events.append(
                (
                    application,
                    at,
                    Event.STATUS,
                    f"{description} ({reason})" if reason else description,
                    {"status": [old, status], "waitlist_position": [old_position, position]},
                )
            )

        def hold(application, at):
            state["seats"] += 1
            due = min(at.date() + timedelta(days=14), cohort.start_date - timedelta(days=7))
            application.hold_until = max(due, at.date())
            application.had_seat = True
            decide = min(at + timedelta(days=rng.uniform(1, 20)), start - timedelta(days=1))
            push(max(decide, at + timedelta(hours=1)), "decide", application)

        def free_seat(at):
            state["seats"] -= 1
            if waitlist and at < start:
                application = waitlist.pop(0)
                state["seats"] += 1
                change(application, at, Status.OFFERED)
                application.offer_expires_at = expires = at + timedelta(hours=48)
                answer = at + timedelta(hours=rng.uniform(1, 60))
                if answer >= expires or rng.random() < 0.1:
                    push(expires, "expire", application)
                else:
                    push(answer, "answer", application)

        for _ in range(number):
            first, last, email = self.person()
            at = self.moment_between(opens, closes)
            application = Application(
                reference=self.reference("EMS-"),
                cohort=cohort,
                first_name=first,
                last_name=last,
                email=email,
                phone=f"555 01{rng.randrange(10)} {rng.randrange(10000):04d}",
                date_of_birth=cohort.start_date - timedelta(days=rng.randrange(18 * 366, 50 * 365)),
                address_line1=f"{rng.randrange(1, 999)} Example Street",
                city=rng.choice(CITIES),
                state="MA",
                postal_code=f"01{rng.randrange(1000):03d}",
                consent_data_processing=True,
                consent_sms=rng.random() < 0.4,
                submitted_at=at,
                updated_at=at,
                status=None,
                **self.source(),
            )
            application.had_seat = False
            self.emails.append(email)
            push(at, "arrive", application)
        push(start, "start")
        push(end, "end")

        while queue:
            at, _, action, application = heapq.heappop(queue)
            if at > now:
                break
            if action == "arrive":
                applications.append(application)
                if state["seats"] < cohort.capacity:
                    application.status, position = Status.HELD, None
                    hold(application, at)
                else:
                    waitlist.append(application)
                    application.status, position = Status.WAITLISTED, len(waitlist)
                    if rng.random() < 0.35:
                        push(at + timedelta(days=rng.uniform(3, 90)), "leave-waitlist", application)
                application.waitlist_position = position
                events.append(
                    (
                        application,
                        at,
                        Event.SUBMITTED,
                        f"Applied to {cohort.code}: {_label(application.status, position)}",
                        {"status": [None, application.status], "waitlist_position": [None, position]},
                    )
                )
            elif action == "decide" and application.status == Status.HELD:
                draw = rng.random()
                if draw < 0.80:
                    change(application, at, Status.ENROLLED)
                elif draw < 0.90:
                    change(application, at, Status.RELEASED, "documents not in by the deadline")
                    free_seat(at)
                elif draw < 0.96:
                    change(application, at, Status.WITHDRAWN, "by the applicant")
                    free_seat(at)
                else:
                    change(application, at, Status.DECLINED, "does not meet the requirements")
                    free_seat(at)
            elif action == "expire" and application.status == Status.OFFERED:
                change(application, at, Status.EXPIRED, "no answer in time")
                free_seat(at)
            elif action == "answer" and application.status == Status.OFFERED:
                if rng.random() < 0.8:
                    change(application, at, Status.HELD, "accepted the seat offered")
                    state["seats"] -= 1  # hold() counts it again
                    hold(application, at)
                else:
                    change(application, at, Status.WITHDRAWN, "turned down the seat offered")
                    free_seat(at)
            elif action == "leave-waitlist" and application.status == Status.WAITLISTED:
                waitlist.remove(application)
                change(application, at, Status.WITHDRAWN, "by the applicant")
            elif action == "start":
                for waiting in [a for a in applications if a.status in (Status.HELD, Status.OFFERED)]:
                    if waiting.status == Status.HELD:
                        change(waiting, at, Status.RELEASED, "not enrolled by the start")
                    else:
                        change(waiting, at, Status.EXPIRED, "no answer by the start")
                    state["seats"] -= 1
                for waiting in waitlist:
                    change(waiting, at, Status.DECLINED, "the course began")
                waitlist.clear()
                for enrolled in [a for a in applications if a.status == Status.ENROLLED]:
                    change(enrolled, at, Status.STARTED, "the course began")
                    if rng.random() < 0.1:
                        push(self.moment_between(start, end), "leave", enrolled)
            elif action == "leave" and application.status == Status.STARTED:
                change(application, at, Status.LEFT, "left the course")
                state["seats"] -= 1
            elif action == "end":
                for started in [a for a in applications if a.status == Status.STARTED]:
                    change(started, at, Status.COMPLETED)

        # What is left on the waitlist keeps its order, numbered from 1 without gaps.
        for position, waiting in enumerate(waitlist, 1):
            waiting.waitlist_position = position
        assert state["seats"] <= cohort.capacity, cohort.code
        return applications, events

    def make_checklists(self, applications):
        states = ChecklistItem.State
        items = []
        for application in applications:
            if not application.had_seat:
                continue
            enrolled = application.status in (Status.ENROLLED, Status.STARTED, Status.COMPLETED, Status.LEFT)
            for requirement_id in application.cohort.program.requirement_ids:
                if enrolled:
                    state = states.VERIFIED
                else:
                    state = self.rng.choice(
                        [states.MISSING, states.MISSING, states.SUBMITTED, states.VERIFIED, states.REJECTED]
                    )
                items.append(
                    ChecklistItem(
                        application=application,
                        requirement_id=requirement_id,
                        state=state,
                        checked_at=application.updated_at if state == states.VERIFIED else None,
                        note="The scan is unreadable: send it again." if state == states.REJECTED else "",
                    )
                )
        ChecklistItem.objects.bulk_create(items, batch_size=BATCH)
        self.made.add("checklist items", len(items))

    def make_notifications(self, applications):
        """The confirmation each applicant was sent; a few that could not be delivered."""
        kind, status = EmailNotification.Kind, EmailNotification.Status
        notifications = []
        for application in applications:
            sent = application.submitted_at + timedelta(minutes=1)
            failed = self.rng.random() < 0.005
            notifications.append(
                EmailNotification(
                    kind=kind.APPLICATION_CONFIRMATION,
                    status=status.FAILED if failed else status.SENT,
                    application=application,
                    attempts=5 if failed else 1,
                    error="SMTPRecipientsRefused" if failed else "",
                    created_at=application.submitted_at,
                    last_attempt_at=sent,
                    sent_at=None if failed else sent,
                )
            )
        EmailNotification.objects.bulk_create(notifications, batch_size=BATCH)
        self.made.add("e-mails", len(notifications))

    # Enquiries

    def make_enquiries(self, programs):
        rng, now = self.rng, self.now
        first_day = now - timedelta(days=365 * YEARS)
        enquiries, events, replies = [], [], []
        for _ in range(self.n_enquiries):
            first, last, email = self.person()
            if self.emails and rng.random() < 0.3:
                email = rng.choice(self.emails)  # someone who applied, or will
            at = self.moment_between(first_day, now)
            recent = now - at < timedelta(days=14)
            draw = rng.random()
            status = Enquiry.Status.NEW
            replied = None
            if draw < (0.5 if recent else 0.95):
                replied = at + timedelta(hours=min(rng.lognormvariate(1.5, 1.2), 24 * 14))
                if replied > now:
                    replied = None
                else:
                    status = Enquiry.Status.CLOSED if rng.random() < 0.3 else Enquiry.Status.ANSWERED
            elif draw < 0.97 and not recent:
                status = Enquiry.Status.CLOSED
            enquiries.append(
                Enquiry(
                    name=f"{first} {last}",
                    email=email,
                    program=rng.choice([*programs, None]),
                    message=rng.choice(QUESTIONS) + "\n\nThank you.",
                    preferred_contact=rng.choice(Enquiry.ContactMethod.values),
                    status=status,
                    submitted_at=at,
                    updated_at=replied or at,
                    first_replied_at=replied,
                    **self.source(),
                )
            )
        fields = [Enquiry._meta.get_field(name) for name in ("submitted_at", "updated_at")]
        with _given_times(*fields):
            Enquiry.objects.bulk_create(enquiries, batch_size=BATCH)
        for enquiry in enquiries:
            events.append(
                EnquiryEvent(
                    enquiry=enquiry,
                    at=enquiry.submitted_at,
                    kind=EnquiryEvent.Kind.RECEIVED,
                    description="Received through the contact form",
                )
            )
            if enquiry.first_replied_at is not None:
                replies.append(
                    EnquiryReply(
                        enquiry=enquiry,
                        body="Thank you for your question. The next starts are on our website.",
                        created_at=enquiry.first_replied_at,
                    )
                )
            if enquiry.status == Enquiry.Status.CLOSED:
                events.append(
                    EnquiryEvent(
                        enquiry=enquiry,
                        at=(enquiry.first_replied_at or enquiry.submitted_at) + timedelta(days=2),
                        kind=EnquiryEvent.Kind.STATUS,
                        description="Answered → Closed" if enquiry.first_replied_at else "New → Closed",
                        changes={"status": ["answered" if enquiry.first_replied_at else "new", "closed"]},
                    )
                )
        EnquiryReply.objects.bulk_create(replies, batch_size=BATCH)
        events += [
            EnquiryEvent(
                enquiry=reply.enquiry,
                at=reply.created_at,
                kind=EnquiryEvent.Kind.REPLIED,
                description="Answered by e-mail (New → Answered)",
                changes={"reply": reply.pk, "status": ["new", "answered"]},
            )
            for reply in replies
        ]
        EnquiryEvent.objects.bulk_create(events, batch_size=BATCH)
        self.made.add("enquiries", len(enquiries))
        self.made.add("enquiry answers", len(replies))
        self.made.add("enquiry history entries", len(events))
        self.say(f"  {len(enquiries)} enquiries")

    # Info sessions

    def make_info_sessions(self, programs):
        rng, now = self.rng, self.now
        number = max(1, self.n_cohorts // 2)
        first_day = now - timedelta(days=365 * YEARS)
        last_day = now + timedelta(days=60)
        sessions = []
        for index in range(1, number + 1):
            online = rng.random() < 0.4
            sessions.append(
                InfoSession(
                    title=f"{NAME_PREFIX} info session {index}",
                    kind=InfoSession.Kind.ONLINE if online else InfoSession.Kind.IN_PERSON,
                    starts_at=self.moment_between(first_day, last_day).replace(
                        minute=0, second=0, microsecond=0
                    ),
                    place="" if online else f"{rng.choice(CITIES)} campus, room 2",
                    joining_link="https://meet.example.test/synthetic" if online else "",
                    capacity=rng.choice([20, 30, 40, 60]),
                    waitlist_allowed=rng.random() < 0.7,
                )
            )
        InfoSession.objects.bulk_create(sessions, batch_size=BATCH)
        about = InfoSession.programs.through
        about.objects.bulk_create(
            about(infosession_id=session.pk, program_id=rng.choice(programs).pk)
            for session in sessions
            if rng.random() < 0.6
        )
        signups = []
        for session in sessions:
            past = session.starts_at <= now
            wanted = int(session.capacity * rng.uniform(0.4, 1.3))
            booked = waiting = 0
            used = set()
            for _ in range(wanted):
                first, last, email = self.person()
                if self.emails and rng.random() < 0.25:
                    email = rng.choice(self.emails)
                if email in used:
                    continue
                used.add(email)
                created = self.moment_between(session.starts_at - timedelta(days=30), session.starts_at)
                created = min(created, now)
                signup = SessionSignup(
                    reference=self.reference("INF-"),
                    session=session,
                    name=f"{first} {last}",
                    email=email,
                    created_at=created,
                    **self.source(),
                )
                if rng.random() < 0.1:
                    signup.status = SessionSignup.Status.CANCELLED
                    signup.cancelled_at = self.moment_between(created, min(session.starts_at, now))
                elif booked < session.capacity:
                    booked += 1
                    signup.status = SessionSignup.Status.BOOKED
                    if past and now - session.starts_at > timedelta(days=1):
                        signup.attended = rng.random() < 0.7
                elif session.waitlist_allowed and not past:
                    waiting += 1
                    signup.status = SessionSignup.Status.WAITLISTED
                    signup.waitlist_position = waiting
                else:
                    continue
                signups.append(signup)
        SessionSignup.objects.bulk_create(signups, batch_size=BATCH)
        self.made.add("info sessions", len(sessions))
        self.made.add("info session sign-ups", len(signups))
        self.say(f"  {len(signups)} info session sign-ups")


def generate(**options) -> Made:
    return Generator(**options).run()


def delete() -> dict:
    """Remove everything make_synthetic_data made, and nothing else. What was removed, by table."""
    removed = {}

    def tally(result):
        for label, number in result[1].items():
            if number:
                removed[label] = removed.get(label, 0) + number

    synthetic = f"@{EMAIL_DOMAIN}"
    with transaction.atomic():
        tally(SessionSignup.objects.filter(email__endswith=synthetic).delete())
        tally(InfoSession.objects.filter(title__startswith=f"{NAME_PREFIX} info session ").delete())
        tally(Enquiry.objects.filter(email__endswith=synthetic).delete())
        tally(
            Application.objects.filter(
                email__endswith=synthetic, cohort__code__startswith=CODE_PREFIX
            ).delete()
        )
        tally(
            Cohort.objects.filter(
                code__startswith=CODE_PREFIX, program__slug__startswith=SLUG_PREFIX
            ).delete()
        )
        tally(Program.objects.filter(slug__startswith=SLUG_PREFIX).delete())
        tally(CertificationLevel.objects.filter(slug__startswith=SLUG_PREFIX).delete())
    return removed
