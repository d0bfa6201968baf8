"""Running the applications' status changes as a browser does: choose the action for some rows (the list's
or an application page's form), then send back the confirmation page's own form, with what it holds."""

from html.parser import HTMLParser

from enrollment.admin.applications import CHANGE_FORM_ACTION
from tests.staff.conftest import changelist


class _FormFields(HTMLParser):
    """The named <input> and <textarea> fields that a browser sends with the page's forms that post back to
    the page itself (not the header's sign-out form, which has an action of its own), in page order."""

    def __init__(self):
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self._forms: list[bool] = []  # the open forms: whether each posts back to the page
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._forms.append(not attrs.get("action"))
        elif not any(self._forms) or "name" not in attrs:
            return
        elif tag == "input" and attrs.get("type") not in ("submit", "checkbox", "button"):
            self.fields.append((attrs["name"], attrs.get("value") or ""))
        elif tag == "input" and attrs.get("type") == "checkbox" and "checked" in attrs:
            self.fields.append((attrs["name"], attrs.get("value") or "on"))
        elif tag == "textarea":
            self._textarea = [attrs["name"], ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form" and self._forms:
            self._forms.pop()
        elif tag == "textarea" and self._textarea is not None:
            self.fields.append(tuple(self._textarea))
            self._textarea = None


def form_fields(response) -> dict[str, list[str]]:
    """What the page's forms would send (without their buttons), as {name: [values in page order]}."""
    parser = _FormFields()
    parser.feed(response.content.decode())
    data: dict[str, list[str]] = {}
    for name, value in parser.fields:
        data.setdefault(name, []).append(value)
    return data


def choose(client, action, applications, *, url=None, **extra):
    """Select rows on the list and run an action (or, with the `url` of an application's page, run it
    there): the confirmation page."""
    field = CHANGE_FORM_ACTION if url else "action"
    return client.post(
        url or changelist(), {field: action, "_selected_action": [a.pk for a in applications], **extra}
    )


def confirmation_data(page, *, button="apply", notify=True, message="", **changes):
    """What the confirmation page's form sends when `button` is pressed, with the e-mail fields set."""
    data = form_fields(page)
    data.pop("csrfmiddlewaretoken", None)
    data.pop("notify", None)
    if notify:
        data["notify"] = ["on"]
    data["message"] = [message]
    data[button] = ["yes"]
    data.update(changes)
    return data


def confirm(client, action, applications, *, notify=True, message="", url=None, follow=True, **changes):
    """Choose the action for `applications`, then confirm it on the confirmation page."""
    page = choose(client, action, applications, url=url)
    assert page.status_code == 200, page.status_code
    data = confirmation_data(page, notify=notify, message=message, **changes)
    return client.post(url or changelist(), data, follow=follow)
