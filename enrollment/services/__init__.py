"""The enrollment workflows, each one transaction. Views and the admin call only these functions: nothing
else writes an application's status or waitlist position, or a start's seats.

- `submission`: applications (a seat or a waitlist place) and questions from the public forms;
- `seats`: status changes, the waitlist, a start's capacity, and previews of any of them (the admin shows
  what confirming will do and send, from the same code that does it);
- `staff`: notes, assignment, edits of details, export records, an enquiry's status;
- `locking`: the lock on a start that every change of seats takes first; `history`: the history entries and
  e-mails the changes write in their transaction; `errors`: the refusals.

Eligibility rules and their messages are in enrollment/eligibility.py; e-mails are owed through
enrollment/outbox.py. Import from this package: `from enrollment import services`."""

from enrollment.services.errors import (
    AlreadyApplied,
    ApplicationStateError,
    EligibilityError,
    EnrollmentError,
)
from enrollment.services.seats import (
    MAX_CAPACITY,
    Batch,
    Preview,
    Result,
    application_accept,
    application_decline,
    application_waitlist,
    application_withdraw,
    applications_change_status,
    cohort_set_capacity,
    live_application_for,
    preview,
    seats,
    waitlist_promote,
)
from enrollment.services.staff import (
    application_assign,
    application_export_record,
    application_note_add,
    application_update,
    enquiry_assign,
    enquiry_note_add,
    enquiry_set_status,
)
from enrollment.services.submission import (
    REFERENCE_ALPHABET,
    application_submit,
    enquiry_submit,
    normalize_email,
)

__all__ = [
    "MAX_CAPACITY",
    "REFERENCE_ALPHABET",
    "AlreadyApplied",
    "Batch",
    "ApplicationStateError",
    "EligibilityError",
    "EnrollmentError",
    "Preview",
    "Result",
    "application_accept",
    "application_assign",
    "application_decline",
    "application_export_record",
    "application_note_add",
    "application_submit",
    "application_update",
    "application_waitlist",
    "application_withdraw",
    "applications_change_status",
    "cohort_set_capacity",
    "enquiry_assign",
    "enquiry_note_add",
    "enquiry_set_status",
    "enquiry_submit",
    "live_application_for",
    "normalize_email",
    "preview",
    "seats",
    "waitlist_promote",
]
