from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def count_all_records():
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in ("roles", "enrollment")
    }


def test_load_demo_content_is_idempotent():
    call_command("load_demo_content", stdout=StringIO())
    first = count_all_records()

    out = StringIO()
    call_command("load_demo_content", stdout=out)

    assert count_all_records() == first
    assert "nothing changed" in out.getvalue()
