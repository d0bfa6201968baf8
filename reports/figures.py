"""Admissions' figures (docs/reports.md says what each one means): the funnel from enquiry to completion, by
program and by source; a cohort's fill over time; the waitlist's offers; the time to a first reply.

Everything is counted by the database (aggregates with filters, grouped by day, month, program or source);
Python only adds up the few grouped rows. Each figure costs a fixed number of queries, whatever the number of
applications: the page's bound is tested at two data sizes (tests/reports/test_queries.py).

Which stages an application reached is the furthest it ever got (Application.furthest_stage, raised with
every status it is saved with, as its history shows them), so that a student who enrolled and then left still
counts as enrolled: the applications are counted grouped by it."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import NotSupportedError
from django.db.models import (
    Aggregate,
    Case,
    CharField,
    Count,
    F,
    FloatField,
    Func,
    IntegerField,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractIsoWeekDay, NullIf, TruncDate, TruncMonth
from django.utils import timezone

from enrollment.models import SEAT_STATUSES, Application, ApplicationEvent, ApplicationStatus, Cohort, Enquiry
from enrollment.models import STAGE_RANKS as RANKS
from infosessions.models import SessionSignup
from sitetools.sources import DIRECT, HeardAbout

Status = ApplicationStatus
Event = ApplicationEvent.Kind

# The history entries that say which status an application moved to.
STATUS_EVENTS = ApplicationEvent.STATUS_KINDS

# The stages an application reaches (their keys are the statuses' values), with their ranks: it "reached" a
# stage when its furthest stage (Application.furthest_stage) is that far or further.
STAGE_RANKS = {status.value: rank for status, rank in RANKS.items()}

# The funnel's stages, in order: (key, what the page and the CSV call it).
STAGES = [
    ("enquiries", "Enquiries"),
    ("attended", "Attended an info session"),
    ("applications", "Applications"),
    ("held", "Held a seat"),
    ("enrolled", "Enrolled"),
    ("started", "Started"),
    ("completed", "Completed"),
]
STAGE_KEYS = [key for key, _ in STAGES]

NO_PROGRAM = "(no program named)"
NOT_SAID = "(not asked or not answered)"
# Sources beyond this many (the most applications first) are added up in one row: anyone can make up a
# campaign name in a link, and the page stays readable.
MOST_SOURCES = 25
OTHER_SOURCES = "(other sources)"

DAY = 86400  # seconds


# What the database computes beyond Django's own functions


class Seconds(Func):
    """`end - start` in seconds (a float; NULL when either is NULL)."""

    output_field = FloatField()

    def __init__(self, end, start):
        super().__init__(end, start)

    def as_sql(self, compiler, connection, **extra):
        end, start = self.get_source_expressions()
        end_sql, end_params = compiler.compile(end)
        start_sql, start_params = compiler.compile(start)
        params = (*end_params, *start_params)
        if connection.vendor == "postgresql":
            return f"EXTRACT(EPOCH FROM ({end_sql} - {start_sql}))::double precision", params
        if connection.vendor == "sqlite":
            return f"((julianday({end_sql}) - julianday({start_sql})) * 86400.0)", params
        raise NotSupportedError("Seconds() is written for PostgreSQL and SQLite.")


class Percentile(Aggregate):
    """The continuous percentile (`fraction` 0.5: the median) of the non-NULL values, interpolated between the
    two nearest as PostgreSQL's percentile_cont does; on SQLite, the same function registered by
    reports.apps (SQLite has none of its own)."""

    function = "percentile_cont"
    output_field = FloatField()

    def __init__(self, expression, fraction: float, **extra):
        if not 0 <= fraction <= 1:
            raise ValueError("A percentile's fraction is between 0 and 1.")
        self.fraction = float(fraction)
        super().__init__(expression, **extra)

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template=f"%(function)s({self.fraction!r}) WITHIN GROUP (ORDER BY %(expressions)s)",
            **extra,
        )

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            function="reports_percentile",
            template=f"%(function)s(%(expressions)s, {self.fraction!r})",
            **extra,
        )


class SqlitePercentile:
    """reports_percentile(value, fraction) for SQLite: what PostgreSQL's percentile_cont computes."""

    def __init__(self):
        self.values = []
        self.fraction = 0.5

    def step(self, value, fraction):
        self.fraction = fraction
        if value is not None:
            self.values.append(value)

    def finalize(self):
        return percentile_cont(sorted(self.values), self.fraction)


def percentile_cont(ordered: list, fraction: float):
    if not ordered:
        return None
    position = fraction * (len(ordered) - 1)
    lower = int(position)
    upper = min(lower + 1, len(ordered) - 1)
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)


def source_of(prefix: str = ""):
    """The source reports group by (sitetools.sources.SourceFields.source): the campaign source, else the
    referring site, else "(direct)"."""
    return Coalesce(
        NullIf(F(f"{prefix}utm_source"), Value("")),
        NullIf(F(f"{prefix}referrer_host"), Value("")),
        Value(DIRECT),
        output_field=CharField(),
    )


# The period and the filters


@dataclass(frozen=True)
class Period:
    """From one day to another, both included, in the school's time zone."""

    start: date
    end: date

    @classmethod
    def last_twelve_months(cls, today: date | None = None) -> "Period":
        today = today or timezone.localdate()
        try:
            year_ago = today.replace(year=today.year - 1)
        except ValueError:  # 29 February
            year_ago = today.replace(year=today.year - 1, day=28)
        return cls(year_ago + timedelta(days=1), today)

    @property
    def since(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def until(self) -> datetime:
        """The first moment after the period."""
        return timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))

    def q(self, name: str) -> Q:
        return Q(**{f"{name}__gte": self.since, f"{name}__lt": self.until})


# The funnel


@dataclass
class FunnelRow:
    label: str
    counts: dict = field(default_factory=lambda: dict.fromkeys(STAGE_KEYS, 0))

    def add(self, values: dict) -> None:
        for key in STAGE_KEYS:
            self.counts[key] += values.get(key) or 0

    @property
    def cells(self) -> list[int]:
        return [self.counts[key] for key in STAGE_KEYS]

    @property
    def labelled_cells(self) -> list[tuple[str, int]]:
        """(stage's name, count): each cell names its column on a phone (the stacked tables)."""
        return [(label, self.counts[key]) for key, label in STAGES]


@dataclass
class Funnel:
    total: FunnelRow
    by_program: list[FunnelRow]
    by_source: list[FunnelRow]
    by_heard_about: list[FunnelRow]

    @property
    def stages(self):
        """The total's stages with the share of the stage before (None for the first, or after a zero)."""
        steps, before = [], None
        for key, label in STAGES:
            count = self.total.counts[key]
            share = round(100 * count / before) if before else None
            steps.append({"key": key, "label": label, "count": count, "share_of_previous": share})
            before = count
        return steps


def funnel(period: Period, *, program=None) -> Funnel:
    """Enquiries received, info-session sign-ups attended (of sessions held), and applications received in
    the period, with how far those applications got. Four queries."""
    applications = Application.objects.filter(period.q("submitted_at"))
    enquiries = Enquiry.objects.filter(period.q("submitted_at"))
    attended = SessionSignup.objects.filter(period.q("session__starts_at"), attended=True)
    if program is not None:
        applications = applications.filter(cohort__program=program)
        enquiries = enquiries.filter(program=program)
        attended = attended.filter(session__programs=program)

    # Each: one row per (program, source, heard about) met, counted by the database; an application counts
    # in each stage it got to (its furthest stage is that one or a later one).
    application_groups = (
        applications.annotate(source=source_of())
        .values("cohort__program__name", "source", "heard_about")
        .annotate(
            applications=Count("pk"),
            **{stage: Count("pk", filter=Q(furthest_stage__gte=rank)) for stage, rank in STAGE_RANKS.items()},
        )
        .order_by()
    )
    enquiry_groups = (
        enquiries.annotate(source=source_of())
        .values("program__name", "source", "heard_about")
        .annotate(enquiries=Count("pk"))
        .order_by()
    )
    # A session may be about several programs (or none): by program, a sign-up counts under each of them.
    attended_groups = (
        attended.annotate(source=source_of())
        .values("source", "heard_about")
        .annotate(attended=Count("pk"))
        .order_by()
    )
    attended_by_program = (
        attended.values("session__programs__name").annotate(attended=Count("pk", distinct=True)).order_by()
    )

    total = FunnelRow("All")
    programs, sources, heard = {}, {}, {}

    def row(rows, label):
        return rows.setdefault(label, FunnelRow(label))

    heard_labels = dict(HeardAbout.choices)
    for group in [*application_groups, *enquiry_groups, *attended_groups]:
        total.add(group)
        row(sources, group["source"]).add(group)
        row(heard, heard_labels.get(group["heard_about"], NOT_SAID)).add(group)
        if "attended" not in group:
            name = group.get("cohort__program__name") or group.get("program__name") or NO_PROGRAM
            row(programs, name).add(group)
    for group in attended_by_program:
        row(programs, group["session__programs__name"] or NO_PROGRAM).add(group)

    return Funnel(
        total=total,
        by_program=sorted(programs.values(), key=lambda r: (r.label == NO_PROGRAM, r.label)),
        by_source=_most_first(sources.values()),
        by_heard_about=_most_first(heard.values(), last=NOT_SAID),
    )


def _most_first(rows, *, last=None) -> list[FunnelRow]:
    """The most applications first (then the most enquiries); beyond MOST_SOURCES rows, one for the rest."""
    ordered = sorted(
        rows, key=lambda r: (r.label == last, -r.counts["applications"], -r.counts["enquiries"], r.label)
    )
    if len(ordered) <= MOST_SOURCES:
        return ordered
    rest = FunnelRow(OTHER_SOURCES)
    for other in ordered[MOST_SOURCES - 1 :]:
        rest.add(other.counts)
    return [*ordered[: MOST_SOURCES - 1], rest]


# A cohort's fill


@dataclass
class FillDay:
    day: date
    applications: int  # received that day
    applications_total: int  # received by the end of that day
    seats_taken: int  # at the end of that day


@dataclass
class CohortFill:
    cohort: Cohort
    days: list[FillDay]

    @property
    def seats_taken(self) -> int:
        return self.days[-1].seats_taken if self.days else 0

    @property
    def applications(self) -> int:
        return self.days[-1].applications_total if self.days else 0


def default_cohort(*, program=None, today: date | None = None) -> Cohort | None:
    """The next start (the soonest not started yet), else the one that started last. One query."""
    today = today or timezone.localdate()
    cohorts = Cohort.objects.select_related("program")
    if program is not None:
        cohorts = cohorts.filter(program=program)
    return (
        cohorts.annotate(
            upcoming=Case(
                When(start_date__gte=today, then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        )
        .order_by("upcoming", Case(When(start_date__gte=today, then=F("start_date"))), "-start_date", "code")
        .first()
    )


def cohort_fill(cohort: Cohort) -> CohortFill:
    """Applications received by day, and seats taken at the end of each day (from the history: each status
    change into a status that holds a seat adds one, each one out of it takes one away), for the
    applications in the cohort now. Two queries."""
    received = dict(
        Application.objects.filter(cohort=cohort)
        .annotate(day=TruncDate("submitted_at"))
        .values("day")
        .annotate(count=Count("pk"))
        .order_by()
        .values_list("day", "count")
    )
    into_seat = Case(When(changes__status__1__in=SEAT_STATUSES, then=Value(1)), default=Value(0))
    out_of_seat = Case(When(changes__status__0__in=SEAT_STATUSES, then=Value(1)), default=Value(0))
    seat_changes = dict(
        ApplicationEvent.objects.filter(application__cohort=cohort, kind__in=STATUS_EVENTS)
        .annotate(day=TruncDate("at"))
        .values("day")
        .annotate(change=Sum(into_seat - out_of_seat, output_field=IntegerField()))
        .order_by()
        .values_list("day", "change")
    )
    days, applications_total, seats_taken = [], 0, 0
    for day in sorted(set(received) | set(seat_changes)):
        applications_total += received.get(day, 0)
        seats_taken += seat_changes.get(day) or 0
        days.append(FillDay(day, received.get(day, 0), applications_total, seats_taken))
    return CohortFill(cohort=cohort, days=days)


# The waitlist's offers


@dataclass
class OffersMonth:
    month: date
    made: int
    accepted: int
    expired: int
    turned_down: int  # withdrawn or declined while offered


OFFER_ENDS = (Status.WITHDRAWN, Status.DECLINED, Status.RELEASED)


def offers(period: Period, *, program=None) -> list[OffersMonth]:
    """Seats offered from the waitlist in the period, and what became of offers in it, by month. One query."""
    # The entries the partial index on them holds (enrollment.models.ApplicationEvent: application_event_offers).
    events = ApplicationEvent.objects.filter(period.q("at")).filter(
        Q(kind=Event.STATUS) & (Q(changes__status__0=Status.OFFERED) | Q(changes__status__1=Status.OFFERED))
    )
    if program is not None:
        events = events.filter(application__cohort__program=program)
    was_offered = Q(changes__status__0=Status.OFFERED)
    rows = (
        events.annotate(month=TruncMonth("at"))
        .values("month")
        .annotate(
            made=Count("pk", filter=Q(changes__status__1=Status.OFFERED)),
            accepted=Count("pk", filter=was_offered & Q(changes__status__1=Status.HELD)),
            expired=Count("pk", filter=was_offered & Q(changes__status__1=Status.EXPIRED)),
            turned_down=Count("pk", filter=was_offered & Q(changes__status__1__in=OFFER_ENDS)),
        )
        .order_by("month")
    )
    return [
        OffersMonth(_as_date(r["month"]), r["made"], r["accepted"], r["expired"], r["turned_down"])
        for r in rows
    ]


# The time to a first reply


@dataclass
class RepliesRow:
    label: str
    month: date | None
    received: int
    answered: int
    median_hours: float | None
    p90_hours: float | None
    within_a_working_day: int

    @property
    def share_within(self) -> int | None:
        """Percent of the enquiries received that were answered within a working day."""
        return round(100 * self.within_a_working_day / self.received) if self.received else None


# Seconds allowed for "within a working day", by the ISO weekday the enquiry came in (school's time zone):
# by the same time the next working day; from Friday to Sunday, by the same time on Monday.
ALLOWED_BY_WEEKDAY = {5: 3 * DAY, 6: 2 * DAY, 7: DAY}


def replies(period: Period, *, program=None) -> tuple[list[RepliesRow], RepliesRow]:
    """Enquiries received in the period by month, and the whole period: how long to the first reply (median,
    90th percentile, in hours) and how many were answered within a working day. Two queries."""
    enquiries = Enquiry.objects.filter(period.q("submitted_at"))
    if program is not None:
        enquiries = enquiries.filter(program=program)
    enquiries = enquiries.alias(weekday=ExtractIsoWeekDay("submitted_at")).annotate(
        wait=Seconds(F("first_replied_at"), F("submitted_at")),
        allowed=Case(
            *(When(weekday=day, then=Value(seconds)) for day, seconds in ALLOWED_BY_WEEKDAY.items()),
            default=Value(DAY),
            output_field=FloatField(),
        ),
    )
    figures = {
        "received": Count("pk"),
        "answered": Count("first_replied_at"),
        "median": Percentile("wait", 0.5),
        "p90": Percentile("wait", 0.9),
        "within": Count("pk", filter=Q(wait__lte=F("allowed"))),
    }
    months = (
        enquiries.annotate(month=TruncMonth("submitted_at"))
        .values("month")
        .annotate(**figures)
        .order_by("month")
    )
    whole = enquiries.aggregate(**figures)

    def row(label, month, r):
        return RepliesRow(
            label, month, r["received"], r["answered"], _hours(r["median"]), _hours(r["p90"]), r["within"]
        )

    return (
        [row(f"{_as_date(r['month']):%B %Y}", _as_date(r["month"]), r) for r in months],
        row("Whole period", None, whole),
    )


def _hours(seconds) -> float | None:
    return None if seconds is None else round(seconds / 3600, 1)


def _as_date(value) -> date:
    return timezone.localtime(value).date() if isinstance(value, datetime) else value
