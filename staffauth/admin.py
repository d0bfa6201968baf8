"""The second factor in the admin: each group's sign-in rule on the group's page, and a superuser's
"Reset second factor" on a user's page. The authenticator apps themselves are not listed: their secrets
are nobody's to read, and a reset is the one change staff make to them."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from sitetools.modeladmin import SchoolModelAdmin
from staffauth import services
from staffauth.models import GroupSignInRule, RecoveryCodeDevice

User = get_user_model()

if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


class GroupSignInRuleInline(admin.StackedInline):
    model = GroupSignInRule
    can_delete = False
    max_num = 1
    min_num = 1
    verbose_name_plural = "sign-in rule"


# Groups and permissions are ticked in lists of checkboxes, in place of Django's two-box selector: its script
# names its filter boxes with aria-label on plain spans (axe: aria-prohibited-attr), and a list of checkboxes, each
# with its label, is read and used from the keyboard as any form.
TICKED_CHOICES = {models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple}}


class GroupWithSignInRuleAdmin(SchoolModelAdmin, GroupAdmin):
    inlines = [*GroupAdmin.inlines, GroupSignInRuleInline]
    filter_horizontal = ()
    formfield_overrides = TICKED_CHOICES


class StaffUserAdmin(SchoolModelAdmin, UserAdmin):
    filter_horizontal = ()
    formfield_overrides = TICKED_CHOICES

    def get_urls(self):
        reset = path(
            "<path:object_id>/second-factor/reset/",
            self.admin_site.admin_view(self.second_factor_reset_view),
            name="auth_user_second_factor_reset",
        )
        return [reset, *super().get_urls()]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "can_reset_second_factor": request.user.is_superuser}
        return super().change_view(request, object_id, form_url, extra_context)

    def second_factor_reset_view(self, request, object_id):
        """A superuser removes a colleague's authenticator app and recovery codes (a lost phone): their
        next sign-in enrols a new app. Asks first; recorded in the user's history."""
        if not request.user.is_superuser:
            raise PermissionDenied
        user = self.get_object(request, unquote(object_id))
        if user is None:
            raise Http404("No user with this id.")
        change_url = reverse("admin:auth_user_change", args=[user.pk], current_app=self.admin_site.name)
        if user.pk == request.user.pk:
            messages.error(
                request,
                "You cannot reset your own second factor while signed in with it: ask another superuser.",
            )
            return HttpResponseRedirect(change_url)
        if request.method == "POST":
            services.second_factor_reset(user=user, by=request.user)
            messages.success(
                request,
                f"The second factor of “{user.get_username()}” was reset: "
                "they set up an authenticator app again at their next sign-in.",
            )
            return HttpResponseRedirect(change_url)
        recovery = RecoveryCodeDevice.objects.filter(user=user).first()
        context = {
            **self.admin_site.each_context(request),
            "title": "Reset the second factor?",
            "subtitle": None,
            "opts": self.opts,
            "original": user,
            "enrolled": services.has_second_factor(user),
            "recovery_codes_left": recovery.codes_left() if recovery else 0,
            "change_url": change_url,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/auth/user/second_factor_reset.html", context)


admin.site.unregister(Group)
admin.site.register(Group, GroupWithSignInRuleAdmin)
admin.site.unregister(User)
admin.site.register(User, StaffUserAdmin)
