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
