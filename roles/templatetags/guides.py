"""`{% published_guide "ems-vs-emt" as guide %}`: a guide for a link from another page, or None
when it does not exist or is not published (so no page ever links to a 404)."""

from django import template

from roles.models import Guide

register = template.Library()


@register.simple_tag
def published_guide(slug):
    return Guide.objects.published().filter(slug=slug).only("slug", "title").first()


@register.simple_tag
def published_guides(*slugs):
    """`{% published_guides "cpr-card" "vaccinations" as guides %}`: the published guides among these, in the
    order given, in one query (a page linking to several answers runs one query, not one per link)."""
    found = {
        guide.slug: guide
        for guide in Guide.objects.published().filter(slug__in=slugs).only("slug", "title", "summary")
    }
    return [found[slug] for slug in slugs if slug in found]
