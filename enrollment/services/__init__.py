"""The enrollment workflows, each one transaction. Views and the admin call only these functions: nothing
else writes an application's status or waitlist position, or a start's seats.

- `submission`: applications (a seat or a waitlist place) and questions from the public forms;
- `seats`: the admissions cycle (held seats, time-limited offers, enrolment, the course), the waitlist, moves
  between starts, a start's capacity, and previews of any of them (the admin shows what confirming will do
  and send, from the same code that does it);
- `checklist`: the program's requirements for each application, documents, Admissions' checks;
- `applicant`: what applicants do on their own page beyond the seat (their contact details, their link);
- `deadlines`: what the cycle's deadlines owe as they pass (the scheduled job);
- `staff`: an application's notes, assignment, edits of details, export records;
- `inbox`: enquiries: answers by e-mail (with saved answers' placeholders), status, assignment, notes, export
  records, each written to the enquiry's history;
- `locking`: the lock on a start that every change of seats takes first; `history`: the history entries and
  e-mails the changes write in their transaction; `errors`: the refusals.

Eligibility rules and their messages are in enrollment/eligibility.py; e-mails are owed through
enrollment/outbox.py. Import from this package: `from enrollment import services`."""

from enrollment.services.applicant import CONTACT_FIELDS, applicant_contact_update, applicant_links_send
from enrollment.services.capacity import cohort_set_capacity
from enrollment.services.checklist import (
    check_upload,
    checklist_item_reject,
    checklist_item_verify,
    checklist_missing,
    checklist_sync,
    document_upload,
)
from enrollment.services.deadlines import (
    deadlines_run,
    documents_remind,
    holds_overdue_notice,
    offers_expire_due,
)
from enrollment.services.errors import (
    AlreadyApplied,
    ApplicationStateError,
    EligibilityError,
    EnrollmentError,
)
from enrollment.services.inbox import (
    enquiries_assign,
    enquiries_set_status,
    enquiry_assign,
    enquiry_export_record,
    enquiry_note_add,
    enquiry_reply,
    enquiry_set_status,
    reply_render,
)
from enrollment.services.seats import (
    MAX_CAPACITY,
    OFFER_PASSED,
    WITHDRAWABLE_STATUSES,
    Batch,
    Preview,
    Result,
    application_complete,
    application_decline,
    application_enrol,
    application_hold,
    application_leave,
    application_move,
    application_release,
    application_waitlist,
    application_withdraw,
    applications_change_status,
    applications_each,
    courses_start,
    hold_deadline,
    hold_extend,
    live_application_for,
    offer_accept,
    offer_deadline,
    offer_decline,
    offer_free_seats,
    offers_expire,
    preview,
    seats,
)
from enrollment.services.staff import (
    application_assign,
    application_export_record,
    application_note_add,
    application_update,
)
from enrollment.services.submission import (
    REFERENCE_ALPHABET,
    application_submit,
    enquiry_submit,
    normalize_email,
)

__all__ = [
    "AlreadyApplied",
    "ApplicationStateError",
    "Batch",
    "CONTACT_FIELDS",
    "EligibilityError",
    "EnrollmentError",
    "MAX_CAPACITY",
    "OFFER_PASSED",
    "Preview",
    "REFERENCE_ALPHABET",
    "WITHDRAWABLE_STATUSES",
    "Result",
    "applicant_contact_update",
    "applicant_links_send",
    "application_assign",
    "application_complete",
    "application_decline",
    "application_enrol",
    "application_export_record",
    "application_hold",
    "application_leave",
    "application_move",
    "application_note_add",
    "application_release",
    "application_submit",
    "application_update",
    "application_waitlist",
    "application_withdraw",
    "applications_change_status",
    "applications_each",
    "check_upload",
    "checklist_item_reject",
    "checklist_item_verify",
    "checklist_missing",
    "checklist_sync",
    "cohort_set_capacity",
    "courses_start",
    "deadlines_run",
    "document_upload",
    "documents_remind",
    "enquiries_assign",
    "enquiries_set_status",
    "enquiry_assign",
    "enquiry_export_record",
    "enquiry_note_add",
    "enquiry_reply",
    "enquiry_set_status",
    "enquiry_submit",
    "hold_deadline",
    "hold_extend",
    "holds_overdue_notice",
    "live_application_for",
    "normalize_email",
    "offer_accept",
    "offer_deadline",
    "offer_decline",
    "offer_free_seats",
    "offers_expire",
    "offers_expire_due",
    "preview",
    "reply_render",
    "seats",
]
