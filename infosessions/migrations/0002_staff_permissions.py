"""The staff groups' permissions on info sessions: Admissions read and change sessions and their sign-ups
(attendance, cancelling) and read the sign-ups' e-mails; content editors add, change and read sessions and
never see who signed up. Written out, like enrollment's 0003 and 0007, so that it means the same thing
whatever the code becomes later."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "Admissions": [
        "view_infosession",
        "change_infosession",
        "view_sessionsignup",
        "change_sessionsignup",
        "view_sessionemail",
    ],
    "Content editors": ["add_infosession", "change_infosession", "view_infosession"],
}


def grant(apps, using, *, only_bare=False):
    """Give the staff groups their permissions on info sessions. With only_bare, only the groups that hold
    none of them: the ones `flush` emptied and enrollment's post_migrate handler made again (a group that
    holds some was set up, and may have been changed by a superuser since: it is left as it is)."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        group = Group.objects.using(using).filter(name=name).first()
        if group is None:
            continue
        if only_bare and group.permissions.filter(content_type__app_label="infosessions").exists():
            continue
        group.permissions.add(
            *Permission.objects.using(using).filter(content_type__app_label="infosessions", codename__in=codenames)
        )


def forwards(apps, schema_editor):
    app_config = apps.get_app_config("infosessions")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, interactive=False, using=schema_editor.connection.alias, apps=apps)
    app_config.models_module = None
    grant(apps, schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("infosessions", "0001_initial"),
        ("enrollment", "0003_staff_groups"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
