"""Who must sign in with a second factor, and the recovery codes (hashed) that stand in for the
authenticator app (django-otp's TOTPDevice) when the phone is not at hand."""

import hashlib
import hmac
import secrets

from django.db import models
from django.db.models import Count, Q
from django.utils import timezone
from django_otp.models import Device

# 16 characters of a 32-letter alphabet without look-alikes (no i, l, o, u): 80 random bits per code, far
# beyond guessing, so one SHA-256 is enough to keep them unreadable in the database (a slow password hash
# is for secrets people choose).
RECOVERY_CODE_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"
RECOVERY_CODE_LENGTH = 16


class GroupSignInRule(models.Model):
    """Whether a group's members must use a second factor. A group without a rule must: new groups are
    covered from the start, and so are the staff groups after `flush` recreates them without their rule."""

    group = models.OneToOneField("auth.Group", on_delete=models.CASCADE, related_name="sign_in_rule")
    second_factor_required = models.BooleanField(
        "members must use a second sign-in factor",
        default=True,
        help_text="An authenticator app code (or a recovery code) after the password. "
        "Superusers always need one, whatever their groups.",
    )

    class Meta:
        verbose_name = "sign-in rule"

    def __str__(self):
        return f"{self.group}: second factor {'required' if self.second_factor_required else 'optional'}"


def second_factor_required(user):
    """Superusers always; other staff unless every group they belong to has turned the rule off (a staff
    account in no group at all needs one too: it may hold permissions of its own)."""
    if not (user.is_active and user.is_staff):
        return False
    if user.is_superuser:
        return True
    groups = user.groups.aggregate(
        total=Count("pk"), relaxed=Count("pk", filter=Q(sign_in_rule__second_factor_required=False))
    )
    return groups["relaxed"] < groups["total"] or groups["total"] == 0


def recovery_code_digest(code):
    return hashlib.sha256(code.encode()).hexdigest()


def normalise_recovery_code(text):
    """As printed ("7f3k-9q2m-…"), in capitals, or with spaces: the same code."""
    return "".join(text.split()).replace("-", "").lower()


class RecoveryCodeDevice(Device):
    """A user's set of single-use recovery codes, as one django-otp device: signing in with one of them
    verifies the session like the authenticator app does."""

    class Meta(Device.Meta):
        verbose_name = "recovery codes"
        verbose_name_plural = "recovery codes"

    def verify_token(self, token):
        digest = recovery_code_digest(normalise_recovery_code(token))
        match = None
        # Every unused code is compared, in constant time, whether or not an earlier one matched.
        for code in self.codes.filter(used_at__isnull=True):
            if hmac.compare_digest(code.digest, digest):
                match = code
        if match is None:
            return False
        # Single use, even for two requests at once: only the one that marks it used succeeds.
        return (
            RecoveryCode.objects.filter(pk=match.pk, used_at__isnull=True).update(used_at=timezone.now()) == 1
        )

    def codes_left(self):
        return self.codes.filter(used_at__isnull=True).count()


class RecoveryCode(models.Model):
    device = models.ForeignKey(RecoveryCodeDevice, on_delete=models.CASCADE, related_name="codes")
    digest = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["device", "digest"], name="recovery_code_unique")]

    def __str__(self):
        return "used recovery code" if self.used_at else "recovery code"

    @staticmethod
    def generate():
        """A new code as the person writes it down: four groups of four."""
        raw = "".join(secrets.choice(RECOVERY_CODE_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))
        return "-".join(raw[i : i + 4] for i in range(0, RECOVERY_CODE_LENGTH, 4))
