"""Fixtures shared by the whole suite."""

import shutil
import socket
import tempfile

import pytest
from django.core.cache import cache

from enrollment import ratelimit
from tests.signin import sign_in

# A port nobody listens on: Redis stopped.
UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate-limit counters and cached pages live in the cache (and, without it, in the process); each test
    starts from an empty one."""
    cache.clear()
    ratelimit._process_counts.clear()
    yield
    cache.clear()
    ratelimit._process_counts.clear()


@pytest.fixture
def cache_unavailable(settings):
    """The production cache backend, as settings.py configures it, pointed at a Redis that is not there."""
    settings.CACHES = {
        "default": {
            "BACKEND": "emsprogram.cache.FailFastRedisCache",
            "LOCATION": UNREACHABLE_REDIS,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5, "BREAKER_SECONDS": 5},
        }
    }


@pytest.fixture
def silent_redis():
    """The address of a Redis that does not answer: it takes the connection and never replies (blackholed
    by the network, or hung)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    yield f"redis://127.0.0.1:{listener.getsockname()[1]}/0"
    listener.close()


@pytest.fixture(autouse=True, scope="session")
def _test_only_settings():
    """The hashed-manifest storage needs `collectstatic` first; tests resolve static files from the
    source folders instead (what the manifest storage does is covered by the collectstatic test)."""
    from django.test import override_settings

    documents = tempfile.mkdtemp(prefix="ems-test-documents-")
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        # Applicants' documents go to a folder of the test run's own, removed afterwards.
        "documents": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": documents},
        },
    }
    # A fast password hasher: the real one is deliberately slow, which only slows the suite down.
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with override_settings(STORAGES=storages, PASSWORD_HASHERS=hashers):
        # The documents' field took its storage when the models were imported, before this override: point it
        # at the test run's folder too, or the tests' uploads would land in the checkout's private/ folder.
        from django.core.files.storage import storages as storage_handler

        from enrollment.models import Document

        field = Document._meta.get_field("file")
        imported, field.storage = field.storage, storage_handler["documents"]
        yield
        field.storage = imported
    shutil.rmtree(documents, ignore_errors=True)


@pytest.fixture
def admin_client(client, admin_user):
    """pytest-django's, signed in with the second factor too (superusers must use one)."""
    return sign_in(client, admin_user)
