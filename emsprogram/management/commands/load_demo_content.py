"""Load the fictional demo school's content. Safe to run any number of times."""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from sitetools import pagecache

# Each app that has demo content provides `<app>/demo.py` with `load() -> dict[str, int]`,
# returning how many records of each kind it created. Order matters: enrollment's
# programs point at roles' certification levels, info sessions at enrollment's programs.
DEMO_APPS = ["roles", "enrollment", "infosessions"]


class Command(BaseCommand):
    help = (
        "Load the demo school's levels, roles, guides, FAQ, programs, cohorts and info sessions. "
        "Idempotent: records are matched by their natural keys and only created when missing."
    )

    def handle(self, *args, **options):
        created_total = 0
        with transaction.atomic():
            for label in DEMO_APPS:
                app_config = apps.get_app_config(label)
                module_name = f"{app_config.name}.demo"
                if find_spec(module_name) is None:
                    continue
                created = import_module(module_name).load()
                for kind, count in created.items():
                    created_total += count
                    self.stdout.write(f"{label}: {count} {kind} created")
        if created_total:
            self.stdout.write(self.style.SUCCESS(f"Demo content loaded ({created_total} records created)."))
            # The content is committed whatever the cache does; one more try if it was away a moment ago.
            if pagecache.invalidation_owed() and not pagecache.bump_generation():
                self.stderr.write(
                    "The cache is unavailable, so the pages it holds were not invalidated: a page cached "
                    f"before this run may still be shown for up to {settings.PUBLIC_PAGE_CACHE_SECONDS} s "
                    "after the cache is back."
                )
        else:
            self.stdout.write(self.style.SUCCESS("Demo content already present; nothing changed."))
