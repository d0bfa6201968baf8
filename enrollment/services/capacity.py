"""A start's number of seats, changed under its lock."""

from django.db import transaction
from django.utils import timezone

from enrollment.models import Application, Cohort
from enrollment.services import history
from enrollment.services.errors import ApplicationStateError
from enrollment.services.locking import lock_cohort
from enrollment.services.seats import MAX_CAPACITY, offer_free_seats, seats
from sitetools import pagecache


def cohort_set_capacity(*, cohort: Cohort, capacity: int, notify: bool = True, by=None) -> list[Application]:
    """Change a start's number of seats under its lock: refused below the seats already taken (or above
    MAX_CAPACITY); new seats are offered at once to the first people on the waitlist, for a set time, and they
    are e-mailed. Returns them."""
    with transaction.atomic():
        cohort = lock_cohort(cohort.pk)
        taken = seats(cohort).taken
        if capacity > MAX_CAPACITY:
            raise ApplicationStateError.at(
                "capacity",
                f"A course start has at most {MAX_CAPACITY} seats. Check the number, or split the start in two.",
            )
        if capacity < taken:
            raise ApplicationStateError.at(
                "capacity",
                f"{taken} applicant{'s' if taken != 1 else ''} already {'have' if taken != 1 else 'has'} a seat. "
                f"Withdraw or decline some of them before lowering the capacity below {taken}.",
            )
        if capacity == cohort.capacity:
            return []
        history.log(
            "Cohort %s: capacity %s -> %s%s",
            cohort.code,
            cohort.capacity,
            capacity,
            f" (by user {by.pk})" if by else "",
        )
        Cohort.objects.filter(pk=cohort.pk).update(capacity=capacity, updated_at=timezone.now())
        pagecache.invalidate_on_commit(pagecache.SEATS)
        cohort.capacity = capacity
        return offer_free_seats(cohort, notify=notify, by=by)
