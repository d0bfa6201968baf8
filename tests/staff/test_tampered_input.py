"""Old bookmarks and hand-edited admin addresses get a clear answer, never a server error: filters given
values of the wrong type, date drill-downs beyond the calendar, ids that are not ids, actions on a
selection that names no record. Every list of the admin is tried, ours and Django's own."""

from io import StringIO
from unittest import mock

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from enrollment.admin.applications import CHANGE_FORM_ACTION
from enrollment.models import Application, Cohort
from sitetools.modeladmin import FILTERS_DROPPED, SchoolModelAdmin
from tests.signin import sign_in
from tests.staff.actions import choose, confirmation_data
from tests.staff.conftest import changelist, listed_references

pytestmark = pytest.mark.django_db

WRONG_VALUES = ["abc", "a\x00b", "1.5", "99999999999999999999999", "-1", "", "\x00", "[]", "2026-13-45"]

DRILL_DOWNS_OFF_THE_CALENDAR = [
    {"year": "9999"},
    {"year": "9999", "month": "12"},
    {"year": "9999", "month": "12", "day": "31"},
    {"year": "0"},
    {"year": "-5"},
    {"year": "99999999999999999999"},
    {"year": "2026", "month": "13"},
    {"year": "2026", "month": "2", "day": "30"},
    {"year": "abc"},
]


@pytest.fixture
def site_with_content(db):
    call_command("load_demo_content", stdout=StringIO())


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("root-admin", "root@staff.example.org", "unused")


@pytest.fixture
def superuser_client(client, superuser):
    return sign_in(client, superuser)


def registered_admins():
    return sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


def confirm_action(client, action, selected, *, url=None, **extra):
    """What the confirmation page of a status change posts, for the applications `selected` (ids)."""
    data = {"action": action, "_selected_action": selected, "confirmation": "1", "apply": "yes", **extra}
    return client.post(url or changelist(), data, follow=True)


def changelist_of(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def filter_parameters(model_admin, request):
    """The query parameters the list filters of a changelist read."""
    names = set()
    for spec in model_admin.get_changelist_instance(request).filter_specs:
        names.update(spec.expected_parameters())
    return sorted(names)


def test_every_list_filter_given_a_wrong_value_shows_the_whole_list_and_says_why(
    superuser_client, superuser, rf, site_with_content
):
    server_errors, tried = [], 0
    for model, model_admin in registered_admins():
        request = rf.get("/")
        request.user = superuser
        for parameter in filter_parameters(model_admin, request):
            for value in WRONG_VALUES:
                tried += 1
                response = superuser_client.get(changelist_of(model), {parameter: value})
                if response.status_code >= 500:
                    server_errors.append((model._meta.label, parameter, value))
                elif response.status_code == 302:
                    assert response["Location"] == f"{changelist_of(model)}?e=1", (parameter, value)
    assert tried > 100  # every admin with filters was reached
    assert server_errors == []


@pytest.mark.parametrize("drill_down", DRILL_DOWNS_OFF_THE_CALENDAR, ids=str)
def test_date_drill_downs_off_the_calendar_show_the_whole_list_and_say_why(
    superuser_client, site_with_content, drill_down
):
    dated = [(model, model_admin) for model, model_admin in registered_admins() if model_admin.date_hierarchy]
    assert {model.__name__ for model, _ in dated} >= {"Application", "Enquiry", "Cohort", "Guide"}
    for model, model_admin in dated:
        query = {f"{model_admin.date_hierarchy}__{part}": value for part, value in drill_down.items()}
        response = superuser_client.get(changelist_of(model), query, follow=True)
        assert response.status_code == 200, model
        assert response.redirect_chain == [(f"{changelist_of(model)}?e=1", 302)], model
        assert FILTERS_DROPPED in response.content.decode(), model


def test_a_program_filter_that_is_not_a_program_id_shows_every_application(admissions_client, full_cohort):
    _, seats, waiting = full_cohort

    response = admissions_client.get(changelist(), {"program": "abc"}, follow=True)

    assert response.status_code == 200
    assert FILTERS_DROPPED in response.content.decode()
    assert sorted(listed_references(response)) == sorted(a.reference for a in seats + waiting)


def test_a_valid_drill_down_still_filters(admissions_client, full_cohort):
    submitted = full_cohort[1][0].submitted_at
    response = admissions_client.get(changelist(), {"submitted_at__year": submitted.year + 1})
    assert response.status_code == 200
    assert listed_references(response) == []
    assert FILTERS_DROPPED not in response.content.decode()


@pytest.mark.parametrize("object_id", ["abc", "1.5", "99999999999999999999999", "0", "-3"])
def test_a_roster_or_export_address_with_no_such_record_is_not_found(
    admissions_client, full_cohort, object_id
):
    roster = reverse("admin:enrollment_cohort_roster", args=[object_id])
    export = reverse("admin:enrollment_application_export", args=[object_id])

    assert admissions_client.get(roster).status_code == 404
    assert admissions_client.get(export).status_code == 404


def test_the_roster_and_export_of_a_real_record_still_download(admissions_client, full_cohort):
    cohort, seats, _ = full_cohort
    assert (
        admissions_client.get(reverse("admin:enrollment_cohort_roster", args=[cohort.pk])).status_code == 200
    )
    export = reverse("admin:enrollment_application_export", args=[seats[0].pk])
    assert admissions_client.get(export).status_code == 200  # what the export covers, and its button
    assert admissions_client.post(export)["Content-Type"] == "application/json; charset=utf-8"


@pytest.mark.parametrize("selected", ["abc", "99999999999999999999999", "1.5"])
def test_an_action_on_a_selection_that_is_not_ids_is_refused_and_changes_nothing(
    superuser_client, site_with_content, selected
):
    before = list(Application.objects.order_by("pk").values_list("pk", "status", "waitlist_position"))
    cohorts = Cohort.objects.count()
    for model, model_admin in registered_admins():
        for action in model_admin.get_actions(model_admin_request(superuser_client, model)):
            response = superuser_client.post(
                changelist_of(model),
                {"action": action, "_selected_action": [selected], "apply": "1", "confirmation": "1"},
            )
            assert response.status_code == 400, (model._meta.label, action)
            assert "Nothing was changed" in response.content.decode(), (model._meta.label, action)
    assert list(Application.objects.order_by("pk").values_list("pk", "status", "waitlist_position")) == before
    assert Cohort.objects.count() == cohorts


def model_admin_request(client, model):
    """A request as the signed-in user of `client`, to ask a model admin which actions it offers."""
    response = client.get(changelist_of(model))
    assert response.status_code == 200
    return response.wsgi_request


def test_a_withdrawal_with_one_good_and_one_bad_id_is_refused_whole(admissions_client, full_cohort):
    _, seats, waiting = full_cohort

    response = admissions_client.post(
        changelist(),
        {
            "action": "action_application_withdraw",
            "_selected_action": [seats[0].pk, "abc"],
            "apply": "1",
            "confirmation": "1",
        },
    )

    assert response.status_code == 400
    seats[0].refresh_from_db()
    waiting[0].refresh_from_db()
    assert seats[0].status == Application.Status.HELD
    assert waiting[0].status == Application.Status.WAITLISTED


@pytest.mark.parametrize(
    "lookup",
    [
        {"email__regex": "(a"},
        {"email__iregex": "*"},
        {"email__regex": "a{99999999999}"},
        {"id__range": "1"},
        {"submitted_at__iso_year": "99999999999999999999"},
        {"cohort__code__regex": "("},
        {"pk__regex": "("},
    ],
    ids=str,
)
def test_lookups_the_admin_does_not_offer_are_refused_with_400(admissions_client, full_cohort, lookup):
    response = admissions_client.get(changelist(), lookup)
    assert response.status_code == 400


def test_lookups_on_other_lists_are_refused_too(superuser_client, site_with_content):
    for url, lookup in [
        (changelist("enquiry"), {"name__iregex": "*"}),
        (changelist("cohort"), {"code__regex": "("}),
        (reverse("admin:roles_guide_changelist"), {"title__regex": "("}),
        (reverse("admin:auth_user_changelist"), {"username__regex": "("}),
        (reverse("admin:django_tasks_database_dbtaskresult_changelist"), {"args_kwargs__contains": "{}"}),
        (changelist("cohort"), {"seats_left_count__regex": "("}),
        (changelist("cohort"), {"accepted_count__iregex": "("}),
        (changelist(), {"failed_emails__regex": "("}),
        (changelist(), {"program__regex": "("}),
    ]:
        assert superuser_client.get(url, lookup).status_code == 400, url


def test_the_filters_the_admin_offers_still_work(admissions_client, full_cohort):
    cohort, seats, waiting = full_cohort
    query = {"cohort__id__exact": cohort.pk, "status__exact": "waitlisted", "submitted_at__isnull": "False"}
    response = admissions_client.get(changelist(), query)
    assert response.status_code == 200
    assert sorted(listed_references(response)) == sorted(a.reference for a in waiting)


def test_an_action_on_applications_that_no_longer_exist_changes_nothing_and_says_so(
    admissions_client, full_cohort
):
    _, seats, _ = full_cohort
    gone = seats[0].pk + 1000
    for action in ("action_application_hold", "export_applicant_data", "assign_to_me"):
        response = admissions_client.post(
            changelist(),
            {"action": action, "_selected_action": [gone], CHANGE_FORM_ACTION: "x"},
            follow=True,
        )
        assert response.status_code == 200, action
        assert "None of the selected items is in this list any more" in response.content.decode(), action
    assert not Application.objects.filter(assigned_to__isnull=False).exists()


def test_saving_editable_columns_with_an_id_that_cannot_be_one_is_refused(
    superuser_client, site_with_content
):
    from enrollment.models import Program

    before = list(Program.objects.order_by("pk").values_list("pk", "order", "is_published"))
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-0-id": "99999999999999999999",
        "form-0-order": "3",
        "form-0-is_published": "on",
        "_save": "Save",
    }
    response = superuser_client.post(changelist("program"), data)
    assert response.status_code == 400
    assert list(Program.objects.order_by("pk").values_list("pk", "order", "is_published")) == before


def test_a_search_with_a_nul_byte_is_answered_not_crashed(admissions_client, full_cohort):
    # The list's search box and the autocomplete of related fields alike: a 400 that says why.
    response = admissions_client.get(changelist(), {"q": "a\x00b"})
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()
    autocomplete = {
        "app_label": "enrollment",
        "model_name": "application",
        "field_name": "cohort",
        "term": "a\x00",
    }
    assert admissions_client.get(reverse("admin:autocomplete"), autocomplete).status_code == 400
    autocomplete["term"] = "EMT"
    assert admissions_client.get(reverse("admin:autocomplete"), autocomplete).json()["results"]


def test_a_related_fields_limit_choices_to_still_filters_its_raw_id_popup(superuser, rf):
    # The popup of a ForeignKey(User, limit_choices_to={"username__startswith": "a"}) asks the user list for
    # ?username__startswith=a: Django allows it, and so does the guard, though startswith is not a filter's.
    from sitetools.modeladmin import SchoolModelAdmin

    class StaffOnlyAdmin(SchoolModelAdmin):
        pass

    model_admin = StaffOnlyAdmin(get_user_model(), admin.site)
    request = rf.get("/")
    request.user = superuser
    with mock.patch.object(get_user_model()._meta, "related_fkey_lookups", [{"username__startswith": "a"}]):
        assert model_admin.lookup_allowed("username__startswith", "a", request)
    assert not model_admin.lookup_allowed("username__startswith", "a", request)


def test_a_group_or_user_form_naming_an_id_past_any_integer_gets_a_form_error(superuser_client, superuser):
    from django.contrib.auth.models import Group

    group = Group.objects.get(name="Admissions")
    page = superuser_client.get(reverse("admin:auth_group_change", args=[group.pk]))
    response = superuser_client.post(
        reverse("admin:auth_group_change", args=[group.pk]),
        {"name": "Admissions", "permissions": ["99999999999999999999"]},
    )
    assert page.status_code == 200
    assert response.status_code == 200
    assert "permissions" in response.context["adminform"].form.errors
    assert group.permissions.exists()

    response = superuser_client.post(
        reverse("admin:auth_user_change", args=[superuser.pk]),
        {"username": superuser.username, "groups": ["99999999999999999999"], "date_joined_0": "2026-01-01"},
    )
    assert response.status_code == 200
    assert "groups" in response.context["adminform"].form.errors


def test_a_filter_with_a_nul_byte_says_why_it_is_refused(admissions_client, full_cohort):
    response = admissions_client.get(changelist(), {"status__exact": "\x00"})
    assert response.status_code == 400
    assert "contains a NUL character" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "extra"),
    [
        ("status__exact=declined", {}),  # the list's filter now leaves the selected row out
        ("q=nobody-matches-this", {"select_across": "1"}),  # "select all" on a list that has become empty
    ],
)
def test_an_action_on_rows_no_longer_in_the_list_changes_nothing_and_says_so(
    admissions_client, full_cohort, query, extra
):
    _, seats, _ = full_cohort
    page = choose(admissions_client, "action_application_withdraw", [seats[0]])
    data = {**confirmation_data(page), **extra}
    response = admissions_client.post(f"{changelist()}?{query}", data, follow=True)
    assert "None of the selected items is in this list any more" in response.content.decode()
    seats[0].refresh_from_db()
    assert seats[0].status == Application.Status.HELD


def test_every_registered_admin_is_guarded_and_the_site_refuses_one_that_is_not():
    from django.contrib.auth.models import Group

    from emsprogram.adminsite import SchoolAdminSite

    assert all(isinstance(model_admin, SchoolModelAdmin) for _, model_admin in registered_admins())
    assert not [e for e in admin.site.check(None) if e.id == "emsprogram.E001"]

    site = SchoolAdminSite(name="check-test")
    site.register(Group, admin.ModelAdmin)
    assert [e.id for e in site.check(None) if e.id == "emsprogram.E001"] == ["emsprogram.E001"]


@pytest.mark.parametrize(
    "url",
    [
        "/admin/axes/accessattempt/?attempt_time__year=9999",
        "/admin/axes/accesslog/?id__range=1",
        "/admin/auth/user/?is_staff__exact=maybe",
        "/admin/auth/group/?permissions__id__exact=99999999999999999999999",
        "/admin/django_tasks_database/dbtaskresult/?status__regex=(",
    ],
)
def test_django_and_other_packages_admin_pages_answer_tampered_addresses_without_a_server_error(
    superuser_client, url
):
    response = superuser_client.get(url)
    assert response.status_code < 500
