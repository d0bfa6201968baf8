"""What applicants do on their own page besides answering an offer or withdrawing (services.seats) and
sending documents (services.checklist): correct their contact details, and ask for their link again."""

from django.db import transaction
from django.utils import timezone

from enrollment.models import Application, ApplicationEvent, EmailNotification
from enrollment.services import history
from enrollment.services.errors import ApplicationStateError
from enrollment.services.submission import normalize_email
from sitetools.outbox import REPEAT_QUIET_PERIOD

# What an applicant may correct themselves; the rest (name, date of birth, certification) through Admissions.
CONTACT_FIELDS = ("phone", "address_line1", "address_line2", "city", "state", "postal_code")


def applicant_contact_update(*, application: Application, changes: dict) -> Application:
    """The applicant corrects their phone number or address: saved, and written to the history (by the
    applicant) with what changed."""
    unknown = set(changes) - set(CONTACT_FIELDS)
    if unknown:
        raise ValueError(f"{', '.join(sorted(unknown))} cannot be changed by the applicant.")
    if not application.is_live:
        raise ApplicationStateError.at(
            None, "This application is closed: write to us to change your details."
        )
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        diff = {}
        for name, value in changes.items():
            value = value.strip() if isinstance(value, str) else value
            if getattr(application, name) != value:
                diff[name] = [getattr(application, name), value]
                setattr(application, name, value)
        if not diff:
            return application
        application.save(update_fields=[*diff, "updated_at"])
        labels = [str(Application._meta.get_field(name).verbose_name) for name in diff]
        history.add_event(
            application=application,
            kind=ApplicationEvent.Kind.EDITED,
            description=f"Changed by the applicant on their page: {', '.join(labels)}"[:300],
            changes=diff,
        )
    history.log(
        "Application %s: contact details changed by the applicant (%s)",
        application.reference,
        ", ".join(diff),
    )
    return application


def applicant_links_send(*, email: str) -> int:
    """E-mail the links to the pages of every live application of this address (the "send me my link" form):
    whoever asks learns nothing about whether the address is known (the caller answers the same either way).
    An application whose link was e-mailed in the last REPEAT_QUIET_PERIOD is left out: asking again and
    again (from one address or many) brings one e-mail, not a mailbox full. Returns how many were queued."""
    recently = EmailNotification.objects.filter(
        kind=EmailNotification.Kind.APPLICANT_LINK, created_at__gte=timezone.now() - REPEAT_QUIET_PERIOD
    )
    applications = Application.objects.filter(
        email=normalize_email(email), status__in=Application.LIVE_STATUSES
    ).exclude(pk__in=recently.values("application_id"))
    with transaction.atomic():
        queued = [
            history.mail(EmailNotification.Kind.APPLICANT_LINK, application=application)
            for application in applications
        ]
    return len(queued)
