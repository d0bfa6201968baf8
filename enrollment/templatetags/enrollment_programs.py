"""The programs that prepare for a certification level, for the level's page (templates/roles/): the roles
app shows them without knowing the enrollment app (roles never imports enrollment)."""

from django import template

from enrollment.models import Program

register = template.Library()


@register.simple_tag
def programs_for_level(level):
    """The published programs that prepare for `level`, as program cards show them (one query)."""
    return list(Program.objects.published().for_cards().filter(level=level))
