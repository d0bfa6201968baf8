from django.apps import AppConfig
from django.apps import apps as global_apps
from django.db.models.signals import post_migrate


def ensure_group_rules(sender, using, apps=global_apps, **kwargs):
    """The staff groups' sign-in rules come from a data migration (0002); `flush` (between transactional
    tests, or by an operator) empties them, and enrollment's post_migrate handler makes the groups again
    without them. A staff group without a rule requires the second factor anyway; putting the row back keeps
    that visible and editable on the group's page. This app is installed after enrollment, so its handler
    runs once the groups exist. A group that has a rule keeps it as it is."""
    if not apps.is_installed("django.contrib.auth"):
        return
    try:
        apps.get_model("staffauth", "GroupSignInRule")
    except LookupError:  # migrating backwards, before the table exists
        return
    from importlib import import_module

    rules = import_module("staffauth.migrations.0002_staff_groups_require_second_factor")
    rules.add_rules(apps, using)


class StaffauthConfig(AppConfig):
    name = "staffauth"
    verbose_name = "Staff sign-in"

    def ready(self):
        post_migrate.connect(ensure_group_rules, sender=self, dispatch_uid="staffauth-group-rules")
