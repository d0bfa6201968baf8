from django.apps import AppConfig


class StaffauthConfig(AppConfig):
    name = "staffauth"
    verbose_name = "Staff sign-in"
