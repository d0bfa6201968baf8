"""The HTML part of every e-mail, as a phone shows it: readable at 320 px without scrolling sideways, and
accessible (axe: headings, language, title, contrast) in light and in dark mode. The e-mails are opened as
they are, not from the site: an e-mail loads nothing from anywhere, which the test checks too."""

import pytest

from enrollment import emails
from tests.browser.helpers import assert_no_axe_violations, assert_no_horizontal_scroll
from tests.enrollment.email_samples import make_school

NARROWEST = {"viewport": {"width": 320, "height": 640}, "is_mobile": True, "has_touch": True}

# A mail program shows an e-mail inside its own page, whose main landmark holds the message (an e-mail has
# no <main> of its own: it would be a second one there). The scan puts it in one, as the mail program does.
IN_A_MAIL_PROGRAM = """() => {
    const main = document.createElement("main");
    main.append(...document.body.childNodes);
    document.body.append(main);
}"""


@pytest.fixture
def html_parts(transactional_db):
    return {name: emails.build(owed).alternatives[0].content for name, owed in make_school().emails()}


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
