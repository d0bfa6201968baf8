"""Programs and cohorts: content editors keep them current; admissions read them and export rosters.

Seat figures are computed in the list's own query. Applicants' names appear on a cohort's page only for
users who may view applications; everyone else sees the counts."""

import logging
import re
from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.views.decorators.cache import never_cache

from enrollment import selectors, services
from enrollment.admin import exports
from enrollment.forms import StrictCheckboxInput
from enrollment.models import Cohort, Program, ProgramFee, ProgramOutcome, Requirement
from enrollment.views import ProgramDetailView
from sitetools.modeladmin import SchoolModelAdmin, SchoolStackedInline, SchoolTabularInline, object_or_404

logger = logging.getLogger(__name__)


class ProgramFeeInline(SchoolTabularInline):
    model = ProgramFee
    extra = 0


class ProgramOutcomeInline(SchoolTabularInline):
    model = ProgramOutcome
    extra = 0


class RequirementForm(forms.ModelForm):
    class Meta:
        model = Requirement
        fields = ["name", "order", "guidance", "document_required", "expiry"]
        labels = {"guidance": "Help text", "expiry": "Expiry date"}
        help_texts = {
            "expiry": "Whether the document has an expiry date (Admissions read it from the card), and what it must "
            "cover: one that ends before is flagged and keeps the student from being enrolled."
        }


class RequirementInline(SchoolStackedInline):
    """What the program asks of every student before the course (the checklist Admissions verify): kept by
    content editors with the program. Nothing here is about a person: the items and documents of applicants
    are on the applications' pages, for Admissions."""

    model = Requirement
    form = RequirementForm
    extra = 0
    fields = [("name", "order"), "guidance", ("document_required", "expiry")]
    verbose_name = "requirement before the course"
    verbose_name_plural = "requirements before the course (each student's checklist)"

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)

        class RequirementDeleteForm(formset.form):
            def hand_clean_DELETE(self):
                # Django's own refusal lists every applicant's item; one sentence says the same.
                if self.cleaned_data.get("DELETE") and self.instance.pk:
                    count = self.instance.items.count()
                    if count:
                        raise ValidationError(
                            f"“{self.instance.name}” is on {count} applicant checklist(s), so it cannot be "
                            "deleted: those items stay as Admissions checked them. Keep it, or change its help "
                            "text."
                        )
                return super().hand_clean_DELETE()

        formset.form = RequirementDeleteForm
        return formset


@admin.register(Program)
class ProgramAdmin(SchoolModelAdmin):
    list_display = ["name", "level", "format", "tuition", "order", "is_published"]
    list_filter = ["is_published", "level", "format"]
    list_editable = ["order", "is_published"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ProgramFeeInline, ProgramOutcomeInline, RequirementInline]
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


MAX_YEARS_AHEAD = 10


class CohortAdminForm(forms.ModelForm):
    offer_seats = forms.BooleanField(
        label="Offer the new seats to the people first on the waitlist, and e-mail them",
        required=False,
        widget=StrictCheckboxInput,
    )
    user = None  # the person saving: set by CohortAdmin.get_form
    offers = ()  # who the new number of seats would offer a seat to (a preview)
    offer_emails = ()  # the e-mails those offers would send, exactly as sent (the same preview)

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

    def _clean_dates(self, data):
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

    def clean(self):
        data = self._clean_dates(super().clean())
        capacity = data.get("capacity")
        if self.instance.pk is not None and "capacity" in self.changed_data and capacity is not None:
            self._check_capacity_change(capacity, data.get("offer_seats"))
        elif capacity is not None and capacity > services.MAX_CAPACITY:
            self.add_error(
                "capacity",
                f"A course start has at most {services.MAX_CAPACITY} seats. Check the number, or split the start in two.",
            )
        return data

    def _check_capacity_change(self, capacity, confirmed):
        """What the new number of seats would do, from the service itself (a preview under the start's
        lock): refused below the seats taken; seats offered at once to the first people waiting, which needs
        the permission to offer seats (Admissions) and a tick to confirm, after seeing who they are."""
        user = self.user
        try:
            preview = services.preview(
                lambda: services.cohort_set_capacity(cohort=self.instance, capacity=capacity, by=user)
            )
        except services.ApplicationStateError as error:
            self.add_error("capacity", error.message)
            return
        offered = preview.result
        self.offers = offered
        self.offer_emails = preview.emails
        if not offered:
            return
        count = f"{len(offered)} {'person' if len(offered) == 1 else 'people'}"
        if not user.has_perm("enrollment.offer_seats"):
            self.add_error(
                "capacity",
                f"With {capacity} seats, {count} on the waitlist would be offered a seat at once and e-mailed. "
                "Offering seats is for Admissions: ask them to change the number of seats.",
            )
        elif not confirmed:
            self.add_error(
                "offer_seats",
                f"With {capacity} seats, {count} on the waitlist will be offered a seat at once and e-mailed "
                "(listed here). Tick the box to confirm, or keep the number of seats.",
            )


class StartFilter(admin.SimpleListFilter):
    title = "start date"
    parameter_name = "starts"

    def lookups(self, request, model_admin):
        return [
            ("soon", f"In the next {selectors.STARTING_SOON_WEEKS} weeks"),
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
                    start_date__lte=today + timedelta(weeks=selectors.STARTING_SOON_WEEKS),
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
class CohortAdmin(SchoolModelAdmin):
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
        "seats_left_display",
        "applications",
    ]
    list_filter = ["program", StartFilter, "meeting_pattern", "is_open"]
    search_fields = ["code", "location"]
    date_hierarchy = "start_date"
    list_select_related = ["program"]
    readonly_fields = ["accepted", "waitlisted", "seats_left_display", "roster"]
    actions = ["export_roster_csv"]

    def get_queryset(self, request):
        # Seats are counted in the list's own query: one query for the page, whatever its length.
        # Grouped queries drop the model's default ordering, so it is given again (for the autocomplete).
        return super().get_queryset(request).with_seat_counts().order_by(*Cohort._meta.ordering)

    def get_list_display(self, request):
        columns = super().get_list_display(request)
        return [*columns, "roster_link"] if self.has_export_roster_permission(request) else columns

    def get_fieldsets(self, request, obj=None):
        seats = ["capacity"]
        if obj is not None:
            seats += ["offer_seats", "accepted", "waitlisted", "seats_left_display"]
        fieldsets = [(None, {"fields": CORE_FIELDS}), ("Seats", {"fields": seats})]
        if obj is not None and request.user.has_perm("enrollment.view_application"):
            fieldsets.append(("Roster and waitlist", {"fields": ["roster"]}))
        return fieldsets

    def has_export_roster_permission(self, request):
        return request.user.has_perm("enrollment.export_roster")

    @admin.display(description="applications", ordering="application_deadline")
    def applications(self, cohort):
        if cohort.accepting:
            return f"open until {date_format(cohort.application_deadline, 'j M Y')}"
        return "closed"

    @admin.display(description="taken", ordering="seats_taken")
    def accepted(self, cohort):
        return cohort.seats_taken

    @admin.display(description="waitlist", ordering="waitlisted_count")
    def waitlisted(self, cohort):
        return cohort.waitlisted_count

    @admin.display(description="seats left", ordering="seats_left")
    def seats_left_display(self, cohort):
        return cohort.seats_left

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
            {
                "applications": [
                    (application, selectors.checklist_glance(application))
                    for application in selectors.roster_applications([cohort.pk])
                ],
                "cohort": cohort,
            },
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

    def get_readonly_fields(self, request, obj=None):
        # Admissions (who may offer seats but do not keep the course content) change the number of seats
        # only; content editors keep the rest.
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and not request.user.has_perm("enrollment.add_cohort"):
            readonly += [
                name for field in CORE_FIELDS for name in (field if isinstance(field, tuple) else (field,))
            ]
        return readonly

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def get_object(self, request, object_id, from_field=None):
        # The page shows the seats (read-only fields): counted in the same query.
        queryset = self.get_queryset(request)
        try:
            return queryset.get(pk=Cohort._meta.pk.to_python(object_id))
        except (Cohort.DoesNotExist, ValidationError, ValueError, OverflowError):
            return None

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and self.has_export_roster_permission(request):
            context["roster_csv_url"] = reverse("admin:enrollment_cohort_roster", args=[obj.pk])
        form = context["adminform"].form
        if form.offers and request.user.has_perm("enrollment.view_application"):
            context["offers"] = form.offers
            context["offer_emails"] = form.offer_emails
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request, obj, form, change):
        if not change or "capacity" not in form.changed_data:
            return super().save_model(request, obj, form, change)
        # The number of seats goes through the service, under the start's lock; the rest is saved as it is.
        capacity, obj.capacity = obj.capacity, form.initial["capacity"]
        others = [name for name in form.changed_data if name not in ("capacity", "offer_seats")]
        if others:
            obj.save(update_fields=[*others, "updated_at"])
        try:
            promoted = services.cohort_set_capacity(cohort=obj, capacity=capacity, by=request.user)
        except services.ApplicationStateError as error:  # seats taken since the page was checked
            self.message_user(
                request, f"The number of seats was not changed: {error.message}", messages.ERROR
            )
            return
        obj.capacity = capacity
        if promoted:
            self.message_user(
                request,
                f"{len(promoted)} applicant(s) moved up from the waitlist to a seat and were e-mailed: "
                + ", ".join(application.reference for application in promoted)
                + ".",
                messages.SUCCESS,
            )
