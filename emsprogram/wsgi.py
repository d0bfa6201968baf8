"""WSGI entry point, used by gunicorn: `gunicorn emsprogram.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "emsprogram.settings")


def head_without_body(app):
    """Answer HEAD with the headers GET would get and no body. Django renders the body of a HEAD as for a
    GET and leaves it to the server to drop; gunicorn does, and logs a WARNING for each one ("WSGI app sent
    body bytes on a no-body response"). Django's own development server drops it the same way."""

    def application(environ, start_response):
        result = app(environ, start_response)
        if environ.get("REQUEST_METHOD") != "HEAD":
            return result
        close = getattr(result, "close", None)
        if close is not None:
            close()  # ends the request as the server would: request_finished, files closed
        return []

    return application


application = head_without_body(get_wsgi_application())
