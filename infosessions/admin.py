"""The staff side of info sessions: content editors publish sessions; Admissions see who signed up, mark
attendance, cancel sign-ups (the freed seat goes to the first person waiting) and find the same person's
enquiries and applications. A session's number of seats and every sign-up's status change through
infosessions.services."""

from urllib.parse import urlencode

from django import forms
from django.contrib import admin, messages
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from enrollment.admin.emails import EmailNotificationInline
from enrollment.models import Application, Enquiry, local_time
from infosessions import services
from infosessions.models import InfoSession, SessionEmail, SessionSignup
from sitetools.modeladmin import SchoolModelAdmin
from sitetools.source_admin import SOURCE_FIELDS, source_filter

PERSON_RECORDS = (Enquiry, Application)


class SessionSignupInline(admin.TabularInline):
    """Who signed up, on the session's page: for staff who may see sign-ups (not content editors)."""

    model = SessionSignup
    fields = ["reference_link", "name", "status", "waitlist_position", "attended"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False
    ordering = ["status", "waitlist_position", "created_at"]
    verbose_name_plural = "sign-ups (mark attendance and cancel from the list of sign-ups)"

    @admin.display(description="reference")
    def reference_link(self, signup):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:infosessions_sessionsignup_change", args=[signup.pk]),
            signup.reference,
        )

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class InfoSessionAdminForm(forms.ModelForm):
    class Meta:
        model = InfoSession
        fields = [
            "title",
            "summary",
            "kind",
            "starts_at",
            "duration_minutes",
            "place",
            "joining_link",
            "capacity",
            "waitlist_allowed",
            "programs",
            "is_published",
        ]
        widgets = {"programs": forms.CheckboxSelectMultiple}

    def clean_capacity(self):
        # Said at the field, before anything is saved; the service checks it again under the session's lock.
        capacity = self.cleaned_data["capacity"]
        if self.instance.pk is not None and "capacity" in self.changed_data:
            taken = services.seats(self.instance).taken
            if capacity < taken:
                raise forms.ValidationError(services.MESSAGES["capacity"].format(taken=taken))
        return capacity


class WhenFilter(admin.SimpleListFilter):
    title = "when"
    parameter_name = "when"

    def lookups(self, request, model_admin):
        return [("upcoming", "Not started yet"), ("past", "Started or over")]

    def queryset(self, request, queryset):
        if self.value() == "upcoming":
            return queryset.filter(starts_at__gt=timezone.now())
        if self.value() == "past":
            return queryset.filter(starts_at__lte=timezone.now())
        return queryset


@admin.register(InfoSession)
class InfoSessionAdmin(SchoolModelAdmin):
    form = InfoSessionAdminForm
    list_display = ["title", "starts", "kind", "capacity", "seats_booked", "waiting", "is_published"]
    list_filter = [WhenFilter, "is_published", "kind", "programs"]
    search_fields = ["title"]
    search_help_text = "Search by title."
    ordering = ["-starts_at"]
    inlines = [SessionSignupInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "summary",
                    "kind",
                    "starts_at",
                    "duration_minutes",
                    "place",
                    "joining_link",
                ]
            },
        ),
        ("Seats", {"fields": ["capacity", "waitlist_allowed", "signups_list"]}),
        ("Where it is shown", {"fields": ["programs", "is_published"]}),
    ]
    readonly_fields = ["signups_list", "signups_count"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_seat_counts()

    @admin.display(description="starts", ordering="starts_at")
    def starts(self, session):
        return local_time(session.starts_at)

    @admin.display(description="booked", ordering="seats_taken")
    def seats_booked(self, session):
        return session.seats_taken

    @admin.display(description="waiting", ordering="waiting_count")
    def waiting(self, session):
        return session.waiting_count

    @admin.display(description="sign-ups")
    def signups_count(self, session):
        if session.pk is None:
            return "None yet."
        return f"{session.seats_taken} booked, {session.waiting_count} waiting"

    @admin.display(description="sign-ups")
    def signups_list(self, session):
        if session.pk is None:
            return "None yet."
        url = reverse("admin:infosessions_sessionsignup_changelist") + f"?session__id__exact={session.pk}"
        return format_html('{}: <a href="{}">see who, mark attendance</a>', self.signups_count(session), url)

    def get_fieldsets(self, request, obj=None):
        # Content editors see how many signed up, never who: the link is for those who may see sign-ups.
        if request.user.has_perm("infosessions.view_sessionsignup"):
            return self.fieldsets
        return [
            (name, {"fields": [f if f != "signups_list" else "signups_count" for f in options["fields"]]})
            for name, options in self.fieldsets
        ]

    def save_model(self, request, obj, form, change):
        # The number of seats goes through the service: under the session's lock, new seats to the waiting.
        capacity = obj.capacity
        if change and "capacity" in form.changed_data:
            obj.capacity = InfoSession.objects.values_list("capacity", flat=True).get(pk=obj.pk)
        super().save_model(request, obj, form, change)
        if obj.capacity != capacity:
            promoted = services.session_set_capacity(session=obj, capacity=capacity)
            if promoted:
                self.message_user(
                    request,
                    f"{len(promoted)} person(s) on the waitlist now have a seat and are being e-mailed.",
                    messages.SUCCESS,
                )


class SessionEmailInline(EmailNotificationInline):
    """On a sign-up's page: every e-mail owed to the person, and where it stands (retried automatically)."""

    model = SessionEmail
    verbose_name_plural = "e-mails"


class AttendanceFilter(admin.SimpleListFilter):
    title = "attendance"
    parameter_name = "attended"

    def lookups(self, request, model_admin):
        return [("yes", "Came"), ("no", "Did not come"), ("unmarked", "Not marked")]

    def queryset(self, request, queryset):
        value = {"yes": True, "no": False, "unmarked": None}
        if self.value() not in value:
            return queryset
        if value[self.value()] is None:
            return queryset.filter(attended__isnull=True)
        return queryset.filter(attended=value[self.value()])


def _attendance(attended: bool | None, description: str):
    def action(modeladmin, request, queryset):
        marked = services.signups_mark_attendance(signups=list(queryset), attended=attended, by=request.user)
        skipped = queryset.count() - marked
        modeladmin.message_user(request, f"Attendance marked for {marked} sign-up(s).", messages.SUCCESS)
        if skipped:
            modeladmin.message_user(
                request,
                f"{skipped} sign-up(s) left as they were: only people with a seat at a session that has started "
                "can be marked.",
                messages.WARNING,
            )

    action.__name__ = {True: "mark_attended", False: "mark_absent", None: "mark_unmarked"}[attended]
    return admin.action(description=description, permissions=["change"])(action)


@admin.register(SessionSignup)
class SessionSignupAdmin(SchoolModelAdmin):
    list_display = [
        "reference",
        "name",
        "email",
        "session",
        "status",
        "waitlist_position",
        "attended",
        "signed_up",
    ]
    list_filter = ["status", AttendanceFilter, "session", source_filter("created_at"), "heard_about"]
    search_fields = ["reference", "name", "email"]
    search_help_text = "Search by reference, name or e-mail address."
    list_select_related = ["session"]
    ordering = ["session__starts_at", "status", "waitlist_position", "created_at"]
    fields = [
        "reference",
        "session",
        "status",
        "waitlist_position",
        "attended",
        "name",
        "email",
        "phone",
        "person_records",
        "signed_up",
        "cancelled_at",
        "reminder_sent_at",
        *SOURCE_FIELDS,
    ]
    readonly_fields = [
        "reference",
        "session",
        "status",
        "waitlist_position",
        "attended",
        "email",
        "person_records",
        "signed_up",
        "cancelled_at",
        "reminder_sent_at",
        *SOURCE_FIELDS,
    ]
    inlines = [SessionEmailInline]
    actions = [
        _attendance(True, "Mark the selected people as having come"),
        _attendance(False, "Mark the selected people as not having come"),
        _attendance(None, "Clear the selected people's attendance"),
        "cancel_signups",
    ]

    @admin.display(description="signed up", ordering="created_at")
    def signed_up(self, signup):
        return local_time(signup.created_at)

    @admin.display(description="enquiries and applications")
    def person_records(self, signup):
        """The same person's enquiries and applications (same e-mail address, whatever its case), as links to
        the lists filtered by it."""
        links = []
        for model in PERSON_RECORDS:
            opts = model._meta
            count = model.objects.filter(email__iexact=signup.email).count()
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
            name = opts.verbose_name if count == 1 else opts.verbose_name_plural
            links.append((f"{url}?{urlencode({'email__iexact': signup.email})}", f"{count} {name}"))
        return format_html_join(", ", '<a href="{}">{}</a>', links)

    def get_fields(self, request, obj=None):
        # The links lead to lists of people's details: shown to those who may read both.
        if all(
            request.user.has_perm(f"{m._meta.app_label}.view_{m._meta.model_name}") for m in PERSON_RECORDS
        ):
            return self.fields
        return [name for name in self.fields if name != "person_records"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(
        description="Cancel the selected sign-ups (a freed seat goes to the first person waiting)",
        permissions=["change"],
    )
    def cancel_signups(self, request, queryset):
        cancelled = promoted = 0
        for signup in queryset.exclude(status=SessionSignup.Status.CANCELLED):
            promoted += len(services.signup_cancel(signup=signup, by=request.user))
            cancelled += 1
        self.message_user(
            request,
            f"{cancelled} sign-up(s) cancelled; {promoted} person(s) on the waitlist now have a seat and are being e-mailed.",
            messages.SUCCESS,
        )
