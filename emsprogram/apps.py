from django.apps import AppConfig


class EmsprogramConfig(AppConfig):
    name = "emsprogram"
    verbose_name = "Site"

    def ready(self):
        from emsprogram import pagecache

        pagecache.connect_signals()
