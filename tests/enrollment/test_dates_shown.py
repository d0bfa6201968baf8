"""Every public page writes a date one way, "March 5, 2027": the start dates, deadlines and end dates of the
programs pages, the home page's next starts, the application form's choices and the guides' "updated"."""

import re

import pytest
from django.urls import reverse

from enrollment.models import Program
from roles.models import Guide

pytestmark = pytest.mark.django_db

MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
ONE_FORMAT = re.compile(rf"\b(?:{MONTHS}) \d{{1,2}}, \d{{4}}\b")
OTHER_FORMATS = re.compile(
    rf"\b\d{{1,2}} (?:{MONTHS}|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.? \d{{4}}\b"
    r"|\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\.? \d{1,2}, \d{4}\b"
)


@pytest.fixture(autouse=True)
def _demo(db, settings):
    from io import StringIO

    from django.core.management import call_command

    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    call_command("load_demo_content", stdout=StringIO())


def visible_text(html: str) -> str:
    html = re.sub(r"<script.*?</script>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_dates_on_the_public_pages_are_all_in_the_one_format(client):
    program = Program.objects.published().first()
    urls = [
        reverse("home"),
        reverse("enrollment:program-list"),
        reverse("enrollment:apply-start"),
        program.get_absolute_url(),
        program.get_apply_url(),
        Guide.objects.published().first().get_absolute_url(),
    ]
    for url in urls:
        text = visible_text(client.get(url).content.decode())
        assert ONE_FORMAT.search(text), url
        assert not OTHER_FORMATS.search(text), (url, OTHER_FORMATS.search(text).group(0))
