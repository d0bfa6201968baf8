"""Both staff groups (enrollment's data migration) require the second factor, shown as their sign-in rule.

A group without a rule requires it anyway (staffauth.models.second_factor_required). These rows make the
setting visible, and editable, on each group's page; after `flush`, which empties this table, staffauth's
post_migrate handler puts them back (staffauth/apps.py)."""

from django.db import migrations

STAFF_GROUPS = ["Admissions", "Content editors"]


def add_rules(apps, using):
    """A rule requiring the second factor for each staff group that has none (staffauth's post_migrate
    handler calls this too, after `flush`)."""
    Group = apps.get_model("auth", "Group")
    GroupSignInRule = apps.get_model("staffauth", "GroupSignInRule")
    for group in Group.objects.using(using).filter(name__in=STAFF_GROUPS):
        GroupSignInRule.objects.using(using).get_or_create(group=group, defaults={"second_factor_required": True})


def require_second_factor(apps, schema_editor):
    add_rules(apps, schema_editor.connection.alias)


def remove_rules(apps, schema_editor):
    GroupSignInRule = apps.get_model("staffauth", "GroupSignInRule")
    GroupSignInRule.objects.using(schema_editor.connection.alias).filter(group__name__in=STAFF_GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("staffauth", "0001_initial"),
        ("enrollment", "0003_staff_groups"),
    ]

    operations = [migrations.RunPython(require_second_factor, remove_rules)]
