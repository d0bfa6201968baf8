from django.apps import AppConfig, apps
from django.db.models.signals import post_delete


class SitetoolsConfig(AppConfig):
    """The small shared tools the apps use: the page cache, structured data, the admin's guarded base
    class, text validators, explained 400s, and the template tags for SEO, subresource integrity and
    tables. It imports no app of the site and no part of the site shell (emsprogram)."""

    name = "sitetools"
    verbose_name = "Site tools"

    def ready(self):
        from sitetools.pagecache import ShownOnPublicPages, invalidate_when_deleted

        # Only for these models: a receiver for every sender would stop Django's fast deletes everywhere.
        for model in apps.get_models():
            if issubclass(model, ShownOnPublicPages):
                post_delete.connect(
                    invalidate_when_deleted, sender=model, dispatch_uid=f"pagecache-{model._meta.label}"
                )
