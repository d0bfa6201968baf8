"""Every kind of e-mail, for applications in each status: unsaved EmailNotifications (what a preview builds)
about two applicants of one full course start, a 17-year-old on a course without a minimum age, and an
enquiry. Shared by tests/enrollment/test_emails.py and tests/browser/test_emails.py. Makes its own levels."""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from enrollment import services
from enrollment.models import Application, EmailNotification, Enquiry, EnquiryReply
from tests.enrollment.conftest import certified, details, make_cohort, make_level, make_program

Kind = EmailNotification.Kind

# What people typed, with markup in it: shown as text in the HTML part, as typed in the text part.
TYPED_NAME = "<script>alert('Ada')</script>"
STAFF_MESSAGE = "Your CPR card <b>expired</b> & cannot be renewed in time.\nA later start suits you better."
QUESTION = "Can I bring my own <stethoscope>?\nAnd is parking free & close?"
ANSWER = (
    "Hello {name},\n\nYes: bring your own <stethoscope> & a watch with a second hand.\nParking is free, "
    "behind the school.\n\nThe next starts of {program}:\n{next_starts}\n\nDana, for admissions"
)


@dataclass
class School:
    seat: Application  # has a seat
    waiting: Application  # number 1 on the waitlist of the same start
    minor: Application  # 17 on the first day of a course without a minimum age
    offered: Application  # a seat offered from the waitlist of another start, waiting for an answer
    enquiry: Enquiry
    reply: EnquiryReply  # an answer to the enquiry

    def emails(self) -> list[tuple[str, EmailNotification]]:
        """(name, unsaved notification) for every kind, and every status of a status change."""
        seat, waiting, minor, offered = self.seat, self.waiting, self.minor, self.offered
        rejected = seat.checklist.get(state="rejected")
        status = Kind.STATUS_CHANGE
        return [
            ("confirmation-seat", notification(Kind.APPLICATION_CONFIRMATION, seat)),
            ("confirmation-waitlist", notification(Kind.APPLICATION_CONFIRMATION, waiting)),
            ("confirmation-again", notification(Kind.APPLICATION_CONFIRMATION, waiting, again=True)),
            ("confirmation-under-18", notification(Kind.APPLICATION_CONFIRMATION, minor)),
            ("admissions-notice", notification(Kind.ADMISSIONS_NOTICE, waiting)),
            ("offer", notification(Kind.PROMOTION, offered)),
            ("offer-expired", notification(Kind.OFFER_EXPIRED, offered)),
            ("status-held", notification(status, waiting, status="held", message="")),
            ("status-held-offer-accepted", notification(status, seat, status="held", previous="offered")),
            ("status-enrolled", notification(status, seat, status="enrolled", message="")),
            ("status-released", notification(status, seat, status="released", message=STAFF_MESSAGE)),
            ("status-completed", notification(status, seat, status="completed", message="")),
            ("status-left", notification(status, seat, status="left", message="")),
            ("documents-reminder", notification(Kind.DOCUMENTS_REMINDER, seat)),
            ("hold-overdue", notification(Kind.HOLD_OVERDUE, seat)),
            ("checklist-update", notification(Kind.CHECKLIST_UPDATE, seat, item=rejected.pk)),
            ("applicant-link", notification(Kind.APPLICANT_LINK, waiting)),
            ("moved", notification(Kind.MOVED, seat, **{"from": "PARA-EARLIER"})),
            (
                "status-waitlisted",
                notification(status, seat, status="waitlisted", message=STAFF_MESSAGE, position=2),
            ),
            ("status-withdrawn", notification(status, seat, status="withdrawn", message="")),
            (
                "status-withdrawn-by-admissions",
                notification(
                    status, waiting, status="withdrawn", message=STAFF_MESSAGE, withdrawn_by="admissions"
                ),
            ),
            ("status-declined", notification(status, seat, status="declined", message=STAFF_MESSAGE)),
            ("status-declined-no-reason", notification(status, waiting, status="declined", message="")),
            ("enquiry-acknowledgement", notification(Kind.ENQUIRY_ACKNOWLEDGEMENT, enquiry=self.enquiry)),
            ("enquiry-notice", notification(Kind.ENQUIRY_NOTICE, enquiry=self.enquiry)),
            ("enquiry-reply", notification(Kind.ENQUIRY_REPLY, enquiry=self.enquiry, reply=self.reply.pk)),
        ]


def notification(kind, application=None, *, enquiry=None, **payload) -> EmailNotification:
    return EmailNotification(kind=kind, application=application, enquiry=enquiry, payload=payload)


def make_school() -> School:
    emt = make_level(slug="emt", ladder_order=2, name="Emergency Medical Technician")
    paramedic = make_level(slug="paramedic", ladder_order=4, prerequisite=emt, name="Paramedic")
    emr = make_level(slug="emr", ladder_order=1, minimum_age=None, name="Emergency Medical Responder")
    program = make_program(
        level=paramedic,
        name="Paramedic",
        tuition=Decimal("1500.50"),
        deposit=Decimal("300"),
        requirements=["A high-school diploma or equivalent", "A background check & a drug screen"],
    )
    program.fees.create(name="Books", amount=Decimal("150"))
    cohort = make_cohort(program=program, capacity=1, code="PARA-FULL")
    seat = services.application_submit(
        cohort=cohort, details=details(first_name=TYPED_NAME, last_name="Lovelace", **certified(emt))
    )
    waiting = services.application_submit(
        cohort=cohort, details=details(first_name="Grace", last_name="Hopper", **certified(emt))
    )
    first_aid = make_program(level=emr, name="Emergency Medical Responder", requirements=())
    young_cohort = make_cohort(program=first_aid, code="EMR-OPEN")
    seventeen = young_cohort.start_date - timedelta(days=17 * 365 + 100)
    minor = services.application_submit(
        cohort=young_cohort, details=details(first_name="Young", last_name="Starter", date_of_birth=seventeen)
    )
    item = seat.checklist.select_related("requirement").first()
    services.checklist_item_reject(
        item=item, reason="The scan is <unreadable> & cut off at the edge.", by=None
    )
    other = make_cohort(program=program, capacity=1, code="PARA-LATER")
    services.application_submit(cohort=other, details=details(**certified(emt)))
    offered = services.application_submit(
        cohort=other, details=details(first_name="Katherine", last_name="Johnson", **certified(emt))
    )
    services.cohort_set_capacity(cohort=other, capacity=2)
    offered.refresh_from_db()
    enquiry = services.enquiry_submit(
        name=f"{TYPED_NAME} Curie", email="marie@example.org", message=QUESTION, program=program, notify=False
    )
    reply = services.enquiry_reply(enquiry=enquiry, body=ANSWER, by=None)
    return School(seat=seat, waiting=waiting, minor=minor, offered=offered, enquiry=enquiry, reply=reply)
