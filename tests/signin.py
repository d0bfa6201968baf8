"""Signing staff in, in tests, with the second factor satisfied.

Staff who must use a second factor (staffauth) are signed out while their session has not passed it, so
`client.force_login(user)` alone no longer reaches the admin. Use `sign_in(client, user)` instead (or the
`admin_client`, `admissions_client` and `editor_client` fixtures, which do): it gives the user a confirmed
authenticator app, as enrolment does, and signs the session in with it, without the sign-in pages."""

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


def sign_in(client, user):
    device = enrolled_device(user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def enrolled_device(user):
    """The user's confirmed authenticator app (made if they have none), as after enrolment."""
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, confirmed=True, defaults={"name": "Authenticator app (tests)"}
    )
    return device


def app_code(device, *, steps_ahead=0):
    """The code the person's app shows now (or `steps_ahead` steps of 30 s later): a code is accepted
    once, so a second sign-in within the same 30 s uses the next one (within the tolerance)."""
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift + steps_ahead):06d}"
