"""The admin's sign-in in two steps: the password (Django's form and checks, through django-axes), then
a code from the authenticator app or a recovery code; a first sign-in enrols the app instead. The views
are the admin site's own (staffauth.adminsite), so they share its look and its address."""

from base64 import b32encode

from django.contrib import messages
from django.contrib.auth.views import LoginView
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.generic import FormView
from django_otp.plugins.otp_totp.models import TOTPDevice

from staffauth import services, signin
from staffauth.forms import AppCodeForm, PasswordStepForm, RecoveryCodeForm
from staffauth.models import RecoveryCodeDevice, second_factor_required
from staffauth.qr import qr_code_data_uri

SIGN_IN_AGAIN = "Your sign-in has expired or was not started here: please sign in again."


class AdminSiteMixin:
    admin_site = None
    title = ""

    def get_context_data(self, **kwargs):
        context = {**self.admin_site.each_context(self.request), "title": self.title, "subtitle": None}
        return {**context, **super().get_context_data(**kwargs)}

    def render_to_response(self, context, **kwargs):
        self.request.current_app = self.admin_site.name
        return super().render_to_response(context, **kwargs)


class PasswordStepView(LoginView):
    """Django's admin login form. Someone who must use a second factor is not signed in yet: they go on
    to the code (or, the first time, to enrolling the app); anyone else is signed in as before."""

    form_class = PasswordStepForm
    template_name = "admin/login.html"

    def form_valid(self, form):
        user = form.get_user()
        if not second_factor_required(user):
            return super().form_valid(form)
        signin.pending_start(self.request, user, next_url=self.get_success_url())
        step = "code" if services.has_second_factor(user) else "enrol"
        return HttpResponseRedirect(
            reverse(f"admin:second-factor-{step}", current_app=self.request.current_app)
        )


@method_decorator(never_cache, name="dispatch")
class PendingStepView(AdminSiteMixin, FormView):
    """A step after the right password: needs the pending sign-in, and is refused while the account or
    address is locked out."""

    # The step for someone who has enrolled an authenticator app (True) or has yet to (False).
    for_enrolled = True
    device_model = None  # the user's device that checks this step's code

    def dispatch(self, request, *args, **kwargs):
        self.user = signin.pending_user(request)
        if self.user is None:
            signin.pending_clear(request)
            messages.warning(request, SIGN_IN_AGAIN)
            return redirect("admin:login")
        locked = signin.lockout_response(request, self.user)
        if locked is not None:
            return locked
        if services.has_second_factor(self.user) != self.for_enrolled:
            return redirect(
                "admin:second-factor-code" if not self.for_enrolled else "admin:second-factor-enrol"
            )
        return super().dispatch(request, *args, **kwargs)

    def get_device(self, *, for_verify=False):
        devices = self.device_model.objects.devices_for_user(self.user, confirmed=True)
        return (devices.select_for_update() if for_verify else devices).first()

    def get_form_kwargs(self):
        # On a POST the device's row stays locked until its code is checked and recorded (single use).
        return {
            **super().get_form_kwargs(),
            "device": self.get_device(for_verify=self.request.method == "POST"),
        }

    def post(self, request, *args, **kwargs):
        with transaction.atomic():
            return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        return HttpResponseRedirect(signin.sign_in_complete(self.request, self.user, form.device))

    def form_invalid(self, form):
        if form.refused:
            # Counted as a failed sign-in; when that locks the account out, the axes middleware answers
            # with the lockout page instead of the form.
            signin.code_refused(self.request, self.user)
        return super().form_invalid(form)


class AppCodeView(PendingStepView):
    form_class = AppCodeForm
    device_model = TOTPDevice
    template_name = "admin/staffauth/code.html"
    title = "Sign-in code"


class RecoveryCodeView(PendingStepView):
    form_class = RecoveryCodeForm
    device_model = RecoveryCodeDevice
    template_name = "admin/staffauth/recovery_code.html"
    title = "Sign in with a recovery code"

    def form_valid(self, form):
        left = form.device.codes_left()
        messages.warning(
            self.request,
            f"You signed in with a recovery code; {left} unused code{'s' if left != 1 else ''} left. "
            "If your authenticator app is lost, ask a superuser to reset your second factor.",
        )
        return super().form_valid(form)


class EnrolView(PendingStepView):
    """The first sign-in of someone who must use a second factor: scan the QR code (or type the key),
    then type a code the app shows. Only while no app is enrolled: a password alone never replaces one."""

    form_class = AppCodeForm
    template_name = "admin/staffauth/enrol.html"
    title = "Set up your authenticator app"

    for_enrolled = False

    def get_device(self, *, for_verify=False):
        device = services.totp_enrolment_device(user=self.user)
        if for_verify:
            device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        return device

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        device = context["form"].device
        key = b32encode(device.bin_key).decode()
        context.update(
            qr_code=qr_code_data_uri(device.config_url),
            key_groups=[key[i : i + 4] for i in range(0, len(key), 4)],
        )
        return context

    def form_valid(self, form):
        """Signed in; the new recovery codes are shown in this answer, once: their clear text is stored
        nowhere, not even in the session (so no redirect first)."""
        codes = services.totp_enrolment_confirm(device=form.device)
        next_url = signin.sign_in_complete(self.request, self.user, form.device)
        context = {
            **self.admin_site.each_context(self.request),
            "title": "Save your recovery codes",
            "codes": codes,
            "next_url": next_url,
        }
        return TemplateResponse(self.request, "admin/staffauth/recovery_codes.html", context)
