"""Downloads for staff: a cohort's roster and waitlist as CSV, and everything stored about one person as
JSON. Both carry personal data: the admin serves them only to users with the export permissions."""

import csv
import json
import re

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Case, IntegerField, Value, When
from django.db.models.functions import Lower
from django.http import HttpResponse
from django.utils import timezone

from enrollment.models import Application, Enquiry

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection): such cells get a
# leading apostrophe, which Excel and LibreOffice show as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

ROSTER_HEADER = [
    "reference",
    "status",
    "waitlist position",
    "first name",
    "last name",
    "e-mail",
    "phone",
    "submitted",
]


def neutralise(value) -> str:
    """A cell as text that no spreadsheet will run as a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def safe_filename(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-") or "export"


def csv_response(filename: str, header: list[str], rows) -> HttpResponse:
    """UTF-8 with a byte-order mark, so that Excel reads accents and non-Latin names correctly."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{safe_filename(filename)}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(header)
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return response


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def roster_applications(cohort_ids):
    """Who holds a seat (by name) and then who waits (in waitlist order), cohort by cohort."""
    seats_first = Case(
        When(status=Application.Status.ACCEPTED, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return (
        Application.objects.filter(cohort_id__in=cohort_ids, status__in=Application.LIVE_STATUSES)
        .select_related("cohort")
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


def roster_csv(cohorts) -> HttpResponse:
    """One cohort: the columns of ROSTER_HEADER, named after the cohort's code. Several cohorts: the same
    with the cohort's code first on every row."""
    cohorts = list(cohorts)
    several = len(cohorts) > 1

    def rows():
        for application in roster_applications([cohort.pk for cohort in cohorts]):
            row = [
                application.reference,
                application.get_status_display(),
                application.waitlist_position,
                application.first_name,
                application.last_name,
                application.email,
                application.phone,
                _local(application.submitted_at),
            ]
            yield [application.cohort.code, *row] if several else row

    if several:
        filename = f"rosters-{timezone.localdate():%Y-%m-%d}.csv"
        return csv_response(filename, ["cohort", *ROSTER_HEADER], rows())
    return csv_response(f"roster-{cohorts[0].code}.csv", ROSTER_HEADER, rows())


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


def applicant_data(emails) -> dict:
    """Everything stored about the people with these e-mail addresses: their applications (with notes,
    history and e-mails) and their enquiries (with notes and e-mails)."""
    emails = sorted({email.lower() for email in emails})
    applications, enquiries = applicant_records(emails)
    applications = applications.select_related("certification_level", "assigned_to").prefetch_related(
        "notes__author", "events__actor", "notifications"
    )
    enquiries = enquiries.select_related("assigned_to").prefetch_related("notes__author", "notifications")
    people = {email: {"email": email, "applications": [], "enquiries": []} for email in emails}
    for application in applications:
        people[application.email]["applications"].append(
            {
                **_fields(application),
                "status": application.get_status_display(),
                "program": application.cohort.program.name,
                "notes": _notes(application),
                "history": [
                    {
                        "at": event.at,
                        "by": _name(event.actor),
                        "kind": event.get_kind_display(),
                        "description": event.description,
                        "changes": event.changes,
                    }
                    for event in application.events.all()
                ],
                "emails": _notifications(application),
            }
        )
    for enquiry in enquiries:
        people[enquiry.email_lower]["enquiries"].append(
            {
                **_fields(enquiry),
                "status": enquiry.get_status_display(),
                "notes": _notes(enquiry),
                "emails": _notifications(enquiry),
            }
        )
    return {"exported_at": timezone.now(), "people": list(people.values())}


def json_response(filename: str, data: dict) -> HttpResponse:
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{safe_filename(filename)}"'
    return response
