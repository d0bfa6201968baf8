from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class EmsprogramConfig(AppConfig):
    name = "emsprogram"
    verbose_name = "Site"


class SchoolAdminConfig(admin_apps.AdminConfig):
    """Django's admin with the school's site (emsprogram/adminsite.py: its name, the second factor, and a
    check that every model admin is guarded by sitetools.modeladmin). Named in
    INSTALLED_APPS in place of django.contrib.admin; not this module's default, which stays the one above."""

    default = False
    default_site = "emsprogram.adminsite.SchoolAdminSite"
