"""Settings come from the environment. Each case runs in a fresh interpreter, because settings
are read once at import time."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parents[2]

PRINT_SETTINGS = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({
    "debug": settings.DEBUG,
    "db": {k: v for k, v in settings.DATABASES["default"].items() if k in ("ENGINE", "NAME", "HOST", "PORT", "USER", "CONN_MAX_AGE", "CONN_HEALTH_CHECKS", "OPTIONS")},
    "cache": settings.CACHES["default"],
    "allowed_hosts": settings.ALLOWED_HOSTS,
    "email_backend": settings.MAILERS["default"]["BACKEND"],
    "tasks_backend": settings.TASKS["default"]["BACKEND"],
    "school": settings.SCHOOL["NAME"],
    "time_zone": settings.TIME_ZONE,
    "session_cookie": settings.SESSION_COOKIE_NAME,
}))
"""

# Variables that the surrounding test run (or CI) may set and that would change the answers.
CLEARED = [
    "DATABASE_URL",
    "REDIS_URL",
    "DJANGO_DEBUG",
    "DJANGO_SECRET_KEY",
    "DJANGO_ALLOWED_HOSTS",
    "EMAIL_HOST",
    "DJANGO_EMAIL_BACKEND",
    "SCHOOL_NAME",
    "DJANGO_TIME_ZONE",
    "DJANGO_SECURE_COOKIES",
    "TASKS_BACKEND",
]


def run_python(code, *, args=None, **environ):
    env = {k: v for k, v in os.environ.items() if k not in CLEARED and not k.startswith("DJANGO_")}
    env["DJANGO_SETTINGS_MODULE"] = "emsprogram.settings"
    env.update(environ)
    return subprocess.run(
        [sys.executable, *(args or ["-c", code])],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def settings_with(**environ):
    result = run_python(PRINT_SETTINGS, DJANGO_SECRET_KEY="x" * 50, **environ)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_without_database_url_an_sqlite_file_in_the_project_folder_is_used():
    s = settings_with()
    assert s["db"]["ENGINE"] == "django.db.backends.sqlite3"
    assert s["db"]["NAME"] == str(PROJECT_DIR / "db.sqlite3")


def test_sqlite_uses_immediate_transactions_and_wal_so_writers_wait():
    options = settings_with()["db"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in options["init_command"]
    assert options["timeout"] >= 5


def test_database_url_selects_postgresql_with_persistent_connections():
    s = settings_with(DATABASE_URL="postgres://school:secret@db.internal:6543/ems")
    assert s["db"]["ENGINE"] == "django.db.backends.postgresql"
    assert (s["db"]["HOST"], s["db"]["PORT"], s["db"]["NAME"], s["db"]["USER"]) == (
        "db.internal",
        6543,
        "ems",
        "school",
    )
    assert s["db"]["CONN_MAX_AGE"] > 0
    assert s["db"]["CONN_HEALTH_CHECKS"] is True


def test_without_redis_url_the_cache_is_local_memory():
    assert settings_with()["cache"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


def test_redis_url_switches_the_cache_to_redis_that_fails_fast():
    cache = settings_with(REDIS_URL="redis://cache.internal:6379/2")["cache"]
    assert cache["BACKEND"] == "emsprogram.cache.FailFastRedisCache"
    assert cache["LOCATION"] == "redis://cache.internal:6379/2"
    assert cache["OPTIONS"] == {"socket_connect_timeout": 0.5, "socket_timeout": 0.5, "BREAKER_SECONDS": 5}


def test_redis_timeouts_come_from_the_environment():
    cache = settings_with(
        REDIS_URL="redis://cache.internal:6379/2", REDIS_TIMEOUT_SECONDS="0.2", CACHE_BREAKER_SECONDS="30"
    )["cache"]
    assert cache["OPTIONS"] == {"socket_connect_timeout": 0.2, "socket_timeout": 0.2, "BREAKER_SECONDS": 30}


def test_debug_is_off_unless_asked_for():
    assert settings_with()["debug"] is False
    assert settings_with(DJANGO_DEBUG="1")["debug"] is True


def test_allowed_hosts_come_from_the_environment():
    s = settings_with(DJANGO_ALLOWED_HOSTS="ems.example.org,www.ems.example.org")
    assert s["allowed_hosts"] == ["ems.example.org", "www.ems.example.org"]


def test_mail_goes_to_the_console_unless_an_smtp_host_is_set():
    assert settings_with()["email_backend"] == "django.core.mail.backends.console.EmailBackend"
    assert settings_with(EMAIL_HOST="smtp.example.org")["email_backend"] == (
        "django.core.mail.backends.smtp.EmailBackend"
    )


def test_with_a_mail_server_no_request_waits_for_it_the_worker_sends():
    assert settings_with()["tasks_backend"] == "django.tasks.backends.immediate.ImmediateBackend"
    assert settings_with(EMAIL_HOST="smtp.example.org")["tasks_backend"] == "django_tasks_db.DatabaseBackend"


def test_a_mail_server_with_tasks_run_in_the_request_is_warned_about():
    result = run_python(
        None,
        args=["manage.py", "check"],
        DJANGO_SECRET_KEY="x" * 50,
        EMAIL_HOST="smtp.example.org",
        TASKS_BACKEND="django.tasks.backends.immediate.ImmediateBackend",
    )
    assert "enrollment.W001" in result.stdout + result.stderr


def test_school_details_and_time_zone_come_from_the_environment():
    s = settings_with(SCHOOL_NAME="Riverbend Paramedic College", DJANGO_TIME_ZONE="America/Chicago")
    assert s["school"] == "Riverbend Paramedic College"
    assert s["time_zone"] == "America/Chicago"


def test_secure_cookies_carry_the_host_prefix():
    assert settings_with()["session_cookie"] == "__Host-sessionid"
    assert settings_with(DJANGO_DEBUG="1")["session_cookie"] == "sessionid"


SEND_ONE = """
import django
django.setup()
from django.core import mail
mail.send_mail("Subject", "Body", "from@example.org", ["to@example.org"])
print(len(getattr(mail, "outbox", [])))
"""


def test_another_mail_backend_works_beside_an_smtp_server_setting():
    """With EMAIL_HOST set (which also selects the persistent task queue), a backend chosen by
    DJANGO_EMAIL_BACKEND gets none of the SMTP server's options, which it would refuse."""
    result = run_python(
        SEND_ONE,
        DJANGO_DEBUG="1",
        EMAIL_HOST="smtp.example.org",
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "1"


@pytest.mark.parametrize("seconds", ["0", "-1"])
def test_a_seat_lock_wait_of_no_time_is_refused_at_start(seconds):
    """0 would be PostgreSQL's lock timeout for "wait for ever"."""
    result = run_python("import django; django.setup()", DJANGO_DEBUG="1", SEAT_LOCK_TIMEOUT_SECONDS=seconds)
    assert result.returncode != 0
    assert "SEAT_LOCK_TIMEOUT_SECONDS must be more than 0" in result.stderr


def test_without_debug_and_without_a_secret_key_the_process_refuses_to_start():
    result = run_python("import django; django.setup()")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_check_deploy_is_clean_with_the_documented_production_settings():
    result = run_python(
        None,
        args=["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        DJANGO_SECRET_KEY="k3Y-" + "Qz8xV1pL0mN7bR4tW9yC2dF6gH5jK3sA1eU0iO8qZ7vX2cB4nM",
        DJANGO_ALLOWED_HOSTS="ems.example.org",
        EMAIL_HOST="smtp.example.org",
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues (0 silenced)" in result.stdout
