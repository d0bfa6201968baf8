"""Programs and cohorts: content editors keep them current; admissions read them and export rosters.

Seat figures are computed in the list's own query. Applicants' names appear on a cohort's page only for
users who may view applications; everyone else sees the counts."""

import logging
import re
from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import ExpressionWrapper, F, IntegerField, Value
from django.db.models.functions import Greatest
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.views.decorators.cache import never_cache

from emsprogram.adminsite import object_or_404
from enrollment import services
from enrollment.admin import attention, exports
from enrollment.models import Application, Cohort, Program, ProgramFee, ProgramOutcome
from enrollment.views import ProgramDetailView

logger = logging.getLogger(__name__)


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

    def view_on_site(self, program):
        # A draft has no public page yet: "View on site" shows its preview.
        if program.is_published:
            return program.get_absolute_url()
        return reverse("admin:enrollment_program_preview", args=[program.pk])

    def get_urls(self):
        preview = path(
            "<path:object_id>/preview/",
            self.admin_site.admin_view(self.preview_view),
            name="enrollment_program_preview",
        )
        return [preview, *super().get_urls()]

    def preview_view(self, request, object_id):
        """The program's public page as it stands, drafts included, for staff who may change programs.
        Never cached: the admin's pages are not public pages, and the response says so to browsers too."""
        program = object_or_404(self, request, object_id)
        if not self.has_change_permission(request, program):
            raise PermissionDenied
        return ProgramPreview.as_view()(request, pk=program.pk)


@method_decorator(never_cache, name="dispatch")
class ProgramPreview(ProgramDetailView):
    template_name = "admin/enrollment/program/preview.html"

    def programs(self):
        return Program.objects.all()


MAX_CAPACITY = 500
MAX_YEARS_AHEAD = 10


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

    def clean_code(self):
        # Codes are identifiers staff read out and type: one spelling, so EMT-DAY and emt-day are one code.
        # Checked when changed: a code stored before the rule does not block other edits of the start.
        code = self.cleaned_data["code"]
        if "code" not in self.changed_data:
            return code
        code = code.strip().upper()
        if not re.fullmatch(r"[A-Z0-9]+(-[A-Z0-9]+)*", code):
            raise forms.ValidationError(
                "Use letters, digits and single hyphens only, for example EMT-2027-SPRING-EVE."
            )
        return code

    def clean(self):
        data = super().clean()
        earliest, latest = 2000, timezone.localdate().year + MAX_YEARS_AHEAD
        for name in ("start_date", "end_date", "application_deadline"):
            value = data.get(name)
            if value is not None and not earliest <= value.year <= latest:
                self.add_error(
                    name, f"Check the year: dates of a course start are between {earliest} and {latest}."
                )
        # In words rather than the constraints' names, and only between dates that are valid themselves.
        start, end, deadline = (data.get(name) for name in ("start_date", "end_date", "application_deadline"))
        if start and end and end < start and "end_date" not in self.errors:
            self.add_error("end_date", "The course must end on or after its first day.")
        if start and deadline and deadline > start and "application_deadline" not in self.errors:
            self.add_error(
                "application_deadline", "Applications must close on or before the first day of the course."
            )
        return data

    def clean_capacity(self):
        capacity = self.cleaned_data["capacity"]
        if capacity > MAX_CAPACITY:
            raise forms.ValidationError(
                f"A course start has at most {MAX_CAPACITY} seats. Check the number, or split the start in two."
            )
        if self.instance.pk:
            accepted = self.instance.applications.filter(status=Application.Status.ACCEPTED).count()
            if capacity < accepted:
                raise forms.ValidationError(
                    f"{accepted} applicants already have a seat. Withdraw or decline some of them before "
                    f"lowering the capacity below {accepted}."
                )
        return capacity


class StartFilter(admin.SimpleListFilter):
    title = "start date"
    parameter_name = "starts"

    def lookups(self, request, model_admin):
        return [
            ("soon", f"In the next {attention.STARTING_SOON_WEEKS} weeks"),
            ("upcoming", "Not started yet"),
            ("running", "Running now"),
            ("ended", "Ended"),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        match self.value():
            case "soon":
                return queryset.filter(
                    start_date__gt=today,
                    start_date__lte=today + timedelta(weeks=attention.STARTING_SOON_WEEKS),
                )
            case "upcoming":
                return queryset.filter(start_date__gt=today)
            case "running":
                return queryset.filter(start_date__lte=today, end_date__gte=today)
            case "ended":
                return queryset.filter(end_date__lt=today)
        return queryset


CORE_FIELDS = [
    "program",
    "code",
    ("start_date", "end_date"),
    "meeting_pattern",
    "schedule",
    "location",
    "application_deadline",
    "is_open",
]


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    form = CohortAdminForm
    change_form_template = "admin/enrollment/cohort/change_form.html"
    # The seats at a glance, narrow enough for 1280 px beside the filters (browser-tested); the meeting
    # pattern is a filter, the deadline and "open" are one column.
    list_display = [
        "code",
        "program",
        "start_date",
        "capacity",
        "accepted",
        "waitlisted",
        "seats_left",
        "applications",
    ]
    list_filter = ["program", StartFilter, "meeting_pattern", "is_open"]
    search_fields = ["code", "location"]
    date_hierarchy = "start_date"
    list_select_related = ["program"]
    readonly_fields = ["accepted", "waitlisted", "seats_left", "roster"]
    actions = ["export_roster_csv"]

    def get_queryset(self, request):
        # Seats are counted in the list's own query: one query for the page, whatever its length.
        # Grouped queries drop the model's default ordering, so it is given again (for the autocomplete).
        return (
            super()
            .get_queryset(request)
            .with_seat_counts()
            .annotate(
                seats_left_count=Greatest(
                    ExpressionWrapper(F("capacity") - F("accepted_count"), output_field=IntegerField()),
                    Value(0),
                )
            )
            .order_by(*Cohort._meta.ordering)
        )

    def get_list_display(self, request):
        columns = super().get_list_display(request)
        return [*columns, "roster_link"] if self.has_export_roster_permission(request) else columns

    def get_fieldsets(self, request, obj=None):
        seats = ["capacity"]
        if obj is not None:
            seats += ["accepted", "waitlisted", "seats_left"]
        fieldsets = [(None, {"fields": CORE_FIELDS}), ("Seats", {"fields": seats})]
        if obj is not None and request.user.has_perm("enrollment.view_application"):
            fieldsets.append(("Roster and waitlist", {"fields": ["roster"]}))
        return fieldsets

    def has_export_roster_permission(self, request):
        return request.user.has_perm("enrollment.export_roster")

    @admin.display(description="applications", ordering="application_deadline")
    def applications(self, cohort):
        if cohort.is_accepting_applications():
            return f"open until {date_format(cohort.application_deadline, 'j M Y')}"
        return "closed"

    @admin.display(description="taken", ordering="accepted_count")
    def accepted(self, cohort):
        return cohort.accepted_count

    @admin.display(description="waitlist", ordering="waitlisted_count")
    def waitlisted(self, cohort):
        return cohort.waitlisted_count

    @admin.display(description="seats left", ordering="seats_left_count")
    def seats_left(self, cohort):
        return cohort.seats_left_count

    @admin.display(description="roster")
    def roster_link(self, cohort):
        return format_html(
            '<a href="{}">CSV</a>', reverse("admin:enrollment_cohort_roster", args=[cohort.pk])
        )

    @admin.display(description="applicants")
    def roster(self, cohort):
        """Seat holders by name, then the waitlist in order (shown only to those who may view applications)."""
        return render_to_string(
            "admin/enrollment/cohort/_roster.html",
            {"applications": exports.roster_applications([cohort.pk]), "cohort": cohort},
        )

    def get_urls(self):
        roster = path(
            "<path:object_id>/roster.csv",
            self.admin_site.admin_view(self.roster_csv_view),
            name="enrollment_cohort_roster",
        )
        return [roster, *super().get_urls()]

    def roster_csv_view(self, request, object_id):
        if not self.has_export_roster_permission(request):
            raise PermissionDenied
        cohort = object_or_404(self, request, object_id)
        logger.info("Roster of cohort %s exported by user %s", cohort.code, request.user.pk)
        return exports.roster_csv([cohort])

    @admin.action(description="Export roster and waitlist as CSV", permissions=["export_roster"])
    def export_roster_csv(self, request, queryset):
        cohorts = list(queryset.order_by("start_date", "code"))
        logger.info(
            "Rosters of cohorts %s exported by user %s", ", ".join(c.code for c in cohorts), request.user.pk
        )
        return exports.roster_csv(cohorts)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and self.has_export_roster_permission(request):
            context["roster_csv_url"] = reverse("admin:enrollment_cohort_roster", args=[obj.pk])
        return super().render_change_form(request, context, add, change, form_url, obj)

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
