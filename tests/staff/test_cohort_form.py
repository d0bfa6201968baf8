"""What a content editor may save as a course start: seats and dates that make sense, one spelling of a code."""

import pytest

from enrollment.models import Cohort
from tests.staff.conftest import change_form_data, change_url, make_cohort

pytestmark = pytest.mark.django_db


def edit(client, cohort, **changes):
    page = client.get(change_url(cohort, "cohort"))
    return client.post(change_url(cohort, "cohort"), change_form_data(page, **changes))


def errors(response):
    return response.context["adminform"].form.errors


def test_a_capacity_beyond_any_classroom_is_explained(editor_client, emt_program):
    cohort = make_cohort(program=emt_program, capacity=20)

    response = edit(editor_client, cohort, capacity="32768")

    assert response.status_code == 200
    assert errors(response)["capacity"] == [
        "A course start has at most 500 seats. Check the number, or split the start in two."
    ]
    cohort.refresh_from_db()
    assert cohort.capacity == 20


def test_codes_are_stored_in_capitals_so_two_spellings_cannot_coexist(editor_client, emt_program):
    make_cohort(program=emt_program, capacity=5, code="EMT-DAY")
    other = make_cohort(program=emt_program, capacity=5, code="EMT-EVE")

    response = edit(editor_client, other, code="emt-day")
    assert response.status_code == 200
    assert "code" in errors(response)

    assert edit(editor_client, other, code=" emt-night ").status_code == 302
    other.refresh_from_db()
    assert other.code == "EMT-NIGHT"


@pytest.mark.parametrize("field", ["start_date", "end_date", "application_deadline"])
def test_dates_in_another_century_are_explained(editor_client, emt_program, field):
    cohort = make_cohort(program=emt_program, capacity=5)
    before = Cohort.objects.values(field).get(pk=cohort.pk)

    response = edit(editor_client, cohort, **{field: "1800-01-01"})

    assert response.status_code == 200
    assert errors(response)[field][0].startswith("Check the year")
    assert Cohort.objects.values(field).get(pk=cohort.pk) == before


def test_a_start_with_applicants_cannot_move_to_another_program(editor_client, emt_program, levels):
    from tests.staff.conftest import make_program, submit

    cohort = make_cohort(program=emt_program, capacity=5)
    submit(cohort)
    paramedic = make_program(level=levels["paramedic"], slug="paramedic", name="Paramedic")

    response = edit(editor_client, cohort, program=paramedic.pk)

    assert response.status_code == 200
    assert errors(response)["program"][0].startswith("People have applied to this start for its program")
    cohort.refresh_from_db()
    assert cohort.program == emt_program


def test_a_start_nobody_applied_to_can_move(editor_client, emt_program, levels):
    from tests.staff.conftest import make_program

    cohort = make_cohort(program=emt_program, capacity=5)
    emr = make_program(level=levels["emr"], slug="emr", name="EMR")
    assert edit(editor_client, cohort, program=emr.pk).status_code == 302
    cohort.refresh_from_db()
    assert cohort.program == emr


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"start_date": "2027-05-01", "end_date": "2027-01-01"},
            "end_date",
            "The course must end on or after its first day.",
        ),
        (
            {"start_date": "2027-05-01", "end_date": "2027-08-01", "application_deadline": "2027-06-01"},
            "application_deadline",
            "Applications must close on or before the first day of the course.",
        ),
        ({"code": "🚑-EMT"}, "code", "Use letters, digits and single hyphens only"),
        ({"code": "EMT\u202e"}, "code", "Remove the invisible control characters"),
    ],
)
def test_dates_and_codes_that_cannot_be_get_a_message_that_says_what_to_fix(
    editor_client, emt_program, changes, field, message
):
    cohort = make_cohort(program=emt_program, capacity=5)
    response = edit(editor_client, cohort, **changes)
    assert response.status_code == 200
    assert errors(response)[field][0].startswith(message)
    assert "Constraint" not in str(errors(response))


def test_a_program_people_applied_to_keeps_its_level(editor_client, emt_program, levels):
    from django.core.exceptions import ValidationError

    from tests.staff.conftest import submit

    submit(make_cohort(program=emt_program, capacity=5))
    emt_program.level = levels["emr"]
    with pytest.raises(ValidationError) as error:
        emt_program.full_clean()
    assert error.value.message_dict["level"][0].startswith("1 person has applied to this program's starts")

    emt_program.level = levels["emt"]
    emt_program.full_clean()


def test_a_code_stored_before_the_rule_does_not_block_editing_the_start(editor_client, emt_program):
    cohort = make_cohort(program=emt_program, capacity=5, code="EMT_2026/1")
    response = edit(editor_client, cohort, location="Room 12", is_open="")
    assert response.status_code == 302
    cohort.refresh_from_db()
    assert (cohort.code, cohort.location, cohort.is_open) == ("EMT_2026/1", "Room 12", False)


def test_a_start_date_with_a_wrong_year_gets_one_message_not_two(editor_client, emt_program):
    cohort = make_cohort(program=emt_program, capacity=5)
    response = edit(editor_client, cohort, start_date="1999-01-01", end_date=cohort.end_date.isoformat())
    assert errors(response)["start_date"][0].startswith("Check the year")
    assert "end_date" not in errors(response)
