"""The e-mails that confirm an application or a seat list what the program itself requires (its admission
requirements, minimum age and prerequisite certification), never a requirement written into the template."""

from io import StringIO

import pytest
from django.core.management import call_command

from enrollment import demo, emails
from enrollment.models import Application, EmailNotification, Program
from tests.enrollment.conftest import certified, make_cohort, make_program, submit

pytestmark = pytest.mark.django_db

REQUIREMENTS = (
    "A high-school diploma or equivalent\n"
    "A current BLS card by the first day\n"
    "A background check & a drug screen before your first shift\n"
    "Vaccination records for our clinical sites"
)


@pytest.fixture
def paramedic_course(levels):
    return make_program(level=levels["paramedic"], requirements=REQUIREMENTS.splitlines())


def confirmation(application):
    return emails.build(
        EmailNotification(kind=EmailNotification.Kind.APPLICATION_CONFIRMATION, application=application)
    )


def promotion(application):
    return emails.build(EmailNotification(kind=EmailNotification.Kind.PROMOTION, application=application))


def assert_lists_the_requirements_of(program, body):
    assert "What the course requires" in body
    assert "CPR card, if you have one" not in body
    for requirement in program.requirements_list:
        assert f"- {requirement}\n" in body  # plain text: "&" stays "&"
    assert f"at least {program.required_minimum_age} years old on the first day" in body
    assert f"Current {program.level.prerequisite.name} certification or state license" in body


def test_confirmation_of_a_seat_lists_the_programs_own_requirements(paramedic_course, levels):
    cohort = make_cohort(program=paramedic_course, capacity=1)
    application = submit(cohort, **certified(levels["emt"]))
    assert application.status == Application.Status.HELD

    assert_lists_the_requirements_of(paramedic_course, confirmation(application).body)


def test_waitlist_confirmation_lists_them_too_so_that_people_can_get_ready(paramedic_course, levels):
    cohort = make_cohort(program=paramedic_course, capacity=0)
    application = submit(cohort, **certified(levels["emt"]))
    assert application.status == Application.Status.WAITLISTED

    assert_lists_the_requirements_of(paramedic_course, confirmation(application).body)


def test_seat_offered_from_the_waitlist_lists_the_programs_own_requirements(paramedic_course, levels):
    cohort = make_cohort(program=paramedic_course, capacity=0)
    application = submit(cohort, **certified(levels["emt"]))

    assert_lists_the_requirements_of(paramedic_course, promotion(application).body)


def test_a_program_that_asks_for_nothing_gets_no_empty_requirements_heading(levels):
    program = make_program(level=levels["emr"], requirements=())
    assert program.required_minimum_age is None and program.level.prerequisite is None
    application = submit(make_cohort(program=program))

    for message in (confirmation(application), promotion(application)):
        assert "What the course requires" not in message.body
        assert "\n- \n" not in message.body


def test_every_demo_programs_confirmation_lists_what_that_program_requires(db):
    call_command("load_demo_content", stdout=StringIO())
    for program in Program.objects.select_related("level__prerequisite"):
        cohort = program.cohorts.exclude(code=demo.FULL_COHORT).order_by("-application_deadline").first()
        extra = certified(program.level.prerequisite) if program.level.prerequisite else {}
        body = confirmation(submit(cohort, **extra)).body
        for requirement in program.requirements_list:
            assert f"- {requirement}\n" in body, program.slug
