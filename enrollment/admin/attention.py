"""What needs attention, for the admin's front page and its filters.

"New" means: an application nobody has taken on yet (unassigned, still live) that arrived in the last
NEW_APPLICATION_DAYS days, and an enquiry still marked new. Each user sees only what their permissions
let them open: content editors get the cohorts' counts, never a person."""

from datetime import timedelta

from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from enrollment.models import Application, Cohort, EmailNotification, Enquiry

NEW_APPLICATION_DAYS = 14
STARTING_SOON_WEEKS = 8
FAILED_EMAIL_DAYS = 14


def new_applications(queryset=None):
    queryset = Application.objects.all() if queryset is None else queryset
    return queryset.filter(
        assigned_to__isnull=True,
        status__in=Application.LIVE_STATUSES,
        submitted_at__gte=timezone.now() - timedelta(days=NEW_APPLICATION_DAYS),
    )


def cohorts_starting_soon(queryset=None, *, today=None):
    """Cohorts starting within STARTING_SOON_WEEKS that still take applications and have seats left, or
    that have a waitlist. `accepting` says whether each takes applications: the seats of one that does not
    (unticked, past its deadline, a draft program's) are not "left", nobody can apply for them."""
    today = today or timezone.localdate()
    queryset = Cohort.objects.all() if queryset is None else queryset
    accepting = Cohort.objects.open_for_applications(today=today).filter(pk=OuterRef("pk"))
    return (
        queryset.filter(start_date__gt=today, start_date__lte=today + timedelta(weeks=STARTING_SOON_WEEKS))
        .select_related("program")
        .with_seat_counts()
        .annotate(accepting=Exists(accepting))
        .filter(Q(accepting=True, accepted_count__lt=F("capacity")) | Q(waitlisted_count__gt=0))
        .order_by("start_date", "code")
    )


def _changelist(model_name: str, query: str) -> str:
    return f"{reverse(f'admin:enrollment_{model_name}_changelist')}?{query}"


def for_user(user) -> dict | None:
    """The numbers of the front page's attention panel, or None when the user may see none of them."""
    attention = {}
    if user.has_perm("enrollment.view_application"):
        attention["new_applications"] = {
            "count": new_applications().count(),
            "url": _changelist("application", "assignment=new"),
            "days": NEW_APPLICATION_DAYS,
        }
    if user.has_perm("enrollment.view_enquiry"):
        attention["new_enquiries"] = {
            "count": Enquiry.objects.filter(status=Enquiry.Status.NEW).count(),
            "url": _changelist("enquiry", f"status__exact={Enquiry.Status.NEW}"),
        }
    if user.has_perm("enrollment.view_emailnotification"):
        since = timezone.now() - timedelta(days=FAILED_EMAIL_DAYS)
        attention["failed_emails"] = {
            "count": EmailNotification.objects.undelivered().filter(created_at__gte=since).count(),
            "url": _changelist("emailnotification", "delivery=undelivered"),
            "days": FAILED_EMAIL_DAYS,
        }
    if user.has_perm("enrollment.view_cohort"):
        attention["cohorts"] = {
            "list": list(cohorts_starting_soon()),
            "weeks": STARTING_SOON_WEEKS,
            "url": _changelist("cohort", "starts=soon"),
            "can_export": user.has_perm("enrollment.export_roster"),
        }
    return attention or None
