"""E-mails become an outbox: written with what caused them, sent by the worker, retried until sent."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def count_past_attempts(apps, schema_editor):
    # Rows from before the outbox each record one attempt that was never retried.
    EmailNotification = apps.get_model("enrollment", "EmailNotification")
    EmailAttempt = apps.get_model("enrollment", "EmailAttempt")
    for notification in EmailNotification.objects.all().iterator():
        notification.attempts = 1
        notification.last_attempt_at = notification.created_at
        if notification.status == "sent":
            notification.sent_at = notification.created_at
        notification.save(update_fields=["attempts", "last_attempt_at", "sent_at"])
        EmailAttempt.objects.create(
            notification=notification,
            at=notification.created_at,
            succeeded=notification.status == "sent",
            error=notification.error,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("enrollment", "0004_enquiry_assignment_and_notes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField("emailnotification", "attempted_at", "created_at"),
        migrations.AlterField(
            model_name="emailnotification",
            name="created_at",
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
        migrations.AlterModelOptions(
            name="emailnotification",
            options={"ordering": ["-created_at", "-id"], "verbose_name": "e-mail", "verbose_name_plural": "e-mails"},
        ),
        migrations.AlterField(
            model_name="emailnotification",
            name="status",
            field=models.CharField(
                choices=[
                    ("pending", "Waiting to be sent"),
                    ("sent", "Sent"),
                    ("failed", "Not sent: every attempt failed"),
                ],
                default="pending",
                max_length=10,
            ),
        ),
        migrations.AlterField(
            model_name="emailnotification",
            name="error",
            field=models.CharField(
                blank=True, help_text="The error's class, when the last attempt failed.", max_length=200
            ),
        ),
        migrations.AddField(
            model_name="emailnotification",
            name="payload",
            field=models.JSONField(
                blank=True,
                default=dict,
                help_text="What the e-mail needs besides its record, e.g. the new status.",
            ),
        ),
        migrations.AddField(
            model_name="emailnotification",
            name="attempts",
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="emailnotification",
            name="next_attempt_at",
            field=models.DateTimeField(
                blank=True, help_text="While waiting: not sent before this time.", null=True
            ),
        ),
        migrations.AddField(
            model_name="emailnotification",
            name="last_attempt_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="emailnotification",
            name="sent_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="emailnotification",
            name="requested_by",
            field=models.ForeignKey(
                blank=True,
                help_text="The staff member who asked for it to be sent again.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddIndex(
            model_name="emailnotification",
            index=models.Index(fields=["status", "next_attempt_at"], name="email_notification_due"),
        ),
        migrations.CreateModel(
            name="EmailAttempt",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("at", models.DateTimeField(default=django.utils.timezone.now)),
                ("succeeded", models.BooleanField()),
                ("error", models.CharField(blank=True, max_length=200)),
                (
                    "notification",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="attempt_log",
                        to="enrollment.emailnotification",
                    ),
                ),
            ],
            options={"ordering": ["at", "id"]},
        ),
        migrations.RunPython(count_past_attempts, migrations.RunPython.noop),
    ]
