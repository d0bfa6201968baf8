import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from enrollment import demo
from enrollment.models import Application, Cohort, DeliveryFormat, MeetingPattern, Program

pytestmark = pytest.mark.django_db

DEMO_COHORTS = {demo_cohort.code: demo_cohort for demo_cohort in demo.COHORTS}
WEEKEND = {demo.SAT, demo.SUN}
EVENING = 17  # classes starting at 5 pm or later are evening classes


@pytest.fixture
def demo_loaded(levels):
    return demo.load()


def meeting_hours(cohort: Cohort) -> int:
    """The class hours of a stored cohort, counted day by day from its start to its end date with the
    weekly meetings of its demo definition."""
    hours = 0
    day = cohort.start_date
    while day <= cohort.end_date:
        week = (day - cohort.start_date).days // 7
        for meetings in DEMO_COHORTS[cohort.code].meetings:
            if day.weekday() in meetings.weekdays and week % meetings.every == 0:
                hours += meetings.ends - meetings.starts
        day += timedelta(days=1)
    return hours


def calendar_weeks(cohort: Cohort) -> int:
    return (cohort.end_date - cohort.start_date).days // 7 + 1


def test_demo_creates_the_four_programs_and_their_cohorts(demo_loaded):
    assert demo_loaded["programs"] == 4
    assert set(Program.objects.values_list("slug", flat=True)) == {"emt", "aemt", "paramedic", "emr"}
    emt_cohorts = Cohort.objects.filter(program__slug="emt")
    assert {c.meeting_pattern for c in emt_cohorts} == {"weekday-days", "weekday-evenings", "weekends"}
    assert {c.meeting_pattern for c in Cohort.objects.filter(program__slug="aemt")} == {"hybrid"}
    today = timezone.localdate()
    assert all(c.start_date > today for c in Cohort.objects.all())
    assert emt_cohorts.filter(application_deadline__lt=today).count() == 1
    # The first start open for applications has seats (the full weekend start comes later).
    for program in Program.objects.all():
        open_starts = Cohort.objects.filter(program=program).open_for_applications().with_seat_counts()
        first_open = open_starts.order_by("start_date").first()
        assert first_open.seats_left > 0, program.slug


def test_demo_has_a_full_cohort_with_a_waitlist_of_fictional_people(demo_loaded):
    full = Cohort.objects.with_seat_counts().get(code=demo.FULL_COHORT)
    assert full.seats_taken == full.capacity
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
    assert "hands-on care at the scene" in emr.advice
    assert "may not have direct patient contact" not in emr.advice
    assert emr.required_minimum_age == 16


# Hours, weeks and days: what a program states is what its cohorts' schedules add up to.


def test_every_demo_cohorts_classes_and_shifts_add_up_to_its_programs_stated_hours(demo_loaded):
    for cohort in Cohort.objects.select_related("program"):
        program = cohort.program
        shifts = demo.SHIFT_HOURS[program.slug]
        assert meeting_hours(cohort) + shifts == program.training_hours, cohort.code
        # The course's own description of its hours says the same.
        assert f"{program.training_hours:,} hours" in program.format_details, program.slug
        if shifts:
            assert f"{meeting_hours(cohort):,} hours" in program.format_details, program.slug
            assert f"{shifts} hours" in program.format_details, program.slug
            assert f"plus {shifts} hours of hospital and ambulance shifts" in cohort.schedule


def test_every_length_a_program_states_is_the_length_of_its_cohorts(demo_loaded):
    for program in Program.objects.prefetch_related("cohorts"):
        weeks = {calendar_weeks(cohort) for cohort in program.cohorts.all()}
        text = f"{program.length} {program.summary} {program.description} {program.format_details}"
        for cohort_weeks in weeks:
            assert re.search(rf"\b{cohort_weeks} week(end)?s\b", program.length), (program.slug, cohort_weeks)
        for low, high in re.findall(r"(\d+)(?: to (\d+))? weeks", text):
            assert {int(low), int(high or low)} <= weeks, (program.slug, low, high)
        for months in re.findall(r"(\d+) months", text):
            assert all(abs(w * 7 / 30.44 - int(months)) < 1 for w in weeks), (program.slug, months)
        assert "weeks, not months" not in text
        assert "about a year" not in text or weeks == {52}


@pytest.mark.parametrize("days_ahead", range(14))
def test_cohorts_start_on_their_first_class_day_whatever_day_the_demo_is_loaded(days_ahead):
    today = date(2026, 3, 2) + timedelta(days=days_ahead)  # two whole weeks: every weekday as "today"
    for demo_cohort in demo.COHORTS:
        dates = demo_cohort.dates(today)
        start, end = dates["start_date"], dates["end_date"]
        assert start > today
        assert start.weekday() == demo_cohort.first_weekday
        class_weekdays = {day for meetings in demo_cohort.meetings for day in meetings.weekdays}
        assert {start.weekday(), end.weekday()} <= class_weekdays, demo_cohort.code
        if demo_cohort.pattern == MeetingPattern.WEEKENDS:
            assert (start.weekday(), end.weekday()) == (demo.SAT, demo.SUN), demo_cohort.code
        else:
            assert start.weekday() not in WEEKEND, demo_cohort.code
        # A start meant to be closed has a deadline already past; every other one is open today.
        closed = demo_cohort.deadline_before > demo_cohort.starts_after + 6
        assert (dates["application_deadline"] < today) is closed, demo_cohort.code


@pytest.mark.parametrize("days_ahead", [0, 1, 3, 5, 6])
def test_loaded_cohorts_keep_their_weekdays_and_hours_on_any_day(levels, days_ahead):
    today = timezone.localdate() + timedelta(days=days_ahead)
    demo.load(today=today)
    for cohort in Cohort.objects.select_related("program"):
        if cohort.meeting_pattern == MeetingPattern.WEEKENDS:
            assert cohort.start_date.weekday() == demo.SAT, cohort.code
        else:
            assert cohort.start_date.weekday() < demo.SAT, cohort.code
        assert meeting_hours(cohort) + demo.SHIFT_HOURS[cohort.program.slug] == cohort.program.training_hours
    assert Cohort.objects.with_seat_counts().get(code=demo.FULL_COHORT).waitlisted_count == 3


def test_each_cohorts_meeting_pattern_fits_its_meetings():
    for demo_cohort in demo.COHORTS:
        meetings = demo_cohort.meetings
        in_person = [m for m in meetings if not m.online]
        online = [m for m in meetings if m.online]
        match demo_cohort.pattern:
            case MeetingPattern.WEEKENDS:
                assert all(set(m.weekdays) <= WEEKEND for m in meetings) and not online
            case MeetingPattern.WEEKDAY_DAYS:
                assert all(not set(m.weekdays) & WEEKEND and m.starts < EVENING for m in meetings)
                assert not online
            case MeetingPattern.WEEKDAY_EVENINGS:
                assert all(not set(m.weekdays) & WEEKEND and m.starts >= EVENING for m in meetings)
                assert not online
            case MeetingPattern.HYBRID:
                assert online and all(not set(m.weekdays) & WEEKEND and m.starts >= EVENING for m in online)
                assert in_person and all(set(m.weekdays) <= WEEKEND for m in in_person)


def test_a_programs_format_agrees_with_its_cohorts_meeting_patterns(demo_loaded):
    for program in Program.objects.prefetch_related("cohorts"):
        patterns = {cohort.meeting_pattern for cohort in program.cohorts.all()}
        assert patterns, program.slug
        if program.format == DeliveryFormat.HYBRID:
            assert patterns == {MeetingPattern.HYBRID}, program.slug
        else:
            assert MeetingPattern.HYBRID not in patterns, program.slug
        if program.format == DeliveryFormat.IN_PERSON:
            assert "online" not in program.format_details.lower(), program.slug


# Requirements and outcomes: the same rules for every program.


def test_every_course_with_hospital_or_ambulance_shifts_asks_for_the_checks_and_vaccinations(demo_loaded):
    for program in Program.objects.prefetch_related("requirements"):
        requirements = " / ".join(program.requirements_list)
        clinical = demo.SHIFT_HOURS[program.slug] > 0
        for needed in ("Background check", "Drug screen", "Immunization records", "BLS"):
            assert (needed in requirements) is (clinical or needed == "BLS"), (program.slug, needed)


def test_outcomes_use_one_definition_per_measure_and_give_their_years_and_numbers(demo_loaded):
    definitions = {}
    for program in Program.objects.prefetch_related("outcomes"):
        assert program.outcomes.exists(), program.slug
        for outcome in program.outcomes.all():
            definitions.setdefault(outcome.measure, set()).add(outcome.note)
            match = re.fullmatch(
                r"(20\d\d(?: and 20\d\d)?), (\d+) classes?: (\d+) of (\d+) .+", outcome.period
            )
            assert match, outcome.period
            achieved, base = int(match[3]), int(match[4])
            assert round(100 * achieved / base, 1) == float(outcome.percent), outcome.period
    assert all(len(notes) == 1 for notes in definitions.values()), definitions
    assert definitions["exam-pass-rate"] == {"passed the NREMT cognitive exam at the first attempt"}


def test_cost_tables_say_what_they_leave_out_instead_of_guessing_exam_fees(client, demo_loaded):
    for program in Program.objects.prefetch_related("fees"):
        assert not any("NREMT" in fee.name or "exam" in fee.name.lower() for fee in program.fees.all())
        html = client.get(program.get_absolute_url()).content.decode()
        assert "in all" not in html
        assert f"<caption>What you pay us for the {program.name} course</caption>" in html
        note = html[html.index("Not included:") :].split("</p>")[0]
        for left_out in ("NREMT exam fee", "retake", "state skills exam", "state license", "CPR class"):
            assert left_out in note, (program.slug, left_out)


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


def test_the_demo_gives_admissions_saved_answers_with_known_placeholders_once(demo_loaded):
    from enrollment.models import SavedAnswer

    assert demo_loaded["saved answers"] == len(demo.SAVED_ANSWERS) >= 2
    for answer in SavedAnswer.objects.all():
        answer.full_clean()
    assert demo.load()["saved answers"] == 0
