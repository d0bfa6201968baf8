"""The staff side of the admissions cycle (docs/lifecycle.md, "Staff side"): requirements kept with the program,
an application's checklist (documents downloaded through a permission-checked view, Verify and Reject), the
documents deadline extended and moves between starts with a confirmation, Enrol refused for an incomplete
student, an application taken by phone, likely duplicates, the roster's checklist at a glance, overdue holds on
the front page, the retention purge and the export."""

import csv
import io
import json
import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from enrollment import services
from enrollment.models import (
    Application,
    ApplicationEvent,
    ChecklistItem,
    Document,
    EmailNotification,
    Requirement,
    documents_storage,
)
from tests.enrollment.conftest import make_cohort, make_program, post_data, submit, today
from tests.signin import sign_in
from tests.staff import conftest as staff
from tests.staff.actions import choose, confirm, form_fields
from tests.staff.conftest import change_form_data, change_url, changelist, make_staff

pytestmark = pytest.mark.django_db

# The staff tests' signed-in clients per group.
officer, admissions_client = staff.officer, staff.admissions_client
editor, editor_client = staff.editor, staff.editor_client

Status = Application.Status
State = ChecklistItem.State
PDF = b"%PDF-1.7\n" + b"0" * 64
PAYLOAD = '<input name="x" autofocus onfocus="alert(1)">'


def bls_program(level, **fields):
    """A program whose CPR-BLS card must be valid through the last day, and a diploma."""
    program = make_program(level=level, requirements=(), **fields)
    program.requirements.create(name="CPR-BLS card", expiry=Requirement.Expiry.END, order=1)
    program.requirements.create(name="High-school diploma", order=2)
    return program


@pytest.fixture
def program(levels):
    return bls_program(levels["emt"], name="EMT")


@pytest.fixture
def held(program):
    """A held seat whose applicant sent a BLS card."""
    cohort = make_cohort(program=program, capacity=5, code="EMT-SPRING")
    application = submit(cohort, first_name="Robin", last_name="Held")
    card = item_named(application, "CPR-BLS card")
    services.document_upload(item=card, uploaded=SimpleUploadedFile("bls-card.pdf", PDF))
    return application


def item_named(application, name):
    return application.checklist.select_related("requirement").get(requirement__name=name)


def item_url(application, item):
    return reverse("admin:enrollment_application_checklist_item", args=[application.pk, item.pk])


def download_url(application, document):
    return reverse("admin:enrollment_application_document", args=[application.pk, document.pk])


def reload(application):
    return Application.objects.get(pk=application.pk)


# Requirements, kept by content editors with the program


def test_a_content_editor_keeps_a_programs_requirements_on_its_page(editor_client, program):
    url = reverse("admin:enrollment_program_change", args=[program.pk])
    page = editor_client.get(url)
    assert page.status_code == 200
    assert "CPR-BLS card" in page.content.decode()

    data = change_form_data(page)
    prefix = next(
        inline.formset.prefix
        for inline in page.context["inline_admin_formsets"]
        if inline.formset.model is Requirement
    )
    total = int(data[f"{prefix}-TOTAL_FORMS"])
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": total + 1,
            f"{prefix}-{total}-name": "Background check",
            f"{prefix}-{total}-guidance": "Through the state's portal.",
            f"{prefix}-{total}-document_required": "on",
            f"{prefix}-{total}-expiry": "start",
            f"{prefix}-{total}-order": "3",
        }
    )
    # The existing requirements as the page shows them.
    for number, requirement in enumerate(program.requirements.all()):
        data.update(
            {
                f"{prefix}-{number}-name": requirement.name,
                f"{prefix}-{number}-order": requirement.order,
                f"{prefix}-{number}-expiry": requirement.expiry,
            }
        )
        if requirement.document_required:
            data[f"{prefix}-{number}-document_required"] = "on"
    response = editor_client.post(url, data)

    assert response.status_code == 302, response.context and response.context["errors"]
    added = program.requirements.get(name="Background check")
    assert (added.expiry, added.document_required, added.guidance) == (
        "start",
        True,
        "Through the state's portal.",
    )


def test_a_content_editor_never_sees_an_applicants_checklist_or_documents(editor_client, held):
    item = item_named(held, "CPR-BLS card")
    document = item.documents.get()
    assert editor_client.get(change_url(held)).status_code == 403
    assert editor_client.get(item_url(held, item)).status_code == 403
    assert editor_client.get(download_url(held, document)).status_code == 403
    page = editor_client.get(reverse("admin:enrollment_program_change", args=[held.cohort.program_id]))
    assert held.last_name not in page.content.decode()
    assert "bls-card.pdf" not in page.content.decode()


# The checklist on an application's page


def test_the_application_page_shows_each_item_with_its_state_and_documents(admissions_client, held):
    page = admissions_client.get(change_url(held)).content.decode()
    checklist = page[page.index('id="checklist-heading"') :].split("</section>")[0]
    assert "Checklist: 0 of 2 verified" in checklist
    assert "CPR-BLS card" in checklist and "Sent: to be checked" in checklist
    assert "High-school diploma" in checklist and "Not sent yet" in checklist
    document = Document.objects.get()
    assert f'href="{download_url(held, document)}"' in checklist
    assert "bls-card.pdf" in checklist and "application/pdf" in checklist and "73\xa0bytes" in checklist


def test_admissions_download_a_document_as_an_attachment_from_the_private_storage(admissions_client, held):
    document = Document.objects.get()
    response = admissions_client.get(download_url(held, document))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="bls-card.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    # Never under the static or media URLs: the storage's files have no URL of their own on this site.
    assert not document.file.name.startswith(("static", "media"))


def test_a_document_is_downloaded_only_with_the_permission_and_only_from_its_application(
    client, django_user_model, admissions_client, held, program
):
    document = Document.objects.get()
    other = submit(held.cohort)
    assert admissions_client.get(download_url(other, document)).status_code == 404
    assert (
        admissions_client.get(
            reverse("admin:enrollment_application_document", args=[held.pk, 999999])
        ).status_code
        == 404
    )

    reader = make_staff(django_user_model, "reader")
    reader.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_application", "view_checklistitem"])
    )
    sign_in(client, reader)
    assert client.get(download_url(held, document)).status_code == 403
    page = client.get(change_url(held)).content.decode()
    assert "bls-card.pdf" in page and download_url(held, document) not in page
    assert 'name="verify"' not in page


def test_verifying_with_an_expiry_that_covers_the_course(admissions_client, held):
    item = item_named(held, "CPR-BLS card")
    expiry = held.cohort.end_date + timedelta(days=200)
    response = admissions_client.post(
        item_url(held, item),
        {f"item-{item.pk}-verify-expiry_date": expiry.isoformat(), "verify": "Verify"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == change_url(held)
    assert "CPR-BLS card: verified." in response.content.decode()
    item.refresh_from_db()
    assert (item.state, item.expiry_date) == (State.VERIFIED, expiry)
    event = held.events.filter(kind=ApplicationEvent.Kind.CHECKLIST).first()
    assert event.actor.username == "officer" and event.description.startswith("CPR-BLS card: Verified")


def test_an_expiry_that_does_not_cover_the_course_is_flagged(admissions_client, held):
    item = item_named(held, "CPR-BLS card")
    short = held.cohort.end_date - timedelta(days=1)
    response = admissions_client.post(
        item_url(held, item),
        {f"item-{item.pk}-verify-expiry_date": short.isoformat(), "verify": "Verify"},
        follow=True,
    )
    page = response.content.decode()
    assert "does not cover the course" in page and "cannot be enrolled" in page
    assert "Does not cover the course" in page  # on the item itself
    assert services.checklist_missing(reload(held)) == ["CPR-BLS card", "High-school diploma"]


def test_verifying_an_item_with_an_expiry_needs_the_date(admissions_client, held):
    item = item_named(held, "CPR-BLS card")
    response = admissions_client.post(item_url(held, item), {"verify": "Verify"})
    assert response.status_code == 400
    assert "Enter the expiry date you read on the document." in response.content.decode()
    item.refresh_from_db()
    assert item.state == State.SUBMITTED


def test_rejecting_tells_the_applicant_why_by_email_and_on_the_page(
    admissions_client, held, django_capture_on_commit_callbacks
):
    item = item_named(held, "CPR-BLS card")
    with django_capture_on_commit_callbacks(execute=True):
        response = admissions_client.post(
            item_url(held, item),
            {f"item-{item.pk}-reject-reason": "The card is not signed", "reject": "Reject"},
            follow=True,
        )
    assert "not accepted. The applicant was e-mailed" in response.content.decode()
    item.refresh_from_db()
    assert (item.state, item.note) == (State.REJECTED, "The card is not signed")
    assert EmailNotification.objects.filter(
        application=held, kind=EmailNotification.Kind.CHECKLIST_UPDATE
    ).exists()
    assert any("The card is not signed" in message.body for message in mail.outbox)
    assert held.events.filter(
        kind="checklist", actor__username="officer", description__contains="not signed"
    ).exists()


def test_a_closed_applications_checklist_is_no_longer_checked_nor_the_applicant_emailed(
    admissions_client, held, django_capture_on_commit_callbacks
):
    item = item_named(held, "CPR-BLS card")
    services.application_withdraw(application=held, notify=False)
    with django_capture_on_commit_callbacks(execute=True):
        rejected = admissions_client.post(
            item_url(held, item),
            {f"item-{item.pk}-reject-reason": "Blurred", "reject": "Reject"},
            follow=True,
        )
        verified = admissions_client.post(
            item_url(held, item),
            {"verify": "Verify", f"item-{item.pk}-verify-expiry_date": "2030-01-01"},
            follow=True,
        )
    for response in (rejected, verified):
        assert "is closed (withdrawn): its checklist is no longer checked." in response.content.decode()
    item.refresh_from_db()
    assert item.state == State.SUBMITTED
    assert not EmailNotification.objects.filter(kind=EmailNotification.Kind.CHECKLIST_UPDATE).exists()


def test_a_rejection_needs_a_reason(admissions_client, held):
    item = item_named(held, "CPR-BLS card")
    response = admissions_client.post(
        item_url(held, item), {f"item-{item.pk}-reject-reason": "  ", "reject": "Reject"}
    )
    assert response.status_code == 400
    assert "Say why it is not accepted" in response.content.decode()


def test_checking_needs_the_permission_and_csrf(client, django_user_model, held):
    item = item_named(held, "CPR-BLS card")
    reader = make_staff(django_user_model, "reader")
    reader.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_application", "view_checklistitem"])
    )
    sign_in(client, reader)
    assert client.post(item_url(held, item), {"verify": "Verify"}).status_code == 403

    strict = Client(enforce_csrf_checks=True)
    sign_in(strict, make_staff(django_user_model, "strict", group="Admissions"))
    assert strict.post(item_url(held, item), {"verify": "Verify"}).status_code == 403
    item.refresh_from_db()
    assert item.state == State.SUBMITTED


def test_an_item_of_another_application_is_not_found(admissions_client, held):
    other = submit(held.cohort)
    item = item_named(held, "CPR-BLS card")
    assert admissions_client.post(item_url(other, item), {"verify": "Verify"}).status_code == 404


def test_file_names_and_reasons_are_shown_as_text(admissions_client, held):
    item = item_named(held, "High-school diploma")
    services.document_upload(item=item, uploaded=SimpleUploadedFile(f"{PAYLOAD}.pdf", PDF))
    services.checklist_item_reject(item=item, reason=PAYLOAD, by=None)
    for url in (change_url(held), item_url(held, item)):
        page = admissions_client.get(url).content.decode()
        assert PAYLOAD not in page
        assert "&lt;input name=&quot;x&quot; autofocus" in page


# Actions with a confirmation: the documents deadline, a move, enrolment


def choose_and_confirm(client, action, applications, *, url=None, **choice):
    """Choose the action, make the choice on the confirmation page, preview, then confirm."""
    page = choose(client, action, applications, url=url)
    assert page.status_code == 200, page.status_code
    data = form_fields(page)
    data.pop("csrfmiddlewaretoken", None)
    data.pop("notify", None)
    data.update({name: [value] for name, value in choice.items()})
    preview = client.post(url or changelist(), {**data, "preview": ["yes"]})
    data["apply"] = ["yes"]
    return preview, client.post(url or changelist(), data, follow=True)


def test_admissions_extend_the_documents_deadline_of_held_seats(admissions_client, held):
    until = held.cohort.start_date - timedelta(days=3)
    preview, response = choose_and_confirm(
        admissions_client, "action_hold_extend", [held], until=until.isoformat()
    )
    assert "Documents deadline moved" in preview.content.decode()
    assert reload(held).hold_until == until
    assert "1 application(s) given a new documents deadline" in response.content.decode()
    assert held.events.filter(kind="hold", actor__username="officer").exists()


def test_a_documents_deadline_in_the_past_is_refused(admissions_client, held):
    before = reload(held).hold_until
    _, response = choose_and_confirm(
        admissions_client, "action_hold_extend", [held], until=(today() - timedelta(days=1)).isoformat()
    )
    assert response.status_code == 400
    assert "Choose a day after today" in response.content.decode()
    assert reload(held).hold_until == before


def test_extending_is_refused_for_a_seat_that_is_not_held(admissions_client, program):
    cohort = make_cohort(program=program, capacity=1)
    submit(cohort)
    waiting = submit(cohort)
    _, response = choose_and_confirm(
        admissions_client,
        "action_hold_extend",
        [waiting],
        until=(cohort.start_date - timedelta(days=2)).isoformat(),
    )
    assert "only a held seat can be" in response.content.decode()


def test_admissions_move_an_application_to_another_start_of_the_program(
    admissions_client, held, django_capture_on_commit_callbacks
):
    later = make_cohort(program=held.cohort.program, capacity=3, code="EMT-FALL", starts_in=120)
    with django_capture_on_commit_callbacks(execute=True):
        preview, response = choose_and_confirm(
            admissions_client,
            "action_application_move",
            [held],
            url=change_url(held),
            cohort=str(later.pk),
            notify="on",
        )
    assert "Moved from EMT-SPRING to EMT-FALL" in preview.content.decode()
    moved = reload(held)
    assert (moved.cohort_id, moved.status) == (later.pk, Status.HELD)
    assert "1 application(s) moved" in response.content.decode()
    assert moved.events.filter(kind="moved", actor__username="officer").exists()
    assert any(held.email in message.to for message in mail.outbox)


def test_a_move_to_another_programs_start_is_refused(admissions_client, held, levels):
    other = make_cohort(program=bls_program(levels["emr"]), capacity=3, code="PARA-1")
    # Not offered on the page; sent anyway, it is a choice the form does not take.
    _, response = choose_and_confirm(
        admissions_client, "action_application_move", [held], cohort=str(other.pk)
    )
    assert response.status_code == 400
    assert "Choose one of the starts listed" in response.content.decode()
    # Two programs selected at once: the start is offered for one, and refused, by the service, for the other.
    para = submit(make_cohort(program=other.program, capacity=3, code="PARA-2"))
    _, response = choose_and_confirm(
        admissions_client, "action_application_move", [held, para], cohort=str(other.pk)
    )
    page = response.content.decode()
    assert "An application moves only to another start of the same program." in page
    assert reload(held).cohort.code == "EMT-SPRING" and reload(para).cohort_id == other.pk


def test_enrol_is_refused_with_the_missing_items_for_an_incomplete_student(admissions_client, held):
    response = confirm(admissions_client, "action_application_enrol", [held])
    page = response.content.decode()
    assert (
        f"{held.reference} cannot be enrolled yet: CPR-BLS card, High-school diploma are not verified."
        in page
    )
    assert reload(held).status == Status.HELD


def test_enrol_goes_through_once_every_item_is_verified(admissions_client, held):
    for item in services.checklist_sync(held):
        services.checklist_item_verify(
            item=item, expiry_date=held.cohort.end_date + timedelta(days=1), by=None
        )
    response = confirm(admissions_client, "action_application_enrol", [held])
    assert "1 application(s) enrolled" in response.content.decode()
    assert reload(held).status == Status.ENROLLED


# An application taken by phone


def phone_url(program):
    return f"{reverse('admin:enrollment_application_add')}?program={program.pk}"


def test_admissions_enter_an_application_taken_by_phone(
    admissions_client, program, django_capture_on_commit_callbacks
):
    cohort = make_cohort(program=program, capacity=1, code="EMT-PHONE")
    form = admissions_client.get(phone_url(program))
    assert form.status_code == 200 and "Enter the application" in form.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = admissions_client.post(
            phone_url(program), post_data(cohort, email="caller@example.org"), follow=True
        )
    application = Application.objects.get(email="caller@example.org")
    assert response.redirect_chain[-1][0] == change_url(application)
    assert (application.status, application.cohort_id) == (Status.HELD, cohort.pk)
    assert (
        f"Application {application.reference} entered for EMT-PHONE: a held seat" in response.content.decode()
    )
    event = application.events.get(kind=ApplicationEvent.Kind.SUBMITTED)
    assert event.actor.username == "officer" and event.description.startswith("Entered by staff")
    assert application.checklist.count() == 2
    assert any("caller@example.org" in message.to for message in mail.outbox)


def test_a_phone_application_keeps_how_the_caller_heard_of_the_school_and_no_visit(
    admissions_client, program
):
    cohort = make_cohort(program=program, capacity=1)
    admissions_client.post(
        phone_url(program),
        post_data(cohort, email="heard@example.org", heard_about="friend", utm_source="staff-page"),
        HTTP_REFERER="https://elsewhere.example.net/?utm_source=x",
    )
    application = Application.objects.get(email="heard@example.org")
    assert application.heard_about == "friend"
    assert (application.utm_source, application.referrer_host) == ("", "")


def test_a_phone_application_to_a_full_start_joins_the_waitlist(admissions_client, program):
    cohort = make_cohort(program=program, capacity=1)
    submit(cohort)
    admissions_client.post(phone_url(program), post_data(cohort, email="late@example.org"))
    assert Application.objects.get(email="late@example.org").waitlist_position == 1


def test_a_phone_application_gets_the_public_forms_checks(admissions_client, program):
    cohort = make_cohort(program=program, capacity=3)
    existing = submit(cohort, email="twice@example.org")
    response = admissions_client.post(phone_url(program), post_data(cohort, email="twice@example.org"))
    assert response.status_code == 400
    assert (
        f"already has a live application to {cohort.code}: {existing.reference}" in response.content.decode()
    )

    too_young = post_data(cohort, date_of_birth=(today() - timedelta(days=365 * 16)).isoformat())
    response = admissions_client.post(phone_url(program), too_young)
    assert response.status_code == 400 and "at least 18" in response.content.decode()

    no_consent = post_data(cohort)
    del no_consent["consent_data_processing"]
    response = admissions_client.post(phone_url(program), no_consent)
    assert (
        response.status_code == 400 and "Ask the applicant for their agreement" in response.content.decode()
    )
    assert Application.objects.count() == 1


def test_only_admissions_enter_applications(editor_client, program):
    make_cohort(program=program)
    assert editor_client.get(phone_url(program)).status_code == 403


# Likely duplicates


def test_likely_duplicates_are_flagged_in_the_list_and_listed_on_the_page(
    admissions_client, program, django_assert_max_num_queries
):
    spring = make_cohort(program=program, capacity=5, code="EMT-A")
    fall = make_cohort(program=program, capacity=5, code="EMT-B", starts_in=100)
    first = submit(
        spring, first_name="Jamie", last_name="Rivera", email="jamie@example.org", phone="555 111 2222"
    )
    same_person = submit(
        fall, first_name="JAMIE", last_name="rivera", email="j.rivera@example.net", phone="555 999 0000"
    )
    same_phone = submit(
        spring, first_name="Alex", last_name="Other", email="alex@example.org", phone="(555) 111-2222"
    )
    stranger = submit(
        spring, first_name="Sam", last_name="Stranger", email="sam@example.org", phone="555 333 4444"
    )
    for number in range(5):
        submit(
            spring,
            first_name=f"Filler{number}",
            email=f"filler{number}@example.org",
            phone=f"555 444 000{number}",
        )

    # 13: the list's own queries, with the source filter's one grouped query (tests/staff/test_sources.py).
    with django_assert_max_num_queries(13):
        page = admissions_client.get(f"{changelist()}?duplicates=yes").content.decode()
    flagged = set(re.findall(r'class="field-reference"><a href="[^"]*">(EMS-[A-Z0-9]{6})<', page))
    assert flagged == {first.reference, same_person.reference, same_phone.reference}
    assert "Possible duplicate" in page and stranger.reference not in page

    page = admissions_client.get(change_url(first)).content.decode()
    section = page[page.index('id="duplicates-heading"') :].split("</section>")[0]
    assert same_person.reference in section and "same name and date of birth" in section
    assert same_phone.reference in section and "same phone number" in section
    assert stranger.reference not in section


def test_the_same_address_is_not_a_duplicate_but_another_record(admissions_client, program):
    cohort = make_cohort(program=program, capacity=5)
    first = submit(cohort, email="one@example.org", phone="555 777 8888")
    withdrawn = services.application_withdraw(application=first, notify=False)
    again = submit(cohort, email="one@example.org", phone="555 777 8888")
    page = admissions_client.get(change_url(again)).content.decode()
    section = page[page.index('id="duplicates-heading"') :].split("</section>")[0]
    assert withdrawn.reference not in section and "None found." in section


# The roster's checklist at a glance; overdue holds on the front page


def test_the_roster_shows_each_students_checklist_at_a_glance(
    admissions_client, held, django_assert_max_num_queries
):
    complete = submit(held.cohort, first_name="Casey", last_name="Complete")
    for item in services.checklist_sync(complete):
        services.checklist_item_verify(item=item, expiry_date=held.cohort.end_date, by=None)
    for _ in range(4):
        submit(held.cohort)
    url = reverse("admin:enrollment_cohort_change", args=[held.cohort_id])
    with django_assert_max_num_queries(20):
        page = admissions_client.get(url).content.decode()
    roster = page[page.index(held.reference) :].split("</tr>")[0]
    assert "0 of 2 verified" in roster and "Not verified: CPR-BLS card, High-school diploma" in roster
    roster = page[page.index(complete.reference) :].split("</tr>")[0]
    assert "2 of 2 verified" in roster and "Not verified" not in roster

    rows = list(
        csv.reader(
            io.StringIO(
                admissions_client.get(
                    reverse("admin:enrollment_cohort_roster", args=[held.cohort_id])
                ).content.decode("utf-8-sig")
            )
        )
    )
    by_reference = {row[0]: row for row in rows[1:]}
    assert rows[0][-2:] == ["checklist", "not verified"]
    assert by_reference[held.reference][-2:] == ["0 of 2 verified", "CPR-BLS card; High-school diploma"]
    assert by_reference[complete.reference][-2:] == ["2 of 2 verified", ""]


def test_overdue_holds_are_on_the_front_page_for_admissions(admissions_client, editor, held):
    page = admissions_client.get(reverse("admin:index")).content.decode()
    assert "0</strong> held seats past the documents deadline" in page
    # Its deadline passed (the clock of the signed-in session stays: its second factor would expire).
    Application.objects.filter(pk=held.pk).update(hold_until=today() - timedelta(days=2))
    page = admissions_client.get(reverse("admin:index")).content.decode()
    assert "1</strong> held seat past the documents deadline" in page
    listed = admissions_client.get(f"{changelist()}?documents=overdue").content.decode()
    assert held.reference in listed
    editor_client = sign_in(Client(), editor)
    assert "documents deadline" not in editor_client.get(reverse("admin:index")).content.decode()


# The retention purge and the per-applicant export


def test_the_retention_purge_deletes_the_documents_files_with_the_records(held):
    storage = Document._meta.get_field("file").storage
    assert storage.location == documents_storage().location  # the test run's folder
    kept = submit(held.cohort)
    kept_document = services.document_upload(
        item=item_named(kept, "CPR-BLS card"), uploaded=SimpleUploadedFile("kept.pdf", PDF)
    )
    services.application_withdraw(application=held, notify=False)
    Application.objects.filter(pk=held.pk).update(updated_at=timezone.now() - timedelta(days=800))
    purged = Document.objects.get(item__application=held).file.name
    assert storage.exists(purged)

    dry = io.StringIO()
    call_command("purge_personal_data", "--older-than-days=365", stdout=dry)
    assert "Would delete 1 document file(s)" in dry.getvalue() and storage.exists(purged)

    out = io.StringIO()
    call_command("purge_personal_data", "--older-than-days=365", "--execute", stdout=out)
    assert not Application.objects.filter(pk=held.pk).exists()
    assert not Document.objects.filter(file=purged).exists()
    assert not storage.exists(purged)
    assert storage.exists(kept_document.file.name)
    assert "1 document file(s)" in out.getvalue()
    assert "bls-card" not in out.getvalue() and purged not in out.getvalue()


def test_the_export_lists_the_documents_without_their_content(admissions_client, held):
    item = item_named(held, "CPR-BLS card")
    services.checklist_item_verify(item=item, expiry_date=held.cohort.end_date, by=None)
    response = admissions_client.post(reverse("admin:enrollment_application_export", args=[held.pk]))
    data = json.loads(response.content)
    (application,) = data["people"][0]["applications"]
    checklist = {entry["requirement"]: entry for entry in application["checklist"]}
    (document,) = checklist["CPR-BLS card"]["documents"]
    assert document["name"] == "bls-card.pdf"
    assert (document["type"], document["size_bytes"], document["state"]) == (
        "application/pdf",
        len(PDF),
        "Verified",
    )
    assert document["uploaded_at"]
    assert checklist["High-school diploma"] == {
        "requirement": "High-school diploma",
        "state": "Not sent yet",
        "expiry_date": None,
        "reason_not_accepted": "",
        "checked_at": None,
        "documents": [],
    }
    assert "%PDF" not in response.content.decode() and "file" not in document


def test_a_requirement_students_have_items_for_cannot_be_deleted_and_the_page_says_why(editor_client, held):
    program = held.cohort.program
    url = reverse("admin:enrollment_program_change", args=[program.pk])
    page = editor_client.get(url)
    data = change_form_data(page)
    prefix = next(
        inline.formset.prefix
        for inline in page.context["inline_admin_formsets"]
        if inline.formset.model is Requirement
    )
    for number, requirement in enumerate(program.requirements.all()):
        data.update(
            {
                f"{prefix}-{number}-name": requirement.name,
                f"{prefix}-{number}-order": requirement.order,
                f"{prefix}-{number}-expiry": requirement.expiry,
                f"{prefix}-{number}-document_required": "on",
            }
        )
    data[f"{prefix}-0-DELETE"] = "on"
    response = editor_client.post(url, data)
    assert response.status_code == 200
    text = response.content.decode()
    assert "CPR-BLS card" in text and Requirement.objects.filter(name="CPR-BLS card").exists()
    assert held.last_name not in text and held.reference not in text
    assert "“CPR-BLS card” is on 1 applicant checklist(s), so it cannot be deleted" in text
    assert "protected related objects" not in text
