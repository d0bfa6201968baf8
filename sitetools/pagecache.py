"""Cache of public content pages for anonymous visitors, shared by every app server (Redis).

Views opt in with `@public_page`. A hit is answered by `PublicPageCacheMiddleware` before sessions,
CSRF and the view run.

Invalidation happens where the data changes, by scope. Every page depends on the "content" generation: a
model whose records public pages show inherits `ShownOnPublicPages`, whose save and delete move that
generation on once the transaction commits (as djangoproject.com's blog entries clear what they show).
Pages that show seat figures (`shows_seats=True`) also depend on the "seats" generation, which the
enrollment services move on when an application takes or gives up a seat or a waitlist place, or a start's
capacity changes (`invalidate_on_commit(SEATS)`). So a rush of applications leaves the guides, the FAQ and
the level pages cached, and enquiries, notes or e-mails never invalidate anything.

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
from django.db import models, transaction
from django.http import HttpResponse, QueryDict
from django.middleware.csrf import get_token
from django.urls import Resolver404, resolve

logger = logging.getLogger(__name__)

CONTENT, SEATS = "content", "seats"
GENERATION_KEYS = {CONTENT: "public-page-generation", SEATS: "public-page-generation:seats"}
CSRF_PLACEHOLDER = "\x00csrf-token\x00"
_CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
MAX_QUERY_LENGTH = 256


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


def bump_generation(*scopes: str) -> bool:
    """Invalidate the cached pages of these scopes (all when none is named): entries of an older generation
    are ignored, then expire. Never raises (it runs after a commit, in requests and commands alike): if the
    cache is unavailable, the change is remembered and every generation moves on once the cache answers
    again. False when it could not."""
    global _in_doubt
    for scope in scopes or tuple(GENERATION_KEYS):
        key = GENERATION_KEYS[scope]
        try:
            try:
                cache.incr(key)
            except ValueError:  # no generation yet, or Redis lost it
                cache.add(key, _fresh_generation(), timeout=None)
        except Exception as error:  # noqa: BLE001 - any failure of the cache: the site works without it
            if not _in_doubt:
                logger.warning(
                    "Cached pages could not be invalidated (%s): they will be when this process next reaches "
                    "the cache",
                    error,
                )
            _cache_failed("invalidating", error)
            return False
    if not scopes:
        _in_doubt = False
    return True


def invalidate_on_commit(*scopes: str, using=None) -> None:
    """Invalidate these scopes' cached pages once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: bump_generation(*scopes), using=using)


class ShownOnPublicPages(models.Model):
    """For a model whose records public pages show: saving or deleting one invalidates the cached pages
    once the transaction commits. Deleting counts however it is done: one record, a queryset (the admin
    list's "Delete selected"), or a cascade from a record it belongs to (`invalidate_when_deleted`, connected
    for every such model when the apps are ready). (A bulk update() bypasses this: the code that makes one
    calls invalidate_on_commit itself.)"""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        invalidate_on_commit(CONTENT, using=kwargs.get("using"))


def invalidate_when_deleted(sender, instance, using, **kwargs):
    """post_delete receiver of every ShownOnPublicPages model (sitetools.apps): Django sends it for each
    record a delete removes, a queryset's and a cascade's included."""
    invalidate_on_commit(CONTENT, using=using)


def _declared_query(request, query):
    """The query string as the view reads it: its declared parameters, in a canonical encoding."""
    params = QueryDict(mutable=True)
    for name in query:
        if name in request.GET:
            params.setlist(name, request.GET.getlist(name))
    return params.urlencode()


def _lookup(request, kind, query, scopes):
    """The entry's key, the current generations of its scopes, and the entry if it is of those generations:
    one round trip to the cache. A page rendered while a generation moved on is stored under the old one,
    so it is never served. The generations are None when the cache is unavailable: serve uncached."""
    address = f"{request.scheme}://{request.get_host()}{request.path}?{_declared_query(request, query)}"
    digest = hashlib.sha256(address.encode("utf-8", "surrogateescape")).hexdigest()
    key = f"public-{kind}:{digest}"
    if _in_doubt and not bump_generation():
        return key, None, None
    generation_keys = [GENERATION_KEYS[scope] for scope in scopes]
    try:
        values = cache.get_many([*generation_keys, key])
        for generation_key in generation_keys:
            if values.get(generation_key) is None:
                cache.add(generation_key, _fresh_generation(), timeout=None)
                values[generation_key] = cache.get(generation_key)
    except Exception as error:  # noqa: BLE001 - any failure of the cache: the site works without it
        _cache_failed("looking up a page", error)
        return key, None, None
    generation = tuple(values.get(generation_key) for generation_key in generation_keys)
    if None in generation:
        return key, None, None
    entry = values.get(key)
    if entry is not None and entry[0] == generation:
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


def _public_page(request):
    """The declared query parameters and scopes of the @public_page view at this address, or None."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    return getattr(match.func, "public_page", None)


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


def _scopes(shows_seats: bool) -> tuple[str, ...]:
    return (CONTENT, SEATS) if shows_seats else (CONTENT,)


def public_page(view, *, query=(), shows_seats=False):
    """Mark a view's anonymous GET responses as cacheable (by PublicPageCacheMiddleware). `query`: the names
    of the query parameters the view reads; `shows_seats`: the page shows seat figures."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.public_page_cacheable = _may_store(request, query)
        return response

    wrapper.public_page = (tuple(query), _scopes(shows_seats))
    return wrapper


def public_form_page(view, *, query=(), shows_seats=False):
    """Cache a form page's GET for anonymous visitors, with a fresh CSRF token in every response.
    `query`: the names of the query parameters the view reads; `shows_seats`: the page shows seat figures."""
    scopes = _scopes(shows_seats)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        timeout = settings.PUBLIC_PAGE_CACHE_SECONDS
        if not timeout or request.method != "GET" or not _is_cacheable_request(request):
            return view(request, *args, **kwargs)
        key, generation, entry = _lookup(request, "form", query, scopes)
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
        declared = _public_page(request)
        if declared is None:
            return self.get_response(request)
        query, scopes = declared

        key, generation, entry = _lookup(request, "page", query, scopes)
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
