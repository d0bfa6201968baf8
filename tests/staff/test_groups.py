"""The staff groups (DESIGN.md 5): admissions work with people's data; content editors keep the site
current and never see an applicant's personal data."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from enrollment import services
from enrollment.models import Enquiry
from tests.staff.conftest import ADMISSIONS, CONTENT_EDITORS, change_url, changelist, make_cohort, submit

pytestmark = pytest.mark.django_db


def codenames(group_name):
    group = Group.objects.get(name=group_name)
    return {
        f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")
    }


def test_the_data_migration_gives_admissions_the_applicants_and_the_exports():
    assert codenames(ADMISSIONS) == {
        "enrollment.view_application",
        "enrollment.change_application",
        # 0014: an application taken by phone, through the public form's service and checks.
        "enrollment.add_application",
        "enrollment.export_applicant_data",
        "enrollment.view_enquiry",
        "enrollment.change_enquiry",
        "enrollment.view_emailnotification",
        "enrollment.add_applicationnote",
        "enrollment.view_applicationnote",
        "enrollment.view_applicationevent",
        "enrollment.view_cohort",
        "enrollment.change_cohort",
        "enrollment.offer_seats",
        "enrollment.view_requirement",
        "enrollment.view_checklistitem",
        "enrollment.change_checklistitem",
        "enrollment.view_document",
        "enrollment.add_document",
        "enrollment.download_document",
        "enrollment.export_roster",
        "enrollment.view_program",
        "enrollment.view_programfee",
        "enrollment.view_programoutcome",
        # Info sessions (infosessions/migrations/0002): sessions, who signed up, attendance, their e-mails.
        "infosessions.view_infosession",
        "infosessions.change_infosession",
        "infosessions.view_sessionsignup",
        "infosessions.change_sessionsignup",
        "infosessions.view_sessionemail",
        "enrollment.view_enquiryevent",
        "enrollment.view_enquiryreply",
        "enrollment.add_enquiryreply",
        "enrollment.add_savedanswer",
        "enrollment.change_savedanswer",
        "enrollment.delete_savedanswer",
        "enrollment.view_savedanswer",
        # Admissions' reports (0014): the funnel, the cohorts' fill, offers, replies.
        "enrollment.view_reports",
    }


def test_the_data_migration_gives_content_editors_content_and_nothing_personal():
    permissions = codenames(CONTENT_EDITORS)
    for model in ("certificationlevel", "skill", "role", "guide", "faqtopic", "faq"):
        for action in ("add", "change", "delete", "view"):
            assert f"roles.{action}_{model}" in permissions
    for model in ("program", "programfee", "programoutcome", "cohort", "requirement"):
        for action in ("add", "change", "delete", "view"):
            assert f"enrollment.{action}_{model}" in permissions
    personal = (
        "application",
        "enquiry",
        "emailnotification",
        "applicationnote",
        "applicationevent",
        "enquirynote",
        "enquiryevent",
        "enquiryreply",
        "savedanswer",
    )
    assert not [p for p in permissions if p.split("_", 1)[1] in personal]
    assert "enrollment.export_roster" not in permissions
    assert "enrollment.export_applicant_data" not in permissions
    assert "enrollment.view_reports" not in permissions


@pytest.fixture
def people(emt_program):
    cohort = make_cohort(program=emt_program, capacity=1, code="EMT-SOON", starts_in=20)
    seat = submit(cohort, first_name="Quentin", last_name="Privateperson", email="quentin@example.net")
    waiting = submit(cohort, first_name="Rosalind", last_name="Waitingname", email="rosalind@example.net")
    enquiry = services.enquiry_submit(
        name="Sybil Enquirer", email="sybil@example.net", message="When?", notify=False
    )
    return cohort, seat, waiting, enquiry


PERSONAL_TEXT = [
    "Quentin",
    "Privateperson",
    "quentin@example.net",
    "Rosalind",
    "Waitingname",
    "rosalind@example.net",
    "Sybil",
    "sybil@example.net",
]


def personal_data_urls(seat, enquiry, cohort):
    def admin(name, *args):
        return reverse(f"admin:enrollment_{name}", args=args)

    return [
        admin("application_changelist"),
        admin("application_add"),
        admin("application_change", seat.pk),
        admin("application_history", seat.pk),
        admin("application_delete", seat.pk),
        admin("application_export", seat.pk),
        admin("enquiry_changelist"),
        admin("enquiry_add"),
        admin("enquiry_change", enquiry.pk),
        admin("enquiry_history", enquiry.pk),
        admin("enquiry_delete", enquiry.pk),
        admin("emailnotification_changelist"),
        admin("cohort_roster", cohort.pk),
    ]


def test_content_editors_get_403_on_every_page_with_personal_data(editor_client, people):
    cohort, seat, _, enquiry = people
    for url in personal_data_urls(seat, enquiry, cohort):
        response = editor_client.get(url)
        assert response.status_code == 403, url
        page = response.content.decode()
        assert "You do not have access to this page" in page, url
        assert seat.last_name not in page and seat.email not in page, url


def test_content_editors_cannot_run_actions_or_exports_on_applications(editor_client, people):
    cohort, seat, _, _ = people
    response = editor_client.post(
        changelist(),
        {
            "action": "action_application_withdraw",
            "_selected_action": [seat.pk],
            "confirmation": "1",
            "apply": "1",
        },
    )
    assert response.status_code == 403
    seat.refresh_from_db()
    assert seat.status == "held"
    response = editor_client.post(
        changelist("cohort"), {"action": "export_roster_csv", "_selected_action": [cohort.pk]}
    )
    assert "text/csv" not in response.get("Content-Type", "")


def test_content_editors_see_counts_but_no_names_on_cohort_and_front_pages(editor_client, people):
    cohort = people[0]
    pages = [
        reverse("admin:index"),
        changelist("cohort"),
        change_url(cohort, "cohort"),
        changelist("program"),
    ]
    for url in pages:
        response = editor_client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        for text in PERSONAL_TEXT:
            assert text not in page, (url, text)
        assert "EMS-" not in page, url
    cohort_page = editor_client.get(change_url(cohort, "cohort")).content.decode()
    assert "Seats" in cohort_page
    assert "Roster and waitlist" not in cohort_page


def test_content_editors_can_edit_cohorts_and_programs(editor_client, emt_program):
    cohort = make_cohort(program=emt_program, capacity=5)
    page = editor_client.get(change_url(cohort, "cohort"))
    assert page.status_code == 200
    assert 'name="capacity"' in page.content.decode()
    assert editor_client.get(reverse("admin:enrollment_program_add")).status_code == 200
    assert editor_client.get(reverse("admin:roles_guide_add")).status_code == 200
    assert editor_client.get(reverse("admin:roles_certificationlevel_changelist")).status_code == 200


def test_admissions_read_cohorts_with_their_roster_and_change_only_the_seats(admissions_client, people):
    cohort, seat, waiting, _ = people
    page = admissions_client.get(change_url(cohort, "cohort")).content.decode()
    assert 'name="capacity"' in page  # raising it offers seats: Admissions' decision
    for field in ("code", "start_date", "location", "schedule", "application_deadline"):
        assert f'name="{field}"' not in page
    assert "Privateperson, Quentin" in page
    assert "Waitingname, Rosalind" in page
    assert reverse("admin:enrollment_cohort_roster", args=[cohort.pk]) in page
    assert admissions_client.get(reverse("admin:enrollment_cohort_add")).status_code == 403
    assert admissions_client.get(reverse("admin:roles_guide_changelist")).status_code == 403


def test_admissions_cannot_delete_applications(admissions_client, people):
    _, seat, _, _ = people
    assert (
        admissions_client.get(reverse("admin:enrollment_application_delete", args=[seat.pk])).status_code
        == 403
    )
    assert Enquiry.objects.count() == 1


def test_a_live_application_cannot_be_deleted_even_by_a_superuser(admin_client, people):
    """Deleting it would leave a hole in the seats or the waitlist; closed ones go by the retention command."""
    _, seat, _, _ = people
    assert admin_client.get(reverse("admin:enrollment_application_delete", args=[seat.pk])).status_code == 403
    services.application_withdraw(application=seat, notify=False)
    assert admin_client.get(reverse("admin:enrollment_application_delete", args=[seat.pk])).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_the_groups_come_back_after_the_database_is_flushed():
    from django.core.management import call_command

    call_command("flush", "--noinput", verbosity=0)

    admissions = Group.objects.get(name="Admissions")
    assert admissions.permissions.filter(codename="export_roster").exists()
    assert admissions.permissions.filter(codename="add_enquiryreply").exists()  # 0012's, put back too
    assert admissions.permissions.filter(codename="add_application").exists()  # 0014's
    assert Group.objects.filter(name="Content editors").exists()
