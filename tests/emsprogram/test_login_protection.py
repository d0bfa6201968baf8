import logging

import pytest

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user("officer", "officer@example.org", PASSWORD, is_staff=True)


def sign_in(client, username, password, address="203.0.113.7", forwarded_for=None):
    headers = {"REMOTE_ADDR": address}
    if forwarded_for is not None:
        headers.update(HTTP_X_FORWARDED_FOR=forwarded_for, HTTP_X_FORWARDED_PROTO="https")
    return client.post("/admin/login/?next=/admin/", {"username": username, "password": password}, **headers)


def test_repeated_failures_lock_the_account_at_that_address_even_with_the_right_password(
    client, staff, settings
):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "officer", "wrong-password")

    response = sign_in(client, "officer", PASSWORD)

    assert response.status_code == 429
    assert "Sign-in temporarily locked" in response.content.decode()
    assert "30 minutes" in response.content.decode()


def test_the_account_still_signs_in_from_another_address_while_one_address_is_locked(client, staff, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "officer", "wrong-password", address="203.0.113.7")
    assert sign_in(client, "officer", PASSWORD, address="203.0.113.7").status_code == 429
    assert sign_in(client, "officer", PASSWORD, address="198.51.100.20").status_code == 302


def test_failures_on_other_accounts_do_not_lock_out_a_colleague_at_the_same_address(client, staff, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, f"guess{n}", "wrong-password", address="203.0.113.99")
    assert sign_in(client, "officer", PASSWORD, address="203.0.113.99").status_code == 302


def test_without_a_proxy_a_forged_forwarded_for_header_does_not_dodge_the_lockout(client, staff, settings):
    settings.SECURE_PROXY_SSL_HEADER = None
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "officer", "wrong-password", forwarded_for=f"198.51.100.{n + 1}")
    assert sign_in(client, "officer", PASSWORD, forwarded_for="198.51.100.77").status_code == 429


PROXY = "10.0.0.2"


def test_behind_a_proxy_one_persons_failures_do_not_lock_out_others_behind_it(client, staff, settings):
    """Every request reaches the app from the load balancer's address; the person is the address the
    proxy put last in X-Forwarded-For."""
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "officer", "wrong-password", address=PROXY, forwarded_for="198.51.100.1")

    locked = sign_in(client, "officer", PASSWORD, address=PROXY, forwarded_for="198.51.100.1")
    assert locked.status_code == 429
    # Someone else behind the same load balancer signs in to the same account.
    assert (
        sign_in(client, "officer", PASSWORD, address=PROXY, forwarded_for="198.51.100.2").status_code == 302
    )


def test_behind_a_proxy_entries_a_client_adds_to_forwarded_for_do_not_dodge_the_lockout(
    client, staff, settings
):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    for n in range(settings.AXES_FAILURE_LIMIT):
        forged = f"192.0.2.{n + 1}, 198.51.100.1"  # the client wrote the first entry, our proxy the last
        sign_in(client, "officer", "wrong-password", address=PROXY, forwarded_for=forged)
    assert (
        sign_in(client, "officer", PASSWORD, address=PROXY, forwarded_for="198.51.100.1").status_code == 429
    )


def test_fewer_failures_than_the_limit_still_let_the_right_password_in(client, staff, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "officer", "wrong-password")
    assert sign_in(client, "officer", PASSWORD).status_code == 302


def test_failed_sign_ins_are_logged_without_the_password(client, staff, caplog):
    with caplog.at_level(logging.DEBUG):
        sign_in(client, "officer", "hunter2-secret-guess")
    assert any("fail" in record.getMessage().lower() for record in caplog.records)
    assert "hunter2-secret-guess" not in caplog.text


def test_a_username_longer_than_any_account_is_refused_by_the_form_before_any_record(client, staff):
    """Django's login form does not check the username's length, and django-axes records every failure
    with the username (at most 255 characters in the database): PostgreSQL refused the record with a
    server error. Too long to be anyone's username, it is refused at the field, and nothing is recorded."""
    from axes.models import AccessAttempt, AccessFailureLog

    response = sign_in(client, "u" * 2000, "wrong-password")

    assert response.status_code == 200
    assert "at most 150 characters" in response.content.decode()
    assert not AccessAttempt.objects.exists()
    assert not AccessFailureLog.objects.exists()
