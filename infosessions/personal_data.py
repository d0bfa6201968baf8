"""What info sessions keep about a person, for the export and the retention purge (sitetools.personal_data):
their sign-ups, with the e-mails sent about them. A sign-up is kept for the retention period after its
session took place, or after it was cancelled."""

from django.db.models import Q

from infosessions.models import SessionSignup
from sitetools.personal_data import Holder


def export(emails: list[str]) -> dict[str, list[dict]]:
    signups = (
        SessionSignup.objects.filter(email__in=emails)
        .select_related("session")
        .prefetch_related("emails")
        .order_by("created_at", "pk")
    )
    found: dict[str, list[dict]] = {}
    for signup in signups:
        found.setdefault(signup.email, []).append(
            {
                "reference": signup.reference,
                "session": signup.session.title,
                "session_starts_at": signup.session.starts_at,
                "name": signup.name,
                "email": signup.email,
                "phone": signup.phone,
                "status": signup.get_status_display(),
                "waitlist_position": signup.waitlist_position,
                "attended": signup.attended,
                "signed_up_at": signup.created_at,
                "cancelled_at": signup.cancelled_at,
                "utm_source": signup.utm_source,
                "utm_medium": signup.utm_medium,
                "utm_campaign": signup.utm_campaign,
                "referrer_host": signup.referrer_host,
                "heard_about": signup.get_heard_about_display(),
                "emails": [
                    {
                        "kind": email.get_kind_display(),
                        "status": email.status,
                        "attempts": email.attempts,
                        "created_at": email.created_at,
                        "sent_at": email.sent_at,
                    }
                    for email in signup.emails.all()
                ],
            }
        )
    return found


def expired(cutoff) -> list[str]:
    return list(
        SessionSignup.objects.filter(Q(session__starts_at__lt=cutoff) | Q(cancelled_at__lt=cutoff))
        .order_by("created_at", "pk")
        .values_list("reference", flat=True)
    )


def delete(references) -> None:
    SessionSignup.objects.filter(reference__in=list(references)).delete()


HOLDER = Holder(
    key="info_session_signups", label="info-session sign-up(s)", export=export, expired=expired, delete=delete
)
