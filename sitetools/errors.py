"""Exceptions with a meaning for the site's error pages."""

from django.core.exceptions import BadRequest


class ExplainedBadRequest(BadRequest):
    """A 400 whose message is written for the person who sent the request and is shown on the 400 page.
    Other exceptions' messages (a bad Host header, a body that cannot be read) are for the logs only."""
