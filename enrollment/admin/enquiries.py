"""Enquiries from the contact form as an inbox (admissions only): the list shows each question's first line,
the time to the first answer and the sender's other records; an enquiry's page shows the conversation (the
question, then the answers sent), a box to answer by e-mail (from a saved answer or not, with a preview of
exactly the e-mail that will be sent), the sender's other records and the enquiry's history. Saved answers
are kept here too. Every change goes through enrollment.services (inbox.py), which writes the history."""

import logging

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import DurationField, ExpressionWrapper, F
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.text import Truncator

from enrollment import selectors, services
from enrollment.admin import exports, staffwork
from enrollment.admin.emails import EmailNotificationInline
from enrollment.forms import MultilineCharField
from enrollment.models import (
    PLACEHOLDERS,
    Enquiry,
    EnquiryNote,
    EnquiryReply,
    SavedAnswer,
    duration_words,
    first_line,
    local_time,
)
from sitetools.modeladmin import SchoolModelAdmin, object_or_404
from sitetools.source_admin import SOURCE_FIELDS, SOURCE_FIELDSET, source_filter

logger = logging.getLogger(__name__)

# How much of a question's first line the list shows.
QUESTION_CHARS = 70


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


PLACEHOLDER_HELP = "Plain text; a blank line starts a paragraph. Placeholders, filled in for the person: " + (
    "; ".join(f"{{{name}}}, {meaning}" for name, meaning in PLACEHOLDERS.items()) + "."
)


class ReplyForm(forms.Form):
    """The box to answer an enquiry by e-mail. `replies_seen`: how many answers the page showed, so that an
    answer sent meanwhile by a colleague stops this one (services.enquiry_reply)."""

    saved_answer = forms.ModelChoiceField(
        queryset=SavedAnswer.objects.none(), required=False, label="Saved answer", empty_label="(choose one)"
    )
    body = MultilineCharField(
        label="Your answer",
        required=False,
        max_length=EnquiryReply._meta.get_field("body").max_length,
        widget=forms.Textarea(attrs={"rows": 12, "cols": 80}),
        help_text=PLACEHOLDER_HELP,
    )
    replies_seen = forms.IntegerField(min_value=0, max_value=100_000, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "reply")
        super().__init__(*args, **kwargs)
        self.fields["saved_answer"].queryset = SavedAnswer.objects.all()

    def add_refusal(self, error: services.EnrollmentError) -> None:
        for field, message in error.errors:
            self.add_error(field if field in self.fields else None, message)

    def show_replies_seen(self, count: int) -> None:
        """The page shows the conversation as it is now: sending from it has seen `count` answers."""
        if self.is_bound:
            self.data = self.data.copy()
            self.data[self.add_prefix("replies_seen")] = str(count)
        else:
            self.initial["replies_seen"] = count


def _mark(status: str, description: str):
    def action(modeladmin, request, queryset):
        changed = services.enquiries_set_status(enquiries=queryset, status=status, by=request.user)
        label = Enquiry.Status(status).label.lower()
        modeladmin.message_user(request, f"{changed} enquiry(ies) marked {label}.", messages.SUCCESS)

    action.__name__ = f"mark_{status}"
    return admin.action(description=description, permissions=["change"])(action)


@admin.register(Enquiry)
class EnquiryAdmin(SchoolModelAdmin):
    form = EnquiryAdminForm
    change_form_template = "admin/enrollment/enquiry/change_form.html"
    list_display = [
        "__str__",
        "question",
        "name",
        "email",
        "program",
        "status",
        "received",
        "first_reply",
        "others",
        staffwork.assignee,
    ]
    list_filter = [
        staffwork.AssignmentFilter,
        "status",
        "program",
        "preferred_contact",
        ("submitted_at", admin.DateFieldListFilter),
        source_filter("submitted_at"),
        "heard_about",
    ]
    search_fields = ["name", "email", "message"]
    search_help_text = "Search by name, e-mail address or words of the question."
    ordering = ["-submitted_at"]
    readonly_fields = ["submitted_at", "time_to_first_reply", "updated_at", *SOURCE_FIELDS]
    fieldsets = [
        ("About", {"fields": ["program", "submitted_at", "time_to_first_reply"]}),
        ("From", {"fields": ["name", "email", "phone", "preferred_contact"]}),
        SOURCE_FIELDSET,
        ("Staff", {"fields": ["status", "assigned_to", "updated_at"]}),
    ]
    list_select_related = ["program", "assigned_to"]
    date_hierarchy = "submitted_at"
    # As on the applications' list: no whole-table count on every page (docs/performance.md).
    show_full_result_count = False
    # Rendering a row is most of the list's time at any size: 50 a page keeps it under 200 ms (docs/performance.md).
    list_per_page = 50
    inlines = [EnquiryNoteInline, EmailNotificationInline]
    actions = [
        _mark(Enquiry.Status.ANSWERED, "Mark the selected enquiries as answered"),
        _mark(Enquiry.Status.CLOSED, "Mark the selected enquiries as closed"),
        "assign_to_me",
        "export_enquirer_data",
    ]

    def get_queryset(self, request):
        reply_time = ExpressionWrapper(
            F("first_replied_at") - F("submitted_at"), output_field=DurationField()
        )
        return selectors.with_other_records(super().get_queryset(request).annotate(reply_time=reply_time))

    # The list's columns

    @admin.display(description="question")
    def question(self, enquiry):
        return Truncator(enquiry.first_line).chars(QUESTION_CHARS)

    @admin.display(description="received", ordering="submitted_at")
    def received(self, enquiry):
        return local_time(enquiry.submitted_at)

    @admin.display(description="first answer after", ordering="reply_time")
    def first_reply(self, enquiry):
        return duration_words(enquiry.reply_time) if enquiry.reply_time is not None else "Not yet"

    @admin.display(description="other records", ordering="other_records")
    def others(self, enquiry):
        return enquiry.other_records

    @admin.display(description="first answer after")
    def time_to_first_reply(self, enquiry):
        waited = enquiry.time_to_first_reply
        if waited is None:
            return "Not answered by e-mail yet"
        return f"{duration_words(waited)} (on {local_time(enquiry.first_replied_at)})"

    # Saving: through the services, so that the history records every change.

    def save_model(self, request, obj, form, change):
        # Only what this person changed is written, so that saving a note does not undo a colleague's status
        # or assignment made meanwhile; status and assignment go through the services, which record who did it.
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

    # The page: the conversation, the answer box, the person's other records, the history

    def has_reply_permission(self, request, obj=None):
        return self.has_change_permission(request, obj) and request.user.has_perm(
            "enrollment.add_enquiryreply"
        )

    def _conversation(self, request, enquiry, reply_form=None) -> dict:
        replies = list(enquiry.replies.select_related("author", "notification"))
        context = {"enquiry": enquiry, "replies": replies}
        if self.has_reply_permission(request, enquiry):
            reply_form = reply_form or ReplyForm()
            reply_form.show_replies_seen(len(replies))
            context["reply_form"] = reply_form
            context["reply_url"] = reverse("admin:enrollment_enquiry_reply", args=[enquiry.pk])
        return context

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context.update(self._conversation(request, obj))
            context["history"] = obj.events.select_related("actor")
            context["other_records"] = selectors.other_records(email=obj.email, enquiry=obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_urls(self):
        reply = path(
            "<path:object_id>/reply/",
            self.admin_site.admin_view(self.reply_view),
            name="enrollment_enquiry_reply",
        )
        return [reply, *super().get_urls()]

    def reply_view(self, request, object_id):
        """The answer by e-mail. GET: the conversation and the box. POST: "use" fills the box with the chosen
        saved answer; "preview" shows exactly the e-mail that will be sent (the service run and rolled back);
        "send" sends it and comes back to the enquiry's page."""
        if request.method not in ("GET", "HEAD", "POST"):
            return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
        enquiry = object_or_404(self, request, object_id)
        if not self.has_reply_permission(request, enquiry):
            raise PermissionDenied
        form, preview = ReplyForm(request.POST or None), None
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            if "use" in request.POST:
                if data["saved_answer"] is None:
                    form.add_error("saved_answer", "Choose a saved answer, then “Use this saved answer”.")
                else:
                    answer = data["saved_answer"]
                    form = ReplyForm(initial={"saved_answer": answer.pk, "body": answer.body})
            elif "send" in request.POST:
                try:
                    reply = services.enquiry_reply(
                        enquiry=enquiry, body=data["body"], by=request.user, replies_seen=data["replies_seen"]
                    )
                except services.EnrollmentError as error:
                    form.add_refusal(error)
                else:
                    self.message_user(
                        request,
                        f"Your answer to {enquiry} was sent to {enquiry.email} (by the task worker, in a "
                        f"moment); the enquiry is marked answered.",
                        messages.SUCCESS,
                    )
                    self.log_change(request, enquiry, [{"added": {"name": "answer", "object": str(reply)}}])
                    return HttpResponseRedirect(reverse("admin:enrollment_enquiry_change", args=[enquiry.pk]))
            else:
                try:
                    # On a copy: the page shows the enquiry as it is, not as the rolled-back answer left it.
                    preview = services.preview(
                        lambda: services.enquiry_reply(
                            enquiry=Enquiry.objects.get(pk=enquiry.pk),
                            body=data["body"],
                            by=request.user,
                            replies_seen=data["replies_seen"],
                        )
                    )
                except services.EnrollmentError as error:
                    form.add_refusal(error)
        context = {
            **self.admin_site.each_context(request),
            **self._conversation(request, enquiry, form),
            "title": f"Answer {enquiry} by e-mail",
            "opts": self.opts,
            "original": enquiry,
            "emails": preview.emails if preview else [],
            "change_url": reverse("admin:enrollment_enquiry_change", args=[enquiry.pk]),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/enrollment/enquiry/reply.html", context)

    # Actions

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
        applications, enquiries_of_people = selectors.applicant_records(addresses)
        services.application_export_record(applications=applications, by=request.user)
        services.enquiry_export_record(enquiries=enquiries_of_people, by=request.user)
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


@admin.register(SavedAnswer)
class SavedAnswerAdmin(SchoolModelAdmin):
    """Answers Admissions give often, to start an answer from; their placeholders are checked on save."""

    list_display = ["title", "begins", "updated"]
    search_fields = ["title", "body"]
    search_help_text = "Search by title or words of the answer."
    fields = ["title", "body"]

    @admin.display(description="begins")
    def begins(self, answer):
        return Truncator(first_line(answer.body)).chars(QUESTION_CHARS)

    @admin.display(description="last changed", ordering="updated_at")
    def updated(self, answer):
        return local_time(answer.updated_at)
