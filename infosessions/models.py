"""Info sessions, the people who signed up to them, and the e-mails owed to those people.

Models guard the data (constraints in the database, `clean()` on a session); signing up, cancelling, a
session's capacity and attendance change only through infosessions/services.py, under the session's lock."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, F, Q, Value
from django.db.models.functions import Greatest, Lower
from django.urls import reverse
from django.utils import timezone

from sitetools.pagecache import ShownOnPublicPages
from sitetools.sources import SourceFields

MAX_CAPACITY = 500


class SessionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def upcoming(self, *, now=None):
        """Sessions that have not started yet."""
        return self.filter(starts_at__gt=now or timezone.now())

    def with_seat_counts(self):
        """The one seat calculation, in the same query as the sessions: `seats_taken` (booked sign-ups),
        `waiting_count` and `seats_left` (never below 0). The pages, the admin and the services (under the
        session's lock) all read seats through it."""
        return self.annotate(
            seats_taken=Count("signups", filter=Q(signups__status=SessionSignup.Status.BOOKED)),
            waiting_count=Count("signups", filter=Q(signups__status=SessionSignup.Status.WAITLISTED)),
            seats_left=Greatest(
                F("capacity") - F("seats_taken"), Value(0), output_field=models.IntegerField()
            ),
        )

    def for_public_display(self, *, now=None):
        """Published sessions that have not started, with their seat counts, soonest first."""
        return self.published().upcoming(now=now).with_seat_counts().order_by("starts_at", "pk")

    def next_for(self, program=None):
        """The next session open to the public: about `program` or about every course (no program named)."""
        sessions = self.for_public_display()
        if program is not None:
            # Subqueries, not joins: a join on the programs would multiply the seat counts.
            about = InfoSession.programs.through.objects
            sessions = sessions.filter(
                Q(pk__in=about.filter(program=program).values("infosession_id"))
                | ~Q(pk__in=about.values("infosession_id"))
            )
        return sessions.first()


class InfoSession(ShownOnPublicPages):
    """One info session: in person at a place, or online through a joining link, for a number of people."""

    class Kind(models.TextChoices):
        IN_PERSON = "in-person", "In person"
        ONLINE = "online", "Online"

    title = models.CharField(max_length=150, help_text="e.g. 'EMT course open evening'.")
    summary = models.CharField(
        max_length=300, blank=True, help_text="What it covers and who it is for, in a sentence or two."
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.IN_PERSON)
    starts_at = models.DateTimeField(help_text="In the school's time zone.")
    duration_minutes = models.PositiveSmallIntegerField(
        "length (minutes)", default=60, validators=[MinValueValidator(15), MaxValueValidator(480)]
    )
    place = models.CharField(
        max_length=200, blank=True, help_text="In person: the address and room, shown on the public page."
    )
    joining_link = models.URLField(
        max_length=500,
        blank=True,
        help_text="Online: the meeting's address. Sent only to people with a seat, never shown on the public page.",
    )
    capacity = models.PositiveSmallIntegerField(
        "seats", validators=[MinValueValidator(1), MaxValueValidator(MAX_CAPACITY)]
    )
    waitlist_allowed = models.BooleanField(
        "waitlist when full",
        default=True,
        help_text="When every seat is taken, people may join a waitlist (untick: the session shows as full).",
    )
    programs = models.ManyToManyField(
        "enrollment.Program",
        blank=True,
        related_name="info_sessions",
        help_text="The courses it is about (none: about all our courses). Shown on those courses' pages.",
    )
    is_published = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = "info session"
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__gte=1, capacity__lte=MAX_CAPACITY), name="infosession_capacity_range"
            ),
            models.CheckConstraint(condition=Q(duration_minutes__gte=1), name="infosession_has_length"),
            models.CheckConstraint(
                condition=(Q(kind="in-person") & ~Q(place="")) | (Q(kind="online") & ~Q(joining_link="")),
                name="infosession_place_or_link",
            ),
        ]

    def __str__(self):
        local = timezone.localtime(self.starts_at) if self.starts_at else None
        return f"{self.title} ({local:%Y-%m-%d %H:%M})" if local else self.title

    def get_absolute_url(self):
        return reverse("infosessions:detail", kwargs={"pk": self.pk})

    def clean(self):
        if self.kind == self.Kind.IN_PERSON and not self.place.strip():
            raise ValidationError({"place": "Say where the session takes place: the address and the room."})
        if self.kind == self.Kind.ONLINE and not self.joining_link:
            raise ValidationError({"joining_link": "Give the address people join the online session at."})

    @property
    def ends_at(self):
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def is_online(self):
        return self.kind == self.Kind.ONLINE

    def has_started(self, *, now=None) -> bool:
        return self.starts_at <= (now or timezone.now())

    @property
    def availability(self):
        """'seats', 'waitlist', 'full' or 'over'; needs `with_seat_counts()`."""
        if self.has_started():
            return "over"
        if self.seats_left > 0:
            return "seats"
        return "waitlist" if self.waitlist_allowed else "full"


class SignupStatus(models.TextChoices):
    BOOKED = "booked", "Seat booked"
    WAITLISTED = "waitlisted", "On the waitlist"
    CANCELLED = "cancelled", "Cancelled"


LIVE_STATUSES = (SignupStatus.BOOKED, SignupStatus.WAITLISTED)


class SessionSignup(SourceFields):
    """A person's sign-up to one info session: a seat, a waitlist place, or cancelled. Its status and
    waitlist position change only through infosessions.services."""

    Status = SignupStatus

    reference = models.CharField(max_length=12, unique=True, editable=False)
    session = models.ForeignKey(InfoSession, on_delete=models.PROTECT, related_name="signups")
    name = models.CharField(max_length=150)
    email = models.EmailField(help_text="Stored in lower case.")
    phone = models.CharField(max_length=30, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, editable=False)
    waitlist_position = models.PositiveIntegerField(null=True, blank=True, editable=False)
    attended = models.BooleanField(null=True, blank=True, editable=False, help_text="Empty: not marked yet.")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    cancelled_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Claimed by the reminders' job with one conditional UPDATE: set once, by one machine.
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "sign-up"
        constraints = [
            models.UniqueConstraint(
                fields=["session", "email"],
                condition=Q(status__in=[status.value for status in LIVE_STATUSES]),
                name="signup_one_live_per_email_per_session",
                violation_error_message="This e-mail address is already signed up for this session.",
            ),
            models.UniqueConstraint(
                fields=["session", "waitlist_position"],
                condition=Q(waitlist_position__isnull=False),
                name="signup_unique_waitlist_position",
            ),
            models.CheckConstraint(
                condition=(Q(status="waitlisted") & Q(waitlist_position__gte=1))
                | (~Q(status="waitlisted") & Q(waitlist_position__isnull=True)),
                name="signup_waitlisted_iff_position",
            ),
            models.CheckConstraint(condition=Q(status__in=SignupStatus.values), name="signup_status_valid"),
            models.CheckConstraint(condition=Q(email=Lower("email")), name="signup_email_lower_case"),
        ]
        indexes = [models.Index(fields=["session", "status"], name="signup_session_status")]

    def __str__(self):
        return self.reference

    @property
    def has_seat(self):
        return self.status == self.Status.BOOKED


class SessionEmailQuerySet(models.QuerySet):
    def due(self, *, now=None):
        return self.filter(status=SessionEmail.Status.PENDING, next_attempt_at__lte=now or timezone.now())


class SessionEmail(models.Model):
    """One e-mail owed to a person who signed up, written in the transaction of what made it owed (the
    sign-up, a seat freed for them, the reminders' job) and sent by the task worker, tried again after a
    failure (infosessions/outbox.py, on the pattern of enrollment/outbox.py)."""

    class Kind(models.TextChoices):
        CONFIRMATION = (
            "confirmation",
            "Sign-up confirmation (a seat, with the calendar invitation, or a waitlist place)",
        )
        PROMOTION = "promotion", "A seat freed for someone waiting (with the calendar invitation)"
        REMINDER = "reminder", "Reminder the day before"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Not sent: every attempt failed"

    signup = models.ForeignKey(SessionSignup, on_delete=models.CASCADE, related_name="emails")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    again = models.BooleanField(default=False, help_text="Sent again because the person sent the form again.")
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(
        max_length=200, blank=True, help_text="The error's class, when the last attempt failed."
    )
    created_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = SessionEmailQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "sign-up e-mail"
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="session_email_due")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.get_status_display()}"
