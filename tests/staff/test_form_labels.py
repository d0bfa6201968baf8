"""Every field of a staff page has a name a screen reader can say, and every description it points at exists:
in the tables of inlines (a program's fees and outcomes, a level's skills, notes) and in the editable columns
of lists, where Django puts fields under a column's header without a label of their own."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from enrollment.models import ProgramFee, ProgramOutcome
from roles.models import Skill
from tests.staff.conftest import change_url, make_cohort, submit

pytestmark = pytest.mark.django_db


class _Fields(HTMLParser):
    """The page's fields (with `template_rows`, also those of the hidden row Django's script copies for "Add
    another": their ids say __prefix__), its labels, its ids and the text of its table headers."""

    def __init__(self, *, template_rows=False):
        super().__init__()
        self.template_rows = template_rows
        self.fields: list[dict] = []
        self.labels: dict[str, str] = {}
        self.ids: set[str] = set()
        self.headers: list[str] = []
        self._label = None
        self._header = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        ident = attrs.get("id") or ""
        if ident:
            self.ids.add(ident)
        if tag == "label" and attrs.get("for"):
            self._label = [attrs["for"], ""]
        elif tag == "th":
            self._header = ""
        elif (
            tag in ("input", "select", "textarea")
            and ident
            and (self.template_rows or "__prefix__" not in ident)
            and attrs.get("type") not in ("hidden", "submit", "button")
        ):
            self.fields.append(attrs)

    def handle_data(self, data):
        if self._label is not None:
            self._label[1] += data
        if self._header is not None:
            self._header += data

    def handle_endtag(self, tag):
        if tag == "label" and self._label is not None:
            self.labels[self._label[0]] = " ".join(self._label[1].split())
            self._label = None
        elif tag == "th" and self._header is not None:
            self.headers.append(self._header.strip())
            self._header = None


def fields_of(response, *, template_rows=False):
    assert response.status_code == 200
    parser = _Fields(template_rows=template_rows)
    parser.feed(response.content.decode())
    return parser


def assert_every_field_named_and_described(page: _Fields, *, prefixes: tuple[str, ...], headers=True):
    """The fields whose ids start with one of `prefixes` (an inline's "id_fees-", a list's "id_form-") each
    have a name, and what they point at exists; with `headers`, no table header of the page is empty."""
    fields = [field for field in page.fields if field["id"].startswith(prefixes)]
    assert fields, f"no field starts with {prefixes}"
    unnamed = [
        field["id"]
        for field in fields
        if field["id"] not in page.labels and not field.get("aria-label") and not field.get("aria-labelledby")
    ]
    assert not unnamed, f"fields without a name: {unnamed}"
    dangling = [
        (field["id"], ident)
        for field in fields
        for ident in (field.get("aria-describedby") or "").split()
        if ident not in page.ids
    ]
    assert not dangling, f"descriptions that do not exist: {dangling}"
    if headers:
        assert "" not in page.headers, f"an empty table header among {page.headers}"


@pytest.fixture
def program_with_fees_and_outcomes(emt_program):
    ProgramFee.objects.create(
        program=emt_program, name="Exam fee", amount=98, note="paid to the NREMT", order=1
    )
    ProgramOutcome.objects.create(
        program=emt_program, measure="exam-pass-rate", percent=84, period="2024 class", order=1
    )
    return emt_program


def test_a_programs_fees_and_outcomes_are_named_after_their_column_and_row(
    editor_client, program_with_fees_and_outcomes
):
    page = fields_of(editor_client.get(change_url(program_with_fees_and_outcomes, "program")))

    assert_every_field_named_and_described(page, prefixes=("id_fees-", "id_outcomes-"))
    assert page.labels["id_fees-0-amount"] == "Amount, Exam fee"
    assert page.labels["id_outcomes-0-measure"].startswith("Measure, Certification exam pass rate")
    assert page.labels["id_fees-0-DELETE"] == "Delete, Exam fee"
    # The help text of a column is shown in its header, and each row's field points at a copy of it.
    fee_note = next(field for field in page.fields if field["id"] == "id_fees-0-note")
    assert fee_note["aria-describedby"] == "id_fees-0-note_helptext"


def test_the_rows_added_by_add_another_are_named_too(editor_client, levels):
    # Django's script copies a hidden row (its ids say __prefix__) and renumbers the copy's ids and labels.
    page = fields_of(editor_client.get(reverse("admin:enrollment_program_add")), template_rows=True)

    assert_every_field_named_and_described(page, prefixes=("id_fees-__prefix__-", "id_outcomes-__prefix__-"))
    assert page.labels["id_fees-__prefix__-amount"] == "Amount, new program fee"


def test_a_levels_skills_are_named(editor_client, levels):
    Skill.objects.create(level=levels["emt"], name="Airway adjuncts", order=1)

    page = fields_of(
        editor_client.get(reverse("admin:roles_certificationlevel_change", args=[levels["emt"].pk]))
    )

    assert_every_field_named_and_described(page, prefixes=("id_skills-",))
    assert page.labels["id_skills-0-name"] == "Name, Airway adjuncts"
    assert page.labels["id_skills-1-name"] == "Name, new skill"


def test_the_box_that_adds_a_staff_note_is_named(admissions_client, emt_program):
    application = submit(make_cohort(program=emt_program), notify=False)

    page = fields_of(admissions_client.get(change_url(application)))

    assert_every_field_named_and_described(page, prefixes=("id_notes-",))
    assert page.labels["id_notes-0-text"] == "Note, new staff note"


def test_the_editable_columns_of_a_list_are_named_after_their_column_and_row(
    editor_client, program_with_fees_and_outcomes
):
    page = fields_of(editor_client.get(reverse("admin:enrollment_program_changelist")))

    # (The box that selects every row is the header of its column.)
    assert_every_field_named_and_described(page, prefixes=("id_form-",), headers=False)
    order = next(field for field in page.fields if field["id"] == "id_form-0-order")
    assert order["aria-label"] == f"Order, {program_with_fees_and_outcomes.name}"
    assert "aria-describedby" not in order  # the help text is not in the list, so nothing points at it
