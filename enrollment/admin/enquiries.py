"""Enquiries from the contact form (admissions only)."""

import logging

from django import forms
from django.contrib import admin, messages

from enrollment import selectors, services
from enrollment.admin import exports, staffwork
from enrollment.admin.emails import EmailNotificationInline
from enrollment.models import Application, Enquiry, EnquiryNote
from sitetools.modeladmin import SchoolModelAdmin

logger = logging.getLogger(__name__)


class EnquiryNoteInline(staffwork.StaffNoteInline):
    model = EnquiryNote

    # Notes are part of the enquiry: whoever may change it may add them, whoever may view it reads them.
    def has_add_permission(self, request, obj=None):
        return request.user.has_perm("enrollment.change_enquiry")

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("enrollment.view_enquiry") or request.user.has_perm(
            "enrollment.change_enquiry"
        )


class EnquiryAdminForm(staffwork.AssignmentFormMixin, forms.ModelForm):
    assignable_with = "view_enquiry"
    kept_from_page = ("assigned_to", "status")

    class Meta:
        model = Enquiry
        fields = ["name", "email", "phone", "preferred_contact", "program", "status", "assigned_to"]

    def clean_email(self):
        return services.normalize_email(self.cleaned_data["email"])


def _mark(status: str, description: str):
    def action(modeladmin, request, queryset):
        changed = 0
        for enquiry in queryset:
            if enquiry.status != status:
                services.enquiry_set_status(enquiry=enquiry, status=status, by=request.user)
                changed += 1
        label = Enquiry.Status(status).label.lower()
        modeladmin.message_user(request, f"{changed} enquiry(ies) marked {label}.", messages.SUCCESS)

    action.__name__ = f"mark_{status}"
    return admin.action(description=description, permissions=["change"])(action)


@admin.register(Enquiry)
class EnquiryAdmin(SchoolModelAdmin):
    form = EnquiryAdminForm
    list_display = [
        "__str__",
        "name",
        "email",
        "program",
        "preferred_contact",
        "status",
        "submitted_at",
        staffwork.assignee,
    ]
    list_filter = [
        staffwork.AssignmentFilter,
        "status",
        "program",
        "preferred_contact",
        ("submitted_at", admin.DateFieldListFilter),
    ]
    search_fields = ["name", "email", "message"]
    search_help_text = "Search by name, e-mail address or words of the question."
    ordering = ["-submitted_at"]
    readonly_fields = ["message_text", "submitted_at", "updated_at"]
    fieldsets = [
        ("Question", {"fields": ["message_text", "program", "submitted_at"]}),
        ("From", {"fields": ["name", "email", "phone", "preferred_contact"]}),
        ("Staff", {"fields": ["status", "assigned_to", "updated_at"]}),
    ]
    list_select_related = ["program", "assigned_to"]
    date_hierarchy = "submitted_at"
    inlines = [EnquiryNoteInline, EmailNotificationInline]
    actions = [
        _mark(Enquiry.Status.ANSWERED, "Mark the selected enquiries as answered"),
        _mark(Enquiry.Status.CLOSED, "Mark the selected enquiries as closed"),
        "assign_to_me",
        "export_enquirer_data",
    ]

    def save_model(self, request, obj, form, change):
        # Only what this person changed is written, so that saving a note does not undo a colleague's status
        # or assignment made meanwhile; status and assignment go through the services, which log who did it.
        changed = set(form.changed_data)
        status, assigned_to = obj.status, obj.assigned_to
        before = Enquiry.objects.get(pk=obj.pk)
        obj.status, obj.assigned_to = before.status, before.assigned_to
        if others := changed - {"status", "assigned_to"}:
            obj.save(update_fields=[*others, "updated_at"])
        if "status" in changed:
            services.enquiry_set_status(enquiry=obj, status=status, by=request.user)
        if "assigned_to" in changed:
            services.enquiry_assign(enquiry=obj, to=assigned_to, by=request.user)

    def save_formset(self, request, form, formset, change):
        if formset.model is not EnquiryNote:
            return super().save_formset(request, form, formset, change)
        return staffwork.save_new_notes(
            formset, lambda text: services.enquiry_note_add(enquiry=form.instance, text=text, by=request.user)
        )

    @admin.action(
        description="Assign to me",
        description_plural="Assign the selected enquiries to me",
        permissions=["change"],
    )
    def assign_to_me(self, request, queryset):
        staffwork.assign_to_me(
            self,
            request,
            queryset,
            lambda enquiry: services.enquiry_assign(enquiry=enquiry, to=request.user, by=request.user),
            "enquiry",
        )

    @admin.display(description="message")
    def message_text(self, enquiry):
        # What the person wrote stays as they wrote it; shown with its line breaks.
        return enquiry.message

    def has_add_permission(self, request):
        return False

    def has_export_applicant_data_permission(self, request):
        return request.user.has_perm("enrollment.export_applicant_data")

    @admin.action(
        description="Export everything stored about the selected people (JSON)",
        permissions=["export_applicant_data"],
    )
    def export_enquirer_data(self, request, queryset):
        enquiries = list(queryset.order_by("submitted_at"))
        addresses = {enquiry.email for enquiry in enquiries}
        data = selectors.applicant_data(addresses)
        services.application_export_record(
            applications=Application.objects.filter(email__in={a.lower() for a in addresses}), by=request.user
        )
        logger.info(
            "Personal data of the senders of enquiries %s exported by user %s",
            ", ".join(f"#{enquiry.pk}" for enquiry in enquiries),
            request.user.pk,
        )
        if len(addresses) == 1:
            filename = f"enquirer-data-{enquiries[0].pk}.json"
        else:
            filename = f"enquirer-data-{len(addresses)}-people.json"
        return exports.json_response(filename, data)
