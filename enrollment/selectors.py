"""Reads for staff pages (HackSoft's "selectors"): what needs attention on the admin's front page, a
start's roster, a person's other records, everything stored about a person. The admin and its downloads present them; the seat
figures come from the one availability calculation (Cohort.objects.with_seat_counts).

"New" means: an application nobody has taken on yet (unassigned, still live) that arrived in the last
NEW_APPLICATION_DAYS days, and an enquiry still marked new. Each user sees only what their permissions
let them open: content editors get the cohorts' counts, never a person."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Case, Exists, F, Func, IntegerField, OuterRef, Prefetch, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, Lower
from django.urls import reverse
from django.utils import timezone

from enrollment.models import (
    SEAT_STATUSES,
    Application,
    ChecklistItem,
    Cohort,
    EmailNotification,
    Enquiry,
    phone_digits,
)
from sitetools import personal_data

NEW_APPLICATION_DAYS = 14
STARTING_SOON_WEEKS = 8
FAILED_EMAIL_DAYS = 14


def new_applications(queryset=None):
    queryset = Application.objects.all() if queryset is None else queryset
    return queryset.filter(
        assigned_to__isnull=True,
        status__in=Application.LIVE_STATUSES,
        submitted_at__gte=timezone.now() - timedelta(days=NEW_APPLICATION_DAYS),
    )


def overdue_holds(queryset=None, *, today=None):
    """Held seats whose documents deadline has passed: Admissions extend it, enrol or release the seat
    (nothing releases it by itself)."""
    queryset = Application.objects.all() if queryset is None else queryset
    return queryset.filter(status=Application.Status.HELD, hold_until__lt=today or timezone.localdate())


def cohorts_starting_soon(queryset=None, *, today=None):
    """Cohorts starting within STARTING_SOON_WEEKS that still take applications and have seats left, or
    that have a waitlist. `accepting` says whether each takes applications: the seats of one that does not
    (unticked, past its deadline, a draft program's) are not "left", nobody can apply for them."""
    today = today or timezone.localdate()
    queryset = Cohort.objects.all() if queryset is None else queryset
    return (
        queryset.filter(start_date__gt=today, start_date__lte=today + timedelta(weeks=STARTING_SOON_WEEKS))
        .select_related("program")
        .with_seat_counts(today=today)
        .filter(Q(accepting=True, seats_left__gt=0) | Q(waitlisted_count__gt=0))
        .order_by("start_date", "code")
    )


def _changelist(model_name: str, query: str) -> str:
    return f"{reverse(f'admin:enrollment_{model_name}_changelist')}?{query}"


def attention_for(user) -> dict | None:
    """The numbers of the front page's attention panel, or None when the user may see none of them."""
    attention = {}
    if user.has_perm("enrollment.view_application"):
        attention["new_applications"] = {
            "count": new_applications().count(),
            "url": _changelist("application", "assignment=new"),
            "days": NEW_APPLICATION_DAYS,
        }
    if user.has_perm("enrollment.view_application"):
        attention["overdue_holds"] = {
            "count": overdue_holds().count(),
            "url": _changelist("application", "documents=overdue"),
        }
    if user.has_perm("enrollment.view_enquiry"):
        attention["new_enquiries"] = {
            "count": Enquiry.objects.filter(status=Enquiry.Status.NEW).count(),
            "url": _changelist("enquiry", f"status__exact={Enquiry.Status.NEW}"),
        }
    if user.has_perm("enrollment.view_emailnotification"):
        since = timezone.now() - timedelta(days=FAILED_EMAIL_DAYS)
        attention["failed_emails"] = {
            "count": EmailNotification.objects.undelivered().filter(created_at__gte=since).count(),
            "url": _changelist("emailnotification", "delivery=undelivered"),
            "days": FAILED_EMAIL_DAYS,
        }
    if user.has_perm("enrollment.view_cohort"):
        attention["cohorts"] = {
            "list": list(cohorts_starting_soon()),
            "weeks": STARTING_SOON_WEEKS,
            "url": _changelist("cohort", "starts=soon"),
            "can_export": user.has_perm("enrollment.export_roster"),
        }
    return attention or None


def roster_applications(cohort_ids):
    """Who holds a seat (by name) and then who waits (in waitlist order), cohort by cohort."""
    seats_first = Case(
        When(status__in=SEAT_STATUSES, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return (
        Application.objects.filter(cohort_id__in=cohort_ids, status__in=Application.LIVE_STATUSES)
        .select_related("cohort")
        # Each student's checklist at a glance (checklist_glance): one query for the whole roster.
        .prefetch_related(Prefetch("checklist", queryset=ChecklistItem.objects.select_related("requirement")))
        .annotate(seats_first=seats_first)
        .order_by(
            "cohort__start_date",
            "cohort__code",
            "seats_first",
            "waitlist_position",
            "last_name",
            "first_name",
            "submitted_at",
        )
    )


@dataclass(frozen=True)
class ChecklistGlance:
    verified: int
    total: int
    missing: list[str]  # not verified yet, or verified with an expiry that does not cover the course

    def __str__(self):
        if not self.total:
            return "nothing asked"
        return f"{self.verified} of {self.total} verified"


def checklist_glance(application) -> ChecklistGlance:
    """How far the application's checklist is, from its prefetched items (roster_applications)."""
    items = list(application.checklist.all())
    missing = [item.requirement.name for item in items if not item.is_done or item.expiry_falls_short]
    return ChecklistGlance(len(items) - len(missing), len(items), missing)


def _fields(instance, *, skip=()) -> dict:
    """Every stored column of a row, related rows by their name."""
    data = {}
    for field in instance._meta.concrete_fields:
        if field.name in skip:
            continue
        value = getattr(instance, field.name)
        if field.is_relation and value is not None:
            value = value.get_username() if hasattr(value, "get_username") else str(value)
        data[field.name] = value
    return data


def _notifications(record) -> list[dict]:
    return [
        {
            "kind": n.get_kind_display(),
            "status": n.status,
            "attempts": n.attempts,
            "error": n.error,
            "created_at": n.created_at,
            "sent_at": n.sent_at,
        }
        for n in record.notifications.all()
    ]


def _name(user) -> str | None:
    return (user.get_full_name() or user.get_username()) if user is not None else None


def _notes(record) -> list[dict]:
    return [
        {"written_at": note.created_at, "author": _name(note.author), "text": note.text}
        for note in record.notes.all()
    ]


def _history(record) -> list[dict]:
    return [
        {
            "at": event.at,
            "by": _name(event.actor),
            "kind": event.get_kind_display(),
            "description": event.description,
            "changes": event.changes,
        }
        for event in record.events.all()
    ]


def _checklist(application) -> list[dict]:
    """The checklist and the documents sent, described (name, type, size, when), without their content: the
    files themselves are Admissions' to download from the application's page."""
    return [
        {
            "requirement": item.requirement.name,
            "state": item.get_state_display(),
            "expiry_date": item.expiry_date,
            "reason_not_accepted": item.note,
            "checked_at": item.checked_at,
            "documents": [
                {
                    "name": document.original_name,
                    "type": document.content_type,
                    "size_bytes": document.size,
                    "uploaded_at": document.uploaded_at,
                    "state": item.get_state_display(),
                }
                for document in item.documents.all()
            ],
        }
        for item in application.checklist.all()
    ]


def applicant_records(emails):
    """The applications and the enquiries of the people with these e-mail addresses, oldest first:
    what an export of their data covers."""
    emails = sorted({email.lower() for email in emails})
    applications = (
        Application.objects.filter(email__in=emails)
        .select_related("cohort__program")
        .order_by("submitted_at")
    )
    enquiries = (
        # Enquiries are stored in lower case by the contact form, but an edit in the admin may not be.
        Enquiry.objects.annotate(email_lower=Lower("email"))
        .filter(email_lower__in=emails)
        .select_related("program")
        .order_by("submitted_at")
    )
    return applications, enquiries


@dataclass
class OtherRecords:
    """A person's other applications and enquiries (the same e-mail address, whatever its case), oldest
    first: staff see one person across what they sent."""

    applications: list[Application]
    enquiries: list[Enquiry]

    def __len__(self):
        return len(self.applications) + len(self.enquiries)


def other_records(*, email: str, application=None, enquiry=None) -> OtherRecords:
    """The other records of the person with this e-mail address than `application` or `enquiry` (the one
    on the page), in two queries."""
    applications, enquiries = applicant_records([email])
    if application is not None:
        applications = applications.exclude(pk=application.pk)
    if enquiry is not None:
        enquiries = enquiries.exclude(pk=enquiry.pk)
    return OtherRecords(list(applications), list(enquiries))


def _count(queryset):
    """How many rows a correlated subquery finds, as a value of the outer query (0 for none)."""
    return Coalesce(
        Subquery(queryset.order_by().annotate(count=Func(F("pk"), function="COUNT")).values("count")),
        0,
        output_field=IntegerField(),
    )


def with_other_records(enquiries):
    """Enquiries with `other_records`: how many other applications and enquiries their sender has (the same
    e-mail address, whatever its case), counted in the same query as the list."""
    email = Lower(OuterRef("email"))
    applications = Application.objects.filter(email=email)  # stored in lower case (a constraint)
    others = (
        Enquiry.objects.annotate(email_lower=Lower("email"))
        .filter(email_lower=email)
        .exclude(pk=OuterRef("pk"))
    )
    return enquiries.annotate(other_records=_count(applications) + _count(others))


def applicant_data(emails) -> dict:
    """Everything stored about the people with these e-mail addresses: their applications (with notes,
    history and e-mails), their enquiries (with notes, answers, history and e-mails), and what the other apps
    keep about them (sitetools.personal_data: their info-session sign-ups)."""
    emails = sorted({email.lower() for email in emails})
    applications, enquiries = applicant_records(emails)
    applications = applications.select_related("certification_level", "assigned_to").prefetch_related(
        "notes__author", "events__actor", "notifications", "checklist__requirement", "checklist__documents"
    )
    enquiries = enquiries.select_related("assigned_to").prefetch_related(
        "notes__author", "replies__author", "events__actor", "notifications"
    )
    people = {email: {"email": email, "applications": [], "enquiries": []} for email in emails}
    for application in applications:
        people[application.email]["applications"].append(
            {
                **_fields(application),
                "status": application.get_status_display(),
                "program": application.cohort.program.name,
                "notes": _notes(application),
                "history": _history(application),
                "emails": _notifications(application),
                "checklist": _checklist(application),
            }
        )
    for enquiry in enquiries:
        people[enquiry.email_lower]["enquiries"].append(
            {
                **_fields(enquiry),
                "status": enquiry.get_status_display(),
                "notes": _notes(enquiry),
                "answers": [
                    {"sent_at": reply.created_at, "author": _name(reply.author), "text": reply.body}
                    for reply in enquiry.replies.all()
                ],
                "history": _history(enquiry),
                "emails": _notifications(enquiry),
            }
        )
    for holder in personal_data.holders():
        found = holder.export(emails)
        for email in emails:
            people[email][holder.key] = found.get(email, [])
    return {"exported_at": timezone.now(), "people": list(people.values())}


# Likely duplicates: the same person applying under another e-mail address (to the same start or another), found
# by the same first and last name (whatever their case) and date of birth, or the same phone number (whatever
# its spaces, dashes, dots and brackets). The same address is a person's "other records", shown apart.


def _with_match_keys(queryset):
    return queryset.annotate(
        first_key=Lower("first_name"), last_key=Lower("last_name"), phone_key=phone_digits()
    )


def _matching(first, last, born, phone):
    return Q(first_key=first, last_key=last, date_of_birth=born) | Q(phone_key=phone)


def with_likely_duplicates(applications):
    """Applications with `likely_duplicate`: whether another application matches them (see above), in the
    same query as the list."""
    applications = _with_match_keys(applications)
    others = (
        _with_match_keys(Application.objects.all())
        .filter(
            _matching(
                OuterRef("first_key"), OuterRef("last_key"), OuterRef("date_of_birth"), OuterRef("phone_key")
            )
        )
        .exclude(email=OuterRef("email"))
    )
    return applications.annotate(likely_duplicate=Exists(others))


@dataclass
class Duplicate:
    application: Application
    reasons: list[str]


def likely_duplicates(application) -> list[Duplicate]:
    """The other applications that look like the same person under another e-mail address, oldest first, with
    why (one query)."""
    mine = _with_match_keys(Application.objects.filter(pk=application.pk)).values(
        "first_key", "last_key", "phone_key"
    )[0]
    candidates = (
        _with_match_keys(Application.objects.exclude(email=application.email))
        .filter(_matching(mine["first_key"], mine["last_key"], application.date_of_birth, mine["phone_key"]))
        .select_related("cohort__program")
        .order_by("submitted_at")
    )
    found = []
    for other in candidates:
        reasons = []
        if (other.first_key, other.last_key, other.date_of_birth) == (
            mine["first_key"],
            mine["last_key"],
            application.date_of_birth,
        ):
            reasons.append("same name and date of birth")
        if other.phone_key == mine["phone_key"]:
            reasons.append("same phone number")
        found.append(Duplicate(other, reasons))
    return found
