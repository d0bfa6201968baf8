"""The sitemap: every published public page, and nothing else."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from enrollment.models import Program
from roles.models import CertificationLevel, Guide, Role


class SiteUrlSitemap(Sitemap):
    """Absolute URLs come from settings.SITE_URL rather than the request's host header, so that the
    sitemap names the one canonical address whatever host or proxy the request came through."""

    def get_urls(self, page=1, site=None, protocol=None):
        parts = urlsplit(settings.SITE_URL)
        site = type("SiteUrl", (), {"domain": parts.netloc})()
        return super().get_urls(page=page, site=site, protocol=parts.scheme)


class StaticPagesSitemap(SiteUrlSitemap):
    """Pages that are not a record: the home page, indexes and forms."""

    names = [
        ("home", 1.0),
        ("roles:index", 0.9),
        ("roles:compare", 0.7),
        ("roles:faq", 0.7),
        ("enrollment:program-list", 0.9),
        ("enrollment:apply-start", 0.6),
        ("enrollment:contact", 0.5),
        ("sitepages:paying", 0.6),
        ("sitepages:accreditation", 0.5),
        ("sitepages:refunds", 0.4),
        ("sitepages:privacy", 0.3),
        ("sitepages:accessibility", 0.3),
        ("sitepages:terms", 0.3),
        ("infosessions:list", 0.6),
    ]

    def items(self):
        return [(reverse(name), priority) for name, priority in self.names]

    def location(self, item):
        return item[0]

    def priority(self, item):
        return item[1]


class PublishedSitemap(SiteUrlSitemap):
    """The published records of one model, in the order given, dated by their last change."""

    def __init__(self, queryset, *, ordering, priority):
        super().__init__()
        self.queryset, self.ordering, self.priority = queryset, ordering, priority

    def items(self):
        return self.queryset.published().order_by(*self.ordering)

    def lastmod(self, obj):
        return obj.updated_at


sitemaps = {
    "pages": StaticPagesSitemap,
    "levels": PublishedSitemap(CertificationLevel.objects, ordering=["ladder_order"], priority=0.8),
    "roles": PublishedSitemap(Role.objects, ordering=["order", "name"], priority=0.6),
    "guides": PublishedSitemap(Guide.objects, ordering=["slug"], priority=0.8),
    "programs": PublishedSitemap(Program.objects, ordering=["order", "name"], priority=0.9),
}
