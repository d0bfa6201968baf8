"""The lists' date drill-down gives the years from the first date to the last without reading every row's
year (at a school's size that read the whole table on each view), and below the years drills down as before."""

import re
from datetime import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from enrollment.models import Application
from tests.staff.conftest import changelist, listed_references, make_cohort, submit

pytestmark = pytest.mark.django_db


def received_in(application, year, month=6):
    moment = datetime(year, month, 15, 12, tzinfo=timezone.get_current_timezone())
    Application.objects.filter(pk=application.pk).update(submitted_at=moment)


def year_links(html):
    return [year for year in range(2015, 2031) if f"submitted_at__year={year}" in html]


def test_the_years_run_from_the_first_application_to_the_last_without_a_scan_of_every_row(
    admissions_client, emt_program
):
    cohort = make_cohort(program=emt_program, capacity=5)
    received_in(submit(cohort), 2019)
    received_in(submit(cohort), 2022)

    with CaptureQueriesContext(connection) as captured:
        page = admissions_client.get(changelist()).content.decode()

    # 2020 and 2021 had none, and are listed all the same: the years come from the first and last dates.
    assert year_links(page) == [2019, 2020, 2021, 2022]
    assert not [query["sql"] for query in captured if "DISTINCT" in query["sql"]]


def test_a_year_still_drills_down_to_its_months_and_its_applications(admissions_client, emt_program):
    cohort = make_cohort(program=emt_program, capacity=5)
    march, july, other_year = submit(cohort), submit(cohort), submit(cohort)
    received_in(march, 2021, 3)
    received_in(july, 2021, 7)
    received_in(other_year, 2023)

    page = admissions_client.get(changelist(), {"submitted_at__year": 2021})

    html = page.content.decode()
    assert "submitted_at__month=3" in html and "submitted_at__month=7" in html
    assert "submitted_at__month=6" not in html
    assert sorted(listed_references(page)) == sorted([march.reference, july.reference])


def test_a_list_within_one_year_opens_on_its_months_as_before(admissions_client, emt_program):
    cohort = make_cohort(program=emt_program, capacity=5)
    received_in(submit(cohort), 2024, 2)
    received_in(submit(cohort), 2024, 4)

    html = admissions_client.get(changelist()).content.decode()

    months = re.findall(r"submitted_at__month=(\d+)", html)
    assert months == ["2", "3", "4"]
    assert year_links(html) == [2024]  # the months' links carry their year
    assert "All dates" in html


def test_a_list_within_one_month_opens_on_its_days(admissions_client, emt_program):
    cohort = make_cohort(program=emt_program, capacity=5)
    first, second = submit(cohort), submit(cohort)
    for application, day in ((first, 3), (second, 5)):
        moment = datetime(2024, 2, day, 12, tzinfo=timezone.get_current_timezone())
        Application.objects.filter(pk=application.pk).update(submitted_at=moment)

    html = admissions_client.get(changelist()).content.decode()

    assert re.findall(r"submitted_at__day=(\d+)", html) == ["3", "4", "5"]


def test_an_empty_list_has_no_dates_to_drill_into(admissions_client, emt_program):
    page = admissions_client.get(changelist())
    assert page.status_code == 200
    assert "submitted_at__year" not in page.content.decode()
