from django.apps import AppConfig


class SitetoolsConfig(AppConfig):
    """The small shared tools the apps use: the page cache, structured data, the admin's guarded base
    class, text validators, explained 400s, and the template tags for SEO, subresource integrity and
    tables. It imports no app of the site and no part of the site shell (emsprogram)."""

    name = "sitetools"
    verbose_name = "Site tools"
