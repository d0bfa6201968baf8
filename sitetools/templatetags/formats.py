"""`{% load formats %}`: the site's one money and date format (sitetools/formats.py) as template filters:
`{{ program.total_cost|money }}`, `{{ cohort.start_date|day }}`, `{{ total|minus:deposit }}`."""

from django import template

from sitetools import formats

register = template.Library()
register.filter("money", formats.money)
register.filter("day", formats.day)
register.filter("minus", formats.minus)
