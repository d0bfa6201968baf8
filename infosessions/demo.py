"""The demo school's info sessions: an open evening about the EMT course, an online session about the
advanced courses, and a small Saturday talk that is full with people waiting (so that the staff pages show
seats, a waitlist and attendance to mark). Dates are planned from the day the demo is loaded; records are
matched by title and created only when missing (run after enrollment/demo.py: sessions name its programs)."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

from enrollment.models import Program
from infosessions import services
from infosessions.models import InfoSession

FULL_SESSION = "Is EMS for me? A Saturday morning talk"


@dataclass(frozen=True)
class DemoSession:
    title: str
    summary: str
    kind: str
    weekday: int  # Monday is 0
    days_ahead: int  # the first such weekday at least this many days from the load
    at: time
    minutes: int
    capacity: int
    programs: tuple[str, ...] = ()
    room: str = ""
    joining_link: str = ""

    def starts_at(self, today: date) -> datetime:
        day = today + timedelta(days=self.days_ahead)
        day += timedelta(days=(self.weekday - day.weekday()) % 7)
        return timezone.make_aware(datetime.combine(day, self.at))


SESSIONS = [
    DemoSession(
        "EMT course open evening",
        "How the EMT course runs week by week, the clinical and ambulance shifts, the exam that follows, "
        "and what it costs. Meet an instructor and a recent graduate.",
        InfoSession.Kind.IN_PERSON,
        weekday=1,
        days_ahead=7,
        at=time(18, 30),
        minutes=90,
        capacity=30,
        programs=("emt",),
        room="Skills lab 2",
    ),
    DemoSession(
        "Advanced EMT and paramedic courses: online info session",
        "For EMTs thinking of the next step: entry requirements, how the courses fit around shifts, "
        "clinical placements and accreditation.",
        InfoSession.Kind.ONLINE,
        weekday=2,
        days_ahead=14,
        at=time(12, 15),
        minutes=60,
        capacity=100,
        programs=("aemt", "paramedic"),
        joining_link="https://meet.example.org/northfield-advanced-courses",
    ),
    DemoSession(
        FULL_SESSION,
        "New to emergency medical services? What the work is really like, the levels from EMR to "
        "paramedic, and where to start.",
        InfoSession.Kind.IN_PERSON,
        weekday=5,
        days_ahead=10,
        at=time(10, 0),
        minutes=60,
        capacity=2,
        room="Classroom 1",
    ),
]

# The people signed up for the full session: two seats, then one waiting.
FULL_SESSION_PEOPLE = [
    ("Morgan Demo", "morgan.demo@example.org"),
    ("Riley Demo", "riley.demo@example.org"),
    ("Quinn Demo", "quinn.demo@example.org"),
]


def _place(room: str) -> str:
    school = settings.SCHOOL
    return (
        f"{room}, {school['NAME']}, {school['STREET']}, {school['CITY']}, {school['REGION']}" if room else ""
    )


def load(*, today: date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    created = {"info sessions": 0, "info session sign-ups": 0}
    for demo in SESSIONS:
        if InfoSession.objects.filter(title=demo.title).exists():
            continue
        session = InfoSession.objects.create(
            title=demo.title,
            summary=demo.summary,
            kind=demo.kind,
            starts_at=demo.starts_at(today),
            duration_minutes=demo.minutes,
            place=_place(demo.room),
            joining_link=demo.joining_link,
            capacity=demo.capacity,
        )
        session.programs.set(Program.objects.filter(slug__in=demo.programs))
        created["info sessions"] += 1
        if demo.title == FULL_SESSION:
            for name, email in FULL_SESSION_PEOPLE:
                services.signup_create(session=session, name=name, email=email, notify=False)
                created["info session sign-ups"] += 1
    return created
