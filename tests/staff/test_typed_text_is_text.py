"""What people type (names, addresses, questions) and what staff write (notes, messages to applicants) is
shown as text on every staff page: lists, change pages, history, previews of e-mails, the front page's
panel. Downloads are files, never pages. And a confirmation page acts only on what it listed, whatever
the page was made to contain."""

import json

import pytest
from django.core import mail
from django.urls import reverse
from django.utils.html import escape

from enrollment import services
from enrollment.models import Application, Cohort, Program
from tests.staff.actions import choose, confirmation_data
from tests.staff.conftest import change_url, changelist, make_cohort, make_program, submit

pytestmark = pytest.mark.django_db

INPUT = "<input type=hidden name=_selected_action value=1>"
FORM = "<form action=/x>"
META = "<meta http-equiv=refresh content=0;url=/x>"
TEXTAREA = "</textarea><textarea>"
PAYLOADS = [INPUT, FORM, META, TEXTAREA]
EVERYTHING = " ".join(PAYLOADS)


def assert_shown_as_text(response, *shown):
    """No payload is in the page as markup; each of `shown` is there, escaped."""
    assert response.status_code == 200
    page = response.content.decode()
    for payload in PAYLOADS:
        assert payload not in page, payload
    for payload in shown:
        assert escape(payload) in page, payload


@pytest.fixture
def typed(levels, officer):
    """An application, a withdrawn application and an enquiry carrying markup in every field a person
    types, with notes, an edit and a message to the applicant in their history."""
    program = make_program(level=levels["emt"], slug="emt", name="EMT")
    cohort = make_cohort(program=program, capacity=1, code="EMT-TYPED")
    application = submit(
        cohort,
        first_name=INPUT,
        last_name=FORM,
        address_line1=META,
        address_line2=TEXTAREA,
    )
    waiting = submit(cohort, first_name=TEXTAREA, last_name=META)
    services.application_note_add(application=application, text=EVERYTHING, by=officer)
    application.city = FORM
    services.application_update(application=application, fields=["city"], by=officer)
    withdrawn = submit(make_cohort(program=program, capacity=1), first_name=META, last_name=INPUT)
    services.application_withdraw(application=withdrawn, notify=True, message=EVERYTHING, by=officer)
    enquiry = services.enquiry_submit(
        name=f"{INPUT} {FORM}", email="typed@example.org", message=EVERYTHING, program=program, notify=False
    )
    services.enquiry_note_add(enquiry=enquiry, text=EVERYTHING, by=officer)
    return {
        "cohort": cohort,
        "application": application,
        "waiting": waiting,
        "withdrawn": withdrawn,
        "enquiry": enquiry,
    }


def test_the_application_list_shows_names_as_text(admissions_client, typed):
    assert_shown_as_text(admissions_client.get(changelist()), INPUT, FORM, META, TEXTAREA)


def test_an_application_page_shows_details_notes_and_history_as_text(admissions_client, typed):
    response = admissions_client.get(change_url(typed["application"]))
    assert_shown_as_text(response, *PAYLOADS)
    page = response.content.decode()
    assert f"{escape('Springfield')} → {escape(FORM)}" in page  # the edit, in the history
    assert page.count(escape(EVERYTHING)) == 1  # the note


def test_the_message_to_the_applicant_is_text_in_the_history(admissions_client, typed):
    response = admissions_client.get(change_url(typed["withdrawn"]))
    assert_shown_as_text(response, META, INPUT)
    assert f"Message to the applicant: {escape(EVERYTHING)}" in response.content.decode()


def test_the_enquiry_list_and_page_show_the_question_and_notes_as_text(admissions_client, typed):
    assert_shown_as_text(admissions_client.get(changelist("enquiry")), f"{INPUT} {FORM}")
    response = admissions_client.get(change_url(typed["enquiry"], "enquiry"))
    assert_shown_as_text(response, f"{INPUT} {FORM}")
    assert response.content.decode().count(escape(EVERYTHING)) == 2  # the question and the note


def test_a_cohort_page_shows_the_roster_names_as_text(admissions_client, typed):
    assert_shown_as_text(admissions_client.get(change_url(typed["cohort"], "cohort")), *PAYLOADS)


def test_the_front_page_panel_and_the_cohort_list_show_program_names_as_text(admissions_client, typed):
    Program.objects.filter(pk=typed["cohort"].program_id).update(name=FORM)
    response = admissions_client.get(reverse("admin:index"))
    assert_shown_as_text(response, FORM)
    assert "EMT-TYPED" in response.content.decode()
    assert_shown_as_text(admissions_client.get(changelist("cohort")), FORM)


@pytest.mark.parametrize(
    "action",
    [
        "action_application_hold",
        "action_application_waitlist",
        "action_application_withdraw",
        "action_application_decline",
    ],
)
def test_a_confirmation_page_and_its_e_mail_preview_show_names_and_the_message_as_text(
    admissions_client, typed, action
):
    # A free seat, so that offering one is possible too (the others do not need it).
    Cohort.objects.filter(pk=typed["cohort"].pk).update(capacity=2)
    applications = [typed["application"], typed["waiting"]]
    first = choose(admissions_client, action, applications)
    assert_shown_as_text(first, INPUT, FORM, TEXTAREA, META)

    preview = admissions_client.post(
        changelist(), confirmation_data(first, button="preview", message=EVERYTHING)
    )
    assert_shown_as_text(preview, INPUT, FORM)
    page = preview.content.decode()
    assert "The e-mails that will be sent" in page
    assert escape(EVERYTHING) in page
    assert escape(f"Hello {INPUT}") in page or escape(f"Hello {TEXTAREA}") in page
    assert Application.objects.get(pk=typed["application"].pk).status == "held"


def test_the_e_mail_preview_is_outside_the_confirmation_form(admissions_client, typed):
    page = choose(admissions_client, "action_application_decline", [typed["application"]]).content.decode()
    form_start = page.index('<form id="status-change-form"')
    form_end = page.index("</form>", form_start)
    preview = page.index('class="staff-email"')
    assert not form_start < preview < form_end


def test_the_export_confirmation_shows_the_name_as_text(admissions_client, typed):
    export = reverse("admin:enrollment_application_export", args=[typed["application"].pk])
    assert_shown_as_text(admissions_client.get(export), INPUT, FORM)


def test_downloads_are_attachments_that_no_browser_shows_as_a_page(admissions_client, typed):
    roster = admissions_client.get(reverse("admin:enrollment_cohort_roster", args=[typed["cohort"].pk]))
    assert roster["Content-Type"] == "text/csv; charset=utf-8"
    assert roster["Content-Disposition"].startswith("attachment;")
    assert roster["X-Content-Type-Options"] == "nosniff"
    assert INPUT in roster.content.decode()  # the names as typed, in a file

    export = admissions_client.post(
        reverse("admin:enrollment_application_export", args=[typed["application"].pk])
    )
    assert export["Content-Type"] == "application/json; charset=utf-8"
    assert export["Content-Disposition"].startswith("attachment;")
    assert export["X-Content-Type-Options"] == "nosniff"
    [person] = json.loads(export.content)["people"]
    assert person["applications"][0]["first_name"] == INPUT


def test_e_mails_carry_typed_text_as_typed_in_text_and_escaped_in_html(
    typed, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.application_decline(application=typed["application"], message=EVERYTHING)
    assert mail.outbox
    for message in mail.outbox:
        assert message.content_subtype == "plain"
        [(html, mimetype)] = message.alternatives
        assert mimetype == "text/html"
        for payload in PAYLOADS:
            assert payload not in html, payload
        assert "\n" not in message.subject
    to_applicant = next(m for m in mail.outbox if m.to == [typed["application"].email])
    assert EVERYTHING in to_applicant.body
    assert escape(EVERYTHING) in to_applicant.alternatives[0].content


# The attack of the review: a name that adds fields to the confirmation form. Whatever fields a page was
# made to send, confirming acts on what the page listed, with the action it named.


@pytest.mark.parametrize(
    "injected",
    [
        {"_selected_action": "victim"},  # <input type=hidden name=_selected_action value=(victim's id)>
        {"select_across": "1"},  # "all the applications of the list"
    ],
)
def test_confirming_changes_only_the_applications_the_page_listed(admissions_client, typed, injected):
    listed, victim = typed["application"], typed["waiting"]
    page = choose(admissions_client, "action_application_decline", [listed])
    data = confirmation_data(page, notify=False)
    for name, value in injected.items():
        data[name] = [*data.get(name, []), str(victim.pk) if value == "victim" else value]

    response = admissions_client.post(changelist(), data, follow=True)

    assert response.status_code == 200
    listed.refresh_from_db()
    victim.refresh_from_db()
    assert listed.status == "declined"
    assert victim.status == "offered"  # offered the seat the decline freed: never declined itself
    assert [event.changes["status"] for event in victim.events.filter(kind="status")] == [
        ["waitlisted", "offered"]
    ]


def test_confirming_runs_the_action_the_page_named(admissions_client, typed):
    listed = typed["application"]  # holds the seat; one person waits behind
    page = choose(admissions_client, "action_application_waitlist", [listed])
    data = confirmation_data(page, notify=False)
    # An injected <input name=action value=...> before the page's own: Django runs the first one.
    data["action"] = ["action_application_decline", *data["action"]]

    admissions_client.post(changelist(), data, follow=True)

    listed.refresh_from_db()
    assert (listed.status, listed.waitlist_position) == ("waitlisted", 1)
