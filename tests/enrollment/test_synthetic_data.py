"""make_synthetic_data: a school's ten years of data for measuring the staff pages, made as the lifecycle makes
it (the database's constraints hold), refused where it could be the school's own data, removed without
touching anything else."""

from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, F, Max, Min, Q
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from emsprogram import synthetic
from enrollment import access
from enrollment.models import (
    Application,
    ApplicationEvent,
    ChecklistItem,
    Cohort,
    Enquiry,
    EnquiryEvent,
    Program,
)
from infosessions.models import InfoSession, SessionSignup
from tests.enrollment.conftest import enquiry_data, make_cohort, submit, today
from tests.signin import sign_in
from tests.staff.conftest import ADMISSIONS, changelist, make_staff

SMALL = {"applications": 600, "enquiries": 150, "cohorts": 16, "seed": 3}


def make(**options):
    call_command("make_synthetic_data", **{**SMALL, **options})


@pytest.fixture
def admissions_client(django_user_model):
    return sign_in(Client(), make_staff(django_user_model, "officer", group=ADMISSIONS))


@pytest.fixture
def debug(settings):
    settings.DEBUG = True


def synthetic_applications():
    return Application.objects.filter(email__endswith="@" + synthetic.EMAIL_DOMAIN)


@pytest.mark.django_db
def test_it_makes_the_numbers_asked_for_with_their_history(debug):
    make()

    applications = synthetic_applications()
    assert applications.count() == 600
    assert Cohort.objects.filter(code__startswith=synthetic.CODE_PREFIX).count() == 16
    assert Enquiry.objects.filter(email__endswith=synthetic.EMAIL_DOMAIN).count() == 150
    # Every application has its "submitted" entry, at the moment it was received, and the status it has now
    # is the last one its history reached.
    submitted = ApplicationEvent.objects.filter(kind=ApplicationEvent.Kind.SUBMITTED)
    assert submitted.count() == 600
    for application in applications.prefetch_related("events")[:200]:
        events = sorted(application.events.all(), key=lambda event: (event.at, event.pk))
        assert events[0].kind == ApplicationEvent.Kind.SUBMITTED
        assert events[0].at == application.submitted_at
        assert events[-1].changes["status"][1] == application.status
        # and the furthest stage it reached is the one its history shows (the reports' funnel counts it).
        assert application.furthest_stage == max(event.stage_reached() for event in events)
    # Enquiries have their history, and answered ones a first reply after they came.
    assert EnquiryEvent.objects.filter(kind=EnquiryEvent.Kind.RECEIVED).count() == 150
    answered = Enquiry.objects.filter(first_replied_at__isnull=False)
    assert answered.exists()
    assert not answered.filter(first_replied_at__lt=F("submitted_at")).exists()
    assert InfoSession.objects.filter(title__startswith="Synthetic").exists()
    assert SessionSignup.objects.filter(attended=True).exists()
    assert ChecklistItem.objects.filter(application__in=applications).exists()


@pytest.mark.django_db
def test_statuses_span_the_lifecycle_and_the_starts_never_take_more_than_their_seats(debug):
    make()

    statuses = Counter(synthetic_applications().values_list("status", flat=True))
    for status in ("held", "waitlisted", "enrolled", "started", "completed", "left", "withdrawn", "released"):
        assert statuses[status], f"no {status} application among {dict(statuses)}"
    cohorts = Cohort.objects.filter(code__startswith=synthetic.CODE_PREFIX).with_seat_counts()
    for cohort in cohorts:
        assert cohort.seats_taken <= cohort.capacity, cohort.code


@pytest.mark.django_db
def test_waitlists_are_numbered_from_one_without_gaps(debug):
    make()

    waitlists = (
        synthetic_applications()
        .filter(waitlist_position__isnull=False)
        .values("cohort")
        .annotate(first=Min("waitlist_position"), last=Max("waitlist_position"), people=Count("pk"))
    )
    assert waitlists
    for waitlist in waitlists:
        assert waitlist["first"] == 1
        assert waitlist["last"] == waitlist["people"]
    # Nobody waits for a start that has begun.
    assert not synthetic_applications().filter(status="waitlisted", cohort__start_date__lte=today()).exists()


@pytest.mark.django_db
def test_the_same_seed_makes_the_same_data(debug):
    make()
    first = sorted(synthetic_applications().values_list("reference", "status", "waitlist_position"))
    call_command("make_synthetic_data", delete=True)
    make()
    assert sorted(synthetic_applications().values_list("reference", "status", "waitlist_position")) == first


@pytest.mark.django_db
def test_delete_removes_the_synthetic_data_and_nothing_else(debug, emt_program, client):
    cohort = make_cohort(program=emt_program, capacity=5)
    real = submit(cohort)
    client.post("/contact/", enquiry_data(email="someone@example.org"))
    assert Enquiry.objects.count() == 1
    make()

    call_command("make_synthetic_data", delete=True)

    assert list(Application.objects.all()) == [real]
    assert Enquiry.objects.get().email == "someone@example.org"
    assert list(Cohort.objects.all()) == [cohort]
    assert list(Program.objects.all()) == [emt_program]
    assert not InfoSession.objects.exists()
    assert not SessionSignup.objects.exists()
    assert not ApplicationEvent.objects.exclude(application=real).exists()


@pytest.mark.django_db
def test_it_refuses_to_run_without_debug_unless_told_it_is_meant(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--yes-i-mean-it"):
        make()
    with pytest.raises(CommandError, match="--yes-i-mean-it"):
        call_command("make_synthetic_data", delete=True)
    assert not Application.objects.exists()

    make(yes_i_mean_it=True, applications=50, enquiries=5, cohorts=3)
    assert synthetic_applications().count() == 50


@pytest.mark.django_db
def test_it_refuses_to_make_a_second_set_over_the_first(debug):
    make(applications=20, enquiries=0, cohorts=2)
    with pytest.raises(CommandError, match="--delete"):
        make(applications=20, enquiries=0, cohorts=2)


@pytest.mark.django_db
def test_it_uses_the_school_levels_when_there_are_some(debug, levels):
    make(applications=20, enquiries=0, cohorts=4)
    assert set(Program.objects.values_list("level__slug", flat=True)) <= {"emr", "emt", "aemt", "paramedic"}
    assert not Program.objects.filter(~Q(slug__startswith=synthetic.SLUG_PREFIX)).exists()


def staff_and_applicant_pages(admissions_client, client, held):
    """The queries of each page `make bench-scale` measures, as a signed-in member of Admissions and as the
    applicant of `held` who opened their link."""
    program = Program.objects.filter(slug__startswith=synthetic.SLUG_PREFIX).order_by("pk").first()
    opened = client.get(reverse("enrollment:my-application-open") + "?t=" + access.applicant_token(held))
    pages = {
        "front page": (admissions_client, reverse("admin:index")),
        "applications": (admissions_client, changelist()),
        "held in a program": (admissions_client, f"{changelist()}?program={program.pk}&status__exact=held"),
        "search": (admissions_client, f"{changelist()}?q=smith"),
        "new enquiries": (admissions_client, changelist("enquiry") + "?status__exact=new"),
        "applicant page": (client, opened["Location"]),
    }
    queries = {}
    for name, (browser, url) in pages.items():
        browser.get(url)  # what a first view does once (the checklist's items, expired offers)
        with CaptureQueriesContext(connection) as captured:
            assert browser.get(url).status_code == 200, name
        queries[name] = len(captured)
    return queries


@pytest.mark.django_db
def test_the_measured_pages_run_the_same_queries_at_two_sizes(debug, admissions_client, client, emt_program):
    held = submit(make_cohort(program=emt_program, capacity=5))
    make(applications=120, enquiries=40, cohorts=6, seed=5)
    small = staff_and_applicant_pages(admissions_client, client, held)
    call_command("make_synthetic_data", delete=True)

    make(applications=900, enquiries=300, cohorts=30, seed=5)
    assert staff_and_applicant_pages(admissions_client, client, held) == small
