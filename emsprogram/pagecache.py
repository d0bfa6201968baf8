"""Cache of public content pages for anonymous visitors, shared by every app server (Redis).

Views opt in with `@public_page`. A hit is answered by `PublicPageCacheMiddleware` before sessions,
CSRF and the view run. Every save or delete of roles or enrollment data (content edited by staff,
and every application, which changes seats left) moves the cache to a new generation once the
transaction commits, so no page shows stale content or seat figures.

Pages with a form (`@public_form_page`) are cached too, but at the view, after the CSRF middleware:
the stored page holds a placeholder where the CSRF token goes, and each visitor gets a token of their
own (and its cookie) on every response. A bound form (a POST with errors) is never cached.

What is stored is the body and content type only: security headers, including the
Content-Security-Policy, are added afresh to every response, so a cached page never carries a
nonce (our pages use none: scripts are static files).

What is stored is bounded by the content, not by what visitors type. A view declares the query
parameters it reads (`query=`); an entry's key is the host, the path and those parameters only, decoded
and re-encoded, so ?utm_source=… or any other parameter shares the page's entry, and percent-encodings of
one address share it too. A page is stored only when the view understood the parameters it read and
they are spelled as the site's own links spell them (it calls `do_not_cache` otherwise: a comparison of
a level that does not exist, ?cohort=007 for ?cohort=7). Addresses that lead to no cached view are not
looked up at all.

The cache may be unavailable (Redis stopped, restarting, out of reach): then pages are rendered and served
as if the page cache were off, and nothing fails. A change committed meanwhile could not move the generation
on, so an older page kept in Redis could be served once it is back; to prevent that, a process that found
the cache failing (for a page, or to invalidate) moves the generation on with its first call once the cache
answers again, before it serves anything from it. A generation that Redis lost (restarted empty, evicted) is
started again from the clock, so it never matches an entry stored before."""

import gzip
import hashlib
import logging
import re
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse, QueryDict
from django.middleware.csrf import get_token
from django.urls import Resolver404, resolve

logger = logging.getLogger(__name__)

GENERATION_KEY = "public-page-generation"
CSRF_PLACEHOLDER = "\x00csrf-token\x00"
_CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
MAX_QUERY_LENGTH = 256
CACHED_APPS = ("roles", "enrollment")
# Records no public page shows: saving them leaves the cache as it is.
NOT_SHOWN = {"enrollment.applicationnote", "enrollment.applicationevent", "enrollment.emailnotification"}


# True in a process that found the cache failing since it last moved the generation on: a change may have
# been committed meanwhile whose invalidation did not reach the cache.
_in_doubt = False


def invalidation_owed() -> bool:
    """Whether this process found the cache failing since it last moved the generation on."""
    return _in_doubt


def _cache_failed(doing: str, error: Exception) -> None:
    global _in_doubt
    _in_doubt = True
    # The cache backend logs the outage itself (at WARNING, once per interval).
    logger.debug("Page cache skipped while %s: %s", doing, type(error).__name__)


def _fresh_generation() -> int:
    # From the clock, not 1: a generation Redis lost must not match an entry that outlived it.
    return time.time_ns()


def bump_generation() -> bool:
    """Invalidate every cached page: entries of an older generation are ignored, then expire. Never raises
    (it runs after a commit, in requests and commands alike): if the cache is unavailable, the change is
    remembered and the generation moves on once the cache answers again. False when it could not."""
    global _in_doubt
    try:
        try:
            cache.incr(GENERATION_KEY)
        except ValueError:  # no generation yet, or Redis lost it
            cache.add(GENERATION_KEY, _fresh_generation(), timeout=None)
    except Exception as error:  # noqa: BLE001 - any failure of the cache: the site works without it
        if not _in_doubt:
            logger.warning(
                "Cached pages could not be invalidated (%s): they will be when this process next reaches the cache",
                error,
            )
        _cache_failed("invalidating", error)
        return False
    _in_doubt = False
    return True


def _declared_query(request, query):
    """The query string as the view reads it: its declared parameters, in a canonical encoding."""
    params = QueryDict(mutable=True)
    for name in query:
        if name in request.GET:
            params.setlist(name, request.GET.getlist(name))
    return params.urlencode()


def _lookup(request, kind, query):
    """The entry's key, the current generation, and the entry if it is of that generation: one round
    trip to the cache. A page rendered while the generation moved on is stored under the old one,
    so it is never served. The generation is None when the cache is unavailable: serve uncached."""
    address = f"{request.scheme}://{request.get_host()}{request.path}?{_declared_query(request, query)}"
    digest = hashlib.sha256(address.encode("utf-8", "surrogateescape")).hexdigest()
    key = f"public-{kind}:{digest}"
    if _in_doubt and not bump_generation():
        return key, None, None
    try:
        values = cache.get_many([GENERATION_KEY, key])
        generation = values.get(GENERATION_KEY)
        if generation is None:
            cache.add(GENERATION_KEY, _fresh_generation(), timeout=None)
            generation = cache.get(GENERATION_KEY)
    except Exception as error:  # noqa: BLE001 - any failure of the cache: the site works without it
        _cache_failed("looking up a page", error)
        return key, None, None
    entry = values.get(key)
    if generation is not None and entry is not None and entry[0] == generation:
        return key, generation, entry[1:]
    return key, generation, None


def _store(key, generation, entry, timeout) -> bool:
    """Keep a rendered page for the next visitors; False when there is no cache to keep it in."""
    try:
        cache.set(key, (generation, *entry), timeout)
    except Exception as error:  # noqa: BLE001 - any failure of the cache: the page is served all the same
        _cache_failed("storing a page", error)
        return False
    return True


def _is_cacheable_request(request):
    if request.method not in ("GET", "HEAD"):
        return False
    # Visitors with a session (staff, or someone with a pending message) get a freshly rendered page.
    return settings.SESSION_COOKIE_NAME not in request.COOKIES and "messages" not in request.COOKIES


def do_not_cache(request):
    """Tell the page cache not to store this page: the view met a query it could not use, and shows
    a message about it (an unknown level, a course start that is closed)."""
    request.public_page_do_not_cache = True


def _may_store(request, query):
    if getattr(request, "public_page_do_not_cache", False):
        return False
    return len(_declared_query(request, query)) <= MAX_QUERY_LENGTH


def _public_page_query(request):
    """The query parameters of the @public_page view at this address, or None if there is none."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    return getattr(match.func, "public_page_query", None)


def accepts_gzip(accept_encoding):
    """Whether an Accept-Encoding header admits gzip: named, or as *, with a quality above zero
    ("gzip;q=0" refuses it)."""
    qualities = {}
    for part in accept_encoding.lower().split(","):
        coding, *params = (item.strip() for item in part.split(";"))
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        qualities[coding] = quality
    for coding in ("gzip", "x-gzip", "*"):
        if coding in qualities:
            return qualities[coding] > 0
    return False


def _rendered(response):
    if hasattr(response, "render") and not response.is_rendered:
        response.render()
    return response


def public_page(view, *, query=()):
    """Mark a view's anonymous GET responses as cacheable (by PublicPageCacheMiddleware). `query`:
    the names of the query parameters the view reads."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.public_page_cacheable = _may_store(request, query)
        return response

    wrapper.public_page_query = tuple(query)
    return wrapper


def public_form_page(view, *, query=()):
    """Cache a form page's GET for anonymous visitors, with a fresh CSRF token in every response.
    `query`: the names of the query parameters the view reads."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        timeout = settings.PUBLIC_PAGE_CACHE_SECONDS
        if not timeout or request.method != "GET" or not _is_cacheable_request(request):
            return view(request, *args, **kwargs)
        key, generation, entry = _lookup(request, "form", query)
        if entry is not None:
            content, content_type = entry
            response = HttpResponse(
                content.replace(CSRF_PLACEHOLDER, get_token(request)), content_type=content_type
            )
            response["X-Page-Cache"] = "hit"
            return response
        response = _rendered(view(request, *args, **kwargs))
        content = response.content.decode(response.charset)
        tokens = set(_CSRF_INPUT.findall(content))
        storable = generation is not None and response.status_code == 200 and _may_store(request, query)
        if storable and len(tokens) == 1 and CSRF_PLACEHOLDER not in content:
            template = content.replace(tokens.pop(), CSRF_PLACEHOLDER)
            if _store(key, generation, (template, response["Content-Type"]), timeout):
                response["X-Page-Cache"] = "miss"
        return response

    return wrapper


class PublicPageCacheMiddleware:
    """Answers anonymous GETs of `@public_page` views from the cache, before sessions and views run."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.timeout = settings.PUBLIC_PAGE_CACHE_SECONDS

    def __call__(self, request):
        if not self.timeout or not _is_cacheable_request(request):
            return self.get_response(request)
        # An unknown Host gets Django's 400 here, as it would further on: never a cached page.
        request.get_host()
        query = _public_page_query(request)
        if query is None:
            return self.get_response(request)

        key, generation, entry = _lookup(request, "page", query)
        if entry is not None:
            compressed, content_type = entry
            # Stored gzipped: cached pages hold no secret (no CSRF token, no session), so compression
            # is safe from BREACH-style attacks, and phones get a fraction of the bytes.
            if accepts_gzip(request.headers.get("Accept-Encoding", "")):
                response = HttpResponse(compressed, content_type=content_type)
                response["Content-Encoding"] = "gzip"
            else:
                response = HttpResponse(gzip.decompress(compressed), content_type=content_type)
            response["Vary"] = "Accept-Encoding"
            response["X-Page-Cache"] = "hit"
            return response

        response = self.get_response(request)
        if (
            generation is not None
            and getattr(response, "public_page_cacheable", False)
            and response.status_code == 200
            and not response.cookies
            and not getattr(response, "streaming", False)
        ):
            compressed = gzip.compress(_rendered(response).content, compresslevel=6, mtime=0)
            if _store(key, generation, (compressed, response["Content-Type"]), self.timeout):
                response["X-Page-Cache"] = "miss"
        return response


def _on_content_change(sender, **kwargs):
    if sender._meta.app_label in CACHED_APPS and sender._meta.label_lower not in NOT_SHOWN:
        transaction.on_commit(bump_generation, using=kwargs.get("using"))


def connect_signals():
    from django.db.models.signals import m2m_changed, post_delete, post_save

    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_on_content_change, dispatch_uid=f"pagecache-{signal!r}")
