"""Downloads for staff: a cohort's roster and waitlist as CSV, and everything stored about one person as
JSON (what they hold comes from enrollment.selectors). Both carry personal data: the admin serves them only
to users with the export permissions."""

import csv
import json
import re

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.utils import timezone

from enrollment.selectors import checklist_glance, roster_applications

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
    "checklist",
    "not verified",
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
                str(glance := checklist_glance(application)),
                "; ".join(glance.missing),
            ]
            yield [application.cohort.code, *row] if several else row

    if several:
        filename = f"rosters-{timezone.localdate():%Y-%m-%d}.csv"
        return csv_response(filename, ["cohort", *ROSTER_HEADER], rows())
    return csv_response(f"roster-{cohorts[0].code}.csv", ROSTER_HEADER, rows())


def json_response(filename: str, data: dict) -> HttpResponse:
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{safe_filename(filename)}"'
    return response
