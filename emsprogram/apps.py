from django.apps import AppConfig


class EmsprogramConfig(AppConfig):
    name = "emsprogram"
    verbose_name = "Site"
