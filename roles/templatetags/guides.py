"""`{% published_guide "ems-vs-emt" as guide %}`: a guide for a link from another page, or None
when it does not exist or is not published (so no page ever links to a 404)."""

from django import template

from roles.models import Guide

register = template.Library()


@register.simple_tag
def published_guide(slug):
    return Guide.objects.published().filter(slug=slug).only("slug", "title").first()
