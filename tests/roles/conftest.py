from io import StringIO

import pytest
from django.core.management import call_command


@pytest.fixture
def demo_content(db):
    call_command("load_demo_content", stdout=StringIO())
