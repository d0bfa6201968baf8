"""static/css/bootstrap.css holds the rules of Bootstrap that our pages use (scripts/subset_bootstrap.py):
every Bootstrap class a template, a form layout or a rendered form uses must have its rules there, or the
page loses its styling without any error. When this fails, run scripts/subset_bootstrap.py and commit."""

import importlib.util
import re
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from enrollment.models import Program

SCRIPT = Path(settings.BASE_DIR) / "scripts" / "subset_bootstrap.py"
SUBSET = Path(settings.BASE_DIR) / "static" / "css" / "bootstrap.css"


@pytest.fixture(scope="module")
def subset_script():
    spec = importlib.util.spec_from_file_location("subset_bootstrap", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def classes_defined(css: str) -> set[str]:
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    selectors = re.findall(r"([^{}]+){", css)
    return {name for selector in selectors for name in re.findall(r"\.(-?[_a-zA-Z][\w-]*)", selector)}


@pytest.fixture(scope="module")
def bootstrap_classes(subset_script):
    return classes_defined(subset_script.bootstrap_source().read_text())


def test_every_bootstrap_class_of_our_templates_and_layouts_is_kept(subset_script, bootstrap_classes):
    used = subset_script.classes_in_sources()
    assert {"btn", "container", "form-check-input", "visually-hidden"} <= used  # the scan finds them

    missing = sorted((used & bootstrap_classes) - classes_defined(SUBSET.read_text()))

    assert missing == [], f"run scripts/subset_bootstrap.py: {missing}"


@pytest.mark.django_db
def test_every_bootstrap_class_of_the_rendered_forms_is_kept(client, subset_script, bootstrap_classes):
    """crispy-forms writes classes of its own around each field, more of them on a form sent back."""
    call_command("load_demo_content", stdout=StringIO())
    pages = []
    for program in Program.objects.all():
        pages.append(client.get(program.get_apply_url()).content.decode())
        pages.append(client.post(program.get_apply_url(), {}).content.decode())
    pages.append(client.post(reverse("enrollment:contact"), {"preferred_contact": "sms"}).content.decode())
    used = set().union(*(subset_script.classes_in(html) for html in pages))
    assert {"form-control", "is-invalid", "invalid-feedback", "form-select"} <= used

    missing = sorted((used & bootstrap_classes) - classes_defined(SUBSET.read_text()))

    assert missing == [], f"run scripts/subset_bootstrap.py: {missing}"


def test_the_subset_is_a_fraction_of_bootstrap_with_its_licence_and_no_dark_mode(subset_script):
    full = subset_script.bootstrap_source().read_text()
    subset = SUBSET.read_text()

    assert len(subset) < len(full) / 5
    assert subset.startswith("/*!\n * Bootstrap  v5.3.3") and "Licensed under MIT" in subset
    assert "data-bs-theme" not in subset
    assert "scripts/subset_bootstrap.py" in subset


def test_the_scan_reads_classes_around_template_tags(subset_script):
    html = (
        '<a class="btn {% if x %}btn-primary{% else %}btn-lg{% endif %} alert-{{ tag }}">'
        "<div css_class='hp-field'>"
    )
    assert subset_script.classes_in(html) == {"btn", "btn-primary", "btn-lg", "hp-field"}
