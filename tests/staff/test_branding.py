"""The admin carries the school's name (settings.SCHOOL), not Django's, and its login page has a heading."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_admin_carries_the_schools_name_not_djangos(admin_client, settings):
    settings.SCHOOL = {**settings.SCHOOL, "NAME": "Harbor County EMS School"}
    pages = [admin_client.get(reverse("admin:index")), Client().get(reverse("admin:login"))]
    for page in (response.content.decode() for response in pages):
        assert "Django" not in page
        assert "Harbor County EMS School" in page


def test_the_login_page_has_a_main_heading(client):
    page = client.get(reverse("admin:login")).content.decode()
    assert "<h1>Log in</h1>" in page
