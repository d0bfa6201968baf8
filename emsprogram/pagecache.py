"""Cache of public content pages for anonymous visitors, shared by every app server (Redis).

Views opt in with `@public_page`. A hit is answered by `PublicPageCacheMiddleware` before sessions,
CSRF and the view run. Every save or delete of roles or enrollment data (content edited by staff,
and every application, which changes seats left) moves the cache to a new generation once the
transaction commits, so no page shows stale content or seat figures.

What is stored is the body and content type only: security headers, including the
Content-Security-Policy, are added afresh to every response, so a cached page never carries a
nonce (our pages use none: scripts are static files). Pages with forms that POST are not cached,
so their CSRF tokens are always fresh.
"""

import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse

GENERATION_KEY = "public-page-generation"
CACHED_APPS = ("roles", "enrollment")


def _generation():
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        generation = cache.get(GENERATION_KEY, 1)
    return generation


def bump_generation():
    """Invalidate every cached page (old entries simply expire)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.add(GENERATION_KEY, 2, timeout=None)


def _key(request, generation):
    digest = hashlib.sha256(request.get_full_path().encode("utf-8", "surrogateescape")).hexdigest()
    return f"public-page:{generation}:{digest}"


def _is_cacheable_request(request):
    if request.method not in ("GET", "HEAD"):
        return False
    # Visitors with a session (staff, or someone with a pending message) get a freshly rendered page.
    return settings.SESSION_COOKIE_NAME not in request.COOKIES and "messages" not in request.COOKIES


def public_page(view):
    """Mark a view's anonymous GET responses as cacheable."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.public_page_cacheable = True
        return response

    return wrapper


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.timeout = settings.PUBLIC_PAGE_CACHE_SECONDS

    def __call__(self, request):
        if not self.timeout or not _is_cacheable_request(request):
            return self.get_response(request)

        generation = _generation()
        key = _key(request, generation)
        cached = cache.get(key)
        if cached is not None:
            content, content_type = cached
            response = HttpResponse(content, content_type=content_type)
            response["X-Page-Cache"] = "hit"
            return response

        response = self.get_response(request)
        if (
            getattr(response, "public_page_cacheable", False)
            and response.status_code == 200
            and not response.cookies
            and not getattr(response, "streaming", False)
        ):
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            cache.set(key, (response.content, response["Content-Type"]), self.timeout)
            response["X-Page-Cache"] = "miss"
        return response


def _on_content_change(sender, **kwargs):
    if sender._meta.app_label in CACHED_APPS:
        transaction.on_commit(bump_generation, using=kwargs.get("using"))


def connect_signals():
    from django.db.models.signals import m2m_changed, post_delete, post_save

    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_on_content_change, dispatch_uid=f"pagecache-{signal!r}")
