"""For tables that a phone shows as cards (static/css/site.css): each cell names its column."""

from django import template

register = template.Library()


@register.filter
def paired_with(cells, columns):
    """`cells|paired_with:columns`: (cell, column) pairs, so that a row's loop can name each cell's column
    (`data-label`). The two lists are the same length by construction: anything else is a bug, and says so."""
    return list(zip(cells, columns, strict=True))
