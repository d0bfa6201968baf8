"""A basic staff side for programs, cohorts, applications and enquiries. Every change of who holds a seat
goes through enrollment.services (the actions below); the status, the waitlist position and the cohort of
an application are read-only here. E-mails that could not be sent are listed under "E-mail notifications"
and on each application and enquiry."""

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Q

from enrollment import services
from enrollment.models import (
    Application,
    Cohort,
    EmailNotification,
    Enquiry,
    Program,
    ProgramFee,
    ProgramOutcome,
)


class ProgramFeeInline(admin.TabularInline):
    model = ProgramFee
    extra = 0


class ProgramOutcomeInline(admin.TabularInline):
    model = ProgramOutcome
    extra = 0


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "format", "tuition", "order", "is_published"]
    list_filter = ["is_published", "level", "format"]
    list_editable = ["order", "is_published"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ProgramFeeInline, ProgramOutcomeInline]
    list_select_related = ["level"]


class CohortAdminForm(forms.ModelForm):
    class Meta:
        model = Cohort
        fields = [
            "program",
            "code",
            "start_date",
            "end_date",
            "meeting_pattern",
            "schedule",
            "location",
            "capacity",
            "application_deadline",
            "is_open",
        ]

    def clean_capacity(self):
        capacity = self.cleaned_data["capacity"]
        if self.instance.pk:
            accepted = self.instance.applications.filter(status=Application.Status.ACCEPTED).count()
            if capacity < accepted:
                raise forms.ValidationError(
                    f"{accepted} applicants already have a seat. Withdraw or decline some of them before "
                    f"lowering the capacity below {accepted}."
                )
        return capacity


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    form = CohortAdminForm
    list_display = [
        "code",
        "program",
        "start_date",
        "meeting_pattern",
        "capacity",
        "accepted",
        "waitlisted",
        "application_deadline",
        "is_open",
    ]
    list_filter = ["program", "meeting_pattern", "is_open"]
    search_fields = ["code", "location"]
    date_hierarchy = "start_date"
    list_select_related = ["program"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_seat_counts()

    @admin.display(description="seats taken", ordering="accepted_count")
    def accepted(self, cohort):
        return cohort.accepted_count

    @admin.display(description="waitlist", ordering="waitlisted_count")
    def waitlisted(self, cohort):
        return cohort.waitlisted_count

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "capacity" in form.changed_data:
            # More seats: offer them to the waitlist at once, in order.
            promoted = services.waitlist_promote(cohort=obj, notify=True, by=request.user)
            if promoted:
                self.message_user(
                    request,
                    f"{len(promoted)} applicant(s) moved up from the waitlist to a seat and were e-mailed.",
                    messages.SUCCESS,
                )


class EmailNotificationInline(admin.TabularInline):
    model = EmailNotification
    fields = ["attempted_at", "kind", "status", "error"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class ApplicationAdminForm(forms.ModelForm):
    class Meta:
        model = Application
        fields = [
            "assigned_to",
            "first_name",
            "last_name",
            "email",
            "phone",
            "date_of_birth",
            "address_line1",
            "address_line2",
            "city",
            "state",
            "postal_code",
            "certification_level",
            "certification_number",
            "certification_state",
            "certification_expiry",
            "consent_data_processing",
            "consent_sms",
        ]

    def clean_email(self):
        return services.normalize_email(self.cleaned_data["email"])


def _status_action(service, description: str):
    def action(modeladmin, request, queryset):
        done = 0
        for application in queryset.order_by("waitlist_position", "submitted_at"):
            try:
                service(application=application, notify=True, by=request.user)
            except services.EnrollmentError as error:
                modeladmin.message_user(
                    request, f"{application.reference}: {error.message}", messages.WARNING
                )
            else:
                done += 1
        if done:
            modeladmin.message_user(request, f"{done} application(s) updated; the applicants were e-mailed.")

    action.__name__ = f"action_{service.__name__}"
    return admin.action(description=description, permissions=["change"])(action)


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    form = ApplicationAdminForm
    list_display = [
        "reference",
        "cohort",
        "status",
        "waitlist_position",
        "submitted_at",
        "assigned_to",
        "email_problem",
    ]
    list_filter = ["status", "cohort__program", "cohort", "assigned_to"]
    search_fields = ["reference", "email", "last_name"]
    readonly_fields = ["reference", "cohort", "status", "waitlist_position", "submitted_at", "updated_at"]
    list_select_related = ["cohort", "assigned_to"]
    date_hierarchy = "submitted_at"
    inlines = [EmailNotificationInline]
    actions = [
        _status_action(services.application_accept, "Offer a seat (only while seats are free)"),
        _status_action(services.application_waitlist, "Move to the end of the waitlist"),
        _status_action(services.application_withdraw, "Withdraw (frees the seat for the waitlist)"),
        _status_action(services.application_decline, "Decline (frees the seat for the waitlist)"),
    ]
    fieldsets = [
        (None, {"fields": ["reference", "cohort", "status", "waitlist_position", "assigned_to"]}),
        ("Applicant", {"fields": ["first_name", "last_name", "email", "phone", "date_of_birth"]}),
        ("Address", {"fields": ["address_line1", "address_line2", "city", "state", "postal_code"]}),
        (
            "Current certification",
            {
                "fields": [
                    "certification_level",
                    "certification_number",
                    "certification_state",
                    "certification_expiry",
                ]
            },
        ),
        ("Consent", {"fields": ["consent_data_processing", "consent_sms"]}),
        ("Dates", {"fields": ["submitted_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                failed_emails=Count(
                    "notifications", filter=Q(notifications__status=EmailNotification.Status.FAILED)
                )
            )
        )

    @admin.display(description="e-mail failed", boolean=True, ordering="failed_emails")
    def email_problem(self, application):
        return bool(application.failed_emails)

    def has_add_permission(self, request):
        # Applications come through the public form (services.application_submit), which allocates seats.
        return False


@admin.register(Enquiry)
class EnquiryAdmin(admin.ModelAdmin):
    list_display = ["__str__", "name", "program", "preferred_contact", "status", "submitted_at"]
    list_filter = ["status", "program", "preferred_contact"]
    search_fields = ["name", "email", "message"]
    readonly_fields = ["submitted_at", "updated_at"]
    list_select_related = ["program"]
    date_hierarchy = "submitted_at"
    inlines = [EmailNotificationInline]

    def has_add_permission(self, request):
        return False


@admin.register(EmailNotification)
class EmailNotificationAdmin(admin.ModelAdmin):
    """E-mails sent and failed. A failure here means the person has not heard from us: contact them."""

    list_display = ["attempted_at", "kind", "status", "error", "application", "enquiry"]
    list_filter = ["status", "kind"]
    search_fields = ["application__reference"]
    list_select_related = ["application", "enquiry"]
    date_hierarchy = "attempted_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
