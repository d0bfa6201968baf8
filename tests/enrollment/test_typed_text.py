"""What people type is checked before it is stored: one line in a single-line field, visible text in a
name, phone numbers that can be dialled, no text the browser could not encode, and e-mail addresses read
as they read whatever the keyboard's width. Staff's own typing in the admin is checked the same way."""

import pytest
from django.test import Client
from django.urls import reverse

from enrollment.models import Application, Enquiry, Program
from tests.enrollment.conftest import enquiry_data, post_data

pytestmark = pytest.mark.django_db


def apply(client, cohort, **changes):
    return client.post(
        reverse("enrollment:apply", kwargs={"slug": cohort.program.slug}), post_data(cohort, **changes)
    )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("first_name", "\u200b\u200b", "This looks empty"),
        ("last_name", "   \u2060 ", "This looks empty"),  # nothing but a word joiner once stripped
        ("first_name", "Ann\nBcc: x@example.org", "Use one line only"),
        ("last_name", "Smith\rJones", "Use one line only"),
        ("city", "Spring\x1b[31mfield", "Remove the invisible control characters"),
        ("address_line1", "1 Main St\tApt 2", "Remove the invisible control characters"),
        ("last_name", "\u202eevil", "Remove the invisible control characters"),
        ("first_name", "Jos\ufffd", "Some characters could not be read"),
        ("phone", "9999-12-31", "Enter a phone number with its area code"),
        ("phone", "1" * 26, "Enter a phone number with its area code"),
        ("phone", "555 0100", "Enter a phone number with its area code"),
        ("phone", "+44 20", "Enter a phone number with its area code"),
        ("phone", "555" + " " * 30 + "010 0123", "Enter a phone number with its area code"),
    ],
)
def test_the_application_form_refuses_text_that_is_not_what_it_asks_for(
    client, cohort, field, value, message
):
    response = apply(client, cohort, **{field: value})

    assert response.status_code == 200
    errors = response.context["form"].errors[field]
    assert len(errors) == 1 and errors[0].startswith(message)
    assert not Application.objects.exists()


@pytest.mark.parametrize("phone", ["555 010 0123", "(555) 010-0123", "1 555 010 0123", "+44 20 7946 0000"])
def test_phone_numbers_as_people_write_them_are_taken(client, cohort, phone):
    assert apply(client, cohort, phone=phone).status_code == 302


@pytest.mark.parametrize("name", ["Zoë", "Nguyễn", "O'Brien-Smith", "李", "محمد"])
def test_names_in_any_script_are_taken(client, cohort, name):
    assert apply(client, cohort, first_name=name).status_code == 302


def test_an_email_address_typed_in_full_width_is_the_address_it_reads_as(client, cohort):
    assert apply(client, cohort, email="ｊｏｒｄａｎ＠ｅｘａｍｐｌｅ．ｏｒｇ").status_code == 302
    assert Application.objects.get().email == "jordan@example.org"


def test_a_form_sent_as_invalid_utf8_is_not_stored_with_replacement_characters(client, cohort):
    body = "&".join(f"{key}={value}" for key, value in post_data(cohort).items() if key != "first_name")
    response = client.post(
        reverse("enrollment:apply", kwargs={"slug": cohort.program.slug}),
        (body + "&first_name=Jos%E9").encode(),  # Latin-1 "é", not UTF-8
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert "could not be read" in response.context["form"].errors["first_name"][0]
    assert not Application.objects.exists()


def test_the_contact_form_refuses_a_name_of_invisible_characters_and_control_characters_in_a_message(client):
    response = client.post(reverse("enrollment:contact"), enquiry_data(name="\u200b", message="Hi\x07 there"))

    errors = response.context["form"].errors
    assert errors["name"] == ["This looks empty: type it with letters or digits."]
    assert errors["message"][0].startswith("Remove the invisible control characters")
    assert not Enquiry.objects.exists()


def test_a_message_keeps_its_line_breaks_and_tabs(client):
    client.post(
        reverse("enrollment:contact"), enquiry_data(message="Two questions:\r\n\t1. cost\r\n\t2. dates")
    )
    assert Enquiry.objects.get().message == "Two questions:\n\t1. cost\n\t2. dates"


@pytest.mark.parametrize("query", ["?program=%00", "?program=emt%00", "?cohort=1%00", "?%00=1"])
def test_an_address_with_a_nul_character_gets_a_400_that_says_why(cohort, query):
    for url in (
        reverse("enrollment:contact"),
        reverse("enrollment:apply", kwargs={"slug": cohort.program.slug}),
    ):
        response = Client().get(url + query)
        assert response.status_code == 400
        assert "NUL character" in response.content.decode()


def test_a_session_cookie_with_a_nul_character_is_ignored_not_looked_up(db, settings):
    """A cookie's value may carry a NUL (written "\\000" inside quotes); looked up as a session key,
    PostgreSQL refused it with a server error on every page that reads the session. It is dropped first:
    the visitor is as one without a session."""
    from django.contrib.sessions.backends.db import SessionStore

    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = "abcdefgh\x00ijklmnop"
    looked_up = []
    original = SessionStore._get_session_from_db

    def record(store):
        looked_up.append(store.session_key)
        return original(store)

    SessionStore._get_session_from_db = record
    try:
        response = client.get("/admin/")
    finally:
        SessionStore._get_session_from_db = original

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert not [key for key in looked_up if key and "\x00" in key]


@pytest.mark.parametrize("slug", ["x" * 51, "emt'--", "é", "emt/../admin"])
def test_a_program_in_the_contact_address_that_cannot_be_one_is_ignored(client, emt_program, slug):
    response = client.get(reverse("enrollment:contact"), {"program": slug})
    assert response.status_code == 200
    assert response.context["form"].initial["program"] is None


def test_the_view_on_site_shortcut_with_a_nul_character_is_refused_not_crashed(admin_client, emt_program):
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_model(Program)
    assert admin_client.get(f"/admin/r/{content_type.pk}/{emt_program.pk}/").status_code == 302
    assert admin_client.get(f"/admin/r/{content_type.pk}/%00/").status_code == 400
    assert admin_client.get(f"/admin/r/{content_type.pk}/99999999999999999999999/").status_code == 404


# The admin: staff type into the same fields.


def test_staff_cannot_store_a_line_break_in_a_programs_name(admin_client, emt_program):
    url = reverse("admin:enrollment_program_change", args=[emt_program.pk])
    page = admin_client.get(url)
    from tests.staff.conftest import change_form_data

    response = admin_client.post(url, change_form_data(page, name="EMT\r\nBasic"))

    assert response.status_code == 200
    assert "Use one line only" in response.content.decode()
    emt_program.refresh_from_db()
    assert emt_program.name == "EMT"


def test_a_program_description_is_stored_with_plain_line_breaks(admin_client, emt_program):
    url = reverse("admin:enrollment_program_change", args=[emt_program.pk])
    page = admin_client.get(url)
    from tests.staff.conftest import change_form_data

    response = admin_client.post(
        url, change_form_data(page, description="First paragraph.\r\n\r\nSecond one.")
    )

    assert response.status_code == 302
    emt_program.refresh_from_db()
    assert emt_program.description == "First paragraph.\n\nSecond one."
    assert emt_program.description_paragraphs == ["First paragraph.", "Second one."]


def test_staff_cannot_store_a_line_break_in_a_fee_added_on_the_programs_page(admin_client, emt_program):
    url = reverse("admin:enrollment_program_change", args=[emt_program.pk])
    from tests.staff.conftest import change_form_data

    data = change_form_data(admin_client.get(url))
    data.update(
        {
            "fees-TOTAL_FORMS": "1",
            "fees-0-name": "Exam\r\nBcc: x@example.org",
            "fees-0-amount": "98",
            "fees-0-order": "0",
        }
    )
    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "Use one line only" in response.content.decode()
    assert not emt_program.fees.exists()


def test_every_field_staff_type_into_on_an_admin_page_is_checked_inlines_included(rf, admin_user):
    """Single-line fields refuse line breaks and control characters, text areas store plain line breaks,
    on the main form and on every inline of every admin page (sitetools.modeladmin.TypedTextFields)."""
    from django.contrib import admin
    from django.core.exceptions import FieldDoesNotExist
    from django.db import models

    from sitetools.modeladmin import AdminTextField
    from sitetools.validators import validate_single_line

    request = rf.get("/admin/")
    request.user = admin_user
    unchecked = []
    for model, model_admin in admin.site._registry.items():
        forms = [(model, model_admin, model_admin.get_form(request))]
        forms += [
            (inline.model, inline, inline.get_formset(request).form)
            for inline in model_admin.get_inline_instances(request)
        ]
        for form_model, owner, form in forms:
            for name, field in form.base_fields.items():
                try:
                    db_field = form_model._meta.get_field(name)
                except FieldDoesNotExist:  # a form field of the form's own
                    continue
                if db_field.choices or getattr(field, "disabled", False):
                    continue
                if isinstance(db_field, models.CharField) and validate_single_line not in field.validators:
                    unchecked.append(f"{type(owner).__name__}.{name}")
                if isinstance(db_field, models.TextField) and not isinstance(field, AdminTextField):
                    unchecked.append(f"{type(owner).__name__}.{name}")
    assert unchecked == []
