from django.apps import AppConfig


class SitePagesConfig(AppConfig):
    name = "sitepages"
    verbose_name = "Site pages"
