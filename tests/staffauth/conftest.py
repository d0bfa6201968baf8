"""Staff who sign in through the pages: a password, then the second step."""

import pytest
from django.urls import reverse

from tests.staff.conftest import ADMISSIONS, make_staff

PASSWORD = "a-long-test-password-for-staff"
ADDRESS = "203.0.113.7"


@pytest.fixture
def officer(django_user_model):
    return make_staff(django_user_model, "officer", group=ADMISSIONS, password=PASSWORD)


def password_step(client, username="officer", password=PASSWORD, *, next_url="/admin/", address=ADDRESS):
    return client.post(
        f"{reverse('admin:login')}?next={next_url}",
        {"username": username, "password": password, "next": next_url},
        REMOTE_ADDR=address,
    )


def code_step(client, code, *, step="second-factor-code", address=ADDRESS):
    return client.post(reverse(f"admin:{step}"), {"code": code}, REMOTE_ADDR=address)
