"""The site's admin: Django's, with one guard on every model admin registered with it.

Staff follow bookmarks, old links and hand-edited addresses. Stock Django answers some of those with a
server error: a list filter of our own given a value of the wrong type (?program=abc), a date drill-down
beyond the calendar (?submitted_at__year=9999), an action posted with a selection that is not a list of
ids. The guard turns each into a clear answer:

- a list whose filters cannot be applied redirects to the whole list (Django's own ?e=1) and says why;
- an action whose selection names something that cannot be an id is refused with 400.

The guard is mixed into every ModelAdmin when it is registered, Django's own (users, groups) and those
of other packages included, so that no list of the site is left out."""

import functools

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ERROR_FLAG, ChangeList
from django.core.exceptions import ValidationError

from emsprogram.errors import ExplainedBadRequest

# What a date drill-down or a list filter raises on a value it cannot use: int("abc"), year 10000,
# a date past 9999-12-31.
UNUSABLE_VALUE = (ValueError, OverflowError, ValidationError)

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


@functools.cache
def _guarded(changelist):
    if issubclass(changelist, GuardedChangeList):
        return changelist
    return type(changelist.__name__, (GuardedChangeList, changelist), {})


class GuardedModelAdmin(admin.ModelAdmin):
    """Mixed in front of every model admin by SchoolAdminSite.register."""

    def get_changelist(self, request, **kwargs):
        return _guarded(super().get_changelist(request, **kwargs))

    def changelist_view(self, request, extra_context=None):
        if request.method == "GET" and ERROR_FLAG in request.GET:
            self.message_user(request, FILTERS_DROPPED, messages.WARNING)
        return super().changelist_view(request, extra_context)

    def response_action(self, request, queryset, **kwargs):
        pk = self.opts.pk
        for value in request.POST.getlist(helpers.ACTION_CHECKBOX_NAME):
            try:
                pk.clean(value, None)  # the type and, for integers, the database's range
            except ValidationError:
                raise ExplainedBadRequest(
                    f"The selection names “{value}”, which is not the id of any {self.opts.verbose_name}. "
                    "Nothing was changed: go back to the list and select again."
                ) from None
        return super().response_action(request, queryset, **kwargs)


class SchoolAdminSite(admin.AdminSite):
    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, GuardedModelAdmin):
            admin_class = type(
                admin_class.__name__,
                (GuardedModelAdmin, admin_class),
                {"__module__": admin_class.__module__, "__doc__": admin_class.__doc__},
            )
        return super().register(model_or_iterable, admin_class, **options)
