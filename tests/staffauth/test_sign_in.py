"""The admin's sign-in in two steps: password, then a code from the app or a recovery code."""

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from staffauth import services
from staffauth.models import GroupSignInRule
from tests.signin import app_code, enrolled_device
from tests.staffauth.conftest import code_step, password_step

pytestmark = pytest.mark.django_db


def wrong_code(device):
    return f"{(int(app_code(device)) + 1) % 1000000:06d}"


def signed_in(client):
    return client.get(reverse("admin:index")).status_code == 200


def test_the_right_password_alone_signs_nobody_in_who_must_use_a_second_factor(client, officer):
    enrolled_device(officer)
    response = password_step(client)
    assert response["Location"] == reverse("admin:second-factor-code")
    assert SESSION_KEY not in client.session
    assert not signed_in(client)
    assert client.get(reverse("admin:enrollment_application_changelist")).status_code == 302


def test_the_password_and_the_app_code_sign_in_and_land_on_next(client, officer):
    device = enrolled_device(officer)
    password_step(client, next_url="/admin/enrollment/application/")
    response = code_step(client, app_code(device))
    assert response.status_code == 302
    assert response["Location"] == "/admin/enrollment/application/"
    assert signed_in(client)


def test_a_code_is_accepted_once(client, officer):
    device = enrolled_device(officer)
    code = app_code(device)
    password_step(client)
    code_step(client, code)
    client.post(reverse("admin:logout"))
    password_step(client)
    response = code_step(client, code)
    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()


def test_a_wrong_code_is_refused_with_a_message_at_the_field(client, officer):
    device = enrolled_device(officer)
    password_step(client)
    response = code_step(client, wrong_code(device))
    assert response.status_code == 200
    page = response.content.decode()
    assert "That code is not right" in page
    assert 'aria-invalid="true"' in page
    assert not signed_in(client)


def test_a_code_of_the_wrong_shape_says_what_a_code_looks_like(client, officer):
    enrolled_device(officer)
    password_step(client)
    response = code_step(client, "12ab")
    assert "The code is 6 digits" in response.content.decode()


def test_after_a_wrong_code_the_next_is_checked_only_after_a_wait(client, officer, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 60  # a wait longer than the test's steps take on a busy machine
    device = enrolled_device(officer)
    password_step(client)
    code_step(client, wrong_code(device))
    response = code_step(client, app_code(device))
    assert re.search(r"wait \d+ seconds?, then", response.content.decode())
    assert not signed_in(client)


def test_a_recovery_code_signs_in_once(client, officer):
    enrolled_device(officer)
    codes = services.recovery_codes_replace(user=officer)
    password_step(client)
    response = code_step(client, codes[3].upper(), step="second-factor-recovery")
    assert response.status_code == 302
    front_page = client.get(reverse("admin:index"))
    assert front_page.status_code == 200
    assert f"{len(codes) - 1} unused codes left" in front_page.content.decode()

    client.post(reverse("admin:logout"))
    password_step(client)
    response = code_step(client, codes[3], step="second-factor-recovery")
    assert response.status_code == 200
    assert "used already" in response.content.decode()
    assert not signed_in(client)


def test_the_second_step_expires(client, officer, settings):
    device = enrolled_device(officer)
    settings.STAFFAUTH_SIGN_IN_SECONDS = 0
    password_step(client)
    response = code_step(client, app_code(device))
    assert response["Location"] == reverse("admin:login")
    assert not signed_in(client)


def test_the_second_step_without_the_password_step_goes_to_the_login(client):
    response = client.get(reverse("admin:second-factor-code"))
    assert response["Location"] == reverse("admin:login")
    assert client.get(reverse("admin:second-factor-enrol"))["Location"] == reverse("admin:login")


def test_a_password_change_between_the_steps_ends_the_sign_in(client, officer):
    device = enrolled_device(officer)
    password_step(client)
    officer.set_password("another-long-password-entirely")
    officer.save()
    assert code_step(client, app_code(device))["Location"] == reverse("admin:login")


def test_staff_whose_groups_do_not_require_it_sign_in_with_the_password(client, officer):
    GroupSignInRule.objects.filter(group__in=officer.groups.all()).update(second_factor_required=False)
    response = password_step(client)
    assert response["Location"] == "/admin/"
    assert signed_in(client)


def test_a_session_from_before_the_second_factor_is_signed_out(client, officer):
    client.force_login(officer)  # a session signed in with the password alone
    assert client.get(reverse("admin:index"))["Location"].startswith(reverse("admin:login"))
