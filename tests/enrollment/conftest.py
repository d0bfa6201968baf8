"""Helpers for the enrollment tests: levels, programs, cohorts and applicants with sensible defaults.
Pass only what a test cares about. Levels are made here, not taken from the roles demo content."""

from datetime import date, timedelta
from decimal import Decimal
from itertools import count

import pytest
from django.utils import timezone

from enrollment import services
from enrollment.eligibility import ApplicantDetails
from enrollment.models import Cohort, MeetingPattern, Program
from roles.models import CertificationLevel

_numbers = count(1)


def today():
    return timezone.localdate()


def make_level(*, slug, ladder_order, prerequisite=None, minimum_age=18, **fields):
    defaults = {
        "name": f"Level {slug}",
        "abbreviation": slug.upper()[:20],
        "summary": f"Summary of {slug}.",
        "description": f"What {slug} people do.",
        "exam": "A national exam.",
        "recertification": "Every 2 years.",
    }
    return CertificationLevel.objects.create(
        slug=slug,
        ladder_order=ladder_order,
        prerequisite=prerequisite,
        minimum_age=minimum_age,
        **{**defaults, **fields},
    )


@pytest.fixture
def levels(db):
    """EMR (no minimum age), EMT (18), AEMT and Paramedic (18, both need EMT)."""
    emr = make_level(slug="emr", ladder_order=1, minimum_age=None, name="Emergency Medical Responder")
    emt = make_level(slug="emt", ladder_order=2, name="Emergency Medical Technician")
    aemt = make_level(slug="aemt", ladder_order=3, prerequisite=emt, name="Advanced EMT")
    paramedic = make_level(slug="paramedic", ladder_order=4, prerequisite=emt, name="Paramedic")
    return {"emr": emr, "emt": emt, "aemt": aemt, "paramedic": paramedic}


def make_program(*, level, requirements=("A diploma", "A CPR card"), **fields):
    """A published program; `requirements`: the names of its checklist's requirements (no expiry dates)."""
    number = next(_numbers)
    defaults = {
        "slug": f"program-{number}",
        "name": f"Program {number}",
        "summary": f"Summary of program {number}.",
        "description": "What the course covers.\n\nWho it is for.",
        "length": "16 weeks",
        "tuition": Decimal("1500.00"),
        "order": number,
    }
    program = Program.objects.create(level=level, **{**defaults, **fields})
    for order, name in enumerate(requirements):
        program.requirements.create(name=name, order=order)
    return program


def make_cohort(*, program, capacity=10, starts_in=30, deadline_before=7, **fields):
    number = next(_numbers)
    start = today() + timedelta(days=starts_in)
    defaults = {
        "code": f"C-{number}",
        "start_date": start,
        "end_date": start + timedelta(days=90),
        "meeting_pattern": MeetingPattern.WEEKDAY_EVENINGS,
        "schedule": "Tue and Thu, 6 to 10 pm",
        "location": "Main campus",
        "application_deadline": start - timedelta(days=deadline_before),
    }
    return Cohort.objects.create(program=program, capacity=capacity, **{**defaults, **fields})


def applicant(**overrides):
    """The details of an eligible adult with a unique e-mail, as a dict (see `details`)."""
    number = next(_numbers)
    details = {
        "first_name": "Avery",
        "last_name": f"Sample{number}",
        "email": f"applicant{number}@example.org",
        "phone": "555 010 0123",
        "date_of_birth": date(1995, 5, 17),
        "address_line1": "1 Example Street",
        "city": "Springfield",
        "state": "MA",
        "postal_code": "01000",
        "consent_data_processing": True,
    }
    return {**details, **overrides}


def certified(level, **overrides):
    """Certification details valid well past any test cohort's start."""
    return {
        "certification_level": level,
        "certification_number": "E123456",
        "certification_state": "MA",
        "certification_expiry": today() + timedelta(days=700),
        **overrides,
    }


def details(**overrides) -> ApplicantDetails:
    """What services.application_submit takes: an eligible adult with a unique e-mail, with `overrides`."""
    return ApplicantDetails(**applicant(**overrides))


def submit(cohort, *, notify=True, by=None, **overrides):
    return services.application_submit(cohort=cohort, details=details(**overrides), notify=notify, by=by)


def post_data(cohort, **overrides):
    """A valid POST of the application form for `cohort` (strings, as a browser sends them)."""
    number = next(_numbers)
    data = {
        "cohort": str(cohort.pk),
        "first_name": "Jordan",
        "last_name": "Example",
        "email": f"jordan{number}@example.com",
        "phone": "555 010 0199",
        "date_of_birth": "1994-02-03",
        "address_line1": "2 Example Avenue",
        "address_line2": "",
        "city": "Springfield",
        "state": "MA",
        "postal_code": "01000",
        "consent_data_processing": "on",
        "website": "",
    }
    return {**data, **overrides}


def enquiry_data(**overrides):
    data = {
        "name": "Casey Demo",
        "email": "casey@example.org",
        "phone": "",
        "program": "",
        "preferred_contact": "email",
        "message": "When does the next EMT course start?",
        "website": "",
    }
    return {**data, **overrides}


@pytest.fixture
def emt_program(levels):
    return make_program(level=levels["emt"], slug="emt", name="EMT")


@pytest.fixture
def paramedic_program(levels):
    return make_program(level=levels["paramedic"], slug="paramedic", name="Paramedic")


@pytest.fixture
def cohort(emt_program):
    return make_cohort(program=emt_program, capacity=2)


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    """Pages are checked right after the data changes inside one test transaction, where the cache's
    invalidation (on commit) never runs; the page cache has tests of its own."""
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
