"""The accessibility scan is only worth something if it can fail: a page with an image that has no
alternative text must be reported, and the same page without it must pass."""

from pathlib import Path

import pytest
from django.urls import reverse

from tests.browser.helpers import assert_no_axe_violations, axe_violations, format_violations, goto

pytestmark = pytest.mark.urls("tests.browser.urls_broken")

TEST_TEMPLATES = Path(__file__).resolve().parent / "templates"


@pytest.fixture(autouse=True)
def _test_templates(settings):
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "DIRS": [*engine["DIRS"], TEST_TEMPLATES]}, *settings.TEMPLATES[1:]]


def test_scan_reports_an_image_without_alternative_text(axe_page):
    goto(axe_page, reverse("broken-page"))

    violations = axe_violations(axe_page)

    assert "image-alt" in {violation["id"] for violation in violations}, format_violations(violations)
    image_alt = next(violation for violation in violations if violation["id"] == "image-alt")
    assert any("<img" in node["html"] for node in image_alt["nodes"])


def test_failure_message_names_the_rule_and_the_element(axe_page):
    goto(axe_page, reverse("broken-page"))

    with pytest.raises(AssertionError) as failure:
        assert_no_axe_violations(axe_page)

    message = str(failure.value)
    assert "image-alt [critical]" in message
    assert "<img" in message
    assert "favicon.svg" in message


def test_same_page_without_the_fault_passes_the_scan(axe_page):
    goto(axe_page, reverse("fixed-page"))

    assert_no_axe_violations(axe_page)
