"""The staff pages keep working under the site's strict Content-Security-Policy: no inline script or style,
our own stylesheet served as a static file."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from tests.staff.conftest import change_url, changelist

pytestmark = pytest.mark.django_db


def test_staff_pages_have_no_inline_script_or_style(admissions_client, full_cohort):
    cohort, seats, _ = full_cohort
    pages = {
        "front page": admissions_client.get(reverse("admin:index")),
        "application": admissions_client.get(change_url(seats[0])),
        "cohort": admissions_client.get(change_url(cohort, "cohort")),
        "confirmation": admissions_client.post(
            changelist(), {"action": "action_application_withdraw", "_selected_action": [seats[0].pk]}
        ),
        "reports": admissions_client.get(reverse("admin:reports")),
    }
    for name, response in pages.items():
        assert response.status_code == 200, name
        policy = response["Content-Security-Policy"]
        assert "unsafe-inline" not in policy
        page = response.content.decode()
        assert "admin-extra/staff.css" in page, name
        assert " style=" not in page, name
        inline_scripts = [
            tag
            for tag in re.findall(r"<script[^>]*>", page)
            if "src=" not in tag and "application/json" not in tag
        ]
        assert inline_scripts == [], name


def test_the_stylesheet_is_a_static_file():
    assert finders.find("admin-extra/staff.css")


def test_every_admin_page_loads_the_staff_stylesheet_last(editor_client):
    # Last: after Django's responsive.css, whose phone rules it adjusts (and its focus style replaces Django's).
    pages = {
        "sign-in": Client().get(reverse("admin:login")),
        "a list of content editors": editor_client.get(reverse("admin:roles_role_changelist")),
    }
    for name, response in pages.items():
        page = response.content.decode()
        stylesheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', page)
        assert stylesheets[-1].endswith("admin-extra/staff.css"), (name, stylesheets)


def test_messages_are_in_a_live_region_that_the_messages_script_fills_and_focuses(
    admissions_client, full_cohort
):
    _, seats, _ = full_cohort
    response = admissions_client.post(
        changelist(), {"action": "assign_to_me", "_selected_action": [seats[0].pk]}, follow=True
    )

    page = response.content.decode()
    region = re.search(r"<div ([^>]*)>\s*<ul class=\"messagelist\">(.*?)</ul>", page, re.S)
    assert region is not None
    for attribute in ('id="staff-messages"', 'role="status"', 'aria-live="polite"', 'tabindex="-1"'):
        assert attribute in region.group(1)
    assert "1 application(s) assigned to you." in region.group(2)
    assert re.search(r'<script src="[^"]*admin-extra/messages\.js" integrity="sha384-[^"]+" defer', page)


def _cells_and_their_columns(page, table_class):
    """[(the column's header, the cell's data-label)] for every data cell of the table with `table_class`."""
    table = re.search(rf'<table class="[^"]*\b{table_class}\b[^"]*">(.*?)</table>', page, re.S).group(1)
    headers = [
        re.sub(r"<[^>]+>", "", header).strip()
        for header in re.findall(r'<th scope="col"[^>]*>(.*?)</th>', table, re.S)
    ]
    pairs = []
    for row in re.findall(r"<tr>(.*?)</tr>", table.split("</thead>")[1], re.S):
        cells = re.findall(r"<(th|td)([^>]*)>", row)
        for header, (tag, attributes) in zip(headers, cells, strict=True):
            if tag == "td":
                label = re.search(r'data-label="([^"]*)"', attributes)
                pairs.append((header, label and label.group(1)))
    return pairs


def test_tables_a_phone_shows_one_block_per_row_name_each_cells_column(admissions_client, full_cohort):
    # On a phone (admin-extra/staff.css) each cell shows its data-label before its value: the column's name.
    cohort, seats, _ = full_cohort
    pages = {
        "attention panel": admissions_client.get(reverse("admin:index")),
        "confirmation": admissions_client.post(
            changelist(), {"action": "action_application_withdraw", "_selected_action": [seats[0].pk]}
        ),
        "export": admissions_client.get(reverse("admin:enrollment_application_export", args=[seats[0].pk])),
    }
    for name, response in pages.items():
        pairs = _cells_and_their_columns(response.content.decode(), "staff-stack")
        assert pairs, name
        assert all(header == label for header, label in pairs), (name, pairs)
