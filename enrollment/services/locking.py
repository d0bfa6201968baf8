"""Locks on course starts (cohorts), for every change of who holds a seat or a waitlist place.

As pretix's `lock_objects`: only inside a transaction (a lock outside one would be released at once), with a
lock timeout (a request waits a few seconds for a busy start, then fails with a database error, which the site
answers with its 503 page, rather than hanging), and in a fixed order (by id), so that two changes touching the
same two starts (a move between them) cannot deadlock.

PostgreSQL locks the cohort rows (`SELECT ... FOR UPDATE`); SQLite's immediate transactions (settings:
`transaction_mode: IMMEDIATE`) already hold the database's write lock from BEGIN, so there the same code
serialises writers."""

from django.conf import settings
from django.db import connection

from enrollment.models import Cohort, Program

LOCK_TIMEOUT_SECONDS = settings.SEAT_LOCK_TIMEOUT_SECONDS


def wait_at_most(seconds: float) -> None:
    """For the rest of the transaction, a lock not granted within `seconds` is an error (PostgreSQL's
    lock_timeout; at least a millisecond: 0 would mean waiting for ever). SQLite waits as its settings say."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL lock_timeout = '{max(1, round(seconds * 1000))}ms'")


def lock_cohorts(cohort_ids) -> dict[int, Cohort]:
    """Lock these cohorts for the rest of the current transaction and return them by id, each with its
    program and level read (unlocked: the lock never reaches the program or level rows)."""
    if not connection.in_atomic_block:
        raise RuntimeError("lock_cohorts() needs a transaction: call it inside transaction.atomic().")
    ids = sorted(set(cohort_ids))
    wait_at_most(LOCK_TIMEOUT_SECONDS)
    cohorts = {
        cohort.pk: cohort
        for cohort in Cohort.objects.select_for_update(of=("self",)).filter(pk__in=ids).order_by("pk")
    }
    if len(cohorts) != len(ids):
        raise Cohort.DoesNotExist(f"No cohort with id {sorted(set(ids) - set(cohorts))}.")
    programs = Program.objects.select_related("level", "level__prerequisite").in_bulk(
        {cohort.program_id for cohort in cohorts.values()}
    )
    for cohort in cohorts.values():
        cohort.program = programs[cohort.program_id]
    return cohorts


def lock_cohort(cohort_id: int) -> Cohort:
    return lock_cohorts([cohort_id])[cohort_id]
