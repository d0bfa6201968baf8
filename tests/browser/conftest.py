"""Fixtures for the browser tests: Debian's Chromium driven by pytest-playwright against pytest-django's
live server, with the demo content and a page for each way a visitor may arrive (as is, for axe, on a phone,
without JavaScript).

One browser is launched per session; every page fixture opens a fresh context (cookies, cache) per test."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.browser.chromium import PHONE, launch_options

BROWSER_TESTS_DIR = Path(__file__).resolve().parent


def pytest_configure(config):
    # pytest-playwright 0.10 stands in for pytest-base-url with a session fixture written as a method,
    # which pytest 9 warns about once per run; nothing in this project can act on it.
    config.addinivalue_line(
        "filterwarnings",
        "ignore:Session-scoped fixtures defined as instance methods:pytest.PytestRemovedIn10Warning",
    )


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects anything
def pytest_collection_modifyitems(items):
    """Everything under tests/browser/ is a browser test: `pytest -m "not browser"` leaves it out."""
    for item in items:
        if BROWSER_TESTS_DIR in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright's launch options (--headed, --slowmo, ...) plus Debian's Chromium and its flags."""
    return launch_options(browser_type_launch_args)


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args, live_server):
    """Every context opens paths on the live server: `page.goto("/")`.

    Asking for the live server here makes every test with a page use it, and pytest-django then gives that
    test the transactional database the server thread can see (emptied after each test). The server also
    serves the static files (Bootstrap, site.css) through Django's staticfiles handler."""
    return {**browser_context_args, "base_url": live_server.url}


@pytest.fixture
def demo_content(transactional_db):
    """The demo school (levels, roles, guides, FAQ, programs, cohorts): whatever apps ship a demo module."""
    call_command("load_demo_content", stdout=StringIO())


@pytest.fixture
def axe_page(new_context):
    """A page whose context ignores the Content-Security-Policy, so that axe-core can be injected.

    Only for scans: every other fixture keeps the CSP on, so a page that needs an inline script or
    style to work fails there as it would for a visitor."""
    return new_context(bypass_csp=True).new_page()


@pytest.fixture
def phone_page(new_context):
    """A 375x812 touch phone (the narrowest common screen), CSP on."""
    return new_context(**PHONE).new_page()


@pytest.fixture
def no_js_page(new_context):
    """A page with JavaScript turned off: every public page and form must still work."""
    return new_context(java_script_enabled=False).new_page()


@pytest.fixture
def policy_errors(page):
    """Console errors (a script or style the Content-Security-Policy refused among them), page errors and
    4xx/5xx answers, during a test: a journey ends with `assert not policy_errors`."""
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "response",
        lambda response: response.status >= 400 and errors.append(f"{response.status} {response.url}"),
    )
    return errors
