"""Signed links to an applicant's own page, without an account.

A link carries the application's id and reference, signed with the site's secret (Django's signing) and
valid for LINK_DAYS: it opens that one application and no other. Links are not stored, so sending a new one
(every e-mail carries one; "send me my link" sends them again) invalidates nothing the applicant still has.
The link is opened once (its token sits in the query string, which the access log leaves out); the page then
lives at an address without the token, allowed by the browser's signed cookie (enrollment.views)."""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "enrollment.applicant-page"
LINK_DAYS = 120
TOKEN_PARAMETER = "t"  # noqa: S105 - the name of a query parameter, not a secret


def applicant_token(application) -> str:
    return signing.dumps({"a": application.pk, "r": application.reference}, salt=SALT, compress=True)


# What a mail program or a person copying the link may take along at its end (the full stop of a sentence,
# a closing bracket): never part of a token, whose characters are URL-safe base64 and ":".
_AROUND_A_LINK = " \t\r\n.,;!?)]}>'\"”’"
TOKEN_MAX_LENGTH = 500


def application_from_token(token: str) -> tuple[int, str] | None:
    """The (id, reference) a token names, or None when it is altered, someone else's or too old."""
    token = token.strip(_AROUND_A_LINK)
    if not token or len(token) > TOKEN_MAX_LENGTH:
        return None
    try:
        value = signing.loads(token, salt=SALT, max_age=timedelta(days=LINK_DAYS))
    except signing.BadSignature:  # SignatureExpired included
        return None
    if (
        not isinstance(value, dict)
        or not isinstance(value.get("a"), int)
        or not isinstance(value.get("r"), str)
    ):
        return None
    return value["a"], value["r"]


def applicant_page_link(application) -> str:
    """The absolute address that opens the applicant's page (for e-mails)."""
    path = reverse("enrollment:my-application-open")
    return f"{settings.SITE_URL}{path}?{TOKEN_PARAMETER}={applicant_token(application)}"
