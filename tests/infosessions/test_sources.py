"""Where the people who sign up for an info session came from: kept with the sign-up (from the page's script,
or without it from the page's own address), the session's page stays a page-cache hit for campaign links,
and staff see it on the sign-up and filter the list by it."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from infosessions.models import SessionSignup
from tests.infosessions.conftest import make_session, sign_up, signup_data

pytestmark = pytest.mark.django_db


def detail_url(session):
    return reverse("infosessions:detail", kwargs={"pk": session.pk})


def test_a_sign_up_keeps_the_campaign_the_referring_site_and_the_answer(client, session):
    response = client.post(
        detail_url(session),
        signup_data(
            utm_source="instagram",
            utm_medium="social",
            utm_campaign="open-evening",
            referrer_host="l.instagram.com",
            heard_about="social",
        ),
    )

    assert response.status_code == 302
    signup = SessionSignup.objects.get()
    assert (signup.utm_source, signup.utm_medium, signup.utm_campaign) == (
        "instagram",
        "social",
        "open-evening",
    )
    assert (signup.referrer_host, signup.heard_about) == ("l.instagram.com", "social")


def test_without_javascript_a_sign_up_takes_the_campaign_of_the_sessions_address(client, session):
    page = f"http://testserver{detail_url(session)}?utm_source=poster&utm_campaign=library"

    client.post(detail_url(session), signup_data(), headers={"referer": page})

    signup = SessionSignup.objects.get()
    assert (signup.utm_source, signup.utm_campaign, signup.referrer_host) == ("poster", "library", "")


def test_the_sign_up_form_asks_how_they_heard_and_it_is_optional(client, session):
    html = client.get(detail_url(session)).content.decode()
    response = client.post(detail_url(session), signup_data())

    assert "How did you hear about us? (optional)" in html
    assert response.status_code == 302
    assert SessionSignup.objects.get().heard_about == ""


def test_a_campaign_link_to_a_session_is_a_page_cache_hit_with_nobodys_values(client, session):
    assert client.get(detail_url(session))["X-Page-Cache"] == "miss"

    campaign = Client().get(
        detail_url(session), {"utm_source": "poster-42"}, headers={"referer": "https://news.example.org/"}
    )

    assert campaign["X-Page-Cache"] == "hit"
    html = campaign.content.decode()
    assert "poster-42" not in html
    assert "news.example.org" not in html
    assert re.search(r'<input type="hidden" name="utm_source" data-visit-source', html)


def test_staff_see_and_filter_sign_ups_by_source(admissions_client):
    session = make_session()
    from_poster = sign_up(session)
    direct = sign_up(session)
    SessionSignup.objects.filter(pk=from_poster.pk).update(utm_source="poster", heard_about="school")

    page = admissions_client.get(reverse("admin:infosessions_sessionsignup_change", args=[from_poster.pk]))
    listed = admissions_client.get(
        reverse("admin:infosessions_sessionsignup_changelist"), {"source": "poster"}
    )
    answered = admissions_client.get(
        reverse("admin:infosessions_sessionsignup_changelist"), {"heard_about__exact": "school"}
    )

    html = page.content.decode()
    assert "poster" in html
    assert "A school, college or career fair" in html
    assert [s.pk for s in listed.context["cl"].result_list] == [from_poster.pk]
    assert [s.pk for s in answered.context["cl"].result_list] == [from_poster.pk]
    assert direct.pk not in [s.pk for s in listed.context["cl"].result_list]
