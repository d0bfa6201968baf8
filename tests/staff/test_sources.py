"""Where people came from, for staff: shown read-only on the application, enquiry and sign-up, the lists
filtered by source and by the answer, and the applicant's export includes it."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from enrollment.models import Application, Enquiry
from sitetools.sources import DIRECT
from tests.enrollment.conftest import enquiry_data
from tests.signin import sign_in
from tests.staff.conftest import make_cohort, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort(emt_program):
    return make_cohort(program=emt_program, capacity=10)


def test_staff_see_the_source_on_the_application_and_the_enquiry(admissions_client, cohort):
    application = submit(cohort)
    Application.objects.filter(pk=application.pk).update(
        utm_source="newsletter", referrer_host="partner.example.org", heard_about="employer"
    )
    Client().post(
        reverse("enrollment:contact"), enquiry_data(utm_campaign="spring-emt", heard_about="friend")
    )
    enquiry = Enquiry.objects.get()

    application_page = admissions_client.get(
        reverse("admin:enrollment_application_change", args=[application.pk])
    )
    enquiry_page = admissions_client.get(reverse("admin:enrollment_enquiry_change", args=[enquiry.pk]))

    html = application_page.content.decode()
    assert "Where they came from" in html
    assert "newsletter" in html
    assert "partner.example.org" in html
    assert "My employer or fire or EMS agency" in html
    assert 'name="utm_source"' not in html  # shown, not editable
    enquiry_html = enquiry_page.content.decode()
    assert "spring-emt" in enquiry_html
    assert "A friend, family member or colleague" in enquiry_html


def _listed(response) -> set[str]:
    return {str(obj.pk) for obj in response.context["cl"].result_list}


def test_staff_filter_applications_by_source_and_by_answer(admissions_client, cohort):
    from_newsletter = submit(cohort)
    from_partner = submit(cohort)
    direct = submit(cohort)
    Application.objects.filter(pk=from_newsletter.pk).update(utm_source="newsletter", heard_about="search")
    Application.objects.filter(pk=from_partner.pk).update(referrer_host="partner.example.org")
    url = reverse("admin:enrollment_application_changelist")

    assert _listed(admissions_client.get(url, {"source": "newsletter"})) == {str(from_newsletter.pk)}
    assert _listed(admissions_client.get(url, {"source": "partner.example.org"})) == {str(from_partner.pk)}
    assert _listed(admissions_client.get(url, {"source": DIRECT})) == {str(direct.pk)}
    assert _listed(admissions_client.get(url, {"heard_about__exact": "search"})) == {str(from_newsletter.pk)}
    filters = admissions_client.get(url).content.decode()
    assert "By source" in filters
    assert "By heard about us from" in filters


def test_staff_filter_enquiries_by_source(admissions_client):
    visitor = Client()
    visitor.post(reverse("enrollment:contact"), enquiry_data(utm_source="radio"))
    visitor.post(reverse("enrollment:contact"), enquiry_data(email="other@example.org", heard_about="advert"))
    url = reverse("admin:enrollment_enquiry_changelist")

    radio = admissions_client.get(url, {"source": "radio"})
    advert = admissions_client.get(url, {"heard_about__exact": "advert"})

    assert [e.utm_source for e in radio.context["cl"].result_list] == ["radio"]
    assert [e.email for e in advert.context["cl"].result_list] == ["other@example.org"]


def test_the_applicants_export_includes_where_they_came_from(admin_user, client, cohort):
    application = submit(cohort)
    Application.objects.filter(pk=application.pk).update(
        utm_source="newsletter", utm_medium="email", referrer_host="partner.example.org", heard_about="friend"
    )
    sign_in(client, admin_user)

    response = client.post(reverse("admin:enrollment_application_export", args=[application.pk]))

    exported = json.loads(response.content)["people"][0]["applications"][0]
    assert exported["utm_source"] == "newsletter"
    assert exported["utm_medium"] == "email"
    assert exported["referrer_host"] == "partner.example.org"
    assert exported["heard_about"] == "friend"
