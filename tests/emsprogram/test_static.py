"""Static files as production serves them: collectstatic's hashed, compressed copies, and the subresource
integrity of our own stylesheets and script, which must match the bytes served or browsers refuse them."""

import base64
import gzip
import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache
from django.template import Context, Template
from django.test import Client, override_settings
from django.urls import reverse

PROJECT_DIR = Path(__file__).resolve().parents[2]
PRODUCTION_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# <link ... href="..." integrity="..."> and <script src="..." integrity="..."> in the public base template.
_WITH_INTEGRITY = re.compile(r'<(?:link|script)\b[^>]*?(?:href|src)="([^"]+)"[^>]*?integrity="([^"]*)"')
OUR_ASSETS = ("css/bootstrap.css", "css/site.css", "css/print.css", "js/site.js")


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    """`collectstatic` with DEBUG off, as a deployment runs it, into a folder of its own."""
    static_root = tmp_path_factory.mktemp("staticfiles")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(DJANGO_SECRET_KEY="s" * 50, DJANGO_STATIC_ROOT=str(static_root), DJANGO_ALLOWED_HOSTS="x.test")
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return static_root


def sha384(content: bytes) -> str:
    return "sha384-" + base64.b64encode(hashlib.sha384(content).digest()).decode("ascii")


def test_collectstatic_with_debug_off_writes_hashed_compressed_files(collected):
    manifest = json.loads((collected / "staticfiles.json").read_text())["paths"]
    hashed_css = manifest["css/bootstrap.css"]
    assert hashed_css != "css/bootstrap.css"
    assert (collected / hashed_css).exists()
    assert (collected / f"{hashed_css}.gz").exists()
    assert "css/site.css" in manifest


@pytest.mark.django_db
def test_integrity_of_each_stylesheet_and_script_matches_the_bytes_whitenoise_serves(collected):
    source_page = Client().get("/").content.decode()  # the source files, as the other tests serve them

    with override_settings(STATIC_ROOT=collected, STORAGES=PRODUCTION_STORAGES):
        cache.clear()  # the page cache holds the page as rendered above
        client = Client()  # a new client loads the middleware again: WhiteNoise then reads this STATIC_ROOT
        page = client.get("/").content.decode()
        assets = dict(_WITH_INTEGRITY.findall(page))
        assert len(assets) == len(OUR_ASSETS), assets
        for url, integrity in assets.items():
            assert re.search(r"\.[0-9a-f]{12}\.(css|js)$", url), f"{url} is not a hashed name"
            response = client.get(url, headers={"accept-encoding": "gzip"})
            assert response.status_code == 200, url
            body = b"".join(response.streaming_content)
            if response.get("Content-Encoding") == "gzip":
                body = gzip.decompress(body)  # browsers check the integrity of the decoded bytes
            assert sha384(body) == integrity, f"the integrity of {url} does not match what is served"
    assert source_page  # the same page served from the source folders rendered too


def test_collectstatic_ships_no_full_copy_of_bootstrap(collected):
    """Only the subset of Bootstrap our pages use is served (static/css/bootstrap.css): the package that
    holds the whole of it is a development tool of scripts/subset_bootstrap.py, not an installed app."""
    manifest = json.loads((collected / "staticfiles.json").read_text())["paths"]
    assert not [path for path in manifest if path.startswith("bootstrap/")]


def test_integrity_in_the_tests_is_of_the_source_file_the_test_server_serves():
    html = Template("{% load static_integrity %}{% static_integrity 'css/site.css' %}").render(Context())
    assert html == sha384((PROJECT_DIR / "static/css/site.css").read_bytes())


def test_integrity_is_computed_once_per_process_but_afresh_with_debug_on(tmp_path):
    asset = tmp_path / "sri-check.css"
    template = Template("{% load static_integrity %}{% static_integrity 'sri-check.css' %}")
    with override_settings(STATICFILES_DIRS=[tmp_path]):
        asset.write_bytes(b"body { color: #111; }")
        first = template.render(Context())
        asset.write_bytes(b"body { color: #222; }")
        assert template.render(Context()) == first  # kept: the files of a running deployment do not change
        with override_settings(DEBUG=True):
            assert template.render(Context()) == sha384(b"body { color: #222; }")


# Every stylesheet and script of a page: (address, integrity or None).
_ASSET = re.compile(r'<(?:link\b[^>]*?rel="stylesheet"[^>]*?href|script\b[^>]*?src)="([^"]+)"[^>]*>')
_INTEGRITY = re.compile(r'integrity="([^"]*)"')


def our_assets(page: str) -> dict[str, str | None]:
    """The page's own stylesheets and scripts (not Django admin's files, which we serve but do not write)."""
    assets = {}
    for match in _ASSET.finditer(page):
        url = match.group(1)
        if url.startswith("/static/") and not url.startswith("/static/admin/"):
            integrity = _INTEGRITY.search(match.group(0))
            assets[url] = integrity.group(1) if integrity else None
    return assets


@pytest.mark.django_db
def test_the_staff_pages_and_the_error_pages_carry_the_integrity_of_our_files_too(
    collected, django_user_model
):
    from tests.staffauth.conftest import PASSWORD, password_step

    django_user_model.objects.create_superuser("boss", "boss@example.org", PASSWORD)
    with override_settings(STATIC_ROOT=collected, STORAGES=PRODUCTION_STORAGES):
        client = Client(raise_request_exception=False)
        pages = {
            "the sign-in page": client.get("/admin/login/"),
            "an error page": client.get("/contact/?program=%00"),
        }
        password_step(client, username="boss")
        pages["the second step"] = client.get(reverse("admin:second-factor-enrol"))
        for name, response in pages.items():
            assets = our_assets(response.content.decode())
            assert assets, name
            for url, integrity in assets.items():
                assert integrity, f"{url} on {name} has no integrity"
                served = client.get(url, headers={"accept-encoding": "gzip"})
                body = b"".join(served.streaming_content)
                if served.get("Content-Encoding") == "gzip":
                    body = gzip.decompress(body)
                assert sha384(body) == integrity, f"the integrity of {url} on {name} does not match"
