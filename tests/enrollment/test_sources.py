"""Where applicants and enquirers come from: the campaign of the link and the referring site of the visit,
and the answer to "How did you hear about us?", kept with the application and the enquiry; cleaned, never
an error; campaign links stay page-cache hits; the privacy notice says so. (What staff see:
tests/staff/test_sources.py; the info-session sign-up: tests/infosessions/test_sources.py.)"""

import re

import pytest
from django.test import Client
from django.urls import reverse

from enrollment.models import Application, Enquiry
from sitetools.sources import DIRECT, Source, campaign_value, host_of
from tests.enrollment.conftest import enquiry_data, post_data, submit

pytestmark = pytest.mark.django_db

CAMPAIGN = {"utm_source": "newsletter", "utm_medium": "email", "utm_campaign": "spring-emt"}


def apply_url(cohort):
    return reverse("enrollment:apply", kwargs={"slug": cohort.program.slug})


def hidden_inputs(html: str) -> dict:
    found = re.findall(r'<input type="hidden" name="(\w+)"(?: value="([^"]*)")? data-visit-source', html)
    return dict(found)


# The application form


def test_an_application_keeps_the_campaign_the_referring_site_and_the_answer(client, cohort):
    response = client.post(
        apply_url(cohort),
        post_data(cohort, **CAMPAIGN, referrer_host="www.google.com", heard_about="search"),
    )

    assert response.status_code == 302
    application = Application.objects.get()
    assert (application.utm_source, application.utm_medium, application.utm_campaign) == (
        "newsletter",
        "email",
        "spring-emt",
    )
    assert application.referrer_host == "www.google.com"
    assert application.heard_about == "search"
    assert application.source == "newsletter"


def test_without_javascript_the_campaign_comes_from_the_form_pages_own_address(client, cohort):
    """The script fills nothing; the browser's Referer on the POST is the page, with its query string."""
    page = f"http://testserver{apply_url(cohort)}?cohort={cohort.pk}&utm_source=flyer&utm_campaign=open-day"

    client.post(apply_url(cohort), post_data(cohort), headers={"referer": page})

    application = Application.objects.get()
    assert (application.utm_source, application.utm_medium, application.utm_campaign) == (
        "flyer",
        "",
        "open-day",
    )
    assert application.referrer_host == ""


def test_a_page_sent_back_with_mistakes_keeps_the_campaign_of_the_first_post(client, cohort):
    page = f"http://testserver{apply_url(cohort)}?utm_source=flyer"

    sent_back = client.post(apply_url(cohort), post_data(cohort, first_name=""), headers={"referer": page})
    # The second POST's Referer is the page sent back, without the query string.
    fields = hidden_inputs(sent_back.content.decode())
    client.post(
        apply_url(cohort),
        post_data(cohort, **fields),
        headers={"referer": f"http://testserver{apply_url(cohort)}"},
    )

    assert fields["utm_source"] == "flyer"
    assert Application.objects.get().utm_source == "flyer"


def test_what_the_script_noted_wins_over_the_referer(client, cohort):
    page = f"http://testserver{apply_url(cohort)}?utm_source=flyer"

    client.post(
        apply_url(cohort), post_data(cohort, referrer_host="duckduckgo.com"), headers={"referer": page}
    )

    application = Application.objects.get()
    assert (application.utm_source, application.referrer_host) == ("", "duckduckgo.com")


def test_a_referer_from_another_site_gives_its_host_only(client, cohort):
    client.post(
        apply_url(cohort),
        post_data(cohort),
        headers={"referer": "https://Partner.Example.org:8443/courses?id=7&utm_source=ignored"},
    )

    application = Application.objects.get()
    assert (application.referrer_host, application.utm_source) == ("partner.example.org", "")


def test_staff_entering_an_application_leave_the_source_empty(cohort):
    application = submit(cohort)

    assert application.source == DIRECT
    assert application.heard_about == ""


# The contact form


def test_an_enquiry_keeps_the_campaign_the_referring_site_and_the_answer(client):
    response = client.post(
        reverse("enrollment:contact"),
        enquiry_data(**CAMPAIGN, referrer_host="facebook.com", heard_about="social"),
    )

    assert response.status_code == 302
    enquiry = Enquiry.objects.get()
    assert (enquiry.utm_source, enquiry.utm_medium, enquiry.utm_campaign) == (
        "newsletter",
        "email",
        "spring-emt",
    )
    assert (enquiry.referrer_host, enquiry.heard_about) == ("facebook.com", "social")


def test_without_javascript_an_enquiry_takes_the_campaign_of_the_contact_pages_address(client):
    page = "http://testserver/contact/?program=emt&utm_source=radio&utm_medium=audio"

    client.post(reverse("enrollment:contact"), enquiry_data(), headers={"referer": page})

    enquiry = Enquiry.objects.get()
    assert (enquiry.utm_source, enquiry.utm_medium) == ("radio", "audio")


def test_the_question_is_optional_and_says_what_it_asks(client):
    html = client.get(reverse("enrollment:contact")).content.decode()
    response = client.post(reverse("enrollment:contact"), enquiry_data())

    assert re.search(r'<label\s+for="id_heard_about"', html)
    assert "How did you hear about us? (optional)" in html
    assert response.status_code == 302
    assert Enquiry.objects.get().heard_about == ""


# Cleaning: what a link or a browser sent is made fit to keep, never an error


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("spring\ncampaign", "spring campaign"),
        ("a\x00b\tc\u202ed", "a b c d"),
        ("  padded  ", "padded"),
        ("x" * 500, "x" * 100),
        ("bad\ufffdbyte", "bad byte"),
        ("\n\t", ""),
    ],
)
def test_campaign_values_are_one_short_line_of_visible_text(sent, kept):
    assert campaign_value(sent) == kept


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("https://www.Google.com/search?q=emt", "www.google.com"),
        ("https://user:secret@example.org:8443/path", "example.org"),
        ("news.example.org", "news.example.org"),
        ("https://bücher.example/", "xn--bcher-kva.example"),
        ("javascript:alert(1)", ""),
        ("<script>alert(1)</script>", ""),
        ("http://[::1]/", ""),
        ("exa mple.org", ""),
        ("a" * 300 + ".org", ""),
        ("", ""),
    ],
)
def test_the_referring_site_is_a_host_name_or_nothing(sent, kept):
    assert host_of(sent) == kept


def test_an_unknown_answer_is_dropped():
    assert Source.cleaned(heard_about="billboard-on-the-moon").heard_about == ""


def test_garbage_in_the_hidden_fields_is_cleaned_and_the_application_still_goes_in(client, cohort):
    response = client.post(
        apply_url(cohort),
        post_data(
            cohort,
            utm_source="news\x00letter\r\n" + "y" * 300,
            utm_medium="\u202eliame",
            referrer_host="http://evil example/",
        ),
    )

    assert response.status_code == 302
    application = Application.objects.get()
    assert application.utm_source == ("news letter " + "y" * 300)[:100]
    assert application.utm_medium == "liame"
    assert application.referrer_host == ""


def test_a_mangled_referer_is_ignored(client, cohort):
    for referer in ("http://[not-an-address", "http://testserver/?" + "utm_source=x&" * 100, "\x00"):
        assert (
            client.post(apply_url(cohort), post_data(cohort), headers={"referer": referer}).status_code == 302
        )
    assert list(Application.objects.values_list("utm_source", "referrer_host")) == [("", "")] * 3


def test_an_answer_not_in_the_list_gets_a_message_not_an_error_page(client, cohort):
    response = client.post(apply_url(cohort), post_data(cohort, heard_about="<b>bribe</b>"))

    assert response.status_code == 200
    assert "Choose one of the answers listed" in response.content.decode()
    assert not Application.objects.exists()


# The page cache: campaign links are hits, and cached pages carry nobody's values


@pytest.fixture
def page_cache(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 600


@pytest.mark.parametrize("page", ["home", "program", "apply", "contact"])
def test_campaign_links_are_served_from_the_page_cache(client, cohort, page_cache, page):
    url = {
        "home": reverse("home"),
        "program": cohort.program.get_absolute_url(),
        "apply": apply_url(cohort),
        "contact": reverse("enrollment:contact"),
    }[page]
    assert client.get(url)["X-Page-Cache"] == "miss"

    campaign = Client().get(
        url, {**CAMPAIGN, "utm_source": "secret-newsletter"}, headers={"referer": "https://www.bing.com/"}
    )

    assert campaign.status_code == 200
    assert campaign["X-Page-Cache"] == "hit"
    html = campaign.content.decode()
    assert "secret-newsletter" not in html
    assert "bing" not in html
    # No cookie of ours but the form's CSRF cookie: nothing that follows the visitor.
    assert set(campaign.cookies) <= {"__Host-csrftoken", "csrftoken"}


def test_the_cached_form_page_holds_empty_visit_fields_for_everyone(client, cohort, page_cache):
    first = client.get(apply_url(cohort), CAMPAIGN)
    second = Client().get(apply_url(cohort))

    assert first["X-Page-Cache"] == "miss"
    assert second["X-Page-Cache"] == "hit"
    for response in (first, second):
        assert hidden_inputs(response.content.decode()) == {
            "utm_source": "",
            "utm_medium": "",
            "utm_campaign": "",
            "referrer_host": "",
        }


# The privacy notice


def test_the_privacy_notice_says_what_is_kept_about_where_people_came_from(client):
    html = client.get(reverse("sitepages:privacy")).content.decode()

    assert "utm_source" in html
    assert "host name of the site" in html
    assert "How did you hear about us?" in html
    assert "no tracking cookie" in html
    assert "sessionStorage" in html
