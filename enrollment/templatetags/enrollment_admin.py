"""The admin front page's panel of what needs attention (templates/admin/index.html)."""

from django import template

from enrollment.admin import attention

register = template.Library()


@register.simple_tag(takes_context=True)
def admissions_attention(context):
    """The numbers the signed-in user may see (None: nothing to show). Counts and cohorts only: no names."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return None
    return attention.for_user(request.user)
