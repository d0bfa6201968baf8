"""The one way the public site writes an amount of money and a date: `{% load formats %}`, then
`{{ program.total_cost|money }}` ("$2,020", or "$2,020.50" when there are cents) and `{{ cohort.start_date|day }}`
("March 15, 2026"). E-mails and generated images use the same functions, so a price or a date reads the same
wherever a student meets it."""

from datetime import date
from decimal import Decimal

from django import template
from django.utils.dateformat import format as format_date

register = template.Library()

DATE_FORMAT = "F j, Y"


@register.filter
def money(amount) -> str:
    """US dollars with thousands separators; cents only when there are some. Empty for no amount."""
    if amount is None or amount == "":
        return ""
    value = Decimal(str(amount)).quantize(Decimal("0.01"))
    if value == value.to_integral_value():
        return f"${value:,.0f}"
    return f"${value:,.2f}"


@register.filter
def day(value: date | None) -> str:
    """A calendar date in words, e.g. March 15, 2026. Empty for no date."""
    if not value:
        return ""
    return format_date(value, DATE_FORMAT)


@register.filter
def minus(amount, other):
    """`{{ total|minus:deposit }}`: what is left to pay once `other` is paid."""
    return Decimal(str(amount)) - Decimal(str(other or 0))
