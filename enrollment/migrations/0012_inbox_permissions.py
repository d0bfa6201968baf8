"""Enquiries as an inbox: Admissions keep the saved answers, answer enquiries from the admin and read the
replies and the enquiries' history. Written out, like 0003's lists, so that it means the same thing whatever
the code becomes later. Every enquiry from before gets the first entry of its history, when it arrived."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "Admissions": {
        "enrollment": [
            "view_enquiryevent",
            "view_enquiryreply",
            "add_enquiryreply",
            *(f"{action}_savedanswer" for action in ("add", "change", "delete", "view")),
        ]
    },
}


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


def received_events(apps, using):
    Enquiry = apps.get_model("enrollment", "Enquiry")
    EnquiryEvent = apps.get_model("enrollment", "EnquiryEvent")
    EnquiryEvent.objects.using(using).bulk_create(
        EnquiryEvent(
            enquiry_id=enquiry_id,
            at=submitted_at,
            kind="received",
            description="Received through the contact form",
        )
        for enquiry_id, submitted_at in Enquiry.objects.using(using)
        .filter(events__isnull=True)
        .values_list("pk", "submitted_at")
        .iterator()
    )


def forwards(apps, schema_editor):
    using = schema_editor.connection.alias
    app_config = apps.get_app_config("enrollment")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, interactive=False, using=using, apps=apps)
    app_config.models_module = None
    grant(apps, using)
    received_events(apps, using)


class Migration(migrations.Migration):
    dependencies = [("enrollment", "0011_enquiry_inbox")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
