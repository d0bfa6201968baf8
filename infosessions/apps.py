from django.apps import AppConfig
from django.apps import apps as global_apps
from django.db.models.signals import post_migrate


def ensure_staff_permissions(sender, using, apps=global_apps, **kwargs):
    """The staff groups' permissions on info sessions come from a data migration (0002); `flush` empties the
    groups, and enrollment's post_migrate handler puts them back with enrollment's permissions only. A staff
    group that holds none of this app's permissions is given them again (this app's handler runs after
    enrollment's: it is installed after it)."""
    if not apps.is_installed("django.contrib.auth"):
        return
    try:
        apps.get_model("infosessions", "SessionSignup")
    except LookupError:  # migrating backwards, before the models the permissions belong to
        return
    from importlib import import_module

    import_module("infosessions.migrations.0002_staff_permissions").grant(apps, using, only_bare=True)


class InfoSessionsConfig(AppConfig):
    name = "infosessions"
    verbose_name = "Info sessions"

    def ready(self):
        from infosessions.personal_data import HOLDER
        from sitetools import personal_data

        personal_data.register(HOLDER)  # in the per-person export and the retention purge
        post_migrate.connect(
            ensure_staff_permissions, sender=self, dispatch_uid="infosessions-staff-permissions"
        )
