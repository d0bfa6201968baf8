"""Content editors keep programs current in the admin: what they write keeps its paragraphs, a save
logs only what changed, and a draft can be previewed as its public page before it is published."""

import json

import pytest
from django.contrib.admin.models import LogEntry

from tests.staff.conftest import change_form_data, change_url, make_cohort, make_program, submit

pytestmark = pytest.mark.django_db

TEXTS = ["description", "admission_requirements", "advice", "format_details"]


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
        admission_requirements="A diploma\nA CPR card",
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
