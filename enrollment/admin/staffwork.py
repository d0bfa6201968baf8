"""What applications and enquiries share on the staff side: notes, assignment to a staff member, the
"assigned to me" and "unassigned" filters, and the "Assign to me" action; and what every admin of
enrollment uses for its text areas."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminTextareaWidget
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import models
from django.db.models import Q

from enrollment.models import local_time, staff_name
from sitetools.modeladmin import AdminTextField

# For an inline's formfield_overrides (model admins get it from sitetools.modeladmin): a text area's line
# breaks stored as "\n". Browsers send "\r\n", which would merge paragraphs (split on "\n\n") and make an
# unchanged text look changed.
TEXT_AREAS = {models.TextField: {"form_class": AdminTextField, "widget": AdminTextareaWidget}}


def assignable_staff(*, codename="view_application", also=None):
    """Active staff who may see what they would be assigned (the `codename` permission of enrollment:
    Admissions and superusers, not content editors), and `also` (a user id), the person currently
    assigned, whatever their permissions now."""
    may_view = Permission.objects.filter(content_type__app_label="enrollment", codename=codename)
    return (
        get_user_model()
        .objects.filter(
            Q(is_active=True, is_staff=True)
            & (Q(is_superuser=True) | Q(groups__permissions__in=may_view) | Q(user_permissions__in=may_view))
            | Q(pk=also)
        )
        .distinct()
        .order_by("username")
    )


class AssignmentFormMixin:
    """For a ModelForm with an `assigned_to` field: the staff who may be assigned, named as people are.
    Whoever is assigned stays on offer, even after leaving Admissions, so that saving another change does
    not unassign them without a word.

    The fields in `kept_from_page` (those the list's actions change, such as the assignee) carry the value
    the page was opened with, so that "changed" means changed by this person: saving a note on a page
    opened before a colleague ran "Assign to me" leaves the colleague's assignment alone."""

    assignable_with = "view_application"  # the permission an assignee needs
    kept_from_page = ("assigned_to",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.kept_from_page:
            if name in self.fields:
                self.fields[name].show_hidden_initial = True
        field = self.fields.get("assigned_to")
        if field is not None:
            field.queryset = assignable_staff(
                codename=self.assignable_with, also=self.instance.assigned_to_id
            )
            field.label_from_instance = staff_name


class AssignmentFilter(admin.SimpleListFilter):
    title = "assignment"
    parameter_name = "assignment"

    def lookups(self, request, model_admin):
        return [("me", "Assigned to me"), ("nobody", "Unassigned")]

    def queryset(self, request, queryset):
        match self.value():
            case "me":
                return queryset.filter(assigned_to=request.user)
            case "nobody":
                return queryset.filter(assigned_to__isnull=True)
        return queryset


@admin.display(description="assigned to", ordering="assigned_to__last_name")
def assignee(record):
    """The lists' "assigned to" column: the person's name (the user's __str__ is their username)."""
    return staff_name(record.assigned_to) if record.assigned_to else None


class StaffNoteForm(forms.ModelForm):
    class Meta:
        labels = {"text": "Note"}


class StaffNoteInline(admin.TabularInline):
    """Notes are added, never edited or deleted: existing ones are read-only, the author and time are
    filled in by the services (application_note_add, enquiry_note_add) when the page is saved."""

    form = StaffNoteForm
    fields = ["text", "written_by"]
    readonly_fields = ["written_by"]
    formfield_overrides = TEXT_AREAS
    extra = 1
    can_delete = False
    verbose_name = "staff note"
    verbose_name_plural = "staff notes"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="written by")
    def written_by(self, note):
        if note.pk is None:
            return "You, when you save"
        author = staff_name(note.author) if note.author else "A removed user"
        return f"{author}, {local_time(note.created_at)}"


def save_new_notes(formset, add_note):
    """Save the notes added on a page through `add_note(text)` (a service), and tell the admin's own log."""
    notes = [add_note(note.text) for note in formset.save(commit=False) if note.pk is None]
    formset.new_objects = notes
    return notes


def assign_to_me(modeladmin, request, queryset, assign, noun):
    """Assign every selected record to the signed-in user through `assign(record)` (a service)."""
    assigned = 0
    for record in queryset:
        if record.assigned_to_id != request.user.pk:
            assign(record)
            assigned += 1
    modeladmin.message_user(request, f"{assigned} {noun}(s) assigned to you.", messages.SUCCESS)
