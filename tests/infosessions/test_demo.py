"""The demo school's info sessions: loaded by load_demo_content after the programs, once."""

from io import StringIO

import pytest
from django.core.management import call_command

from infosessions.demo import FULL_SESSION, SESSIONS
from infosessions.models import InfoSession

pytestmark = pytest.mark.django_db


def test_the_demo_has_upcoming_sessions_one_of_them_full_with_people_waiting(client):
    call_command("load_demo_content", stdout=StringIO())

    assert InfoSession.objects.for_public_display().count() == len(SESSIONS)
    full = InfoSession.objects.with_seat_counts().get(title=FULL_SESSION)
    assert (full.seats_taken, full.waiting_count, full.seats_left) == (2, 1, 0)
    online = InfoSession.objects.get(kind="online")
    assert set(online.programs.values_list("slug", flat=True)) == {"aemt", "paramedic"}
    evening = InfoSession.objects.get(title="EMT course open evening")
    assert evening.starts_at.weekday() == 1  # a Tuesday evening


def test_loading_the_demo_again_adds_no_session():
    call_command("load_demo_content", stdout=StringIO())
    out = StringIO()
    call_command("load_demo_content", stdout=out)

    assert InfoSession.objects.count() == len(SESSIONS)
    assert "nothing changed" in out.getvalue()
