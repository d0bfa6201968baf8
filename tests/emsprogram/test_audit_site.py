"""scripts/audit_site.py weighs (and scores with Lighthouse) every kind of public page: each page of the
sitemap's own list, and at least one record of each kind the sitemap lists."""

import contextlib
import importlib.util
import io
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from emsprogram.sitemaps import sitemaps

SCRIPT = Path(__file__).resolve().parent.parent.parent / "scripts" / "audit_site.py"


def audited_pages() -> dict[str, str]:
    spec = importlib.util.spec_from_file_location("audit_site", SCRIPT)
    audit_site = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(audit_site)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(audit_site.PAGES_SCRIPT, {})  # noqa: S102 (the script's own fixed code, as `manage.py shell -c` runs it)
    return json.loads(printed.getvalue())


@pytest.mark.django_db
def test_the_audit_covers_every_page_of_the_sitemaps_list_and_each_kind_of_record():
    call_command("load_demo_content", stdout=StringIO())
    audited = set(audited_pages().values())

    static = sitemaps["pages"]()
    missing = [static.location(item) for item in static.items() if static.location(item) not in audited]
    assert missing == [], f"pages of the sitemap that scripts/audit_site.py does not audit: {missing}"
    for section in ("levels", "roles", "guides", "programs"):
        records = sitemaps[section]
        assert {obj.get_absolute_url() for obj in records.items()} & audited, section
