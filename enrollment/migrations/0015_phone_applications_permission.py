"""Admissions enter an application taken by phone in the admin (through the public form's service and
checks): they need to add applications. Written out, like 0003's lists, so that it means the same thing
whatever the code becomes later."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {"Admissions": {"enrollment": ["add_application"]}}


def grant(apps, using, *, groups=None):
    """Give the groups (all of GRANTS, or only those named) their permissions of this migration."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, by_app in GRANTS.items():
        if groups is not None and name not in groups:
            continue
        group = Group.objects.using(using).filter(name=name).first()
        if group is None:
            continue
        for app_label, codenames in by_app.items():
            group.permissions.add(
                *Permission.objects.using(using).filter(content_type__app_label=app_label, codename__in=codenames)
            )


def forwards(apps, schema_editor):
    app_config = apps.get_app_config("enrollment")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, interactive=False, using=schema_editor.connection.alias, apps=apps)
    app_config.models_module = None
    grant(apps, schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("enrollment", "0014_reports_permission")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
