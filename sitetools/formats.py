"""The one way the site writes an amount of money and a date: "$2,020" (or "$2,020.50" when there are
cents) and "March 15, 2026". Pages use them as template filters (`{% load formats %}`), and e-mails, forms,
refusal messages and generated images call them, so a price or a date reads the same wherever a student meets
it."""

from datetime import date
from decimal import Decimal

from django.utils.dateformat import format as format_date

DATE_FORMAT = "F j, Y"


def money(amount) -> str:
    """US dollars with thousands separators; cents only when there are some. Empty for no amount."""
    if amount is None or amount == "":
        return ""
    value = Decimal(str(amount)).quantize(Decimal("0.01"))
    if value == value.to_integral_value():
        return f"${value:,.0f}"
    return f"${value:,.2f}"


def day(value: date | None) -> str:
    """A calendar date in words, e.g. March 15, 2026. Empty for no date."""
    if not value:
        return ""
    return format_date(value, DATE_FORMAT)


def minus(amount, other):
    """`{{ total|minus:deposit }}`: what is left to pay once `other` is paid."""
    return Decimal(str(amount)) - Decimal(str(other or 0))
