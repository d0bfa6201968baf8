"""Helpers for the info sessions' tests: sessions and sign-ups with sensible defaults; pass only what a test
cares about."""

from datetime import datetime, timedelta
from itertools import count

import pytest
from django.utils import timezone

from infosessions import services
from infosessions.models import InfoSession

_numbers = count(1)


def make_session(*, capacity=10, starts_in=timedelta(days=7), programs=(), **fields) -> InfoSession:
    number = next(_numbers)
    defaults = {
        "title": f"Open evening {number}",
        "summary": "How the course works.",
        "kind": InfoSession.Kind.IN_PERSON,
        "starts_at": timezone.now() + starts_in,
        "duration_minutes": 60,
        "place": "Skills lab 2, 120 Harbor Road",
    }
    session = InfoSession.objects.create(capacity=capacity, **{**defaults, **fields})
    session.programs.set(programs)
    return session


def make_online_session(**fields) -> InfoSession:
    return make_session(
        kind=InfoSession.Kind.ONLINE, place="", joining_link="https://meet.example.org/room-42", **fields
    )


def sign_up(session, *, notify=True, **fields):
    number = next(_numbers)
    details = {"name": f"Sam Person{number}", "email": f"person{number}@example.org", "phone": ""}
    return services.signup_create(session=session, notify=notify, **{**details, **fields})


def school_time(*args) -> datetime:
    """An aware datetime in the school's time zone."""
    return timezone.make_aware(datetime(*args))


def signup_data(**overrides):
    """A valid POST of the sign-up form (strings, as a browser sends them)."""
    number = next(_numbers)
    return {
        "name": "Jordan Example",
        "email": f"jordan{number}@example.com",
        "phone": "",
        "website": "",
        **overrides,
    }


@pytest.fixture
def session(db):
    return make_session()


# The enrollment tests' fixtures (levels, programs) and the staff tests' signed-in clients, shared.
from tests.enrollment.conftest import emt_program, levels  # noqa: E402, F401
from tests.staff.conftest import admissions_client, editor, editor_client, officer  # noqa: E402, F401
