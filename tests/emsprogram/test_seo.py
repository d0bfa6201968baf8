import json
import re

import pytest
from django.template import Context, Template
from django.urls import reverse

pytestmark = pytest.mark.django_db


def json_ld_blocks(html):
    return [
        json.loads(block)
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    ]


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_the_admin(client, settings):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert f"Sitemap: {settings.SITE_URL}/sitemap.xml" in body
    assert "Disallow: /admin/" in body


def test_sitemap_lists_the_home_page_at_the_canonical_address(client, settings):
    settings.SITE_URL = "https://ems.example.org"
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert "<loc>https://ems.example.org/</loc>" in response.content.decode()


def test_home_page_describes_the_school_as_an_educational_organization(client, settings):
    html = client.get(reverse("home")).content.decode()
    [data] = json_ld_blocks(html)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "EducationalOrganization"
    assert data["name"] == settings.SCHOOL["NAME"]
    assert data["address"]["addressLocality"] == settings.SCHOOL["CITY"]


def test_home_page_has_a_canonical_link_and_open_graph_tags(client, settings):
    html = client.get(reverse("home")).content.decode()
    assert html.count('rel="canonical"') == 1
    assert f'<link rel="canonical" href="{settings.SITE_URL}/">' in html
    assert '<meta property="og:title"' in html
    assert '<meta name="description"' in html


def test_json_ld_cannot_close_its_script_element():
    html = Template("{% load seo %}{% jsonld data %}").render(
        Context({"data": {"name": "</script><script>alert(1)"}})
    )
    assert html.count("</script>") == 1
    assert json.loads(html.removeprefix('<script type="application/ld+json">').removesuffix("</script>")) == {
        "name": "</script><script>alert(1)"
    }


def test_sitemap_lists_every_published_page_and_nothing_unpublished(client, settings):
    from enrollment.models import Program
    from roles.models import Guide
    from tests.enrollment.conftest import make_program
    from tests.roles.factories import make_guide, make_level

    settings.SITE_URL = "https://ems.example.org"
    emt = make_level(slug="emt", name="EMT", ladder_order=2)
    make_level(slug="draft-level", name="Draft level", ladder_order=3, is_published=False)
    make_program(level=emt, slug="emt-course", name="EMT course")
    make_program(level=emt, slug="draft-course", name="Draft course", is_published=False)
    make_guide(slug="ems-vs-emt", is_published=True)
    make_guide(slug="draft-guide", is_published=False)

    body = client.get("/sitemap.xml").content.decode()
    locations = set(re.findall(r"<loc>(.*?)</loc>", body))

    expected = {
        "https://ems.example.org" + path
        for path in [
            "/",
            "/roles/",
            "/roles/compare/",
            "/faq/",
            "/programs/",
            "/apply/",
            "/contact/",
            "/roles/emt/",
            "/programs/emt-course/",
            "/guides/ems-vs-emt/",
        ]
    }
    assert expected <= locations
    assert not any("draft" in location for location in locations)
    assert (
        Program.objects.filter(is_published=False).exists()
        and Guide.objects.filter(is_published=False).exists()
    )


def test_program_page_describes_the_program_its_course_and_every_upcoming_start(client):
    from tests.enrollment.conftest import make_cohort, make_program
    from tests.roles.factories import make_level

    program = make_program(level=make_level(slug="emt", name="EMT", ladder_order=2), slug="emt-course")
    make_cohort(program=program, starts_in=20)
    make_cohort(program=program, starts_in=60)

    [data] = json_ld_blocks(client.get(program.get_absolute_url()).content.decode())

    assert data["@type"] == "EducationalOccupationalProgram"
    assert data["provider"]["@type"] == "EducationalOrganization"
    course = data["hasCourse"]
    assert course["@type"] == "Course"
    assert [instance["@type"] for instance in course["hasCourseInstance"]] == ["CourseInstance"] * 2
    assert data["startDate"] == course["hasCourseInstance"][0]["startDate"]


def test_program_structured_data_names_only_starts_still_open_for_applications(client):
    from tests.enrollment.conftest import make_cohort, make_program
    from tests.roles.factories import make_level

    program = make_program(level=make_level(slug="emt", name="EMT", ladder_order=2), slug="emt-course")
    deadline_passed = make_cohort(program=program, starts_in=5, deadline_before=10)
    closed_by_staff = make_cohort(program=program, starts_in=30, is_open=False)
    still_open = make_cohort(program=program, starts_in=60)

    html = client.get(program.get_absolute_url()).content.decode()
    [data] = json_ld_blocks(html)

    instances = data["hasCourse"]["hasCourseInstance"]
    assert [instance["startDate"] for instance in instances] == [still_open.start_date.isoformat()]
    assert data["startDate"] == still_open.start_date.isoformat()
    # The page itself still lists the closed starts, marked as such.
    assert deadline_passed.code in html and closed_by_staff.code in html
    assert html.count("Not taking applications") == 2


def test_faq_and_guide_pages_carry_their_structured_data(client):
    from tests.roles.factories import make_faq, make_guide, make_topic

    make_faq(topic=make_topic())
    guide = make_guide(slug="ems-vs-emt", is_published=True)
    faq_types = {
        block["@type"] for block in json_ld_blocks(client.get(reverse("roles:faq")).content.decode())
    }
    guide_types = {
        block["@type"] for block in json_ld_blocks(client.get(guide.get_absolute_url()).content.decode())
    }
    assert "FAQPage" in faq_types
    assert "Article" in guide_types
