import os

import pytest
from django.db import connection


@pytest.mark.skipif(not os.environ.get("DATABASE_URL"), reason="only when DATABASE_URL is set")
def test_database_url_run_really_uses_postgresql():
    assert connection.vendor == "postgresql"


@pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="only on the embedded default")
def test_default_run_uses_sqlite():
    assert connection.vendor == "sqlite"
