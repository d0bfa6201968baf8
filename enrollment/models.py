"""Programs and their cohorts (course starts with seats), what people submit (applications and enquiries),
and what an application needs before enrolment (the program's requirements, the applicant's checklist and
documents).

Models guard the data (constraints in the database; `clean()` on the row and on what relies on it, such as
applications on a start); every workflow that changes seats, the waitlist or an application's status lives in
`enrollment/services/`."""

import re
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, ExpressionWrapper, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Greatest, Lower, Replace
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format

from sitetools.pagecache import ShownOnPublicPages
from sitetools.sources import SourceFields


class DeliveryFormat(models.TextChoices):
    IN_PERSON = "in-person", "In person"
    HYBRID = "hybrid", "Hybrid (online theory, in-person skills)"
    ONLINE = "online", "Online with in-person skills days"


class MeetingPattern(models.TextChoices):
    WEEKDAY_DAYS = "weekday-days", "Weekday days"
    WEEKDAY_EVENINGS = "weekday-evenings", "Weekday evenings"
    WEEKENDS = "weekends", "Weekends"
    HYBRID = "hybrid", "Hybrid: online evenings and in-person weekends"


class ProgramQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def for_cards(self):
        """What a program card shows (templates/enrollment/_program_cards.html): the level, and the
        next start date open for applications as `next_start`, computed in the same query."""
        today = timezone.localdate()
        next_start = (
            Cohort.objects.filter(program=OuterRef("pk"))
            .open_for_applications(today=today)
            .order_by("start_date")
            .values("start_date")[:1]
        )
        return (
            self.select_related("level").annotate(next_start=Subquery(next_start)).order_by("order", "name")
        )


class Program(ShownOnPublicPages):
    """A course that prepares for one certification level, e.g. the EMT course."""

    slug = models.SlugField(unique=True, help_text="Used in the address, e.g. emt for /programs/emt/.")
    name = models.CharField(max_length=150, unique=True)
    level = models.ForeignKey("roles.CertificationLevel", on_delete=models.PROTECT, related_name="programs")
    summary = models.CharField(
        max_length=200, help_text="One line, shown on program cards and to search engines."
    )
    description = models.TextField(
        help_text="What the course covers and who it is for; blank lines split paragraphs."
    )
    advice = models.TextField(
        blank=True, help_text="The school's advice about this course, shown prominently."
    )
    length = models.CharField(max_length=100, help_text="Calendar length in words, e.g. '16 weeks'.")
    training_hours = models.PositiveIntegerField(null=True, blank=True, help_text="Total course hours.")
    format = models.CharField(max_length=20, choices=DeliveryFormat.choices, default=DeliveryFormat.IN_PERSON)
    format_details = models.TextField(
        blank=True, help_text="How the course is taught: classroom, skills labs, clinical and field shifts."
    )
    tuition = models.DecimalField(max_digits=8, decimal_places=2, validators=[MinValueValidator(Decimal(0))])
    deposit = models.DecimalField(
        max_digits=8,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
        help_text="Paid to confirm a seat, part of the total (0: no deposit).",
    )
    minimum_age = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MaxValueValidator(99)],
        help_text="Minimum age on the course start date. Leave empty to use the certification level's.",
    )
    order = models.PositiveSmallIntegerField(default=0, help_text="Position in lists; lower comes first.")
    is_published = models.BooleanField(default=True)
    # Admissions: how long a held seat waits for the documents, and a freed seat's offer for an answer.
    documents_due_days = models.PositiveSmallIntegerField(
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(180)],
        help_text="A held seat's documents are due this many days after applying…",
    )
    documents_due_before_start_days = models.PositiveSmallIntegerField(
        default=7,
        validators=[MaxValueValidator(90)],
        help_text="…and never later than this many days before the start.",
    )
    offer_hours = models.PositiveSmallIntegerField(
        default=48,
        validators=[MinValueValidator(4), MaxValueValidator(336)],
        help_text="A seat offered from the waitlist waits this long for an answer (less when the start is near).",
    )
    one_seat_per_person = models.BooleanField(
        default=False,
        help_text="A person (same e-mail address) may hold a seat in only one start of this program at a time.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProgramQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(tuition__gte=0), name="program_tuition_not_negative"),
            models.CheckConstraint(condition=Q(deposit__gte=0), name="program_deposit_not_negative"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("enrollment:program-detail", kwargs={"slug": self.slug})

    def clean(self):
        if self.deposit is not None and self.tuition is not None and self.deposit > self.tuition:
            raise ValidationError(
                {"deposit": "The deposit is part of the tuition: make it no more than the tuition."}
            )
        if self.is_published and self.level_id is not None and not self.level.is_published:
            raise ValidationError(
                {
                    "level": f"{self.level.name} is not published yet: publish it first, or keep this program a draft."
                }
            )
        # People applied for the level the program prepared for then: eligibility was checked against it.
        if self.pk is not None and self.level_id is not None:
            before = Program.objects.filter(pk=self.pk).values_list("level_id", flat=True).first()
            applied = (
                before not in (None, self.level_id)
                and Application.objects.filter(cohort__program_id=self.pk).count()
            )
            if applied:
                raise ValidationError(
                    {
                        "level": f"{applied} {'person has' if applied == 1 else 'people have'} applied to this "
                        "program's starts for the level it "
                        "prepares for now, so that level cannot change. Create a new program for the other level."
                    }
                )

    def get_apply_url(self):
        return reverse("enrollment:apply", kwargs={"slug": self.slug})

    @property
    def required_minimum_age(self):
        """The program's own minimum age, else its level's; None when neither sets one."""
        return self.minimum_age if self.minimum_age is not None else self.level.minimum_age

    @property
    def requirements_list(self):
        """What a student must have before the course, by name (uses prefetched requirements when there)."""
        return [requirement.name for requirement in self.requirements.all()]

    @property
    def description_paragraphs(self):
        return [part.strip() for part in self.description.split("\n\n") if part.strip()]

    @property
    def total_cost(self):
        """Tuition plus every fee (uses the prefetched fees when the view prefetched them)."""
        return self.tuition + sum((fee.amount for fee in self.fees.all()), Decimal(0))


class ProgramFee(ShownOnPublicPages):
    """One fee on top of tuition (books, uniform, exam, background check...)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="fees")
    name = models.CharField(max_length=100)
    amount = models.DecimalField(max_digits=8, decimal_places=2, validators=[MinValueValidator(Decimal(0))])
    note = models.CharField(max_length=200, blank=True, help_text="e.g. 'paid to the NREMT, per attempt'.")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["program", "name"], name="program_fee_unique_name"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="program_fee_not_negative"),
        ]

    def __str__(self):
        return self.name


class OutcomeMeasure(models.TextChoices):
    EXAM_PASS_RATE = "exam-pass-rate", "Certification exam pass rate"
    RETENTION = "retention", "Retention (students who finished the course)"
    PLACEMENT = "placement", "Job placement"


class ProgramOutcome(ShownOnPublicPages):
    """A published result of a program, with the period it covers."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="outcomes")
    measure = models.CharField(max_length=20, choices=OutcomeMeasure.choices)
    percent = models.DecimalField(
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    period = models.CharField(max_length=100, help_text="The years covered, e.g. '2024 graduating class'.")
    note = models.CharField(
        max_length=200, blank=True, help_text="How it is measured, e.g. 'within 6 months'."
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__gte=0, percent__lte=100), name="program_outcome_percent"
            ),
        ]

    def __str__(self):
        return f"{self.get_measure_display()}: {self.percent}% ({self.period})"


class ApplicationStatus(models.TextChoices):
    """An application's status; the label is what staff read (STATUS_MEANINGS says what applicants read)."""

    HELD = "held", "Seat held"
    OFFERED = "offered", "Seat offered, awaiting an answer"
    WAITLISTED = "waitlisted", "On the waitlist"
    ENROLLED = "enrolled", "Enrolled"
    STARTED = "started", "Started"
    COMPLETED = "completed", "Completed"
    LEFT = "left", "Left the course"
    WITHDRAWN = "withdrawn", "Withdrawn"
    DECLINED = "declined", "Declined"
    EXPIRED = "expired", "Offer expired"
    RELEASED = "released", "Hold released"


@dataclass(frozen=True)
class StatusMeaning:
    applicant_label: str
    holds_seat: bool = False
    waits: bool = False


# What each status means: the one definition of which statuses hold a seat or a waitlist place, read by the
# seat counts, the database's constraints, the services, the admin, the applicant's page and the exports. A new
# status that holds a seat is one line here (and the migration it makes for the constraints).
STATUS_MEANINGS = {
    ApplicationStatus.HELD: StatusMeaning("Seat held: we are reviewing your application", holds_seat=True),
    ApplicationStatus.OFFERED: StatusMeaning("A seat is offered to you: please answer", holds_seat=True),
    ApplicationStatus.WAITLISTED: StatusMeaning("You are on the waitlist", waits=True),
    ApplicationStatus.ENROLLED: StatusMeaning("Enrolled: your seat is confirmed", holds_seat=True),
    ApplicationStatus.STARTED: StatusMeaning("Your course has started", holds_seat=True),
    ApplicationStatus.COMPLETED: StatusMeaning("You completed the course", holds_seat=True),
    ApplicationStatus.LEFT: StatusMeaning("You left the course"),
    ApplicationStatus.WITHDRAWN: StatusMeaning("Withdrawn"),
    ApplicationStatus.DECLINED: StatusMeaning("Not offered a place"),
    ApplicationStatus.EXPIRED: StatusMeaning("The seat offered to you was not taken up in time"),
    ApplicationStatus.RELEASED: StatusMeaning("Your held seat was released"),
}
SEAT_STATUSES = tuple(status.value for status, meaning in STATUS_MEANINGS.items() if meaning.holds_seat)
WAITLIST_STATUSES = tuple(status.value for status, meaning in STATUS_MEANINGS.items() if meaning.waits)
# A live application holds a seat or a waitlist place: one per person (e-mail) and start.
LIVE_STATUSES = SEAT_STATUSES + WAITLIST_STATUSES
# How far an application got (Application.furthest_stage, the reports' funnel): the furthest of these statuses
# it ever reached, later ones ranking higher, 0 for none. A student who enrolled and then left still reached
# "enrolled"; a student may be enrolled straight from a move; a seat accepted from an offer is a held seat (an
# offer alone is not).
STAGE_RANKS = {
    ApplicationStatus.HELD: 1,
    ApplicationStatus.ENROLLED: 2,
    ApplicationStatus.STARTED: 3,
    ApplicationStatus.COMPLETED: 4,
}
# Before the course: what Admissions still decide on (the others are the course's own, or closed).
OPEN_STATUSES = ("held", "offered", "waitlisted", "enrolled")


class CohortQuerySet(models.QuerySet):
    def with_seat_counts(self, *, today=None):
        """The one availability calculation, in the same query as the cohorts: `seats_taken` (applications
        in a status that holds a seat, SEAT_STATUSES), `waitlisted_count`, `seats_left` (never below 0) and
        `accepting` (open for applications today). Every reader of seats goes through it: the public pages,
        the form, the services under the cohort's lock, the admin, the attention panel and the exports."""
        return self.annotate(
            seats_taken=Count("applications", filter=Q(applications__status__in=SEAT_STATUSES)),
            waitlisted_count=Count("applications", filter=Q(applications__status__in=WAITLIST_STATUSES)),
            seats_left=Greatest(
                F("capacity") - F("seats_taken"), Value(0), output_field=models.IntegerField()
            ),
            accepting=ExpressionWrapper(Cohort.accepting_q(today), output_field=models.BooleanField()),
        )

    def upcoming(self, *, today=None):
        """Cohorts that have not started yet (open or closed to applications)."""
        return self.filter(start_date__gt=today or timezone.localdate())

    def open_for_applications(self, *, today=None):
        """Cohorts of published programs taking applications: open, before the deadline and the start."""
        return self.filter(Cohort.accepting_q(today))

    def for_public_display(self):
        """Upcoming cohorts of published programs with their programs and seat counts, soonest first."""
        return (
            self.upcoming()
            .filter(program__is_published=True)
            .select_related("program", "program__level")
            .with_seat_counts()
            .order_by("start_date", "code")
        )

    def next_starts(self, *, limit=6):
        """The next course starts open for applications, across programs (the home page)."""
        return (
            self.open_for_applications()
            .select_related("program")
            .with_seat_counts()
            .order_by("start_date", "program__order", "code")[:limit]
        )


class Cohort(ShownOnPublicPages):
    """One start of a program: dates, schedule, place and seats."""

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="cohorts")
    code = models.CharField(
        max_length=30, unique=True, help_text="Short and unique, e.g. EMT-2026-SPRING-EVE."
    )
    start_date = models.DateField()
    end_date = models.DateField()
    meeting_pattern = models.CharField(max_length=20, choices=MeetingPattern.choices)
    schedule = models.CharField(max_length=150, help_text="When it meets, e.g. 'Mon and Wed 6-10 pm'.")
    location = models.CharField(max_length=150)
    capacity = models.PositiveSmallIntegerField(help_text="Seats. Applicants beyond it join the waitlist.")
    application_deadline = models.DateField(
        help_text="Last day to apply (applications also close at the start)."
    )
    is_open = models.BooleanField(
        default=True, help_text="Untick to close applications before the deadline, whatever the seats."
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = CohortQuerySet.as_manager()

    class Meta:
        ordering = ["start_date", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=0), name="cohort_capacity_not_negative"),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="cohort_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(application_deadline__lte=F("start_date")), name="cohort_deadline_not_after_start"
            ),
        ]
        permissions = [
            ("export_roster", "Can export a cohort's roster and waitlist"),
            ("offer_seats", "Can offer seats to people on the waitlist (raising a start's capacity)"),
        ]

    def __str__(self):
        return self.code

    def clean(self):
        # The dates' order is explained by the admin's form; the constraints stand behind it.
        if self.pk is not None and self.program_id is not None:
            before = Cohort.objects.filter(pk=self.pk).values_list("program_id", flat=True).first()
            if before not in (None, self.program_id) and self.applications.exists():
                raise ValidationError(
                    {
                        "program": "People have applied to this start for its program, so it cannot move to "
                        "another one. Close it (untick “open”) and create a start in the other program."
                    }
                )

    def get_apply_url(self):
        """The application form with this cohort preselected (needs the program loaded)."""
        return f"{self.program.get_apply_url()}?cohort={self.pk}"

    # "Open for applications": the one rule, for the database (a filter, an annotation) and for one row with
    # the reason it is closed (the services' refusal). A test checks the two agree on every kind of start.

    @staticmethod
    def accepting_q(today=None) -> Q:
        today = today or timezone.localdate()
        return Q(
            is_open=True, application_deadline__gte=today, start_date__gt=today, program__is_published=True
        )

    def closed_reason(self, *, today=None) -> str:
        """Why this start takes no applications today, in words for the applicant ("" when it does)."""
        today = today or timezone.localdate()
        start = date_format(self.start_date, "F j, Y")
        if not self.is_open or not self.program.is_published:
            return f"The {start} start ({self.code}) is closed to applications. Choose another start date."
        if self.start_date <= today:
            return f"The {start} start ({self.code}) has already begun. Choose a later start date."
        if self.application_deadline < today:
            deadline = date_format(self.application_deadline, "F j, Y")
            return f"Applications for the {start} start ({self.code}) closed on {deadline}. Choose another start date."
        return ""

    def is_accepting_applications(self, *, today=None):
        return not self.closed_reason(today=today)

    @property
    def availability(self):
        """'seats', 'waitlist' or 'closed'; needs `with_seat_counts()`."""
        if not self.accepting:
            return "closed"
        return "seats" if self.seats_left > 0 else "waitlist"


def phone_digits(field="phone"):
    """A phone number without its spaces, dashes, dots, brackets and plus sign, in the database: how likely
    duplicates compare phones (enrollment.selectors), and the expression the index below is built on."""
    value = F(field)
    for character in (" ", "-", ".", "(", ")", "+"):
        value = Replace(value, Value(character), Value(""))
    return value


class Application(SourceFields):
    """A person's application to one cohort. Its status and waitlist position change only through
    enrollment.services."""

    Status = ApplicationStatus
    LIVE_STATUSES = LIVE_STATUSES
    # The person's details, as the public form asks for them and staff may correct them.
    APPLICANT_FIELDS = (
        "first_name",
        "last_name",
        "email",
        "phone",
        "date_of_birth",
        "address_line1",
        "address_line2",
        "city",
        "state",
        "postal_code",
    )
    # Asked only by programs that require a certification (Paramedic needs EMT, for example).
    CERTIFICATION_FIELDS = (
        "certification_level",
        "certification_number",
        "certification_state",
        "certification_expiry",
    )

    reference = models.CharField(max_length=12, unique=True, editable=False)
    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="applications")
    status = models.CharField(max_length=12, choices=Status.choices, editable=False)
    waitlist_position = models.PositiveIntegerField(null=True, blank=True, editable=False)
    furthest_stage = models.PositiveSmallIntegerField(
        default=0,
        editable=False,
        help_text="The furthest of held, enrolled, started, completed it reached (STAGE_RANKS; 0 for none), "
        "raised whenever its status is saved (Application.save).",
    )

    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    email = models.EmailField(help_text="Stored in lower case.")
    phone = models.CharField(max_length=30)
    date_of_birth = models.DateField()
    address_line1 = models.CharField("address line 1", max_length=150)
    address_line2 = models.CharField("address line 2", max_length=150, blank=True)
    city = models.CharField(max_length=100)
    state = models.CharField(max_length=50)
    postal_code = models.CharField(max_length=20)

    certification_level = models.ForeignKey(
        "roles.CertificationLevel", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    certification_number = models.CharField(max_length=50, blank=True)
    certification_state = models.CharField(max_length=50, blank=True)
    certification_expiry = models.DateField(null=True, blank=True)

    consent_data_processing = models.BooleanField()
    consent_sms = models.BooleanField(default=False)

    # The lifecycle: until when a held seat waits for the documents, until when an offered seat waits for an
    # answer, and why the application ended as it did.
    hold_until = models.DateField(
        null=True, blank=True, help_text="A held seat's documents are due by this day (the school's time)."
    )
    hold_overdue_noticed_at = models.DateTimeField(
        null=True, blank=True, help_text="When Admissions were told the documents deadline had passed."
    )
    documents_reminded_at = models.DateTimeField(null=True, blank=True)
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    status_reason = models.CharField(max_length=300, blank=True)

    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "email"],
                condition=Q(status__in=list(LIVE_STATUSES)),
                name="application_one_live_per_email_per_cohort",
                violation_error_message="This e-mail address already has an application for this course start.",
            ),
            models.UniqueConstraint(
                fields=["cohort", "waitlist_position"],
                condition=Q(waitlist_position__isnull=False),
                name="application_unique_waitlist_position",
            ),
            models.CheckConstraint(
                condition=(
                    Q(status="waitlisted", waitlist_position__gte=1) & Q(waitlist_position__isnull=False)
                )
                | (~Q(status="waitlisted") & Q(waitlist_position__isnull=True)),
                name="application_waitlisted_iff_position",
            ),
            models.CheckConstraint(
                condition=(Q(status="offered") & Q(offer_expires_at__isnull=False))
                | (~Q(status="offered") & Q(offer_expires_at__isnull=True)),
                name="application_offered_iff_expiry",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ApplicationStatus.values),
                name="application_status_valid",
            ),
            models.CheckConstraint(condition=Q(email=Lower("email")), name="application_email_lower_case"),
            models.CheckConstraint(
                condition=Q(consent_data_processing=True), name="application_consent_given"
            ),
        ]
        indexes = [
            models.Index(fields=["cohort", "status"], name="application_cohort_status"),
            # A person's other records (the same e-mail address) on the staff pages.
            models.Index(fields=["email"], name="application_email"),
            # The staff list, newest first, and the attention panel's "new in the last days".
            models.Index(fields=["-submitted_at"], name="application_newest"),
            # Likely duplicates (enrollment.selectors.with_likely_duplicates), checked for every row of the
            # staff list: the same name and birth date, or the same phone's digits. Without them each row read
            # the whole table (5 s a page at 100,000 applications).
            models.Index(Lower("last_name"), Lower("first_name"), "date_of_birth", name="application_person"),
            models.Index(phone_digits(), name="application_phone_digits"),
        ]
        permissions = [
            ("export_applicant_data", "Can export everything stored about an applicant"),
            ("view_reports", "Can see Admissions' reports (the funnel, cohorts' fill, offers, replies)"),
        ]

    def __str__(self):
        return self.reference

    def save(self, **kwargs):
        # Its status now is a stage it reached: the furthest stage is raised with every status saved, even when
        # only some fields are (a move, whose status is written by an update, raises it there: services.seats;
        # tests/enrollment/test_furthest_stage.py checks it against the history).
        furthest = max(self.furthest_stage, STAGE_RANKS.get(self.status, 0))
        if furthest != self.furthest_stage:
            self.furthest_stage = furthest
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "furthest_stage"}
        super().save(**kwargs)

    @property
    def is_live(self):
        return self.status in LIVE_STATUSES

    @property
    def holds_seat(self):
        return self.status in SEAT_STATUSES

    @property
    def status_for_applicant(self):
        return STATUS_MEANINGS[self.status].applicant_label

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}"


def staff_name(user) -> str:
    """A member of staff as people read them: their full name, else their username; never an id."""
    return user.get_full_name() or user.get_username()


def local_time(moment) -> str:
    """A moment as staff read it, in the school's time zone (settings.TIME_ZONE): "9 Jan 2027 14:05"."""
    return date_format(timezone.localtime(moment), "j M Y H:i")


def first_line(text: str) -> str:
    """A text's first line that says something (lists show it to say what the text is about)."""
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def duration_words(delta) -> str:
    """A length of time as staff read it: "under a minute", "45 min", "3 h 20 min", "2 days 4 h"."""
    minutes = int(delta.total_seconds() // 60)
    if minutes < 1:
        return "under a minute"
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return f"{days} day{'s' if days != 1 else ''}" + (f" {hours} h" if hours else "")
    if hours:
        return f"{hours} h" + (f" {minutes} min" if minutes else "")
    return f"{minutes} min"


class StaffNote(models.Model):
    """A note staff keep on an application or an enquiry: who wrote what, when. Added, never edited."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]

    def __str__(self):
        # The note's title on the staff pages and in the admin's log.
        author = staff_name(self.author) if self.author_id is not None else "a removed user"
        written = f", {local_time(self.created_at)}" if self.created_at else ""
        return f"Note by {author}{written}"


class ApplicationNote(StaffNote):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="notes")


class EnquiryNote(StaffNote):
    enquiry = models.ForeignKey("Enquiry", on_delete=models.CASCADE, related_name="notes")


class Requirement(ShownOnPublicPages):
    """Something a program asks of every student before the course (a CPR-BLS card, immunisations, a
    background check): content editors keep them per program; each applicant holding a seat has a checklist
    item for each, which Admissions verify before enrolment."""

    class Expiry(models.TextChoices):
        NONE = "", "Has no expiry date"
        START = "start", "Must be valid on the first day"
        END = "end", "Must be valid through the last day"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="requirements")
    name = models.CharField(max_length=150)
    guidance = models.TextField(
        blank=True, help_text="What counts, and where to get it: shown to applicants beside the item."
    )
    document_required = models.BooleanField(
        default=True, help_text="The applicant sends a document (PDF, JPEG, PNG or HEIC) for it."
    )
    expiry = models.CharField(max_length=10, choices=Expiry.choices, blank=True, default=Expiry.NONE)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["program", "name"], name="requirement_unique_name"),
        ]

    def __str__(self):
        return self.name


class ChecklistItem(models.Model):
    """One requirement of the program for one application: sent or not, and what Admissions found."""

    class State(models.TextChoices):
        MISSING = "missing", "Not sent yet"
        SUBMITTED = "submitted", "Sent: to be checked"
        VERIFIED = "verified", "Verified"
        REJECTED = "rejected", "Not accepted: send it again"

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="checklist")
    requirement = models.ForeignKey(Requirement, on_delete=models.PROTECT, related_name="items")
    state = models.CharField(max_length=10, choices=State.choices, default=State.MISSING)
    expiry_date = models.DateField(null=True, blank=True)
    note = models.CharField(
        max_length=300, blank=True, help_text="Why it was not accepted: the applicant reads it."
    )
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    checked_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["requirement__order", "requirement_id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "requirement"], name="checklist_item_unique"),
        ]

    def __str__(self):
        return f"{self.requirement}: {self.get_state_display()}"

    @property
    def is_done(self):
        return self.state == self.State.VERIFIED

    @property
    def expiry_falls_short(self) -> bool:
        """The expiry date does not cover what the requirement says (the first day, or the last day)."""
        if not self.expiry_date or not self.requirement.expiry:
            return False
        cohort = self.application.cohort
        needed = cohort.start_date if self.requirement.expiry == Requirement.Expiry.START else cohort.end_date
        return self.expiry_date < needed


def document_path(document, filename: str) -> str:
    # A random name with the type's extension: nothing about the person or the file's own name in the
    # storage's keys (the name the applicant gave it is kept in the row, for downloads).
    extension = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
    return f"documents/{document.item.application_id}/{uuid.uuid4().hex}.{extension}"


def documents_storage():
    from django.core.files.storage import storages

    return storages["documents"]


class Document(models.Model):
    """A file an applicant (or staff, for them) sent for a checklist item. Kept in the private documents
    storage (never a public URL); staff with the Admissions permission download it as an attachment."""

    item = models.ForeignKey(ChecklistItem, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(storage=documents_storage, upload_to=document_path, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The staff member who added it; empty when the applicant sent it.",
    )

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        permissions = [("download_document", "Can download an applicant's documents")]

    def __str__(self):
        return self.original_name


class HistoryEvent(models.Model):
    """One entry of a record's history: who changed what, and when. Written by enrollment.services in the
    same transaction as the change it records."""

    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The staff member; empty for the applicant or the system.",
    )
    kind = models.CharField(max_length=20)
    description = models.CharField(max_length=300)
    changes = models.JSONField(
        default=dict, blank=True, help_text="What changed, as {field: [before, after]}, and other details."
    )

    class Meta:
        abstract = True
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.description}"


class ApplicationEvent(HistoryEvent):
    """An entry of an application's history."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", "Submitted"
        STATUS = "status", "Status changed"
        POSITION = "position", "Waitlist position changed"
        ASSIGNED = "assigned", "Assigned"
        EDITED = "edited", "Details edited"
        NOTE = "note", "Note added"
        EXPORTED = "exported", "Personal data exported"
        HOLD = "hold", "Documents deadline"
        CHECKLIST = "checklist", "Checklist"
        MOVED = "moved", "Moved to another start"

    # The entries that say which status the application moved to, as changes["status"] = [before, after].
    STATUS_KINDS = (Kind.SUBMITTED, Kind.STATUS, Kind.MOVED)

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)

    class Meta(HistoryEvent.Meta):
        indexes = [
            models.Index(fields=["application", "-at"], name="application_event_latest"),
            # The reports' offers: the status changes to or from "offered" in a period (reports.figures.offers).
            models.Index(
                fields=["at"],
                condition=Q(kind="status")
                & (Q(changes__status__0="offered") | Q(changes__status__1="offered")),
                name="application_event_offers",
            ),
        ]

    def stage_reached(self) -> int:
        """The rank (STAGE_RANKS) of the status this entry says the application moved to; 0 for none."""
        return stage_reached(self.kind, self.changes)


def stage_reached(kind: str, changes: dict | None) -> int:
    """The rank (STAGE_RANKS) of the status a history entry of this kind and these changes says the
    application moved to; 0 for none (ApplicationEvent.stage_reached, and history written in bulk)."""
    if kind not in ApplicationEvent.STATUS_KINDS:
        return 0
    change = (changes or {}).get("status")
    return STAGE_RANKS.get(change[1], 0) if isinstance(change, list) and len(change) == 2 else 0


class Enquiry(SourceFields):
    """A question sent through the contact form."""

    class ContactMethod(models.TextChoices):
        EMAIL = "email", "E-mail"
        PHONE = "phone", "Phone call"
        SMS = "sms", "Text message"

    class Status(models.TextChoices):
        NEW = "new", "New"
        ANSWERED = "answered", "Answered"
        CLOSED = "closed", "Closed"

    name = models.CharField(max_length=150)
    email = models.EmailField()
    phone = models.CharField(max_length=30, blank=True)
    program = models.ForeignKey(
        Program, null=True, blank=True, on_delete=models.SET_NULL, related_name="enquiries"
    )
    message = models.TextField(max_length=3000)
    preferred_contact = models.CharField(
        max_length=10, choices=ContactMethod.choices, default=ContactMethod.EMAIL
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    first_replied_at = models.DateTimeField(
        null=True, blank=True, help_text="When admissions first answered by e-mail from the admin."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name_plural = "enquiries"
        # A person's other records (the same e-mail address, whatever its case) on the staff pages.
        indexes = [
            models.Index(Lower("email"), name="enquiry_email_lower"),
            # The staff list, newest first, by status (the attention panel counts the new ones).
            models.Index(fields=["status", "-submitted_at"], name="enquiry_status_newest"),
            models.Index(fields=["-submitted_at"], name="enquiry_newest"),
        ]

    def __str__(self):
        return f"Enquiry #{self.pk}"

    @property
    def first_line(self) -> str:
        """The question's first line that says something, as the list shows it."""
        return first_line(self.message)

    @property
    def time_to_first_reply(self):
        """How long the person waited for the first answer (a timedelta), or None before it."""
        if self.first_replied_at is None or self.submitted_at is None:
            return None
        return self.first_replied_at - self.submitted_at


class EmailNotificationQuerySet(models.QuerySet):
    def undelivered(self):
        """E-mails that have not reached the person yet although we tried: still being retried after a
        failure, or given up after the last attempt. Staff see these first and can send them again."""
        return self.filter(
            Q(status=EmailNotification.Status.FAILED)
            | Q(status=EmailNotification.Status.PENDING, attempts__gt=0)
        )

    def due(self, *, now=None):
        """Pending e-mails whose next attempt is due (the sweep of enrollment.outbox sends them)."""
        return self.filter(
            status=EmailNotification.Status.PENDING, next_attempt_at__lte=now or timezone.now()
        )


class EmailNotification(models.Model):
    """One e-mail owed to a person or to admissions (the outbox). It is written in the transaction of what
    made it owed (an application, a status change), so that nothing after the commit can lose it; the task
    worker then sends it, and a failed send is tried again with a growing delay until it is sent or the
    attempts run out (enrollment/outbox.py). Each attempt is kept as an EmailAttempt. The log carries only
    the reference or id; the person's details stay here."""

    class Kind(models.TextChoices):
        APPLICATION_CONFIRMATION = "application-confirmation", "Confirmation to the applicant"
        ADMISSIONS_NOTICE = "admissions-notice", "New application notice to admissions"
        PROMOTION = "promotion", "Seat offered from the waitlist (to answer by a deadline)"
        STATUS_CHANGE = "status-change", "Status change to the applicant"
        OFFER_EXPIRED = "offer-expired", "Offered seat not taken up in time"
        DOCUMENTS_REMINDER = "documents-reminder", "Documents reminder to the applicant"
        HOLD_OVERDUE = "hold-overdue", "Documents deadline passed: notice to admissions"
        CHECKLIST_UPDATE = "checklist-update", "Checklist item checked: to the applicant"
        APPLICANT_LINK = "applicant-link", "Link to the applicant's page"
        MOVED = "moved", "Moved to another start: to the applicant"
        ENQUIRY_ACKNOWLEDGEMENT = "enquiry-acknowledgement", "Acknowledgement to the enquirer"
        ENQUIRY_NOTICE = "enquiry-notice", "New enquiry notice to admissions"
        ENQUIRY_REPLY = "enquiry-reply", "Answer to the enquirer"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Not sent: every attempt failed"

    kind = models.CharField(max_length=30, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    application = models.ForeignKey(
        Application, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    enquiry = models.ForeignKey(
        Enquiry, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    payload = models.JSONField(
        default=dict, blank=True, help_text="What the e-mail needs besides its record, e.g. the new status."
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(
        max_length=200, blank=True, help_text="The error's class, when the last attempt failed."
    )
    created_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(
        null=True, blank=True, help_text="While waiting: not sent before this time."
    )
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The staff member who asked for it to be sent again.",
    )

    objects = EmailNotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(application__isnull=False) | Q(enquiry__isnull=False),
                name="email_notification_has_subject",
            ),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="email_notification_due")]
        verbose_name = "e-mail"
        verbose_name_plural = "e-mails"

    def __str__(self):
        return f"{self.get_kind_display()}: {self.get_status_display()}"


class EmailAttempt(models.Model):
    """One try at sending an e-mail: when, and what went wrong (the error's class only)."""

    notification = models.ForeignKey(EmailNotification, on_delete=models.CASCADE, related_name="attempt_log")
    at = models.DateTimeField(default=timezone.now)
    succeeded = models.BooleanField()
    error = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{local_time(self.at)}: {'sent' if self.succeeded else self.error or 'failed'}"


class EnquiryEvent(HistoryEvent):
    """An entry of an enquiry's history."""

    class Kind(models.TextChoices):
        RECEIVED = "received", "Received"
        STATUS = "status", "Status changed"
        ASSIGNED = "assigned", "Assigned"
        NOTE = "note", "Note added"
        REPLIED = "replied", "Answered by e-mail"
        EXPORTED = "exported", "Personal data exported"

    enquiry = models.ForeignKey(Enquiry, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)

    class Meta(HistoryEvent.Meta):
        indexes = [models.Index(fields=["enquiry", "-at"], name="enquiry_event_latest")]


class EnquiryReply(models.Model):
    """An answer admissions sent to an enquiry by e-mail, as it was sent (placeholders filled in): who sent
    it, when, and the e-mail that carries it. Sent, never edited."""

    enquiry = models.ForeignKey(Enquiry, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(max_length=10000)
    created_at = models.DateTimeField(default=timezone.now)
    notification = models.OneToOneField(
        EmailNotification, null=True, blank=True, on_delete=models.SET_NULL, related_name="enquiry_reply"
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name_plural = "enquiry replies"

    def __str__(self):
        author = staff_name(self.author) if self.author_id is not None else "a removed user"
        return f"Answer by {author}, {local_time(self.created_at)}"


# What a saved answer (and any answer) may say in braces, filled in for each person by
# enrollment.services.inbox.reply_render; what each stands for is shown to staff where they write.
PLACEHOLDERS = {
    "name": "the person's name, as they wrote it",
    "program": "the program they asked about (“our courses” when they named none)",
    "next_starts": "the next starts open for applications of that program (of every program when none), one a line",
}
PLACEHOLDER = re.compile(r"\{([^{}\n]*)\}")


def placeholders_unknown(text: str) -> list[str]:
    """The placeholders in `text` that are not PLACEHOLDERS, in braces, each once, in order."""
    return list(
        dict.fromkeys(f"{{{name}}}" for name in PLACEHOLDER.findall(text) if name not in PLACEHOLDERS)
    )


def placeholders_refusal(unknown: list[str]) -> str:
    """Why a text with unknown placeholders is refused, and what to write instead."""
    known = ", ".join(f"{{{name}}}" for name in PLACEHOLDERS)
    these = ", ".join(unknown)
    return (
        f"{these} {'is not a placeholder' if len(unknown) == 1 else 'are not placeholders'}: the placeholders "
        f"are {known}. Correct the spelling, or take away the braces."
    )


class SavedAnswer(models.Model):
    """An answer admissions give often, kept to start a reply from: its placeholders are filled in for the
    person (PLACEHOLDERS)."""

    title = models.CharField(max_length=150, unique=True, help_text="What it answers, as staff choose it.")
    body = models.TextField(
        max_length=10000,
        help_text="Plain text; a blank line starts a paragraph. Placeholders: "
        + "; ".join(f"{{{name}}}, {meaning}" for name, meaning in PLACEHOLDERS.items())
        + ".",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title

    def clean(self):
        unknown = placeholders_unknown(self.body or "")
        if unknown:
            raise ValidationError({"body": placeholders_refusal(unknown)})
