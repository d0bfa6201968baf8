"""A first sign-in sets up the authenticator app, then shows the recovery codes once."""

import base64
import re
from urllib.parse import unquote

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from staffauth.models import RecoveryCode
from tests.emsprogram.test_security_headers import assert_security_headers
from tests.signin import app_code, enrolled_device
from tests.staffauth.conftest import code_step, password_step

pytestmark = pytest.mark.django_db


def test_a_first_sign_in_goes_to_enrolment_and_nowhere_else(client, officer):
    response = password_step(client)
    assert response["Location"] == reverse("admin:second-factor-enrol")
    assert client.get(reverse("admin:second-factor-code"))["Location"] == reverse("admin:second-factor-enrol")
    assert client.get(reverse("admin:index"))["Location"].startswith(reverse("admin:login"))
    assert SESSION_KEY not in client.session


def test_enrolment_shows_the_qr_code_and_the_key_of_one_device_however_often_it_is_opened(client, officer):
    password_step(client)
    first = client.get(reverse("admin:second-factor-enrol"))
    second = client.get(reverse("admin:second-factor-enrol"))
    device = TOTPDevice.objects.get(user=officer)
    assert not device.confirmed
    key = base64.b32encode(device.bin_key).decode()
    for page in (first, second):
        text = page.content.decode()
        assert " ".join(key[i : i + 4] for i in range(0, len(key), 4)) in text
        assert 'src="data:image/svg+xml' in text
    assert first["Cache-Control"] and "no-store" in first["Cache-Control"]


def test_the_enrolment_page_keeps_to_the_strict_csp(client, officer):
    password_step(client)
    response = client.get(reverse("admin:second-factor-enrol"), secure=True)
    assert_security_headers(response)
    page = response.content.decode()
    assert "style=" not in page and "<style" not in page
    assert not re.search(r"<script(?![^>]*\bsrc=)", page), "an inline script"
    assert not re.search(r"\son[a-z]+=", page), "an inline event handler"
    qr = unquote(re.search(r'src="data:image/svg\+xml;charset=utf-8,([^"]+)"', page).group(1))
    assert qr.startswith("<svg") and "<path" in qr
    assert "style" not in qr and "<script" not in qr


def test_a_right_code_enrols_signs_in_and_shows_the_recovery_codes_once(client, officer):
    password_step(client, next_url="/admin/enrollment/cohort/")
    client.get(reverse("admin:second-factor-enrol"))
    device = TOTPDevice.objects.get(user=officer)

    response = code_step(client, app_code(device), step="second-factor-enrol")

    assert response.status_code == 200
    codes = re.findall(r"<code>([0-9a-z]{4}(?:-[0-9a-z]{4}){3})</code>", response.content.decode())
    assert len(codes) == 10
    assert 'href="/admin/enrollment/cohort/"' in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("admin:index")).status_code == 200
    # Stored hashed: no code is in the database, nor in the session.
    digests = set(RecoveryCode.objects.filter(device__user=officer).values_list("digest", flat=True))
    assert len(digests) == 10
    assert not digests & {code.replace("-", "") for code in codes}
    assert not any(code in str(dict(client.session)) for code in codes)


def test_a_wrong_code_at_enrolment_is_refused_and_counted(client, officer):
    password_step(client)
    client.get(reverse("admin:second-factor-enrol"))
    device = TOTPDevice.objects.get(user=officer)
    wrong = f"{(int(app_code(device)) + 1) % 1000000:06d}"
    response = code_step(client, wrong, step="second-factor-enrol")
    assert "That code is not right" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert AccessAttempt.objects.get(username="officer").failures_since_start == 1


def test_a_password_alone_never_enrols_a_second_app(client, officer):
    enrolled_device(officer)
    password_step(client)
    response = client.get(reverse("admin:second-factor-enrol"))
    assert response["Location"] == reverse("admin:second-factor-code")
    assert TOTPDevice.objects.filter(user=officer).count() == 1
