"""The admin front page's panel of what needs attention (templates/admin/index.html)."""

from django import template

from enrollment import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def admissions_attention(context):
    """The numbers the signed-in user may see (None: nothing to show). Counts and cohorts only: no names."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return None
    return selectors.attention_for(request.user)
