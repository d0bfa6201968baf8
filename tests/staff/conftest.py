"""Helpers for the staff-side tests: a signed-in client per staff group (the groups come from the data
migration), and the enrollment helpers (levels, programs, cohorts, applicants) of tests/enrollment."""

import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from tests.enrollment import conftest as enrollment
from tests.enrollment.conftest import applicant, make_cohort, make_program, submit  # noqa: F401 (for the tests)
from tests.signin import sign_in

# The enrollment tests' fixtures, shared: levels and the EMT program.
levels = enrollment.levels
emt_program = enrollment.emt_program

ADMISSIONS = "Admissions"
CONTENT_EDITORS = "Content editors"


def make_staff(django_user_model, username, *, group=None, password=None, **fields):
    """A staff user (in `group`); the password is for the tests that sign in through the pages."""
    user = django_user_model.objects.create_user(
        username, f"{username}@staff.example.org", password or "not-used-force-login", is_staff=True, **fields
    )
    if group is not None:
        # The groups are made by enrollment's data migration, with the permissions of DESIGN.md 5.
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def officer(django_user_model):
    return make_staff(django_user_model, "officer", group=ADMISSIONS, first_name="Dana", last_name="Officer")


@pytest.fixture
def editor(django_user_model):
    return make_staff(django_user_model, "editor", group=CONTENT_EDITORS)


@pytest.fixture
def admissions_client(client, officer):
    # Signed in past both factors without the sign-in pages (tests/signin.py); tests/staffauth/ covers those.
    return sign_in(client, officer)


@pytest.fixture
def editor_client(client, editor):
    return sign_in(client, editor)


@pytest.fixture
def full_cohort(emt_program):
    """A cohort of 2 seats, both taken, and 3 people waiting: (cohort, [seat holders], [waiting in order])."""
    cohort = make_cohort(program=emt_program, capacity=2, code="EMT-FULL")
    seats = [submit(cohort) for _ in range(2)]
    waiting = [submit(cohort) for _ in range(3)]
    return cohort, seats, waiting


def changelist(model_name="application"):
    return reverse(f"admin:enrollment_{model_name}_changelist")


def change_url(obj, model_name="application"):
    return reverse(f"admin:enrollment_{model_name}_change", args=[obj.pk])


def listed_references(response):
    """The application references in a changelist page, in the order shown."""
    return re.findall(
        r'class="field-reference"><a href="[^"]*">(EMS-[A-Z0-9]{6})<', response.content.decode()
    )


def change_form_data(response, **changes):
    """The POST a browser would send for an admin change page as rendered, with `changes` applied:
    the form's current values and every inline's management form."""
    data = _form_values(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for key, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{key}"] = value
        for number, inline_form in enumerate(formset.initial_forms):
            # The inline's rows as shown (a program's requirements, say), as the browser sends them back.
            data.update(_form_values(inline_form))
            data[f"{formset.prefix}-{number}-id"] = inline_form.instance.pk
            data[f"{formset.prefix}-{number}-{formset.fk.name}"] = getattr(
                inline_form.instance, formset.fk.attname
            )
    data.update(changes)
    return data


def _form_values(form):
    """What a browser sends for `form`'s fields as rendered (by their names on the page, with any prefix)."""
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        key = form[name].html_name
        if value is None:
            continue
        if isinstance(value, bool):
            if value:
                data[key] = "on"
            continue
        data[key] = field.widget.format_value(value) if hasattr(value, "isoformat") else value
        if field.show_hidden_initial:  # the value the page was opened with, as the browser sends it back
            data[form[name].html_initial_name] = data[key]
    return data
