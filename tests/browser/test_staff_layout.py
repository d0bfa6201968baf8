"""The staff lists at 1280x900, the laptop screen admissions work on: the columns that matter are visible
without scrolling sideways, and the front page's attention panel never breaks a header or a cohort code
into letters. Signed in with the staff tests' own session (tests/staff/conftest.py), whatever the sign-in."""

import pytest
from django.conf import settings

from enrollment import services
from enrollment.models import Application, EmailNotification, Program
from tests.browser.chromium import DESKTOP
from tests.browser.helpers import goto
from tests.enrollment.conftest import details, make_cohort
from tests.staff.conftest import admissions_client, officer  # noqa: F401 (fixtures)

APPLICATION_COLUMNS = [
    "reference",
    "applicant",
    "cohort",
    "status",
    "waitlist",
    "assignee",
    "email_problem",
]
COHORT_COLUMNS = [
    "code",
    "program",
    "start_date",
    "capacity",
    "accepted",
    "waitlisted",
    "seats_left_display",
    "roster_link",
]


@pytest.fixture
def busy_school(demo_content, officer):  # noqa: F811
    """The demo school, with what makes columns wide: a long cohort code, long names, an assignee and a
    failed e-mail."""
    program = Program.objects.get(slug="emt")
    cohort = make_cohort(program=program, capacity=1, code="EMT-2027-SPRING-EVENINGS", starts_in=20)
    for last_name in ("Vanderbilt-Montgomery", "Featherstonehaugh-Smythe"):
        application = services.application_submit(
            cohort=cohort,
            notify=False,
            details=details(first_name="Maximiliana-Josephine", last_name=last_name),
        )
    Application.objects.filter(pk=application.pk).update(assigned_to=officer)
    EmailNotification.objects.create(
        kind="status-change", status="failed", application=application, error="x"
    )
    return cohort


@pytest.fixture
def staff_page(new_context, admissions_client, busy_school):  # noqa: F811
    """A 1280x900 page signed in as the admissions officer of `admissions_client`."""
    page = new_context(**DESKTOP).new_page()
    goto(page, "/robots.txt")  # the cookie is set on the live server's own origin
    name = settings.SESSION_COOKIE_NAME
    page.evaluate(
        "([name, value]) => { document.cookie = `${name}=${value}; path=/; secure; samesite=lax`; }",
        [name, admissions_client.cookies[name].value],
    )
    return page


def list_layout(page, columns):
    return page.evaluate(
        """(columns) => {
            const table = document.querySelector('#result_list');
            const heads = {};
            for (const name of columns) {
                const th = table.querySelector(`thead th.column-${name}`);
                heads[name] = th && th.getBoundingClientRect().toJSON();
            }
            return {
                scrollWidth: table.scrollWidth,
                containerWidth: table.parentElement.clientWidth,
                viewport: document.documentElement.clientWidth,
                heads,
            };
        }""",
        columns,
    )


def assert_columns_visible(layout, columns):
    assert layout["scrollWidth"] <= layout["containerWidth"], (
        f"the list is {layout['scrollWidth']} px wide in a {layout['containerWidth']} px container"
    )
    for name in columns:
        box = layout["heads"][name]
        assert box is not None, f"no {name} column"
        assert box["left"] >= 0 and box["right"] <= layout["viewport"], (name, box)


def test_the_application_list_shows_the_columns_that_matter_at_1280_px(staff_page):
    goto(staff_page, "/admin/enrollment/application/")
    assert_columns_visible(list_layout(staff_page, APPLICATION_COLUMNS), APPLICATION_COLUMNS)


def test_the_cohort_list_shows_the_seats_and_the_roster_at_1280_px(staff_page):
    goto(staff_page, "/admin/enrollment/cohort/")
    assert_columns_visible(list_layout(staff_page, COHORT_COLUMNS), COHORT_COLUMNS)


def test_the_attention_panel_never_breaks_a_header_or_a_code_into_letters(staff_page, busy_school):
    goto(staff_page, "/admin/")
    cells = staff_page.evaluate(
        """() => [...document.querySelectorAll('.staff-attention table th')].map((cell) => {
            const range = document.createRange();
            range.selectNodeContents(cell);
            const lines = new Set([...range.getClientRects()].map((rect) => Math.round(rect.top))).size;
            const text = cell.innerText.trim();
            return {text, lines, words: text.split(/\\s+/).length, code: cell.scope === 'row'};
        })"""
    )
    assert any(cell["text"] == busy_school.code for cell in cells)
    table = staff_page.evaluate(
        """() => { const t = document.querySelector('.staff-attention table');
                   return {width: t.scrollWidth, room: t.parentElement.clientWidth}; }"""
    )
    assert table["width"] <= table["room"], table
    for cell in cells:
        if cell["code"]:
            assert cell["lines"] == 1, cell
        else:
            assert cell["lines"] <= cell["words"], cell
