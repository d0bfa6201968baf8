"""The HTML part of every e-mail (applications, enquiries and info sessions), as a phone shows it: readable at 320 px without scrolling sideways, and
accessible (axe: headings, language, title, contrast) in light and in dark mode. The e-mails are opened as
they are, not from the site: an e-mail loads nothing from anywhere, which the test checks too."""

import pytest

from enrollment import emails
from infosessions import emails as session_emails
from infosessions.models import SessionEmail
from tests.browser.helpers import assert_no_axe_violations, assert_no_horizontal_scroll
from tests.enrollment.email_samples import make_school
from tests.infosessions.conftest import make_online_session, make_session, sign_up

NARROWEST = {"viewport": {"width": 320, "height": 640}, "is_mobile": True, "has_touch": True}

# A mail program shows an e-mail inside its own page, whose main landmark holds the message (an e-mail has
# no <main> of its own: it would be a second one there). The scan puts it in one, as the mail program does.
IN_A_MAIL_PROGRAM = """() => {
    const main = document.createElement("main");
    main.append(...document.body.childNodes);
    document.body.append(main);
}"""


def info_session_emails() -> dict[str, SessionEmail]:
    """Every kind of an info session's e-mail: a seat (in person and online), a waitlist place, the seat freed
    for the person waiting, the reminder."""
    session = make_session(capacity=1, title="EMT course open evening")
    seat, waiting = sign_up(session, notify=False), sign_up(session, notify=False)
    online = sign_up(make_online_session(title="Paramedic course online evening"), notify=False)
    Kind = SessionEmail.Kind
    return {
        "session-seat": SessionEmail(signup=seat, kind=Kind.CONFIRMATION),
        "session-online-seat": SessionEmail(signup=online, kind=Kind.CONFIRMATION),
        "session-waitlist": SessionEmail(signup=waiting, kind=Kind.CONFIRMATION),
        "session-promotion": SessionEmail(signup=waiting, kind=Kind.PROMOTION),
        "session-reminder": SessionEmail(signup=seat, kind=Kind.REMINDER),
    }


def html_part(message) -> str:
    return next(content for content, mimetype in message.alternatives if mimetype == "text/html")


@pytest.fixture
def html_parts(transactional_db):
    parts = {name: html_part(emails.build(owed)) for name, owed in make_school().emails()}
    parts.update(
        {name: html_part(session_emails.build(owed)) for name, owed in info_session_emails().items()}
    )
    return parts


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_email_reads_at_320_px_and_passes_axe(new_context, html_parts, scheme):
    context = new_context(**NARROWEST, color_scheme=scheme)
    requests = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    for name, html in html_parts.items():
        page.set_content(html)
        assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches") is (scheme == "dark")
        assert page.locator("h1").count() == 1, name
        assert_no_horizontal_scroll(page)
        page.evaluate(IN_A_MAIL_PROGRAM)
        assert_no_axe_violations(page)
    assert requests == []
