"""HEAD is answered by the WSGI application itself with GET's headers and no body, so that gunicorn has
nothing to drop (and no warning to log for every HEAD). Django's test client drops HEAD bodies on its own,
so these tests call the WSGI application as gunicorn does."""

import io
from wsgiref.util import setup_testing_defaults

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from emsprogram.wsgi import application

pytestmark = pytest.mark.django_db


@pytest.fixture
def call_wsgi():
    # As Django's test client does: the test's database transaction must outlive each request.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)

    def call(method, path, **headers):
        environ = {"REQUEST_METHOD": method, "PATH_INFO": path, "HTTP_HOST": "testserver"}
        environ.update({f"HTTP_{name.upper()}": value for name, value in headers.items()})
        environ["wsgi.input"] = io.BytesIO(b"")
        setup_testing_defaults(environ)
        answer = {}

        def start_response(status, response_headers, exc_info=None):
            answer["status"], answer["headers"] = status, dict(response_headers)

        result = application(environ, start_response)
        try:
            body = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        return answer["status"], answer["headers"], body

    yield call
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.mark.parametrize("path", ["/", "/contact/", "/healthz", "/robots.txt", "/no-such-page/"])
def test_head_gets_the_headers_of_get_and_no_body(call_wsgi, path):
    get_status, get_headers, get_body = call_wsgi("GET", path)
    head_status, head_headers, head_body = call_wsgi("HEAD", path)

    assert get_body
    assert head_body == b""
    assert head_status == get_status
    assert head_headers["Content-Type"] == get_headers["Content-Type"]
    if "Content-Length" in head_headers:
        assert head_headers["Content-Length"] == str(len(get_body))


def test_head_of_a_cached_page_has_no_body_either(call_wsgi):
    call_wsgi("GET", "/")
    status, headers, body = call_wsgi("HEAD", "/", accept_encoding="gzip")
    assert status == "200 OK"
    assert headers["X-Page-Cache"] == "hit"
    assert body == b""


def test_get_still_gets_its_body(call_wsgi):
    status, headers, body = call_wsgi("GET", "/robots.txt")
    assert status == "200 OK"
    assert b"Sitemap:" in body
