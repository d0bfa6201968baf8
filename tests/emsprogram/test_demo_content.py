import re
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command

from enrollment import demo as enrollment_demo
from roles import demo as roles_demo

CONTENT_BRIEF = Path(settings.BASE_DIR) / "docs" / "content-brief.md"
TEMPLATES = Path(settings.BASE_DIR) / "templates"
RUN = 8  # words: a run this long shared with the brief is a copied sentence, not a shared term


def count_all_records():
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in ("roles", "enrollment")
    }


@pytest.mark.django_db
def test_load_demo_content_is_idempotent():
    call_command("load_demo_content", stdout=StringIO())
    first = count_all_records()

    out = StringIO()
    call_command("load_demo_content", stdout=out)

    assert count_all_records() == first
    assert "nothing changed" in out.getvalue()


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def runs(text: str) -> set[str]:
    found = words(text)
    return {" ".join(found[start : start + RUN]) for start in range(len(found) - RUN + 1)}


def strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from strings(item)


def site_texts() -> dict[str, str]:
    """Everything the demo school's pages and e-mails say: the demo records and the templates' own words."""
    texts = {
        "roles/demo.py": " | ".join(
            strings([roles_demo.LEVELS, roles_demo.ROLES, roles_demo.GUIDES, roles_demo.FAQS])
        ),
        "enrollment/demo.py": " | ".join(strings(enrollment_demo.PROGRAMS)),
        "enrollment/demo.py schedules": " | ".join(cohort.schedule for cohort in enrollment_demo.COHORTS),
        "settings.SCHOOL_STATEMENTS": " | ".join(strings(settings.SCHOOL_STATEMENTS)),
    }
    templates = [
        TEMPLATES / "home.html",
        *TEMPLATES.glob("roles/**/*.*"),
        *TEMPLATES.glob("enrollment/**/*.*"),
        *TEMPLATES.glob("sitepages/**/*.*"),
        *TEMPLATES.glob("includes/**/*.*"),
    ]
    for path in templates:
        text = re.sub(r"{%.*?%}|{{.*?}}|<[^>]+>", " | ", path.read_text(), flags=re.S)
        texts[str(path.relative_to(TEMPLATES))] = text
    return texts


def test_no_demo_text_or_template_copies_a_run_of_eight_words_from_the_content_brief():
    brief = runs(CONTENT_BRIEF.read_text())
    texts = site_texts()
    assert len(texts) > 20 and all(texts.values())
    copied = {name: sorted(runs(text) & brief) for name, text in texts.items() if runs(text) & brief}
    assert copied == {}


def test_the_copy_check_catches_a_sentence_taken_from_the_brief():
    brief = CONTENT_BRIEF.read_text()
    sentence = "Nearly everyone employed in EMS starts as an EMT."
    assert sentence in brief
    assert runs(f"As we say, {sentence.lower()} Then more.") & runs(brief)
