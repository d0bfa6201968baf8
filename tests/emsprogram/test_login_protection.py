import logging

import pytest

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user("officer", "officer@example.org", PASSWORD, is_staff=True)


def sign_in(client, username, password, address="203.0.113.7"):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def test_repeated_failures_lock_the_account_even_with_the_right_password(client, staff, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "officer", "wrong-password")

    response = sign_in(client, "officer", PASSWORD)

    assert response.status_code == 429
    assert "Sign-in temporarily locked" in response.content.decode()
    assert "30 minutes" in response.content.decode()


def test_the_account_is_locked_from_another_address_too(client, staff, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "officer", "wrong-password", address="203.0.113.7")
    assert sign_in(client, "officer", PASSWORD, address="198.51.100.20").status_code == 429


def test_an_address_is_locked_after_failures_across_usernames(client, staff, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, f"guess{n}", "wrong-password", address="203.0.113.99")
    assert sign_in(client, "officer", PASSWORD, address="203.0.113.99").status_code == 429
    assert sign_in(client, "officer", PASSWORD, address="198.51.100.20").status_code == 302


def test_fewer_failures_than_the_limit_still_let_the_right_password_in(client, staff, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "officer", "wrong-password")
    assert sign_in(client, "officer", PASSWORD).status_code == 302


def test_failed_sign_ins_are_logged_without_the_password(client, staff, caplog):
    with caplog.at_level(logging.DEBUG):
        sign_in(client, "officer", "hunter2-secret-guess")
    assert any("fail" in record.getMessage().lower() for record in caplog.records)
    assert "hunter2-secret-guess" not in caplog.text
