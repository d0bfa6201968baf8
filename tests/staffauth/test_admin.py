"""The second factor in the admin: a superuser's reset of a colleague's factor, and each group's rule."""

import logging
from io import StringIO

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, Permission
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from staffauth import services
from staffauth.models import GroupSignInRule, RecoveryCodeDevice
from tests.signin import enrolled_device, sign_in

pytestmark = pytest.mark.django_db


def reset_url(user):
    return reverse("admin:auth_user_second_factor_reset", args=[user.pk])


@pytest.fixture
def enrolled_officer(officer):
    signed_in = sign_in(Client(), officer)  # the officer's own session, verified with their app
    services.recovery_codes_replace(user=officer)
    return officer, signed_in


def test_a_superuser_resets_a_colleagues_second_factor_and_it_is_in_the_history(
    admin_client, admin_user, enrolled_officer, caplog
):
    officer, officer_client = enrolled_officer
    change_page = admin_client.get(reverse("admin:auth_user_change", args=[officer.pk])).content.decode()
    assert reset_url(officer) in change_page
    confirmation = admin_client.get(reset_url(officer))
    assert "has an authenticator app set up, and 10 unused recovery codes" in confirmation.content.decode()

    with caplog.at_level(logging.INFO):
        response = admin_client.post(reset_url(officer), follow=True)

    assert "was reset" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=officer).exists()
    assert not RecoveryCodeDevice.objects.filter(user=officer).exists()
    entry = LogEntry.objects.get(object_id=str(officer.pk), change_message="Second factor reset")
    assert entry.user == admin_user
    history = admin_client.get(reverse("admin:auth_user_history", args=[officer.pk])).content.decode()
    assert "Second factor reset" in history
    assert f"user id {officer.pk}" in caplog.text
    assert "officer" not in caplog.text.replace(f"user id {officer.pk}", "")
    # The officer's session, verified with the removed app, is signed out.
    assert officer_client.get(reverse("admin:index")).status_code == 302


def test_a_staff_user_who_may_change_users_still_cannot_reset(client, django_user_model):
    manager = django_user_model.objects.create_user("manager", is_staff=True)
    manager.user_permissions.add(*Permission.objects.filter(codename__in=["change_user", "view_user"]))
    colleague = django_user_model.objects.create_user("colleague", is_staff=True)
    enrolled_device(colleague)
    sign_in(client, manager)
    page = client.get(reverse("admin:auth_user_change", args=[colleague.pk])).content.decode()
    assert reset_url(colleague) not in page
    assert client.post(reset_url(colleague)).status_code == 403
    assert client.get(reset_url(colleague)).status_code == 403
    assert TOTPDevice.objects.filter(user=colleague).exists()
    assert not LogEntry.objects.filter(change_message="Second factor reset").exists()


def test_a_superuser_cannot_reset_their_own_factor_while_signed_in_with_it(admin_client, admin_user):
    response = admin_client.post(reset_url(admin_user), follow=True)
    assert "cannot reset your own second factor" in response.content.decode()
    assert TOTPDevice.objects.filter(user=admin_user).exists()


def test_resetting_an_unknown_user_is_a_404(admin_client):
    assert admin_client.get(reverse("admin:auth_user_second_factor_reset", args=[987654])).status_code == 404
    assert admin_client.get("/admin/auth/user/abc/second-factor/reset/").status_code == 404


def test_a_superuser_turns_a_groups_rule_off_on_the_groups_page(admin_client):
    group = Group.objects.get(name="Content editors")
    url = reverse("admin:auth_group_change", args=[group.pk])
    page = admin_client.get(url)
    assert "Members must use a second sign-in factor" in page.content.decode()
    data = {
        "name": group.name,
        "permissions": list(group.permissions.values_list("pk", flat=True)),
        "sign_in_rule-TOTAL_FORMS": "1",
        "sign_in_rule-INITIAL_FORMS": "1",
        "sign_in_rule-MIN_NUM_FORMS": "1",
        "sign_in_rule-MAX_NUM_FORMS": "1",
        "sign_in_rule-0-id": group.sign_in_rule.pk,
        "sign_in_rule-0-group": group.pk,
    }
    assert admin_client.post(url, data).status_code == 302
    assert not GroupSignInRule.objects.get(group=group).second_factor_required


def test_the_authenticator_apps_secrets_are_not_listed_in_the_admin(admin_client):
    page = admin_client.get(reverse("admin:index")).content.decode()
    assert "TOTP" not in page
    assert "/admin/otp_totp/" not in page


def test_an_operator_resets_a_second_factor_on_the_server(enrolled_officer):
    officer, _ = enrolled_officer
    call_command("reset_second_factor", "officer", stdout=StringIO())
    assert not TOTPDevice.objects.filter(user=officer).exists()
    assert LogEntry.objects.filter(object_id=str(officer.pk), change_message="Second factor reset").exists()
    with pytest.raises(CommandError, match="No user named"):
        call_command("reset_second_factor", "nobody", stdout=StringIO())


def test_groups_and_permissions_are_ticked_in_lists_of_checkboxes(admin_client, officer):
    # Django's two-box selector names its filter boxes with aria-label on plain spans (axe:
    # aria-prohibited-attr); a list of checkboxes, each with its label, works as any form does.
    admissions = officer.groups.get()
    pages = {
        "user": admin_client.get(reverse("admin:auth_user_change", args=[officer.pk])).content.decode(),
        "group": admin_client.get(reverse("admin:auth_group_change", args=[admissions.pk])).content.decode(),
    }
    for name, page in pages.items():
        assert "selectfilter" not in page, name
    assert f'<input type="checkbox" name="groups" value="{admissions.pk}"' in pages["user"]
    assert 'type="checkbox" name="user_permissions"' in pages["user"]
    assert 'type="checkbox" name="permissions"' in pages["group"]


def test_a_group_ticked_on_a_users_page_is_saved(admin_client, django_user_model):
    user = django_user_model.objects.create_user("newcomer", "newcomer@staff.example.org", is_staff=True)
    editors = Group.objects.get(name="Content editors")
    data = {
        "username": "newcomer",
        "email": "newcomer@staff.example.org",
        "is_active": "on",
        "is_staff": "on",
        "groups": [editors.pk],
        "date_joined_0": "2026-01-15",
        "date_joined_1": "09:00:00",
    }

    response = admin_client.post(reverse("admin:auth_user_change", args=[user.pk]), data)

    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(user.groups.all()) == [editors]
