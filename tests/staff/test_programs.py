"""Content editors keep programs current in the admin: what they write keeps its paragraphs, a save
logs only what changed, and a draft can be previewed as its public page before it is published."""

import json

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from enrollment.models import Program
from tests.signin import sign_in
from tests.staff.conftest import change_form_data, change_url, make_cohort, make_program, submit

pytestmark = pytest.mark.django_db

TEXTS = ["description", "advice", "format_details"]


def as_a_browser_sends(data, names=TEXTS):
    """A text area's line breaks as browsers send them: CRLF."""
    return {name: value.replace("\n", "\r\n") if name in names else value for name, value in data.items()}


@pytest.fixture
def program(levels):
    return make_program(
        level=levels["emt"],
        slug="emt",
        name="EMT",
        description="What the course covers.\n\nWho it is for.",
        advice="Start early.\nAsk us.",
        format_details="Classroom.\nClinical shifts.",
    )


def test_a_description_saved_from_a_browser_keeps_its_paragraphs(editor_client, program):
    page = editor_client.get(change_url(program, "program"))
    data = change_form_data(
        page, description="First paragraph.\r\n\r\nSecond paragraph,\r\nwith a line break."
    )

    response = editor_client.post(change_url(program, "program"), data)

    assert response.status_code == 302
    program.refresh_from_db()
    assert program.description == "First paragraph.\n\nSecond paragraph,\nwith a line break."
    assert program.description_paragraphs == ["First paragraph.", "Second paragraph,\nwith a line break."]
    public = editor_client.get(program.get_absolute_url()).content.decode()
    assert "<p>First paragraph.</p>" in public
    assert "<p>Second paragraph,<br>with a line break.</p>" in public


def test_saving_a_program_unchanged_logs_no_change(editor_client, program):
    before = {name: getattr(program, name) for name in TEXTS}
    page = editor_client.get(change_url(program, "program"))

    response = editor_client.post(change_url(program, "program"), as_a_browser_sends(change_form_data(page)))

    assert response.status_code == 302
    program.refresh_from_db()
    assert {name: getattr(program, name) for name in TEXTS} == before
    entry = LogEntry.objects.get(object_id=str(program.pk))
    assert json.loads(entry.change_message) == []  # "No fields changed."


def test_a_changed_text_is_logged_alone(editor_client, program):
    page = editor_client.get(change_url(program, "program"))
    data = as_a_browser_sends(change_form_data(page, advice="Start early.\nAsk us about grants."))

    editor_client.post(change_url(program, "program"), data)

    entry = LogEntry.objects.get(object_id=str(program.pk))
    assert json.loads(entry.change_message) == [{"changed": {"fields": ["Advice"]}}]


def test_a_staff_note_written_on_several_lines_is_stored_with_plain_line_breaks(admissions_client, program):
    application = submit(make_cohort(program=program))
    page = admissions_client.get(change_url(application))
    data = change_form_data(page, **{"notes-0-text": "Called back.\r\nWill send the CPR card."})
    data["notes-TOTAL_FORMS"] = 1

    assert admissions_client.post(change_url(application), data).status_code == 302

    assert application.notes.get().text == "Called back.\nWill send the CPR card."


# Drafts: staff who edit programs preview the public page; visitors get 404 until it is published.


def preview_url(program):
    return reverse("admin:enrollment_program_preview", args=[program.pk])


@pytest.fixture
def draft(levels):
    program = make_program(level=levels["emt"], slug="draft-emt", name="Night EMT", is_published=False)
    make_cohort(program=program, code="NIGHT-1")
    return program


def test_staff_who_edit_programs_preview_a_draft_as_its_public_page(editor_client, draft):
    response = editor_client.get(preview_url(draft))

    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Night EMT course</h1>" in page
    assert "Draft: not public." in page
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert 'rel="canonical"' not in page
    assert "application/ld+json" not in page
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_visitors_never_see_a_draft_even_after_staff_previewed_it(client, editor, draft):
    sign_in(client, editor)
    assert client.get(preview_url(draft)).status_code == 200
    assert client.get(draft.get_absolute_url()).status_code == 404  # the public page stays a 404 for staff
    client.logout()
    client.cookies.clear()

    assert client.get(draft.get_absolute_url()).status_code == 404
    response = client.get(preview_url(draft))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_staff_who_cannot_change_programs_get_no_preview(admissions_client, draft):
    assert admissions_client.get(preview_url(draft)).status_code == 403


def test_view_on_site_leads_to_the_preview_for_a_draft_and_the_public_page_once_published(
    editor_client, draft
):
    page = editor_client.get(change_url(draft, "program"))
    assert page.context["has_absolute_url"]
    assert page.context["absolute_url"] == preview_url(draft)

    Program.objects.filter(pk=draft.pk).update(is_published=True)
    page = editor_client.get(change_url(draft, "program"))
    assert page.context["absolute_url"] == draft.get_absolute_url()
    assert editor_client.get(draft.get_absolute_url()).status_code == 200


def test_a_preview_address_with_no_such_program_is_not_found(editor_client, draft):
    assert (
        editor_client.get(reverse("admin:enrollment_program_preview", args=[draft.pk + 1000])).status_code
        == 404
    )
    assert editor_client.get(reverse("admin:enrollment_program_preview", args=["abc"])).status_code == 404
