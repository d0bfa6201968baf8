"""What the admin site needs for the second factor: its login view is the two-step sign-in, and the
steps after the password live at the admin's own addresses (admin:second-factor-*)."""

from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpResponseRedirect
from django.urls import path, reverse


class SecondFactorAdminSiteMixin:
    def login(self, request, extra_context=None):
        # Django's AdminSite.login, with the password step of staffauth in place of LoginView.
        from staffauth.views import PasswordStepView

        redirect_url = PasswordStepView().get_redirect_url(request) or reverse(
            "admin:index", current_app=self.name
        )
        if request.method == "GET" and self.has_permission(request):
            return HttpResponseRedirect(redirect_url)
        context = {
            **self.each_context(request),
            "title": "Log in",
            "subtitle": None,
            "app_path": request.get_full_path(),
            "username": request.user.get_username(),
            REDIRECT_FIELD_NAME: redirect_url,
            **(extra_context or {}),
        }
        request.current_app = self.name
        return PasswordStepView.as_view(
            extra_context=context,
            authentication_form=self.login_form or PasswordStepView.form_class,
            template_name=self.login_template or PasswordStepView.template_name,
        )(request)

    def get_urls(self):
        from staffauth import views

        steps = [
            path("sign-in/code/", views.AppCodeView.as_view(admin_site=self), name="second-factor-code"),
            path(
                "sign-in/recovery-code/",
                views.RecoveryCodeView.as_view(admin_site=self),
                name="second-factor-recovery",
            ),
            path("sign-in/enrol/", views.EnrolView.as_view(admin_site=self), name="second-factor-enrol"),
        ]
        return steps + super().get_urls()
