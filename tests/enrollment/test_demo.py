import re

import pytest
from django.urls import reverse
from django.utils import timezone

from enrollment import demo
from enrollment.models import Application, Cohort, Program

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_loaded(levels):
    return demo.load()


def test_demo_creates_the_four_programs_and_the_emt_cohorts(demo_loaded):
    assert demo_loaded["programs"] == 4
    assert set(Program.objects.values_list("slug", flat=True)) == {"emt", "aemt", "paramedic", "emr"}
    emt_cohorts = Cohort.objects.filter(program__slug="emt")
    assert {c.meeting_pattern for c in emt_cohorts} == {
        "weekday-days",
        "weekday-evenings",
        "weekends",
        "hybrid",
    }
    today = timezone.localdate()
    assert all(c.start_date > today for c in Cohort.objects.all())
    assert emt_cohorts.filter(application_deadline__lt=today).count() == 1


def test_demo_has_a_full_cohort_with_a_waitlist_of_fictional_people(demo_loaded):
    full = Cohort.objects.with_seat_counts().get(code=demo.FULL_COHORT)
    assert full.accepted_count == full.capacity
    assert full.waitlisted_count == 3
    assert sorted(
        full.applications.filter(status="waitlisted").values_list("waitlist_position", flat=True)
    ) == [1, 2, 3]
    assert all(
        email.endswith(("@example.org", "@example.com"))
        for email in Application.objects.values_list("email", flat=True)
    )


def test_demo_paramedic_requires_emt_and_emr_carries_the_schools_advice(demo_loaded, levels):
    assert Program.objects.get(slug="paramedic").level.prerequisite == levels["emt"]
    emr = Program.objects.get(slug="emr")
    assert "specific need" in emr.advice
    assert emr.required_minimum_age == 16


def test_loading_the_demo_twice_changes_nothing(demo_loaded):
    before = (Program.objects.count(), Cohort.objects.count(), Application.objects.count())
    assert set(demo.load().values()) == {0}
    assert (Program.objects.count(), Cohort.objects.count(), Application.objects.count()) == before


def test_demo_text_never_names_the_school(demo_loaded, settings):
    name = settings.SCHOOL["NAME"]
    for program in Program.objects.all():
        assert name not in program.description + program.summary + program.advice


def test_every_public_page_answers_with_the_demo_content(client, demo_loaded):
    urls = [
        reverse("home"),
        reverse("enrollment:program-list"),
        reverse("enrollment:apply-start"),
        reverse("enrollment:contact"),
    ]
    for program in Program.objects.all():
        urls += [program.get_absolute_url(), program.get_apply_url()]
    for cohort in Cohort.objects.select_related("program"):
        urls.append(cohort.get_apply_url())
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert len(re.findall(r"<h1[\s>]", html)) == 1, url
        assert 'style="' not in html, url
        assert "<script>" not in html, url
