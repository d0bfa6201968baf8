"""What each e-mail to a person who signed up for an info session says: a text part and an HTML part from one
template (templates/infosessions/emails/<kind>.html), written with enrollment's block tags and rendered
through enrollment's layouts, so that these e-mails look and read like the school's others
(docs/architecture.md, "The e-mails"). A seat's e-mails carry its calendar file (infosessions/ics.py)."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from enrollment import emails as school_emails
from infosessions import ics
from infosessions.models import SessionEmail

Kind = SessionEmail.Kind

# The kinds whose e-mail carries the calendar file when the person has a seat.
WITH_INVITATION = (Kind.CONFIRMATION, Kind.PROMOTION)
INVITATION_FILENAME = "info-session.ics"


def context(email: SessionEmail) -> dict:
    signup = email.signup
    session = signup.session
    return {
        "signup": signup,
        "session": session,
        "reference": signup.reference,
        "has_seat": signup.has_seat,
        "session_url": f"{settings.SITE_URL}{session.get_absolute_url()}",
    }


def build(email: SessionEmail) -> EmailMultiAlternatives:
    """The e-mail a SessionEmail owes, ready to send (an unsaved one builds the same: a preview). Composed as
    the school's other e-mails are (enrollment.emails.compose): the school's time zone, a text and an HTML part."""
    if email.kind not in Kind.values:
        raise ValueError(f"No sign-up e-mail of kind {email.kind!r}.")
    message = school_emails.compose(
        f"infosessions/emails/{email.kind}.html", context(email), to=[email.signup.email]
    )
    if email.kind in WITH_INVITATION and email.signup.has_seat:
        message.attach(INVITATION_FILENAME, ics.signup_invitation(email.signup).decode(), "text/calendar")
    return message
