"""The staff's second sign-in factor in the browser: enrolling the authenticator app (the test computes the
codes the app would show), the recovery codes shown once, signing in with a code and with a recovery code
(which works once), a wrong code refused with a message, and repeated wrong codes locking the account out;
all under the strict CSP, and every page of it scanned by axe-core at 1280 and 375 px."""

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.browser.chromium import DESKTOP, PHONE
from tests.browser.helpers import (
    STAFF_PASSWORD,
    assert_no_axe_violations,
    assert_no_horizontal_scroll,
    goto,
    staff_password_step,
)
from tests.signin import app_code
from tests.staff.conftest import ADMISSIONS, make_staff

RECOVERY_CODE = re.compile(r"^[0-9a-z]{4}(-[0-9a-z]{4}){3}$")


@pytest.fixture
def officer(transactional_db, django_user_model):
    return make_staff(django_user_model, "officer", group=ADMISSIONS, password=STAFF_PASSWORD)


def password_step(page):
    staff_password_step(page, "officer")


def type_code(page, code, label="Code from your authenticator app", button="Sign in"):
    page.get_by_label(label).fill(code)
    page.get_by_role("button", name=button).click()


def sign_out(page):
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", name="Logged out")).to_be_visible()


def enrol(page, officer):
    """The first sign-in: the password, then the QR code and a code the app computes from its key."""
    password_step(page)
    expect(page).to_have_url(re.compile(r"/admin/sign-in/enrol/$"))
    expect(page.get_by_role("img", name=re.compile("QR code"))).to_be_visible()
    device = TOTPDevice.objects.get(user=officer, confirmed=False)
    type_code(page, app_code(device), button="Confirm and sign in")
    expect(page.get_by_role("heading", name="Save your recovery codes")).to_be_visible()
    return device


def test_enrol_then_sign_in_with_a_code_and_with_a_recovery_code(page, officer, policy_errors):
    enrol(page, officer)
    codes = [text.strip() for text in page.locator(".second-factor-codes code").all_inner_texts()]
    assert len(codes) == 10 and all(RECOVERY_CODE.match(code) for code in codes)
    page.get_by_role("link", name=re.compile("I have saved them")).click()
    expect(page.get_by_role("heading", name="Staff pages")).to_be_visible()

    # Shown once: the page is not kept (no-store), and enrolment does not open again.
    goto(page, "/admin/sign-in/enrol/")
    expect(page).to_have_url(re.compile(r"/admin/$"))
    assert not any(code in page.content() for code in codes)
    sign_out(page)

    # Signing in with a code from the app (the next one: each code works once).
    password_step(page)
    expect(page.get_by_role("heading", name="Sign-in code")).to_be_visible()
    type_code(page, app_code(TOTPDevice.objects.get(user=officer), steps_ahead=1))
    expect(page.get_by_role("heading", name="Staff pages")).to_be_visible()
    sign_out(page)

    # Signing in with a recovery code, which then works no more.
    password_step(page)
    page.get_by_role("link", name="Use a recovery code instead").click()
    type_code(page, codes[0], label="Recovery code")
    expect(
        page.get_by_text(re.compile("signed in with a recovery code; 9 unused codes left"))
    ).to_be_visible()
    sign_out(page)
    password_step(page)
    page.get_by_role("link", name="Use a recovery code instead").click()
    type_code(page, codes[0], label="Recovery code")
    expect(page.get_by_text(re.compile("has been used already"))).to_be_visible()

    assert not policy_errors


def test_a_wrong_code_is_refused_and_repeated_wrong_codes_lock_the_account_out(
    page, officer, policy_errors, settings
):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # no wait between the wrong codes (tests/staffauth covers it)
    enrol(page, officer)
    page.get_by_role("link", name=re.compile("I have saved them")).click()
    sign_out(page)

    password_step(page)
    device = TOTPDevice.objects.get(user=officer)
    wrong = f"{(int(app_code(device)) + 3) % 1000000:06d}"
    type_code(page, wrong)
    code_field = page.get_by_label("Code from your authenticator app")
    expect(code_field).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_text(re.compile("That code is not right"))).to_be_visible()

    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        type_code(page, wrong)
    expect(page.get_by_role("heading", name="Sign-in temporarily locked")).to_be_visible()
    password_step(page)
    expect(page.get_by_role("heading", name="Sign-in temporarily locked")).to_be_visible()

    # The only errors of the journey are the lockout's answers (429, and the console's note of them).
    assert all("429" in error for error in policy_errors), policy_errors


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["1280px", "375px"])
def test_every_page_of_the_sign_in_has_no_axe_violations(new_context, officer, settings, size):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    page = new_context(bypass_csp=True, **size).new_page()

    def scan(heading):
        expect(page.get_by_role("heading", name=heading, level=1)).to_be_visible()
        assert_no_axe_violations(page)
        assert_no_horizontal_scroll(page)

    goto(page, "/admin/login/")
    scan("Log in")
    password_step(page)
    scan("Set up your authenticator app")
    type_code(page, "12", button="Confirm and sign in")  # a mistake, so the page with an error is scanned too
    scan("Set up your authenticator app")
    device = TOTPDevice.objects.get(user=officer, confirmed=False)
    type_code(page, app_code(device), button="Confirm and sign in")
    scan("Save your recovery codes")
    page.get_by_role("link", name=re.compile("I have saved them")).click()
    sign_out(page)

    password_step(page)
    scan("Sign-in code")
    type_code(page, "000000" if app_code(device) != "000000" else "111111")
    scan("Sign-in code")
    page.get_by_role("link", name="Use a recovery code instead").click()
    scan("Sign in with a recovery code")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        type_code(page, "aaaa-bbbb-cccc-dddd", label="Recovery code")
    scan("Sign-in temporarily locked")
