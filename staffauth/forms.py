"""The second step's forms: a code from the authenticator app, or a recovery code. Each checks the shape
first (a typo in the shape is not a failed sign-in), then the code against the user's device."""

import re

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django_otp.models import VerifyNotAllowed

from staffauth.models import RECOVERY_CODE_ALPHABET, RECOVERY_CODE_LENGTH, normalise_recovery_code

WRONG_APP_CODE = (
    "That code is not right. Type the 6-digit code your authenticator app shows now for this account "
    "(a code works once, for about 30 seconds)."
)
WRONG_RECOVERY_CODE = (
    "That recovery code is not right, or it has been used already (each works once). "
    "Check it against your saved list."
)
WAIT_AFTER_WRONG_CODES = (
    "After several wrong codes in a row, codes are checked again only after a short wait: "
    "wait {wait}, then type the code the app shows then."
)


class PasswordStepForm(AdminAuthenticationForm):
    """Django's admin login form, with the username's length checked at the field. Django's form only
    tells the browser the limit: a longer username went on to authenticate(), and django-axes' record of
    the failure (a username of at most 255 characters) was refused by PostgreSQL with a server error."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        username.validators.append(MaxLengthValidator(username.max_length))


class SecondFactorForm(forms.Form):
    """Checks `code` against `device` (a django-otp device of the user). `refused` tells a wrong code
    (to be counted as a failed sign-in) from one of the wrong shape."""

    wrong_code = WRONG_APP_CODE

    def __init__(self, *args, device, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device
        self.refused = False

    def clean(self):
        cleaned_data = super().clean()
        if "code" in cleaned_data:
            error = self.check_code(cleaned_data["code"])
            if error is not None:
                self.add_error("code", error)
        return cleaned_data

    def check_code(self, code):
        if self.device is not None:
            allowed, details = self.device.verify_is_allowed()
            if not allowed and details.get("reason") == VerifyNotAllowed.N_FAILED_ATTEMPTS:
                # Not checked, so not a guess: it does not count towards the lockout either.
                seconds = max(1, round((details["locked_until"] - timezone.now()).total_seconds()))
                wait = f"{seconds} second{'s' if seconds != 1 else ''}"
                return forms.ValidationError(WAIT_AFTER_WRONG_CODES.format(wait=wait), code="throttled")
        if self.device is not None and self.device.verify_token(code):
            return None
        self.refused = True
        return forms.ValidationError(self.wrong_code, code="wrong")


class AppCodeForm(SecondFactorForm):
    code = forms.CharField(
        label="Code from your authenticator app",
        help_text="6 digits, for example 123456.",
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True, "size": 8}
        ),
    )

    def clean_code(self):
        code = re.sub(r"\s", "", self.cleaned_data["code"])
        if not re.fullmatch(r"\d{6}", code):
            raise forms.ValidationError(
                "The code is 6 digits (spaces do not matter), for example 123456.", code="shape"
            )
        return code


class RecoveryCodeForm(SecondFactorForm):
    wrong_code = WRONG_RECOVERY_CODE

    code = forms.CharField(
        label="Recovery code",
        help_text="One of the codes you saved when you set up the app, for example 7f3k-9q2m-c4xd-h8tz.",
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false", "autofocus": True}
        ),
    )

    def clean_code(self):
        code = normalise_recovery_code(self.cleaned_data["code"])
        if len(code) != RECOVERY_CODE_LENGTH or set(code) - set(RECOVERY_CODE_ALPHABET):
            raise forms.ValidationError(
                f"A recovery code is {RECOVERY_CODE_LENGTH} letters and digits in groups of four, "
                "for example 7f3k-9q2m-c4xd-h8tz.",
                code="shape",
            )
        return code
