"""Public pages run a fixed number of queries, however many programs, cohorts and applications there are."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.enrollment.conftest import make_cohort, make_program, submit

pytestmark = pytest.mark.django_db

# The page's own queries, plus one to expire offers that are over (pages that show seats), one for a
# program's requirements and one for the next info session (program page).
MAX_QUERIES = 9


def build(levels, *, programs, cohorts_per_program):
    made = []
    for _ in range(programs):
        program = make_program(level=levels["paramedic"])
        program.fees.create(name="Books", amount="100.00")
        program.outcomes.create(measure="retention", percent="90.0", period="2024 graduating class")
        for number in range(cohorts_per_program):
            cohort = make_cohort(program=program, capacity=1, is_open=number % 3 != 0)
            if cohort.is_open:
                submit(cohort, **_certified(levels))
                submit(cohort, **_certified(levels))
        made.append(program)
    return made


def _certified(levels):
    from tests.enrollment.conftest import certified

    return certified(levels["emt"])


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


PAGES = [
    ("program list", lambda program: reverse("enrollment:program-list")),
    ("program page", lambda program: program.get_absolute_url()),
    ("apply start", lambda program: reverse("enrollment:apply-start")),
    ("application form", lambda program: program.get_apply_url()),
    ("home", lambda program: reverse("home")),
]


@pytest.mark.parametrize("name,url", PAGES, ids=[name for name, _ in PAGES])
def test_page_runs_the_same_queries_for_2_or_20_cohorts(
    client, levels, django_assert_max_num_queries, name, url
):
    few = build(levels, programs=1, cohorts_per_program=2)[0]
    with django_assert_max_num_queries(MAX_QUERIES):
        small = queries(client, url(few))

    many = build(levels, programs=3, cohorts_per_program=20)[0]
    with django_assert_max_num_queries(MAX_QUERIES):
        large = queries(client, url(many))

    assert large == small
