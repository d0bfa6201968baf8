"""The admin's front page opens on what needs attention, as far as the user's permissions go."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from enrollment import services
from enrollment.models import Application, Cohort, EmailNotification, Enquiry
from tests.staff.conftest import changelist, listed_references, make_cohort, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def activity(emt_program, officer):
    soon_full = make_cohort(program=emt_program, capacity=1, code="SOON-WAITLIST", starts_in=14)
    soon_seats = make_cohort(program=emt_program, capacity=3, code="SOON-SEATS", starts_in=40)
    make_cohort(program=emt_program, capacity=0, code="SOON-FULL-NOBODY", starts_in=20)
    make_cohort(program=emt_program, capacity=5, code="LATER", starts_in=90)
    new_one = submit(soon_full)
    new_two = submit(soon_full)
    taken = submit(soon_seats)
    Application.objects.filter(pk=taken.pk).update(assigned_to=officer)
    old = submit(soon_seats)
    Application.objects.filter(pk=old.pk).update(submitted_at=timezone.now() - timedelta(days=30))
    for _ in range(2):
        services.enquiry_submit(name="Q", email="q@example.org", message="?", notify=False)
    answered = services.enquiry_submit(name="A", email="a@example.org", message="?", notify=False)
    services.enquiry_set_status(enquiry=answered, status=Enquiry.Status.ANSWERED)
    EmailNotification.objects.create(
        kind="promotion", status="failed", application=new_one, error="SMTPException"
    )
    return {"new": [new_one, new_two]}


def test_admissions_see_new_applications_enquiries_failed_emails_and_cohorts_starting_soon(
    admissions_client, activity
):
    response = admissions_client.get(reverse("admin:index"))

    page = response.content.decode()
    assert "Needs attention" in page
    assert "<strong>2</strong> new applications</a>" in page
    assert f'href="{changelist()}?assignment=new"' in page
    assert "<strong>2</strong> new enquiries</a>" in page
    assert f'href="{changelist("enquiry")}?status__exact=new"' in page
    assert "<strong>1</strong> e-mail not delivered</a>" in page
    assert "SOON-WAITLIST" in page and "SOON-SEATS" in page
    assert "SOON-FULL-NOBODY" not in page  # full, and nobody waiting: nothing to do
    assert "LATER" not in page
    assert reverse("admin:enrollment_cohort_roster", args=[Application.objects.first().cohort_id]) in page


def test_the_new_applications_link_lists_exactly_those_counted(admissions_client, activity):
    response = admissions_client.get(changelist(), {"assignment": "new"})
    assert set(listed_references(response)) == {a.reference for a in activity["new"]}


def test_content_editors_see_only_the_cohorts_counts(editor_client, activity):
    page = editor_client.get(reverse("admin:index")).content.decode()
    assert "SOON-WAITLIST" in page
    assert "new application" not in page
    assert "new enquir" not in page
    assert "roster.csv" not in page
    assert "Avery" not in page and "@example.org" not in page


def test_the_front_page_still_lists_every_app(admin_client):
    page = admin_client.get(reverse("admin:index")).content.decode()
    for url in (
        changelist("application"),
        reverse("admin:roles_guide_changelist"),
        reverse("admin:auth_user_changelist"),
    ):
        assert url in page


def attention_rows(page):
    """{cohort code: the panel's cells after the code} from the front page's attention table."""
    table = page[re.search(r'<table class="[^"]*\battention-cohorts\b', page).start() :]
    table = table[: table.index("</table>")]
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]:
        cells = [
            re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        rows[cells[0]] = cells[1:]
    return rows


def test_a_start_closed_to_applications_is_never_listed_as_having_seats_left(admissions_client, emt_program):
    make_cohort(program=emt_program, capacity=5, code="OPEN-SEATS", starts_in=20)
    make_cohort(program=emt_program, capacity=5, code="UNTICKED", starts_in=20, is_open=False)
    make_cohort(program=emt_program, capacity=5, code="DEADLINE-PASSED", starts_in=5, deadline_before=6)
    waiting = make_cohort(program=emt_program, capacity=1, code="CLOSED-WAITING", starts_in=20)
    submit(waiting)
    submit(waiting)
    Cohort.objects.filter(pk=waiting.pk).update(is_open=False)

    rows = attention_rows(admissions_client.get(reverse("admin:index")).content.decode())

    # Listed: open with seats left (how many), and closed with people waiting (said to be closed).
    assert set(rows) == {"OPEN-SEATS", "CLOSED-WAITING"}
    assert rows["OPEN-SEATS"][-2] == "5"  # seats left, before the roster link
    assert rows["CLOSED-WAITING"][-3:-1] == ["1", "Closed"]  # waitlist, seats left
