"""The site's admin: Django's AdminSite with the school's name, the staff's second sign-in factor
(staffauth), Admissions' reports page (reports/), and a check that every model admin registered with it is
guarded (sitetools.modeladmin)."""

from django.conf import settings
from django.contrib import admin
from django.core import checks
from django.urls import path

from sitetools.modeladmin import SchoolModelAdmin
from staffauth.adminsite import SecondFactorAdminSiteMixin


class SchoolAdminSite(SecondFactorAdminSiteMixin, admin.AdminSite):
    # The school's name where Django says "Django administration" (settings.SCHOOL, read per request).
    site_header = property(lambda self: settings.SCHOOL["NAME"])
    site_title = property(lambda self: f"{settings.SCHOOL['NAME']} staff")
    index_title = "Staff pages"

    def get_urls(self):
        # Admissions' reports: a page of the admin's, not a model's (reports/views.py checks the permission).
        reports = path("reports/", self.admin_view(self.reports_view), name="reports")
        return [reports, *super().get_urls()]

    def reports_view(self, request):
        from reports.views import reports_view  # the site is made before the models are ready

        return reports_view(request, self)

    def each_context(self, request):
        from reports.views import can_view_reports

        context = super().each_context(request)
        context["can_view_reports"] = can_view_reports(request.user)
        return context

    def check(self, app_configs):
        errors = super().check(app_configs)
        for model, model_admin in self._registry.items():
            if not isinstance(model_admin, SchoolModelAdmin):
                errors.append(
                    checks.Error(
                        f"The admin of {model._meta.label} ({type(model_admin).__qualname__}) is not a "
                        "SchoolModelAdmin, so tampered addresses could crash its pages.",
                        hint="Inherit sitetools.modeladmin.SchoolModelAdmin, or register the package's admin "
                        "again as a subclass of it (see emsprogram/admin.py).",
                        obj=type(model_admin),
                        id="emsprogram.E001",
                    )
                )
        return errors
