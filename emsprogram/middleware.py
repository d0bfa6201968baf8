"""Security headers that Django's SecurityMiddleware does not set itself, and a refusal of addresses that
carry a NUL character."""

from django.conf import settings

from sitetools.errors import ExplainedBadRequest


class SecurityHeadersMiddleware:
    """Cross-Origin-Resource-Policy keeps other sites from embedding our responses (pages, images,
    files with personal data); Permissions-Policy turns off browser features the site never uses."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.headers = {
            "Cross-Origin-Resource-Policy": settings.SECURE_CROSS_ORIGIN_RESOURCE_POLICY,
            "Permissions-Policy": settings.PERMISSIONS_POLICY,
        }

    def __call__(self, request):
        response = self.get_response(request)
        for header, value in self.headers.items():
            if value:
                response.headers.setdefault(header, value)
        return response


class RefuseNulCharactersMiddleware:
    """No address of the site has a NUL character (%00) in its path or query: PostgreSQL refuses it in
    text, so a value that reached a query would fail there with a server error. Refused first, with a 400
    that says why, wherever the value would have gone (a public page's ?program=, the admin's view-on-site
    shortcut /admin/r/<type>/<id>/, a filter). A cookie carrying one (a quoted value may write it
    "\\000") is no cookie the site set: it is dropped, so that the session is never looked up with it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any("\x00" in value for value in request.COOKIES.values()):
            request.COOKIES = {name: value for name, value in request.COOKIES.items() if "\x00" not in value}
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()
        ):
            raise ExplainedBadRequest(
                "The address contains a NUL character (%00), which no address of this site uses. Check the "
                "link, or type the address again."
            )
        return self.get_response(request)
