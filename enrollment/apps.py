from importlib import import_module

from django.apps import AppConfig
from django.apps import apps as global_apps
from django.conf import settings
from django.core import checks
from django.db.models.signals import post_migrate


def ensure_staff_groups(sender, using, apps=global_apps, **kwargs):
    """The staff groups come from a data migration; `flush` (run between transactional tests, or by an
    operator) empties them without running it again. Put back any group that is missing, after the
    permissions have been created (django.contrib.auth's handler runs first: auth is listed first)."""
    staff_groups = import_module("enrollment.migrations.0003_staff_groups")
    if not apps.is_installed("django.contrib.auth"):
        return
    try:
        apps.get_model("enrollment", "ApplicationEvent")
    except LookupError:  # migrating backwards, before the models the permissions belong to
        return
    made = staff_groups.add_groups(apps, using, only_missing=True)
    if made:
        for later in (
            "0007_admissions_offer_seats",
            "0009_lifecycle_permissions",
            "0012_inbox_permissions",
            "0014_reports_permission",
            "0015_phone_applications_permission",
        ):
            import_module(f"enrollment.migrations.{later}").grant(apps, using, groups=made)


def check_no_request_waits_for_mail(app_configs, **kwargs):
    """A real mail server with the immediate task backend would make every applicant wait for it (and
    for its timeouts when it hangs): warn, as the default never does that (settings.py)."""
    mailer = settings.MAILERS.get("default", {}).get("BACKEND", "")
    backend = settings.TASKS.get("default", {}).get("BACKEND", "")
    if mailer.endswith("smtp.EmailBackend") and backend.endswith("ImmediateBackend"):
        return [
            checks.Warning(
                "E-mails go to an SMTP server but tasks run immediately, in the request: a slow or hanging "
                "mail server makes applicants wait.",
                hint="Unset TASKS_BACKEND (the database backend is the default with EMAIL_HOST) and run "
                "`manage.py db_worker`.",
                id="enrollment.W001",
            )
        ]
    return []


class EnrollmentConfig(AppConfig):
    name = "enrollment"
    verbose_name = "Enrollment"

    def ready(self):
        post_migrate.connect(ensure_staff_groups, sender=self, dispatch_uid="enrollment-staff-groups")
        checks.register(check_no_request_waits_for_mail, checks.Tags.compatibility, deploy=False)
