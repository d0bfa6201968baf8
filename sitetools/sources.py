"""Where a person came from: the campaign of the link that brought them (utm_source, utm_medium,
utm_campaign), the site that referred them, and what they answered to "How did you hear about us?".

Kept with each enquiry, application and info-session sign-up (the abstract model below), so that Admissions'
reports can count them by source. Nothing here is a tracking cookie or a third-party script: the values
travel with the visit until the form is sent, and are then stored with the submission only."""

from django.db import models


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
