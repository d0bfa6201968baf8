"""Where a person came from: the campaign of the link that brought them (utm_source, utm_medium,
utm_campaign), the site that referred them, and what they answered to "How did you hear about us?".

Kept with each enquiry, application and info-session sign-up (the abstract model below), so that Admissions'
reports can count them by source. Nothing here is a tracking cookie or a third-party script: the values
travel with the visit until the form is sent, and are then stored with the submission only."""

import re
from dataclasses import asdict, dataclass
from urllib.parse import urlsplit

from django.db import models

from sitetools.validators import as_single_line


class HeardAbout(models.TextChoices):
    SEARCH = "search", "A search engine"
    SOCIAL = "social", "Social media"
    FRIEND = "friend", "A friend, family member or colleague"
    EMPLOYER = "employer", "My employer or fire or EMS agency"
    SCHOOL = "school", "A school, college or career fair"
    INFO_SESSION = "info_session", "An info session or open day"
    ADVERT = "advert", "An advertisement"
    OTHER = "other", "Something else"


# Where a submission came from when nothing says: the name reports show for it.
DIRECT = "(direct)"

CAMPAIGN_PARAMETERS = ("utm_source", "utm_medium", "utm_campaign")
CAMPAIGN_MAX_LENGTH = 100
HOST_MAX_LENGTH = 253
# A host name as DNS spells it (after IDNA): labels of letters, digits and inner hyphens, joined by dots.
_HOST = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*")
_BARE_HOST = re.compile(r"[^/:?#@\s]+(?::[0-9]{1,5})?")


def campaign_value(value) -> str:
    """A campaign parameter as kept: one line of visible text, at most 100 characters (anything else that a
    link could carry is made to fit, never refused: the person who sends the form did not write it)."""
    return as_single_line(value, max_length=CAMPAIGN_MAX_LENGTH)


def host_of(value) -> str:
    """The host of a referring address (or a bare host name): lower case, international names in their
    ASCII (IDNA) form, without port, path or user name. "" when it is not a host name."""
    if not isinstance(value, str) or not value.strip() or len(value) > 2000:
        return ""
    value = value.strip()
    if "//" not in value and not _BARE_HOST.fullmatch(value):
        return ""  # "javascript:alert(1)" is an address, but names no host
    try:
        host = urlsplit(value if "//" in value else f"//{value}").hostname or ""
        host = host.rstrip(".").encode("idna").decode("ascii").lower()
    except (ValueError, UnicodeError):
        return ""
    return host if len(host) <= HOST_MAX_LENGTH and _HOST.fullmatch(host) else ""


@dataclass(frozen=True)
class Source:
    """Where one submission came from, as stored (the fields of SourceFields): build it with `cleaned()`."""

    utm_source: str = ""
    utm_medium: str = ""
    utm_campaign: str = ""
    referrer_host: str = ""
    heard_about: str = ""

    @classmethod
    def cleaned(
        cls, *, utm_source="", utm_medium="", utm_campaign="", referrer_host="", heard_about=""
    ) -> "Source":
        """From what a visit sent: each value made fit to keep, an unknown answer dropped."""
        return cls(
            utm_source=campaign_value(utm_source),
            utm_medium=campaign_value(utm_medium),
            utm_campaign=campaign_value(utm_campaign),
            referrer_host=host_of(referrer_host),
            heard_about=heard_about if heard_about in HeardAbout.values else "",
        )

    def as_fields(self) -> dict:
        return asdict(self)


# A submission whose visit said nothing (and staff's own entries).
NO_SOURCE = Source()


class SourceFields(models.Model):
    """The source of one submission. Every field is optional: blank means the visit did not say."""

    utm_source = models.CharField("campaign source", max_length=100, blank=True, editable=False)
    utm_medium = models.CharField("campaign medium", max_length=100, blank=True, editable=False)
    utm_campaign = models.CharField("campaign", max_length=100, blank=True, editable=False)
    referrer_host = models.CharField(
        "referred by",
        max_length=253,
        blank=True,
        editable=False,
        help_text="The referring site (its host only).",
    )
    heard_about = models.CharField(
        "heard about us from", max_length=20, choices=HeardAbout.choices, blank=True, editable=False
    )

    class Meta:
        abstract = True

    @property
    def source(self) -> str:
        """The one name reports group by: the campaign source, else the referring site, else direct."""
        return self.utm_source or self.referrer_host or DIRECT
