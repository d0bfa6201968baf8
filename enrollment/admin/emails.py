"""E-mails owed, sent and not delivered (admissions only): the outbox of enrollment/outbox.py as staff see it.

An e-mail not delivered means a person has not heard from us: the list shows those first ("Not delivered
yet"), and staff send one or many again with an action."""

from django.contrib import admin, messages

from enrollment import outbox
from enrollment.models import EmailAttempt, EmailNotification, staff_name
from sitetools.modeladmin import SchoolModelAdmin

Status = EmailNotification.Status


class DeliveryFilter(admin.SimpleListFilter):
    title = "delivery"
    parameter_name = "delivery"

    def lookups(self, request, model_admin):
        return [
            ("undelivered", "Not delivered yet (failed at least once)"),
            ("waiting", "Waiting to be sent"),
            ("sent", "Sent"),
        ]

    def queryset(self, request, queryset):
        match self.value():
            case "undelivered":
                return queryset.undelivered()
            case "waiting":
                return queryset.filter(status=Status.PENDING)
            case "sent":
                return queryset.filter(status=Status.SENT)
        return queryset


class EmailNotificationInline(admin.TabularInline):
    """On an application's or an enquiry's page: every e-mail owed to the person, and where it stands."""

    model = EmailNotification
    fields = ["created_at", "kind", "status", "attempts", "error", "sent_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name = "e-mail"
    verbose_name_plural = "e-mails (send one again from the list of e-mails)"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class EmailAttemptInline(admin.TabularInline):
    model = EmailAttempt
    fields = ["at", "succeeded", "error"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        # The attempts are part of the e-mail: whoever may read it (Admissions) reads when and why it failed.
        return request.user.has_perm("enrollment.view_emailnotification")


@admin.register(EmailNotification)
class EmailNotificationAdmin(SchoolModelAdmin):
    list_display = [
        "created_at",
        "kind",
        "status",
        "attempts",
        "error",
        "next_attempt_at",
        "application",
        "enquiry",
    ]
    list_filter = [DeliveryFilter, "status", "kind"]
    search_fields = ["application__reference"]
    search_help_text = "Search by application reference."
    list_select_related = ["application", "enquiry"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "kind",
        "status",
        "application",
        "enquiry",
        "attempts",
        "error",
        "created_at",
        "next_attempt_at",
        "last_attempt_at",
        "sent_at",
        "requested_by_name",
    ]
    fields = readonly_fields
    inlines = [EmailAttemptInline]
    actions = ["send_again"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="requested by")
    def requested_by_name(self, notification):
        # By name: a user's __str__ is their username.
        return staff_name(notification.requested_by) if notification.requested_by else None

    def has_send_permission(self, request):
        # Sending is part of answering applicants and enquirers: whoever may change them may send.
        return request.user.has_perm("enrollment.change_application") or request.user.has_perm(
            "enrollment.change_enquiry"
        )

    @admin.action(
        description="Send again",
        description_plural="Send the selected e-mails (again)",
        permissions=["send"],
    )
    def send_again(self, request, queryset):
        count = outbox.email_resend(
            notifications=queryset.select_related("application", "enquiry"), by=request.user
        )
        self.message_user(
            request,
            f"{count} e-mail(s) queued to be sent now. Those already sent are sent once more; the others are "
            "tried again at once, then retried if the mail server still refuses them.",
            messages.SUCCESS,
        )
