"""Site-wide pages: the home page, the health check, robots.txt and the error pages."""

import logging
import sys

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponsePermanentRedirect,
    JsonResponse,
)
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static
from django.urls import Resolver404, resolve, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from enrollment.models import Cohort
from enrollment.views import SeatsAsTheyAreNow
from roles.models import CertificationLevel
from sitetools import structured_data
from sitetools.errors import ExplainedBadRequest

logger = logging.getLogger(__name__)

# What a database that is down, restarting or locked raises (not a bug in a query: those are 500s).
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)


def read_only(view):
    """GET and HEAD only, 405 for any other method. Such a view changes nothing, so it is exempt from the
    CSRF check: a POST gets the 405, not the page about an expired form."""
    return csrf_exempt(require_safe(view))


class HomeView(SeatsAsTheyAreNow, TemplateView):
    template_name = "home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # With their programs' fees: each card shows its program's price (one more query, whatever the number).
        context["next_cohorts"] = Cohort.objects.next_starts().prefetch_related("program__fees")
        context["levels"] = CertificationLevel.objects.ladder_outline()
        context["structured_data"] = structured_data.with_context(structured_data.organization())
        return context


HEALTH_CHECK_KEY = "healthz"


def _database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return False
    return True


def _cache_answers() -> bool:
    try:
        cache.get(HEALTH_CHECK_KEY)
    except Exception:  # noqa: BLE001 - any failure of the cache is what this reports
        return False
    return True


@never_cache
@read_only
def healthz(request):
    """For load balancers, each dependency and its state. The database is required: 503 without it. The
    cache is not (pages are served uncached, rate limits counted per process): without it the site is
    "degraded" and still answers 200, so that the balancer keeps sending visitors to a server that can
    serve them. Fast whatever happens: both checks are bounded by short timeouts."""
    database = _database_answers()
    cache_ok = _cache_answers()
    if not database:
        logger.warning("Health check failed: the database did not answer")
    body = {
        "status": "ok" if database and cache_ok else "degraded" if database else "unavailable",
        "database": "ok" if database else "unavailable",
        "cache": "ok" if cache_ok else "unavailable",
    }
    return JsonResponse(body, status=200 if database else 503)


def _error_page(template_name, status, detail=""):
    # No context processors and no CSRF token: these pages must render whatever failed.
    html = loader.get_template(template_name).render({"school": settings.SCHOOL, "detail": detail})
    return HttpResponse(html, status=status)


def bad_request(request, exception):
    """The 400 page. No CSRF check here (unlike Django's default handler): a body the CSRF check
    cannot read, such as a form in a non-UTF-8 charset, must still get this page, not a crash."""
    detail = str(exception) if isinstance(exception, ExplainedBadRequest) else ""
    return _error_page("400.html", 400, detail)


def permission_denied(request, exception):
    return _error_page("403.html", 403)


def csrf_failure(request, reason=""):
    """A form sent without a valid CSRF token: an expired page or blocked cookies, most of the time.
    The reason is for the logs (Django logs it as django.security.csrf), not for the page.

    The CSRF check runs before the view, so a POST (or PUT, DELETE…) to a page that takes no form lands
    here too: it gets what the view itself would answer, 404 for no page and 405 for a method it does not
    take, rather than a page about an expired form."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        raise Http404("No page at this address.") from None
    view_class = getattr(match.func, "view_class", None)
    if view_class is not None:
        allowed = [method.upper() for method in view_class.http_method_names if hasattr(view_class, method)]
        if "GET" in allowed and "HEAD" not in allowed:
            allowed.append("HEAD")  # a class-based view answers HEAD with its GET
        if request.method not in allowed:
            return HttpResponseNotAllowed(allowed)
    return _error_page("403_csrf.html", 403)


def server_error(request):
    """The 500 page. Rendered without context processors (they may be what failed), but with
    the school's contact details so that the visitor still has a way to reach a person.

    When what failed is the database (down, restarting, a dropped connection), the visitor gets the 503
    page instead: try again in a minute, and, after sending a form, check your e-mail before sending it
    again (it may be in; if it is, sending again says so). Django calls this view while handling the
    exception, so the exception is at hand."""
    exception = sys.exc_info()[1]
    if isinstance(exception, DATABASE_UNAVAILABLE):
        response = _error_page("503.html", 503)
        response["Retry-After"] = "60"
        return response
    return _error_page("500.html", 500)


@read_only
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /applications/",
        f"Sitemap: {settings.SITE_URL}{reverse('sitemap')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def login_locked_out(request, original_response=None, credentials=None):
    """django-axes calls this when a sign-in is refused because of too many failures."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    logger.warning("Staff sign-in refused: account or address locked out after repeated failures")
    return render(request, "admin/lockout.html", {"cooloff_minutes": minutes}, status=429)


@read_only
def favicon(request):
    """Browsers ask for /favicon.ico on pages that name no icon (the admin, a PDF, a JSON response)."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))
