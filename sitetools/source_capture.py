"""How the public forms learn where the person came from, without a tracking cookie and without making
campaign links miss the page cache (docs/decisions.md, "Where students come from").

- The pages are the same for everyone: a form page carries empty hidden fields for the campaign and the
  referring site, and the optional question "How did you hear about us?".
- Our own script (static/js/site.js) notes the campaign parameters of the address and the referring site of
  the first page of a visit that came from elsewhere in the tab's sessionStorage (never a cookie; gone when
  the tab closes, forgotten after 30 minutes without a page), and fills the hidden fields of a form page.
- Without the script, the browser's Referer on the form's POST is the form page's own address, query string
  included (our Referrer-Policy sends the whole address to our own site): its campaign parameters are used
  when the hidden fields are empty. A Referer from another site gives the referring host.

Every value is cleaned before it is kept (sitetools.sources.Source.cleaned), and nothing here refuses a
form: a campaign parameter nobody typed is made to fit or dropped, never an error for the person."""

from urllib.parse import parse_qs, urlsplit

from django import forms
from django.http import QueryDict
from django.http.request import split_domain_port

from sitetools.sources import CAMPAIGN_PARAMETERS, HeardAbout, Source, host_of

VISIT_FIELDS = (*CAMPAIGN_PARAMETERS, "referrer_host")
MAX_REFERER_LENGTH = 2000


class VisitField(forms.CharField):
    """A hidden value of the visit, filled by our script or the Referer: never refused (an error on a field
    the person cannot see or change would block their form). Source.cleaned makes it fit to keep: cut to
    length, control characters (a NUL byte too) removed."""

    widget = forms.HiddenInput

    def __init__(self):
        super().__init__(required=False, widget=self.widget(attrs={"data-visit-source": ""}))

    def clean(self, value):
        return value if isinstance(value, str) else ""


class SourceForm(forms.Form):
    """The base of a public form that keeps where the person came from: the optional question and the
    hidden fields of the visit. The subclass's layout places them (`source_layout()`)."""

    heard_about = forms.ChoiceField(
        label="How did you hear about us? (optional)",
        choices=[("", "Choose an answer, if you like"), *HeardAbout.choices],
        required=False,
        error_messages={"invalid_choice": "Choose one of the answers listed, or leave it as it is."},
    )
    utm_source = VisitField()
    utm_medium = VisitField()
    utm_campaign = VisitField()
    referrer_host = VisitField()

    def source(self) -> Source:
        """Where this submission came from, cleaned: call after is_valid()."""
        return Source.cleaned(
            **{name: self.cleaned_data.get(name, "") for name in (*VISIT_FIELDS, "heard_about")}
        )


def source_layout() -> list[str]:
    """The fields of SourceForm, in the order a layout shows them: the question, then the hidden fields."""
    return ["heard_about", *VISIT_FIELDS]


def referer_source(request) -> dict:
    """What the Referer of a form's POST says: from our own page, the campaign parameters of its address;
    from another site, its host. {} when there is none or it cannot be read."""
    referer = request.headers.get("Referer", "")
    if not referer or len(referer) > MAX_REFERER_LENGTH:
        return {}
    try:
        parts = urlsplit(referer)
        own_host, _port = split_domain_port(request.get_host())
        host = host_of(parts.netloc)
        if host and host != own_host.lower().rstrip("."):
            return {"referrer_host": host}
        query = parse_qs(parts.query, max_num_fields=50) if host and parts.query else {}
    except ValueError:  # a Referer that is not an address, or one with too many parameters
        return {}
    return {name: query[name][0] for name in CAMPAIGN_PARAMETERS if query.get(name)}


def with_referer_source(request, data: QueryDict) -> QueryDict:
    """A form's POST data with the visit's fields taken from the Referer when the page's script did not fill
    them (no JavaScript): they are then kept through a page sent back with mistakes to fix, too."""
    if any(data.get(name, "").strip() for name in VISIT_FIELDS):
        return data
    found = referer_source(request)
    if not found:
        return data
    data = data.copy()
    for name, value in found.items():
        data[name] = value
    return data
