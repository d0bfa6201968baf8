"""The answers that decide whether someone can enroll (physical demands, background check and drug screen,
vaccinations, CPR, from the course to a license, the first job, cost and ways to pay, accreditation): each a
guide or an FAQ entry of the demo content, with valid structured data, linked from where the question
arises, and every link in them leading to a page that exists."""

import json
import re

import pytest
from django.urls import reverse

from enrollment.models import Program
from roles.models import FAQ, Guide

pytestmark = pytest.mark.django_db

ANSWERS = {
    "physical-demands": "lift",
    "background-check-and-drug-screen": "in confidence",
    "vaccinations": "hepatitis B",
    "cpr-card": "healthcare-provider",
    "from-course-to-license": "state EMS office",
    "first-ems-job": "EVOC",
}


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0


def json_ld(html: str) -> list[dict]:
    return [
        json.loads(block)
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    ]


@pytest.mark.parametrize("slug,says", ANSWERS.items(), ids=list(ANSWERS))
def test_each_answer_is_a_published_guide_with_its_article_data(client, settings, demo_content, slug, says):
    guide = Guide.objects.get(slug=slug)
    html = client.get(guide.get_absolute_url()).content.decode()

    assert guide.is_published
    assert f'<h1 id="guide-title">{guide.title}</h1>' in html
    assert len(re.findall(r"<h2>", html)) >= 2
    assert says in html
    [article] = json_ld(html)
    assert article["@type"] == "Article"
    assert article["headline"] == guide.title
    assert article["url"] == f"{settings.SITE_URL}{guide.get_absolute_url()}"
    assert article["publisher"]["name"] == settings.SCHOOL["NAME"]


def test_the_license_steps_are_in_order_and_say_they_vary_by_state(demo_content):
    body = Guide.objects.get(slug="from-course-to-license").body
    steps = [
        body.index(step)
        for step in ("Finish the course", "cognitive exam", "skills exam", "state license", "Start work")
    ]
    assert steps == sorted(steps)
    assert "vary by state" in body


def test_a_record_does_not_bar_by_itself_and_we_say_ask_us(demo_content):
    body = Guide.objects.get(slug="background-check-and-drug-screen").body
    assert "does not automatically bar" in body
    assert "Ask us before you enroll, in confidence" in body


def test_faq_answers_cost_and_ways_to_pay_without_writing_any_amount(client, demo_content):
    entries = FAQ.objects.filter(topic__slug="paying", is_published=True)
    questions = " ".join(entries.values_list("question", flat=True))

    assert entries.count() >= 5
    for topic in ("cost", "deposit", "instalments", "employer", "veterans", "withdraw"):
        assert topic in questions, topic
    for entry in entries:  # amounts are program data, shown from the programs, never typed into an answer
        assert not re.search(r"\$\s?\d", entry.answer), entry.question


def test_faq_structured_data_lists_every_question_with_plain_text_answers(client, demo_content):
    html = client.get(reverse("roles:faq")).content.decode()
    [page] = json_ld(html)

    assert page["@type"] == "FAQPage"
    published = list(FAQ.objects.published().values_list("question", flat=True))
    assert sorted(question["name"] for question in page["mainEntity"]) == sorted(published)
    for question in page["mainEntity"]:
        assert question["@type"] == "Question"
        answer = question["acceptedAnswer"]
        assert answer["@type"] == "Answer"
        assert answer["text"] and "<" not in answer["text"], question["name"]


def test_program_page_links_each_answer_where_the_question_arises(client, demo_content):
    program = Program.objects.get(slug="emt")
    html = client.get(program.get_absolute_url()).content.decode()

    requirements = html[html.index('id="requirements-title"') : html.index('id="cost-title"')]
    for slug in ("background-check-and-drug-screen", "vaccinations", "cpr-card", "physical-demands"):
        assert f'href="/guides/{slug}/"' in requirements, slug
    after = html[html.index('id="after-title"') :]
    for slug in ("from-course-to-license", "first-ems-job"):
        assert f'href="/guides/{slug}/"' in after, slug


def test_home_page_links_every_answer_and_hides_an_unpublished_one(client, demo_content):
    html = client.get(reverse("home")).content.decode()
    for slug in ANSWERS:
        assert f'href="/guides/{slug}/"' in html, slug

    Guide.objects.filter(slug="vaccinations").update(is_published=False)
    html = client.get(reverse("home")).content.decode()
    assert 'href="/guides/vaccinations/"' not in html


def test_every_link_in_the_guides_and_answers_leads_to_a_page(client, demo_content):
    pages = [guide.get_absolute_url() for guide in Guide.objects.published()] + [reverse("roles:faq")]
    targets = set()
    for url in pages:
        html = client.get(url).content.decode()
        main = html[html.index("<main") : html.index("</main>")]
        targets |= {href.split("#")[0] for href in re.findall(r'href="(/[^"]*)"', main)}

    broken = sorted(target for target in targets if client.get(target).status_code != 200)

    assert len(targets) > 15
    assert broken == []
