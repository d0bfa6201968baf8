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
    ]

    def items(self):
        return [(reverse(name), priority) for name, priority in self.names]

    def location(self, item):
        return item[0]

    def priority(self, item):
        return item[1]


class CertificationLevelSitemap(SiteUrlSitemap):
    priority = 0.8

    def items(self):
        return CertificationLevel.objects.published().order_by("ladder_order")

    def lastmod(self, obj):
        return obj.updated_at


class RoleSitemap(SiteUrlSitemap):
    priority = 0.6

    def items(self):
        return Role.objects.published().order_by("order", "name")

    def lastmod(self, obj):
        return obj.updated_at


class GuideSitemap(SiteUrlSitemap):
    priority = 0.8

    def items(self):
        return Guide.objects.published().order_by("slug")

    def lastmod(self, obj):
        return obj.updated_at


class ProgramSitemap(SiteUrlSitemap):
    priority = 0.9

    def items(self):
        return Program.objects.published().order_by("order", "name")

    def lastmod(self, obj):
        return obj.updated_at


sitemaps = {
    "pages": StaticPagesSitemap,
    "levels": CertificationLevelSitemap,
    "roles": RoleSitemap,
    "guides": GuideSitemap,
    "programs": ProgramSitemap,
}
