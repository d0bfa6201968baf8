"""What other apps' pages show of info sessions, without knowing this app: the next session, on a program's
page and on the home page, and "Add to calendar" for a course start (templates/infosessions/_*.html)."""

from django import template

from infosessions.models import InfoSession

register = template.Library()


@register.inclusion_tag("infosessions/_next_session.html")
def next_info_session(program=None):
    """The next published session about `program` (or about every course), with its seats: one query.
    Without a program: the next session of any kind (the home page)."""
    return {"session": InfoSession.objects.next_for(program), "program": program}
