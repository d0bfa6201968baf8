"""The two staff groups of DESIGN.md 5, with their permissions.

Admissions: applications, enquiries and their e-mails, notes and history; cohorts and programs to read;
rosters and an applicant's data to export. Content editors: levels, roles, guides, FAQ, programs and
cohorts, and nothing that holds an applicant's personal data. Superusers are for operators.

Permissions are normally created after `migrate` has finished; they are created here first so that the
groups can be given them on a fresh database. The lists are written out (not imported from the apps) so
that this migration means the same thing whatever the code becomes later.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ADMISSIONS = "Admissions"
CONTENT_EDITORS = "Content editors"

CRUD = ("add", "change", "delete", "view")

GROUPS = {
    ADMISSIONS: {
        "enrollment": [
            "view_application",
            "change_application",
            "export_applicant_data",
            "view_enquiry",
            "change_enquiry",
            "view_emailnotification",
            "add_applicationnote",
            "view_applicationnote",
            "view_applicationevent",
            "view_cohort",
            "export_roster",
            "view_program",
            "view_programfee",
            "view_programoutcome",
        ],
    },
    CONTENT_EDITORS: {
        "roles": [
            f"{action}_{model}"
            for model in ("certificationlevel", "skill", "role", "guide", "faqtopic", "faq")
            for action in CRUD
        ],
        "enrollment": [
            f"{action}_{model}"
            for model in ("program", "programfee", "programoutcome", "cohort")
            for action in CRUD
        ],
    },
}


def create_groups(apps, schema_editor):
    using = schema_editor.connection.alias
    for app_config in apps.get_app_configs():
        # create_permissions skips apps without a models module, which every app of the migration
        # state is: mark it for the duration of the call (the documented workaround).
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, interactive=False, using=using, apps=apps)
        app_config.models_module = None

    add_groups(apps, using)


def add_groups(apps, using, *, only_missing=False):
    """Create the groups with their permissions (returns the names of those it made). With only_missing,
    a group that exists is left as it is (staff may have changed it): that is how enrollment's post_migrate
    handler puts the groups back after `flush`, which empties the tables but does not run this migration
    again (the handler then adds what later migrations granted)."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    made = []
    for name, by_app in GROUPS.items():
        group, created = Group.objects.using(using).get_or_create(name=name)
        if only_missing and not created:
            continue
        made.append(name)
        for app_label, codenames in by_app.items():
            permissions = Permission.objects.using(using).filter(
                content_type__app_label=app_label, codename__in=codenames
            )
            missing = set(codenames) - set(permissions.values_list("codename", flat=True))
            if missing:
                raise RuntimeError(f"Permissions not found for {name}: {', '.join(sorted(missing))}")
            group.permissions.add(*permissions)
    return made


def remove_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.using(schema_editor.connection.alias).filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("roles", "0002_level_hours_optional_ambulance_note"),
        ("enrollment", "0002_notes_history_export_permissions"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
