"""Environment for the test run, loaded as a pytest plugin (`-p tests.environment` in pyproject.toml)
so that it is in place before pytest-django reads the settings.

Tests run with DEBUG off, like production; only what would stop the test client is relaxed.
Anything already set in the environment wins (CI sets DATABASE_URL and REDIS_URL)."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-not-used-anywhere-else-0123456789")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
# Playwright's sync API runs an event loop in the test thread; Django's ORM must still be usable there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
