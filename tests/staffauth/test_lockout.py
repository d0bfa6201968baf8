"""django-axes covers the second step: a wrong code is a failed sign-in of the account from the address."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from staffauth import services
from tests.signin import app_code, enrolled_device
from tests.staffauth.conftest import code_step, password_step

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_wait_between_codes(settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # the wait after a wrong code is covered in test_sign_in.py


def wrong(device):
    return f"{(int(app_code(device)) + 1) % 1000000:06d}"


def test_repeated_wrong_codes_lock_the_account_out(client, officer, settings):
    device = enrolled_device(officer)
    password_step(client)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert code_step(client, wrong(device)).status_code == 200
    response = code_step(client, wrong(device))
    assert response.status_code == 429
    assert "Sign-in temporarily locked" in response.content.decode()
    # The right password and then the right code are refused too, for the cool-off.
    assert password_step(client).status_code == 429
    assert code_step(client, app_code(device))["Location"] == reverse("admin:login")
    assert client.get(reverse("admin:index")).status_code == 302


def test_wrong_codes_and_wrong_passwords_count_together(client, officer, settings):
    device = enrolled_device(officer)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        password_step(client, password="wrong-password")
    password_step(client)
    assert code_step(client, wrong(device)).status_code == 429


def test_the_right_password_does_not_clear_the_wrong_codes(client, officer, settings):
    """Otherwise the password, known to an attacker, would give endless guesses at the code."""
    device = enrolled_device(officer)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        password_step(client)
        code_step(client, wrong(device))
    password_step(client)
    assert code_step(client, wrong(device)).status_code == 429


def test_a_full_sign_in_clears_the_earlier_failures(client, officer, settings):
    device = enrolled_device(officer)
    password_step(client)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        code_step(client, wrong(device))
    code_step(client, app_code(device))
    client.post(reverse("admin:logout"))
    password_step(client)
    assert code_step(client, wrong(device)).status_code == 200


def test_a_locked_out_second_step_shows_the_lockout_page(client, officer, settings):
    enrolled_device(officer)
    password_step(client)
    AccessAttempt.objects.create(
        username="officer",
        ip_address="203.0.113.7",
        user_agent="<unknown>",
        failures_since_start=settings.AXES_FAILURE_LIMIT,
    )
    response = client.get(reverse("admin:second-factor-code"), REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 429
    assert "Sign-in temporarily locked" in response.content.decode()


def test_wrong_recovery_codes_lock_the_account_out_too(client, officer, settings):
    enrolled_device(officer)
    services.recovery_codes_replace(user=officer)
    password_step(client)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        code_step(client, "aaaa-bbbb-cccc-dddd", step="second-factor-recovery")
    assert code_step(client, "aaaa-bbbb-cccc-dddd", step="second-factor-recovery").status_code == 429


def test_with_a_lockout_per_account_and_address_wrong_codes_lock_that_pair(client, officer, settings):
    """The lockout parameters are django-axes' to choose: the second step reports failures the same way."""
    settings.AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
    device = enrolled_device(officer)
    password_step(client)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        code_step(client, wrong(device))
    assert code_step(client, wrong(device)).status_code == 429
    assert password_step(client).status_code == 429
    assert password_step(client, address="198.51.100.20")["Location"] == reverse("admin:second-factor-code")


def test_a_wrong_code_is_not_kept_in_the_record_of_failures(client, officer):
    """django-axes stores the failed request's form: a mistyped recovery code is nearly a real one."""
    enrolled_device(officer)
    codes = services.recovery_codes_replace(user=officer)
    typo = codes[0][:-1] + ("a" if codes[0][-1] != "a" else "b")
    password_step(client)
    code_step(client, typo, step="second-factor-recovery")
    attempt = AccessAttempt.objects.get(username="officer")
    assert typo not in attempt.post_data
    assert "code" in attempt.post_data
