"""The admin's date drill-down (`date_hierarchy`) without reading every row for its years.

Django lists the years at the top of the drill-down with `SELECT DISTINCT` of every row's year: at a school's
size after ten years (100,000 applications) that read the whole table on every view of the list. Here the
list's first view runs one query whatever the rows: the first and last dates (MIN and MAX, two lookups in the
field's index), and the years between them (or, when all fall in one year, its months; in one month, its days,
as Django opens it); one without a row still shows, and opens an empty list. Once a year or month is chosen,
Django's own drill-down lists its months or days, from that year's or month's rows only.
templates/admin/change_list.html uses it for every list."""

from datetime import date, datetime

from django.contrib.admin.templatetags import admin_list
from django.contrib.admin.templatetags.base import InclusionAdminNode
from django.contrib.admin.utils import get_fields_from_path
from django.db import models
from django.template import Library
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext

register = Library()


def date_hierarchy(cl):
    field_name = cl.date_hierarchy
    year_field, month_field, day_field = (f"{field_name}__{part}" for part in ("year", "month", "day"))
    if any(cl.params.get(name) for name in (year_field, month_field, day_field)):
        return admin_list.date_hierarchy(cl)  # a year's months, a month's days: from that year's rows only
    span = cl.queryset.aggregate(first=models.Min(field_name), last=models.Max(field_name))
    first, last = span["first"], span["last"]
    if first is None or last is None:
        return {"show": True, "back": None, "choices": [], "field_name": _verbose_name(cl)}
    if isinstance(first, datetime) and timezone.is_aware(first):
        first, last = timezone.localtime(first), timezone.localtime(last)

    def link(filters):
        return cl.get_query_string(filters, [f"{field_name}__"])

    if first.year != last.year:
        back = None
        choices = [
            {"link": link({year_field: str(year)}), "title": str(year)}
            for year in range(first.year, last.year + 1)
        ]
    elif first.month != last.month:  # one year: its months, as Django opens it
        back = {"link": link({}), "title": gettext("All dates")}
        choices = [
            {
                "link": link({year_field: first.year, month_field: month}),
                "title": capfirst(formats.date_format(date(first.year, month, 1), "YEAR_MONTH_FORMAT")),
            }
            for month in range(first.month, last.month + 1)
        ]
    else:  # one month: its days
        back = {"link": link({year_field: first.year}), "title": str(first.year)}
        choices = [
            {
                "link": link({year_field: first.year, month_field: first.month, day_field: day}),
                "title": capfirst(
                    formats.date_format(date(first.year, first.month, day), "MONTH_DAY_FORMAT")
                ),
            }
            for day in range(first.day, last.day + 1)
        ]
    return {"show": True, "back": back, "choices": choices, "field_name": _verbose_name(cl)}


def _verbose_name(cl):
    return get_fields_from_path(cl.model, cl.date_hierarchy)[-1].verbose_name


@register.tag(name="date_hierarchy_by_range")
def date_hierarchy_tag(parser, token):
    return InclusionAdminNode(
        "date_hierarchy",
        parser,
        token,
        func=date_hierarchy,
        template_name="date_hierarchy.html",
        takes_context=False,
    )
