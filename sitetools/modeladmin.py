"""The guard every model admin of the site inherits (SchoolModelAdmin), explicitly, as contrib.flatpages'
admin is plain and explicit.

Staff follow bookmarks, old links and hand-edited addresses. Stock Django answers some of those with a
server error: a list filter of our own given a value of the wrong type (?program=abc), a date drill-down
beyond the calendar (?submitted_at__year=9999), an action posted with a selection that is not a list of
ids. The guard turns each into a clear answer:

- a list whose filters cannot be applied redirects to the whole list (Django's own ?e=1) and says why;
- filters use only the lookups the admin's own filters need (exact, in, isnull, comparisons, date parts), on
  fields and on the list's own names (annotations, custom filters' parameters): ?email__regex=( or
  ?id__range=1 would run as SQL that fails, so they are refused with 400 like any lookup Django disallows;
- a NUL byte, which PostgreSQL refuses in text, never gets this far: emsprogram.middleware refuses any
  address that carries one (a filter, a search, an autocomplete, the view-on-site shortcut) with a 400;
- what staff type is checked like what the public types: single-line fields refuse line breaks and
  control characters, text areas store "\n" line breaks (sitetools/validators.py);
- an action, or a save of the list's editable columns, naming something that cannot be an id is refused with
  400; an action on rows that are no longer in the list changes nothing and says so;
- a many-to-many choice (a user's groups, a group's permissions) past the integer range is a form error;
- in the list's editable columns, an error of a field the list does not show is shown on its row.

Only public extension points of Django's admin are used (ChangeList's and ModelAdmin's methods, a form
field's clean())."""

import re

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ERROR_FLAG, ChangeList
from django.contrib.admin.widgets import url_params_from_lookup_dict
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models.constants import LOOKUP_SEP
from django.forms.formsets import BaseFormSet
from django.http import Http404, HttpResponseRedirect
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext

from sitetools.errors import ExplainedBadRequest
from sitetools.validators import normalise_line_breaks, validate_multi_line, validate_single_line

# What a date drill-down or a list filter raises on a value it cannot use: int("abc"), year 10000,
# a date past 9999-12-31.
UNUSABLE_VALUE = (ValueError, OverflowError, ValidationError)

# The lookups the admin's own list filters and date drill-down use.
ALLOWED_LOOKUPS = {
    "exact",
    "iexact",
    "isnull",
    "isempty",
    "in",
    "gt",
    "gte",
    "lt",
    "lte",
    "year",
    "month",
    "day",
}

NOTHING_SELECTED_EXISTS = (
    "None of the selected items is in this list any more (they may have been deleted, or the filter leaves "
    "them out). Nothing was changed."
)
FILTERS_DROPPED = "A filter in the address could not be applied (one of its values is not valid), so the whole list is shown."


class GuardedChangeList(ChangeList):
    def get_filters(self, request):
        try:
            return super().get_filters(request)
        except UNUSABLE_VALUE as error:
            raise IncorrectLookupParameters(error) from error

    def get_queryset(self, request, exclude_parameters=None):
        # Django wraps errors of the remaining lookups, not those of the list filters' own querysets.
        try:
            return super().get_queryset(request, exclude_parameters)
        except UNUSABLE_VALUE as error:
            raise IncorrectLookupParameters(error) from error

    def get_results(self, request):
        # SQLite's driver refuses an integer beyond 64 bits before running the query (nothing to undo).
        try:
            return super().get_results(request)
        except OverflowError as error:
            raise IncorrectLookupParameters(error) from error


def object_or_404(model_admin, request, object_id):
    """The object an admin view's address names (what the user may see of it), or 404 when the id names
    nothing or cannot be an id at all: for a model admin's own extra views, as Django's change view does."""
    obj = model_admin.get_object(request, unquote(object_id))
    if obj is None:
        raise Http404(f"No {model_admin.opts.verbose_name} with this id.")
    return obj


def _raw_id_popup_lookup(model, lookup, value):
    for fk_lookup in model._meta.related_fkey_lookups:
        if callable(fk_lookup):
            fk_lookup = fk_lookup()
        if (lookup, value) in url_params_from_lookup_dict(fk_lookup).items():
            return True
    return False


class GuardedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's, but an id past the database's integer range is a form error, not a crash (SQLite's driver
    refuses it before running the query): each value is checked as the field's type before Django looks
    the choices up."""

    def clean(self, value):
        key = self.to_field_name or "pk"
        field = self.queryset.model._meta.pk if key == "pk" else self.queryset.model._meta.get_field(key)
        for item in value or ():
            try:
                field.clean(item, None)
            except ValidationError:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": item}
                ) from None
        return super().clean(value)


class RowErrorsForm(forms.ModelForm):
    """A form of the list's editable columns. A model's clean() may name a field the list does not show
    (a level's prerequisite, when its "published" box is ticked in the list): Django would crash on it;
    here it becomes an error of the row, with the field's name.

    A row's fields sit under their column's header, without a label of their own: each is named after its
    column and its row ("Order, Paramedic"). Their help texts are not shown in a list, so no field points at one."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if not field.widget.is_hidden:
                field.widget.attrs.setdefault("aria-label", f"{capfirst(field.label)}, {self.instance}")
                field.help_text = ""

    def add_error(self, field, error):
        if field is None and isinstance(error, ValidationError) and hasattr(error, "error_dict"):
            shown = {}
            for name, errors in error.error_dict.items():
                if name != NON_FIELD_ERRORS and name not in self.fields:
                    label = capfirst(self._meta.model._meta.get_field(name).verbose_name)
                    errors = [ValidationError(f"{label}: {message}") for item in errors for message in item]
                    name = NON_FIELD_ERRORS
                shown.setdefault(name, []).extend(errors)
            error = ValidationError(shown)
        super().add_error(field, error)


class AdminTextField(forms.CharField):
    """A text area of the admin: line breaks stored as "\n" whatever the browser sends ("\r\n" merged a
    description's paragraphs and made unchanged text look changed), no other control characters."""

    default_validators = [validate_multi_line]

    def to_python(self, value):
        return normalise_line_breaks(super().to_python(value))


class TypedTextFields:
    """What staff type is checked like what the public types (sitetools/validators.py): one line in a
    single-line field, plain line breaks in a text area. For model admins and their inlines alike."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.TextField) and not db_field.choices:
            kwargs.setdefault("form_class", AdminTextField)
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if (
            isinstance(db_field, models.CharField)
            and not db_field.choices
            and isinstance(formfield, forms.CharField)
            and validate_single_line not in formfield.validators
        ):
            formfield.validators.append(validate_single_line)
        return formfield


class SchoolTabularInline(TypedTextFields, admin.TabularInline):
    """The base of an inline staff type into (a program's fees, a topic's questions...)."""


class SchoolStackedInline(TypedTextFields, admin.StackedInline):
    """The base of a stacked inline staff type into."""


class SchoolModelAdmin(TypedTextFields, admin.ModelAdmin):
    """The base of every model admin of the site: the project's own inherit it, and Django's and other
    packages' are registered again as subclasses of it (emsprogram/admin.py, staffauth/admin.py); a system
    check (emsprogram.adminsite) refuses to start with one left out."""

    def get_changelist_form(self, request, **kwargs):
        kwargs.setdefault("form", RowErrorsForm)
        return super().get_changelist_form(request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", GuardedModelMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_changelist(self, request, **kwargs):
        return GuardedChangeList

    def action_checkbox(self, obj):
        # Django's markup, written at once: its widget template, rendered for each of a page's 100 rows,
        # was a third of the applications list's time at a school's size (docs/performance.md).
        label = format_html(gettext("Select this object for an action - {}"), str(obj))
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            str(obj.pk),
            label,
        )

    def lookup_allowed(self, lookup, value, request):
        if not super().lookup_allowed(lookup, value, request):
            return False
        if _raw_id_popup_lookup(self.model, lookup, value):
            return True  # a related field's limit_choices_to, which Django allows as it is
        model = self.model
        parts = lookup.split(LOOKUP_SEP)
        for index, part in enumerate(parts):
            try:
                field = model._meta.pk if part == "pk" else model._meta.get_field(part)
            except FieldDoesNotExist:
                # Not a field: the lookup itself (cohort__in), or a name of the query's own, such as a
                # custom filter's parameter (?program=) or an annotation (?seats_left_count=), then lookups.
                return set(parts[index if index else 1 :]) <= ALLOWED_LOOKUPS
            if not getattr(field, "path_infos", None):
                return set(parts[index + 1 :]) <= ALLOWED_LOOKUPS
            model = field.path_infos[-1].to_opts.model
        return True

    def changelist_view(self, request, extra_context=None):
        if request.method == "GET" and ERROR_FLAG in request.GET:
            self.message_user(request, FILTERS_DROPPED, messages.WARNING)
        if request.method == "POST" and "_save" in request.POST and self.list_editable:
            edited = re.compile(rf"{BaseFormSet.get_default_prefix()}-\d+-{re.escape(self.opts.pk.name)}")
            self._refuse_unless_ids(
                v for key in request.POST if edited.fullmatch(key) for v in request.POST.getlist(key)
            )
        return super().changelist_view(request, extra_context)

    def response_action(self, request, queryset, **kwargs):
        selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        self._refuse_unless_ids(selected)
        select_across = request.POST.get("select_across") == "1"
        chosen = queryset if select_across else queryset.filter(pk__in=selected)
        if (selected or select_across) and not chosen.exists():
            self.message_user(request, NOTHING_SELECTED_EXISTS, messages.WARNING)
            return HttpResponseRedirect(request.get_full_path())
        return super().response_action(request, queryset, **kwargs)

    def _refuse_unless_ids(self, values):
        pk = self.opts.pk
        for value in values:
            try:
                pk.clean(value, None)  # the type and, for integers, the database's range
            except ValidationError:
                raise ExplainedBadRequest(
                    f"The page sent “{value}” where it should have sent the id of one of the "
                    f"{self.opts.verbose_name_plural}, and “{value}” cannot be one. Nothing was changed: go "
                    "back to the list and try again."
                ) from None
