"""Applications: the admissions workflow.

Newest first, with the filters admissions use. Status and waitlist position are read-only on the page:
they change only through enrollment.services, called by the actions below after a confirmation page
that says what will happen and shows the e-mail the applicants will get. Notes, assignment and edits
go through services too, which write the application's history in the same transaction."""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, F, OuterRef, Q
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from enrollment import eligibility, selectors, services
from enrollment.admin import checklist, exports, staffwork
from enrollment.admin.emails import EmailNotificationInline
from enrollment.forms import (
    ApplicationForm,
    MultilineCharField,
    PhoneApplicationForm,
    StrictCheckboxInput,
    check_date_of_birth,
    check_expiry_year,
    parse_cohort_id,
)
from enrollment.models import (
    Application,
    ApplicationNote,
    Cohort,
    EmailNotification,
    Enquiry,
    Program,
    local_time,
)
from sitetools.errors import ExplainedBadRequest
from sitetools.modeladmin import NOTHING_SELECTED_EXISTS, SchoolModelAdmin, object_or_404
from sitetools.source_admin import SOURCE_FIELDS, SOURCE_FIELDSET, source_filter
from sitetools.sources import Source

logger = logging.getLogger(__name__)

Status = Application.Status

# Status changes and assignment are offered on the list (for many) and on an application's page (for one).
BOTH_PLACES = [admin.ActionLocation.CHANGE_LIST, admin.ActionLocation.CHANGE_FORM]
CHANGE_FORM_ACTION = f"{admin.ActionLocation.CHANGE_FORM.value}-action"


class ApplicationNoteInline(staffwork.StaffNoteInline):
    model = ApplicationNote


# The details the eligibility rules read.
ELIGIBILITY_FIELDS = ("date_of_birth", *Application.CERTIFICATION_FIELDS)


class ApplicationAdminForm(staffwork.AssignmentFormMixin, forms.ModelForm):
    class Meta:
        model = Application
        fields = [
            *Application.APPLICANT_FIELDS,
            *Application.CERTIFICATION_FIELDS,
            "consent_sms",
            "assigned_to",
        ]
        labels = {"email": "E-mail", "consent_sms": "Agrees to text messages"}
        widgets = {"consent_sms": StrictCheckboxInput}

    # A changed value is checked as the public form checks it, so that staff cannot store what an applicant
    # could not send; a value stored before a rule existed does not block other edits.

    def _checked_like_the_public_form(self, name):
        value = self.cleaned_data[name]
        if name in self.changed_data:
            value = ApplicationForm.base_fields[name].clean(value)
        return value

    def clean_phone(self):
        return self._checked_like_the_public_form("phone")

    def clean_postal_code(self):
        return self._checked_like_the_public_form("postal_code")

    def clean_date_of_birth(self):
        value = self.cleaned_data["date_of_birth"]
        return check_date_of_birth(value) if "date_of_birth" in self.changed_data else value

    def clean_email(self):
        email = services.normalize_email(self.cleaned_data["email"])
        application = self.instance
        if application.is_live:
            clash = services.live_application_for(
                cohort_id=application.cohort_id, email=email, other_than=application
            )
            if clash is not None:
                raise forms.ValidationError(
                    eligibility.message(
                        "email_in_use", reference=clash.reference, cohort=application.cohort.code
                    )
                )
        return email

    def clean_certification_expiry(self):
        value = self.cleaned_data["certification_expiry"]
        return check_expiry_year(value) if "certification_expiry" in self.changed_data else value

    def clean(self):
        data = super().clean()
        # The person must still meet the requirements of their course start (DESIGN.md 4.2): the rules the
        # public form's submission applies, checked when one of their details changes. Whatever the status:
        # a withdrawn or declined application can be offered a seat again from this admin.
        changed = [name for name in ELIGIBILITY_FIELDS if name in self.changed_data]
        if changed:
            cohort = self.instance.cohort
            # A value refused by its own field's check is left as it was stored.
            value = {name: data.get(name, getattr(self.instance, name)) for name in ELIGIBILITY_FIELDS}
            person = eligibility.person_errors(
                cohort,
                date_of_birth=value["date_of_birth"],
                level=value["certification_level"],
                number=value["certification_number"],
                state=value["certification_state"],
                expiry=value["certification_expiry"],
            )
            for field, message in person:
                if field in changed and field not in self.errors:
                    self.add_error(field, f"Not eligible for {cohort.code}: {message}")
        return data


class ProgramFilter(admin.SimpleListFilter):
    title = "program"
    parameter_name = "program"

    def lookups(self, request, model_admin):
        return [(str(program.pk), program.name) for program in Program.objects.order_by("order", "name")]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(cohort__program_id=self.value())
        return queryset


class DocumentsDeadlineFilter(admin.SimpleListFilter):
    title = "documents deadline"
    parameter_name = "documents"

    def lookups(self, request, model_admin):
        return [("overdue", "Passed, seat still held")]

    def queryset(self, request, queryset):
        if self.value() == "overdue":
            return selectors.overdue_holds(queryset)
        return queryset


class DuplicateFilter(admin.SimpleListFilter):
    title = "likely duplicates"
    parameter_name = "duplicates"

    def lookups(self, request, model_admin):
        return [("yes", "Same name and birth date, or phone, under another e-mail")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(likely_duplicate=True)
        return queryset


class CourseStartFilter(admin.RelatedFieldListFilter):
    """The starts to filter by: those that began within the last RECENT_DAYS or are still to come, and the one
    chosen. After ten years a school has some 500 starts, and each was a link on every view of the list; the
    applications of an older start are still one address away (?cohort__id__exact=, as before)."""

    RECENT_DAYS = 365

    def field_choices(self, field, request, model_admin):
        chosen = self.lookup_val or []
        chosen = [value for value in ([chosen] if isinstance(chosen, str) else chosen) if value.isdigit()]
        since = timezone.localdate() - timedelta(days=self.RECENT_DAYS)
        starts = Cohort.objects.filter(Q(start_date__gte=since) | Q(pk__in=chosen)).order_by(
            *Cohort._meta.ordering
        )
        return [(start.pk, str(start)) for start in starts.only("pk", "code")]


class AssignmentFilter(staffwork.AssignmentFilter):
    def lookups(self, request, model_admin):
        return [
            ("new", f"New: unassigned, last {selectors.NEW_APPLICATION_DAYS} days"),
            *super().lookups(request, model_admin),
        ]

    def queryset(self, request, queryset):
        if self.value() == "new":
            return selectors.new_applications(queryset)
        return super().queryset(request, queryset)


# Status changes


@dataclass(frozen=True)
class StatusChange:
    action: str
    status: str
    title: str
    done: str
    description: str  # on an application's page
    description_plural: str  # on the list, for the selected applications


STATUS_CHANGES = [
    StatusChange(
        "action_application_hold",
        Status.HELD,
        "Give a held seat",
        "given a held seat",
        "Give a held seat… (only while seats are free)",
        "Give the selected applications a held seat… (only while seats are free)",
    ),
    StatusChange(
        "action_application_enrol",
        Status.ENROLLED,
        "Enrol",
        "enrolled",
        "Enrol… (every requirement verified)",
        "Enrol the selected applications… (every requirement verified)",
    ),
    StatusChange(
        "action_application_waitlist",
        Status.WAITLISTED,
        "Move to the end of the waitlist",
        "moved to the end of the waitlist",
        "Move to the end of the waitlist…",
        "Move the selected applications to the end of the waitlist…",
    ),
    StatusChange(
        "action_application_withdraw",
        Status.WITHDRAWN,
        "Withdraw",
        "withdrawn",
        "Withdraw at the applicant's request… (frees the seat for the waitlist)",
        "Withdraw the selected applications at the applicants' request… (frees their seats for the waitlist)",
    ),
    StatusChange(
        "action_application_release",
        Status.RELEASED,
        "Release the hold",
        "released",
        "Release the held seat… (documents not in time; frees the seat for the waitlist)",
        "Release the selected held seats… (documents not in time; frees them for the waitlist)",
    ),
    StatusChange(
        "action_application_decline",
        Status.DECLINED,
        "Decline",
        "declined",
        "Decline… (frees the seat for the waitlist)",
        "Decline the selected applications… (frees their seats for the waitlist)",
    ),
    StatusChange(
        "action_application_complete",
        Status.COMPLETED,
        "Mark completed",
        "marked completed",
        "Mark the course completed…",
        "Mark the selected students' course completed…",
    ),
    StatusChange(
        "action_application_leave",
        Status.LEFT,
        "Mark as left the course",
        "marked as left the course",
        "Mark as left the course…",
        "Mark the selected students as left the course…",
    ),
]


STATUS_CHANGES_BY_ACTION = {change.action: change for change in STATUS_CHANGES}


class StatusChangeForm(forms.Form):
    notify = forms.BooleanField(
        label="E-mail the applicants", required=False, initial=True, widget=StrictCheckboxInput
    )
    message = MultilineCharField(
        label="Personal message (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5, "cols": 70}),
        help_text="Added to every e-mail under “A note from our admissions team”. Plain text.",
    )


def _in_processing_order(queryset):
    # Waitlisted people in their order, so that offers of seats follow the waitlist.
    return list(
        queryset.select_related("cohort").order_by(
            "cohort__start_date",
            "cohort_id",
            F("waitlist_position").asc(nulls_last=True),
            "submitted_at",
        )
    )


def _preview(request, change: StatusChange, applications, *, notify: bool, message: str) -> services.Preview:
    """What confirming would do now, from the services themselves (run and rolled back)."""
    return services.preview(
        lambda: services.applications_change_status(
            applications=applications, status=change.status, notify=notify, message=message, by=request.user
        )
    )


def _run_status_change(modeladmin, request, change: StatusChange, applications, *, notify, message):
    batch = services.applications_change_status(
        applications=applications, status=change.status, notify=notify, message=message, by=request.user
    )
    _report(modeladmin, request, change, batch, notify=notify, tell_emails=True)


# The confirmation page names what confirming will do in one signed field: the action and the applications
# it listed. Confirming acts on exactly these, whatever else the request carries (a page shows what people
# typed, and a browser sends any field a page was made to contain), for the user it was shown to, for a
# while: long enough to write a message, short enough that the seats it showed are still those of today.
SELECTION_FIELD = "selection"
SELECTION_MAX_AGE = 30 * 60  # seconds
SELECTION_REFUSED = "Nothing was changed: choose the applications and the action again."


def _selection_salt(user) -> str:
    # Per user: a confirmation shown to one person cannot be sent by another. The action is inside the
    # signed value, which binds it to the ids as a salt per action would.
    return f"enrollment.admin.applications.status-change:{user.pk}"


def _sign_selection(request, change: StatusChange, applications) -> str:
    selection = {"action": change.action, "ids": [application.pk for application in applications]}
    return signing.dumps(selection, salt=_selection_salt(request.user), compress=True)


def _listed_selection(request) -> dict:
    """The action and the application ids that the confirmation page listed, from its signed field;
    a 400 that says why when the field is missing, altered, someone else's or too old."""
    value = request.POST.get(SELECTION_FIELD, "")
    try:
        selection = signing.loads(value, salt=_selection_salt(request.user), max_age=SELECTION_MAX_AGE)
    except signing.SignatureExpired:
        raise ExplainedBadRequest(
            f"This confirmation page was opened more than {SELECTION_MAX_AGE // 60} minutes ago, so the seats "
            f"and the waitlist it showed may have changed. {SELECTION_REFUSED}"
        ) from None
    except signing.BadSignature:
        raise ExplainedBadRequest(
            "This confirmation does not match the page that listed the applications (the page was changed, "
            f"or it was opened by someone else). {SELECTION_REFUSED}"
        ) from None
    return selection


def _confirmation(modeladmin, request, change: StatusChange, applications, *, on_change_form: bool):
    """The confirmation page of a status change for `applications`; with its "apply" button, the change
    itself (None)."""
    form = StatusChangeForm(request.POST) if "confirmation" in request.POST else StatusChangeForm()
    if "apply" in request.POST and form.is_valid():
        _run_status_change(
            modeladmin,
            request,
            change,
            applications,
            notify=form.cleaned_data["notify"],
            message=form.cleaned_data["message"],
        )
        return None
    notify, message = True, ""
    if form.is_bound and form.is_valid():
        notify, message = form.cleaned_data["notify"], form.cleaned_data["message"]
    preview = _preview(request, change, applications, notify=notify, message=message)
    batch = preview.result
    rows = [
        {
            "application": result.application,
            "refusal": result.refusal,
            "events": preview.events_of(result.application),
        }
        for result in batch.results
    ]
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": f"{change.title}: confirm",
        "opts": modeladmin.model._meta,
        "change": change,
        "rows": rows,
        "applicable": sum(1 for row in rows if not row["refusal"]),
        "form": form,
        "others": preview.events_of_others(applications),
        "emails": preview.emails,
        "notify": notify,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "selection_field": SELECTION_FIELD,
        "selection": _sign_selection(request, change, applications),
    }
    if on_change_form:
        # Started from an application's own page: come back to it.
        context["action_field"] = CHANGE_FORM_ACTION
        context["cancel_url"] = reverse("admin:enrollment_application_change", args=[applications[0].pk])
    else:
        context["action_field"] = "action"
        context["cancel_url"] = reverse("admin:enrollment_application_changelist")
    request.current_app = modeladmin.admin_site.name
    return TemplateResponse(request, "admin/enrollment/application/status_change_confirmation.html", context)


def _status_change_action(change: StatusChange):
    # Chosen on the list or a page: the confirmation page. What that page sends back is handled by
    # ApplicationAdmin.response_action, from its signed selection.
    def action(modeladmin, request, queryset):
        return _confirmation(
            modeladmin,
            request,
            change,
            _in_processing_order(queryset),
            on_change_form=CHANGE_FORM_ACTION in request.POST,
        )

    action.__name__ = change.action
    return admin.action(
        description=change.description,
        description_plural=change.description_plural,
        permissions=["change"],
        location=BOTH_PLACES,
    )(action)


# Changes that need a choice (a date, a start): the same confirmation, with the choice on the page.


class HoldExtendForm(forms.Form):
    until = forms.DateField(
        label="New documents deadline",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="A day after today and before the first day of the course.",
        error_messages={
            "required": "Choose the new deadline.",
            "invalid": "Enter the deadline as a real date, for example 2027-06-30.",
        },
    )

    def __init__(self, *args, applications, **kwargs):
        super().__init__(*args, **kwargs)

    def clean_until(self):
        until = self.cleaned_data["until"]
        if until <= timezone.localdate():
            raise forms.ValidationError(
                "Choose a day after today: a deadline in the past would pass at once."
            )
        return until


class MoveForm(forms.Form):
    cohort = forms.ModelChoiceField(
        label="Move to the start",
        queryset=Cohort.objects.none(),
        empty_label="Choose a start",
        error_messages={
            "required": "Choose the start to move to.",
            "invalid_choice": "Choose one of the starts listed (of the same program, not begun).",
        },
    )
    notify = forms.BooleanField(
        label="E-mail the applicants", required=False, initial=True, widget=StrictCheckboxInput
    )

    def __init__(self, *args, applications, **kwargs):
        super().__init__(*args, **kwargs)
        # Other starts of the programs of the selected applications that have not begun; the service refuses
        # a move to another program's start, row by row.
        programs = {application.cohort.program_id for application in applications}
        self.fields["cohort"].queryset = (
            Cohort.objects.filter(program_id__in=programs, start_date__gt=timezone.localdate())
            .select_related("program")
            .order_by("start_date", "code")
        )
        self.fields["cohort"].label_from_instance = lambda cohort: (
            f"{cohort.code} ({cohort.program.name}), starting {cohort.start_date:%-d %b %Y}"
        )


@dataclass(frozen=True)
class ChoiceChange:
    action: str
    title: str
    done: str
    description: str
    description_plural: str
    form_class: type
    run: object  # (application, cleaned_data, user) -> the service call
    cohort_ids: object = None  # (cleaned_data) -> starts to lock besides the applications' own


CHOICE_CHANGES = [
    ChoiceChange(
        "action_hold_extend",
        "Extend the documents deadline",
        "given a new documents deadline",
        "Extend the documents deadline of the held seat…",
        "Extend the documents deadline of the selected held seats…",
        HoldExtendForm,
        lambda application, data, user: services.hold_extend(
            application=application, until=data["until"], by=user
        ),
    ),
    ChoiceChange(
        "action_application_move",
        "Move to another start",
        "moved",
        "Move to another start of the same program…",
        "Move the selected applications to another start of the same program…",
        MoveForm,
        lambda application, data, user: services.application_move(
            application=application, to=data["cohort"], notify=data["notify"], by=user
        ),
        cohort_ids=lambda data: [data["cohort"].pk],
    ),
]

CHOICE_CHANGES_BY_ACTION = {change.action: change for change in CHOICE_CHANGES}


def _choice_batch(request, change: ChoiceChange, applications, data) -> services.Batch:
    return services.applications_each(
        applications=applications,
        change=lambda application: change.run(application, data, request.user),
        cohort_ids=change.cohort_ids(data) if change.cohort_ids else (),
    )


def _choice_confirmation(modeladmin, request, change: ChoiceChange, applications, *, on_change_form: bool):
    """The confirmation page of a change that needs a choice; with "apply" and a valid choice, the change
    itself (None). What will happen is shown once the choice is made, from the services (run and rolled back)."""
    bound = "confirmation" in request.POST
    form = change.form_class(request.POST if bound else None, applications=applications)
    valid = bound and form.is_valid()
    if valid and "apply" in request.POST:
        batch = _choice_batch(request, change, applications, form.cleaned_data)
        _report(modeladmin, request, change, batch, notify=form.cleaned_data.get("notify", False))
        return None
    preview = None
    if valid:
        preview = services.preview(lambda: _choice_batch(request, change, applications, form.cleaned_data))
    rows = (
        [
            {
                "application": result.application,
                "refusal": result.refusal,
                "events": preview.events_of(result.application),
            }
            for result in preview.result.results
        ]
        if preview
        else [{"application": application, "refusal": "", "events": []} for application in applications]
    )
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": f"{change.title}: confirm",
        "opts": modeladmin.model._meta,
        "change": change,
        "rows": rows,
        "previewed": preview is not None,
        "applicable": sum(1 for row in rows if not row["refusal"]),
        "form": form,
        "others": preview.events_of_others(applications) if preview else [],
        "emails": preview.emails if preview else [],
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "selection_field": SELECTION_FIELD,
        "selection": _sign_selection(request, change, applications),
        "action_field": CHANGE_FORM_ACTION if on_change_form else "action",
        "cancel_url": reverse("admin:enrollment_application_change", args=[applications[0].pk])
        if on_change_form
        else reverse("admin:enrollment_application_changelist"),
    }
    request.current_app = modeladmin.admin_site.name
    return TemplateResponse(
        request,
        "admin/enrollment/application/choice_change_confirmation.html",
        context,
        status=400 if bound and not valid and "apply" in request.POST else 200,
    )


def _report(modeladmin, request, change, batch, *, notify, tell_emails=False):
    """One message per refusal, then one for what was done (and who was offered a seat because of it)."""
    done = []
    for result in batch.results:
        if result.refusal:
            text = result.refusal
            if result.application.reference not in text:
                text = f"{result.application.reference}: {text}"
            modeladmin.message_user(request, text, messages.ERROR)
        else:
            done.append(result.application.reference)
    if done:
        summary = f"{len(done)} application(s) {change.done}: {', '.join(done)}."
        if tell_emails:
            summary += " The applicants were e-mailed." if notify else " No e-mail was sent."
        if promoted := batch.offered_a_seat():
            summary += f" Offered a seat from the waitlist{' and e-mailed' if notify else ''}: "
            summary += ", ".join(application.reference for application in promoted) + "."
        modeladmin.message_user(request, summary, messages.SUCCESS)


def _choice_change_action(change: ChoiceChange):
    def action(modeladmin, request, queryset):
        return _choice_confirmation(
            modeladmin,
            request,
            change,
            _in_processing_order(queryset.select_related("cohort__program")),
            on_change_form=CHANGE_FORM_ACTION in request.POST,
        )

    action.__name__ = change.action
    return admin.action(
        description=change.description,
        description_plural=change.description_plural,
        permissions=["change"],
        location=BOTH_PLACES,
    )(action)


# The admin


@admin.register(Application)
class ApplicationAdmin(SchoolModelAdmin):
    form = ApplicationAdminForm
    change_form_template = "admin/enrollment/application/change_form.html"
    # What admissions scan the list for, narrow enough for 1280 px beside the filters (browser-tested).
    list_display = [
        "reference",
        "applicant",
        "cohort",
        "status",
        "waitlist",
        "received",
        staffwork.assignee,
        "email_problem",
    ]
    list_filter = [
        AssignmentFilter,
        ProgramFilter,
        ("cohort", CourseStartFilter),
        "status",
        ("submitted_at", admin.DateFieldListFilter),
        source_filter("submitted_at"),
        "heard_about",
        DocumentsDeadlineFilter,
        DuplicateFilter,
    ]
    # The beginning of a name or address, or the whole reference: what the indexes of migration
    # enrollment 0016 find among a school's ten years of applications without reading them all.
    search_fields = ["=reference", "^first_name", "^last_name", "^email"]
    search_help_text = (
        "Search by reference, or the beginning of a first or last name or of an e-mail address."
    )
    ordering = ["-submitted_at"]
    list_select_related = ["cohort", "assigned_to"]
    date_hierarchy = "submitted_at"
    # At a school's size, counting every application for "N total" read the whole table on every page
    # (docs/performance.md).
    show_full_result_count = False
    # Rendering a row is most of the list's time at any size: 50 a page keeps it under 200 ms (docs/performance.md).
    list_per_page = 50
    readonly_fields = [
        "reference",
        "course_start",
        "status",
        "waitlist_position",
        "submitted_at",
        "updated_at",
        "data_processing",
        *SOURCE_FIELDS,
    ]
    fieldsets = [
        (
            "Course start and status",
            {
                "fields": [
                    "reference",
                    "course_start",
                    "status",
                    "waitlist_position",
                    ("submitted_at", "updated_at"),
                ]
            },
        ),
        (
            "Applicant",
            {
                "fields": [
                    ("first_name", "last_name"),
                    "email",
                    "phone",
                    "date_of_birth",
                    "address_line1",
                    "address_line2",
                    ("city", "state", "postal_code"),
                ]
            },
        ),
        (
            "Certification",
            {
                "fields": [
                    "certification_level",
                    "certification_number",
                    "certification_state",
                    "certification_expiry",
                ]
            },
        ),
        ("Consents", {"fields": ["data_processing", "consent_sms"]}),
        SOURCE_FIELDSET,
        ("Staff", {"fields": ["assigned_to"]}),
    ]
    inlines = [ApplicationNoteInline, EmailNotificationInline]
    actions = [
        *(_status_change_action(change) for change in STATUS_CHANGES),
        *(_choice_change_action(change) for change in CHOICE_CHANGES),
        "assign_to_me",
        "export_applicant_data",
    ]

    def get_queryset(self, request):
        undelivered = EmailNotification.objects.filter(application=OuterRef("pk")).undelivered()
        queryset = super().get_queryset(request).annotate(failed_emails=Exists(undelivered))
        return selectors.with_likely_duplicates(queryset)

    def response_action(self, request, queryset, action_location=admin.ActionLocation.CHANGE_LIST):
        if "confirmation" not in request.POST:
            return super().response_action(request, queryset, action_location=action_location)
        # Sent back by a status change's confirmation page: the action and the applications it listed,
        # and nothing else the request names (other actions, other ids, "select all").
        selection = _listed_selection(request)
        change = STATUS_CHANGES_BY_ACTION.get(selection["action"]) or CHOICE_CHANGES_BY_ACTION.get(
            selection["action"]
        )
        if change is None or change.action not in self.get_actions(request, action_location=action_location):
            raise PermissionDenied
        applications = _in_processing_order(
            queryset.filter(pk__in=selection["ids"]).select_related("cohort__program")
        )
        if not applications:
            self.message_user(request, NOTHING_SELECTED_EXISTS, messages.WARNING)
        else:
            on_change_form = action_location == admin.ActionLocation.CHANGE_FORM
            confirmation = _choice_confirmation if isinstance(change, ChoiceChange) else _confirmation
            response = confirmation(self, request, change, applications, on_change_form=on_change_form)
            if response is not None:
                return response
        return HttpResponseRedirect(request.get_full_path())

    def get_actions(self, request, action_location=admin.ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location=action_location)
        # Deleting a live application would leave a hole in the seats or the waitlist; closed ones are
        # removed by the retention command (manage.py purge_personal_data).
        actions.pop("delete_selected", None)
        return actions

    # An application taken by phone: the public form's fields and checks, and its service (a seat or the
    # waitlist, eligibility, the duplicate refusal), recorded in the history as entered by the staff member.

    def add_view(self, request, form_url="", extra_context=None):
        if request.method not in ("GET", "HEAD", "POST"):
            return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
        if not self.has_add_permission(request):
            raise PermissionDenied
        programs = Program.objects.published().select_related("level__prerequisite").order_by("order", "name")
        program = programs.filter(pk=parse_cohort_id(request.GET.get("program", "")) or 0).first()
        form, status = None, 200
        if program is not None:
            cohorts = (
                Cohort.objects.filter(program=program)
                .open_for_applications()
                .with_seat_counts()
                .order_by("start_date", "code")
            )
            form = PhoneApplicationForm(
                request.POST if request.method == "POST" else None, program=program, cohorts=cohorts
            )
            if form.is_bound:
                if form.is_valid():
                    response = self._enter_by_phone(request, form)
                    if response is not None:
                        return response
                status = 400
        context = {
            **self.admin_site.each_context(request),
            "title": "Enter an application taken by phone",
            "opts": self.opts,
            "programs": programs,
            "program": program,
            "form": form,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(
            request, "admin/enrollment/application/phone_application.html", context, status=status
        )

    def _enter_by_phone(self, request, form):
        cohort = form.cleaned_data["cohort"]
        try:
            application = services.application_submit(
                cohort=cohort,
                details=form.applicant_details(),
                by=request.user,
                # What the caller said when asked how they heard of the school; a call has no campaign or
                # referring site (the admin page's own address would be nothing of theirs).
                source=Source.cleaned(heard_about=form.cleaned_data.get("heard_about", "")),
            )
        except services.AlreadyApplied as refusal:
            form.add_error(
                "email",
                f"This address already has a live application to {cohort.code}: {refusal.application.reference}. "
                "Its details were e-mailed to that address again.",
            )
            return None
        except services.EnrollmentError as error:
            for field, message in error.errors:
                form.add_error(field if field in form.fields else None, message)
            return None
        place = (
            f"on the waitlist, #{application.waitlist_position}"
            if application.waitlist_position
            else f"a held seat, documents due {application.hold_until:%-d %b %Y}"
        )
        self.message_user(
            request,
            f"Application {application.reference} entered for {cohort.code}: {place}. The applicant was e-mailed "
            "the confirmation with the link to their page.",
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:enrollment_application_change", args=[application.pk]))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or not obj.is_live)

    def has_export_applicant_data_permission(self, request):
        return request.user.has_perm("enrollment.export_applicant_data")

    @admin.display(description="Agrees to data processing", boolean=True)
    def data_processing(self, application):
        # Given on the form; an application without it cannot exist, so it is never edited here.
        return application.consent_data_processing

    @admin.display(description="name", ordering="last_name")
    def applicant(self, application):
        name = f"{application.last_name}, {application.first_name}"
        if getattr(application, "likely_duplicate", False):
            # In the name's column: the list stays narrow enough for 1280 px beside the filters.
            return format_html('{} <strong class="staff-flag">Possible duplicate</strong>', name)
        return name

    @admin.display(description="waitlist", ordering="waitlist_position")
    def waitlist(self, application):
        return f"#{application.waitlist_position}" if application.waitlist_position else ""

    @admin.display(description="received", ordering="submitted_at")
    def received(self, application):
        return local_time(application.submitted_at)

    @admin.display(description="e-mail failed", ordering="failed_emails")
    def email_problem(self, application):
        # Marked only when one failed: as yes/no icons, a column of red crosses for "nothing failed" hid
        # the one green tick that meant "this person has not heard from us".
        return "Failed" if application.failed_emails else ""

    @admin.display(description="course start")
    def course_start(self, application):
        cohort = application.cohort
        return format_html(
            "{} ({}), starting {} — {}",
            cohort.code,
            cohort.program.name,
            cohort.start_date.strftime("%d %b %Y"),
            cohort.schedule,
        )

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            # The page shows the course start's program; one query instead of two.
            obj.cohort = Cohort.objects.select_related("program").get(pk=obj.cohort_id)
        return obj

    # Saving: through the services, so that the history records every change.

    def save_model(self, request, obj, form, change):
        if not change:
            raise PermissionDenied  # never reached: applications are not added here
        services.application_update(application=obj, fields=form.changed_data, by=request.user)

    def save_formset(self, request, form, formset, change):
        if formset.model is not ApplicationNote:
            return super().save_formset(request, form, formset, change)
        return staffwork.save_new_notes(
            formset,
            lambda text: services.application_note_add(application=form.instance, text=text, by=request.user),
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["history"] = obj.events.select_related("actor")
            context["other_records"] = selectors.other_records(email=obj.email, application=obj)
            context.update(checklist.context(request, obj))
            context["likely_duplicates"] = selectors.likely_duplicates(obj)
            if self.has_export_applicant_data_permission(request):
                context["export_url"] = reverse("admin:enrollment_application_export", args=[obj.pk])
        return super().render_change_form(request, context, add, change, form_url, obj)

    # Exports of one person's data

    def get_urls(self):
        export = path(
            "<path:object_id>/export/",
            self.admin_site.admin_view(self.export_view),
            name="enrollment_application_export",
        )
        item = path(
            "<path:object_id>/checklist/<int:item_id>/",
            self.admin_site.admin_view(self.checklist_item_view),
            name="enrollment_application_checklist_item",
        )
        download = path(
            "<path:object_id>/documents/<int:document_id>/",
            self.admin_site.admin_view(self.document_download_view),
            name="enrollment_application_document",
        )
        return [export, item, download, *super().get_urls()]

    def checklist_item_view(self, request, object_id, item_id):
        return checklist.item_view(self, request, object_id, item_id)

    def document_download_view(self, request, object_id, document_id):
        return checklist.document_download(self, request, object_id, document_id)

    def export_view(self, request, object_id):
        """GET: what an export of this person's data covers, and a button to export it. POST (with the
        CSRF token): the export, recorded in the history. A link followed from anywhere records nothing."""
        if request.method not in ("GET", "HEAD", "POST"):
            return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
        if not (self.has_view_permission(request) and self.has_export_applicant_data_permission(request)):
            raise PermissionDenied
        application = object_or_404(self, request, object_id)
        if request.method == "POST":
            return self._export(request, [application])
        applications, enquiries = selectors.applicant_records([application.email])
        context = {
            **self.admin_site.each_context(request),
            "title": "Export this person’s data",
            "opts": self.opts,
            "original": application,
            "applications": applications,
            "enquiries": enquiries,
            "cancel_url": reverse("admin:enrollment_application_change", args=[application.pk]),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/enrollment/application/export_confirmation.html", context)

    @admin.action(
        description="Export everything stored about the selected applicants (JSON)",
        permissions=["export_applicant_data"],
    )
    def export_applicant_data(self, request, queryset):
        return self._export(request, list(queryset.order_by("submitted_at")))

    def _export(self, request, applications):
        emails_ = {application.email for application in applications}
        data = selectors.applicant_data(emails_)
        exported = [a for person in data["people"] for a in person["applications"]]
        services.application_export_record(
            applications=Application.objects.filter(pk__in=[a["id"] for a in exported]), by=request.user
        )
        services.enquiry_export_record(
            enquiries=Enquiry.objects.filter(
                pk__in=[e["id"] for p in data["people"] for e in p["enquiries"]]
            ),
            by=request.user,
        )
        logger.info(
            "Personal data of %s application(s) exported by user %s (%s)",
            len(exported),
            request.user.pk,
            ", ".join(a["reference"] for a in exported),
        )
        if len(emails_) == 1:
            filename = f"applicant-data-{applications[0].reference}.json"
        else:
            filename = f"applicant-data-{len(emails_)}-people.json"
        return exports.json_response(filename, data)

    @admin.action(
        description="Assign to me",
        description_plural="Assign the selected applications to me",
        permissions=["change"],
        location=BOTH_PLACES,
    )
    def assign_to_me(self, request, queryset):
        staffwork.assign_to_me(
            self,
            request,
            queryset,
            lambda application: services.application_assign(
                application=application, to=request.user, by=request.user
            ),
            "application",
        )
