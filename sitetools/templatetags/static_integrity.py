"""Subresource integrity for our own static files: `{% static_integrity "css/site.css" %}` is the sha384 of
the bytes served at `{% static "css/site.css" %}`, for the `integrity` attribute of a <link> or <script>.

After collectstatic, the hashed storage serves its own copy (CSS rewritten with hashed names): that copy is
hashed, not the source. WhiteNoise may send it compressed; browsers check the integrity of the decoded
bytes, which are the same. The digest is computed once per process and kept, except with DEBUG on, where
the files change while the server runs."""

import base64
import hashlib
from functools import cache

from django import template
from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.signals import setting_changed
from django.dispatch import receiver

register = template.Library()


@register.simple_tag
def static_integrity(path: str) -> str:
    if settings.DEBUG:
        return _integrity(path)
    return _cached_integrity(path)


@cache
def _cached_integrity(path: str) -> str:
    return _integrity(path)


def _integrity(path: str) -> str:
    digest = hashlib.sha384()
    with _served_file(path) as file:
        for chunk in iter(lambda: file.read(64 * 1024), b""):
            digest.update(chunk)
    return "sha384-" + base64.b64encode(digest.digest()).decode("ascii")


def _served_file(path: str):
    """The file that `{% static path %}` leads to. A hashing storage (the manifest storage, DEBUG off)
    serves its collected copy under the hashed name. Otherwise the name is the plain path, and what
    answers it (runserver, the test server, WhiteNoise with DEBUG on) looks in the finders first, so
    a copy left in STATIC_ROOT by an older collectstatic is not the one served."""
    if hasattr(staticfiles_storage, "stored_name"):
        return staticfiles_storage.open(staticfiles_storage.stored_name(path))
    source = finders.find(path)
    if source is not None:
        return open(source, "rb")  # noqa: SIM115 (closed by the caller's with)
    return staticfiles_storage.open(path)


@receiver(setting_changed)
def _forget_digests(*, setting, **kwargs):
    """Tests that point the storage elsewhere (tests/emsprogram/test_static.py) get fresh digests."""
    if setting in {"STORAGES", "STATIC_ROOT", "STATIC_URL", "STATICFILES_DIRS", "DEBUG"}:
        _cached_integrity.cache_clear()
