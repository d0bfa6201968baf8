"""The second factor's workflows: enrolling the authenticator app, replacing the recovery codes, and a
superuser's reset of a colleague's factor. Each runs in one transaction."""

import logging

from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.db import transaction
from django_otp import devices_for_user
from django_otp.plugins.otp_totp.models import TOTPDevice

from staffauth.models import RecoveryCode, RecoveryCodeDevice, normalise_recovery_code, recovery_code_digest

logger = logging.getLogger(__name__)

AUTHENTICATOR_APP = "Authenticator app"
RESET_MESSAGE = "Second factor reset"


class SecondFactorAlreadyEnrolled(Exception):
    """The user has a confirmed authenticator app: a new one is enrolled only after a reset."""


def has_second_factor(user):
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


@transaction.atomic
def totp_enrolment_device(*, user):
    """The authenticator app being enrolled: the unconfirmed device of an earlier visit (so that a
    reloaded page shows the QR code already scanned), or a new one with a fresh secret."""
    if has_second_factor(user):
        raise SecondFactorAlreadyEnrolled
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_APP, confirmed=False)


@transaction.atomic
def totp_enrolment_confirm(*, device):
    """The person typed a right code from the app: the device counts from now on, and the user gets new
    recovery codes, returned in clear this once (only their hashes are kept)."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.devices_for_user(device.user, confirmed=False).delete()
    logger.info("Second factor enrolled for user id %s", device.user_id)
    return recovery_codes_replace(user=device.user)


@transaction.atomic
def recovery_codes_replace(*, user):
    """A fresh set of recovery codes; the old ones stop working. Returns the codes in clear, to be shown once."""
    RecoveryCodeDevice.objects.filter(user=user).delete()
    device = RecoveryCodeDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    codes = set()
    while len(codes) < settings.STAFFAUTH_RECOVERY_CODES:
        codes.add(RecoveryCode.generate())
    codes = sorted(codes)
    RecoveryCode.objects.bulk_create(
        RecoveryCode(device=device, digest=recovery_code_digest(normalise_recovery_code(code)))
        for code in codes
    )
    return codes


@transaction.atomic
def second_factor_reset(*, user, by):
    """Remove every device of `user` (authenticator app, recovery codes): their next sign-in enrols a new
    app, and sessions verified with the old one are no longer verified. Recorded in the user's history."""
    for device in list(devices_for_user(user, confirmed=None)):
        device.delete()
    LogEntry.objects.log_actions(
        user_id=by.pk,
        queryset=[user],
        action_flag=CHANGE,
        change_message=RESET_MESSAGE,
        single_object=True,
    )
    logger.info("Second factor of user id %s reset by user id %s", user.pk, by.pk)
