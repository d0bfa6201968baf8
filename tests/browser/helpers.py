"""Checks the browser tests share: the axe-core scan, layout checks, and opening a page at a known status.

Plain functions (not fixtures), imported by the test modules: `from tests.browser.helpers import ...`."""

import re

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Locator, Page, Response, expect

# What "accessible" means for this project (DESIGN.md section 6): WCAG 2.2 AA and axe's best practices.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": AXE_TAGS},
    # Passes and incomplete results are not needed, and collecting their nodes is most of axe's time.
    "resultTypes": ["violations"],
}

_axe = Axe()  # holds the bundled axe.min.js (axe-core 4.12) that it injects into the page


def goto(page: Page, path: str, *, status: int = 200) -> Response:
    """Open `path` (relative to the live server, see `browser_context_args`) and check the HTTP status."""
    response = page.goto(path)
    assert response is not None, f"no response for {path}"
    assert response.status == status, f"{path} answered {response.status}, expected {status}"
    return response


def axe_violations(page: Page, context: str | list | None = None) -> list[dict]:
    """Run axe-core on the page as it is now and return its violations (axe's own dicts).

    `context` limits the scan, e.g. "main" or ["#main", "footer"] (axe's context parameter; the library
    writes it into the script with repr(), so keep to strings and lists of strings).
    The page must belong to a context opened with `bypass_csp=True` (the `axe_page` fixture): axe is
    injected as a script, which the site's Content-Security-Policy is there to forbid."""
    return _axe.run(page, context=context, options=AXE_OPTIONS).response["violations"]


def format_violations(violations: list[dict], *, url: str = "") -> str:
    """One readable block per violation: rule, impact, what to do, and each offending element."""
    lines = [f"{len(violations)} axe violation(s){' on ' + url if url else ''}:"]
    for violation in violations:
        lines.append(f"- {violation['id']} [{violation.get('impact')}]: {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"]:
            target = " ".join(str(selector) for selector in node["target"])
            html = " ".join(node.get("html", "").split())
            if len(html) > 200:
                html = html[:200] + "..."
            lines.append(f"    at {target}")
            lines.append(f"       {html}")
            summary = node.get("failureSummary")
            if summary:
                lines.extend(f"       {line.strip()}" for line in summary.splitlines() if line.strip())
    return "\n".join(lines)


def assert_no_axe_violations(page: Page, context: str | list | None = None) -> None:
    violations = axe_violations(page, context)
    assert not violations, format_violations(violations, url=page.url)


_WIDE_ELEMENTS_SCRIPT = """(viewport) => {
    const heldIn = (el) => {
        let position = getComputedStyle(el).position;
        for (let box = el.parentElement; box && box !== document.body; box = box.parentElement) {
            const style = getComputedStyle(box);
            if (position === "fixed") return false;
            if (position === "absolute" && style.position === "static") continue;
            if (style.overflowX !== "visible") return true;
            position = style.position;
        }
        return false;
    };
    const wide = Array.from(document.querySelectorAll("body *")).filter(
        (el) => el.getBoundingClientRect().right > viewport + 0.5 && !heldIn(el));
    const outermost = wide.filter((el) => !wide.some((other) => other !== el && other.contains(el)));
    return outermost.slice(0, 10).map((el) => {
        const classes = typeof el.className === "string" && el.className.trim()
            ? "." + el.className.trim().split(/\\s+/).join(".") : "";
        const text = el.textContent.trim().replace(/\\s+/g, " ").slice(0, 60);
        return `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}${classes}`
            + ` (right edge ${Math.round(el.getBoundingClientRect().right)}px${text ? ', "' + text + '"' : ""})`;
    });
}"""


def assert_no_horizontal_scroll(page: Page) -> None:
    """Nothing sticks out sideways: the page is no wider than the viewport (WCAG 1.4.10 Reflow).

    The viewport is the layout viewport (`clientWidth`), not only `window.innerWidth`: in a mobile context
    Chromium zooms out to fit content that is too wide, and innerWidth then grows with the content."""
    widths = page.evaluate(
        """() => ({
            scroll: document.documentElement.scrollWidth,
            viewport: Math.min(window.innerWidth, document.documentElement.clientWidth),
        })"""
    )
    if widths["scroll"] <= widths["viewport"]:
        return
    # Name the culprits, so that the failure says what to fix and not only that something is wide: the
    # outermost elements past the right edge that no scrolling or clipping box holds in. An absolutely
    # positioned element escapes a scroll box that is not its containing block (e.g. a visually-hidden
    # span in a table inside .table-responsive), so the walk follows the containing blocks.
    too_wide = page.evaluate(_WIDE_ELEMENTS_SCRIPT, widths["viewport"])
    raise AssertionError(
        f"{page.url} scrolls sideways: {widths['scroll']}px of content in a {widths['viewport']}px "
        f"viewport. Elements past the right edge: {', '.join(too_wide) or 'none found'}"
    )


# --- Staff: signing in to the admin through its pages ---

STAFF_PASSWORD = "a-long-test-password-for-staff"


def staff_password_step(page: Page, username: str, password: str = STAFF_PASSWORD) -> None:
    goto(page, "/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def staff_sign_in(page: Page, user, password: str = STAFF_PASSWORD) -> None:
    """Sign `user` in as a person would: the password, then the code their authenticator app shows (the
    user gets a confirmed app if they have none: enrolment itself is tests/browser/test_second_factor.py)."""
    from tests.signin import app_code, enrolled_device

    device = enrolled_device(user)
    staff_password_step(page, user.get_username(), password)
    page.get_by_label("Code from your authenticator app").fill(app_code(device))
    page.get_by_role("button", name="Sign in").click()


# --- Forms and the keyboard: shared by the journeys (test_journeys.py, test_keyboard.py, test_forms.py) ---

# A valid applicant for the EMT course (no prior certification needed), keyed by the visible field label.
APPLICANT = {
    "First name": "Dana",
    "Last name": "Rivera",
    "E-mail address": "dana.rivera@example.net",
    "Phone number": "555 010 0456",
    "Date of birth": "1995-04-12",  # date inputs take ISO dates through fill()
    "Address line 1": "12 Elm Street",
    "Town or city": "Northfield",
    "State": "MA",
    "ZIP code": "01360",
}
CONSENT_LABEL = "I agree that the school stores and uses these details to process my application."
REFERENCE = re.compile(r"EMS-[A-Z0-9]{6}")


def field(page: Page, label: str) -> Locator:
    """The form control whose label is exactly `label` (required fields add a "*" to it), so that
    "State" does not also find "Issuing state". (Playwright matches a pattern against the label's text
    as written, with the template's line breaks around it.)"""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


def fill_fields(page: Page, values: dict[str, str]) -> None:
    for label, value in values.items():
        field(page, label).fill(value)


def fill_application(page: Page, **changes: str) -> None:
    """Fill the application form's "about you" and address fields with APPLICANT (`changes` by label:
    fill_application(page, **{"E-mail address": "x@example.net"})) and tick the required consent."""
    fill_fields(page, {**APPLICANT, **changes})
    field(page, CONSENT_LABEL).check()


def error_summary(page: Page) -> Locator:
    """The list of problems at the top of a form that was sent with mistakes (includes/form_errors.html)."""
    return page.locator("[data-error-summary]")


def error_summary_links(page: Page) -> list[tuple[str, str]]:
    """(text, href) of every link in the error summary."""
    return [
        (link.inner_text().strip(), link.get_attribute("href") or "")
        for link in error_summary(page).get_by_role("link").all()
    ]


def assert_field_shows_error(page: Page, control: Locator, message: str) -> None:
    """`message` is shown next to the field and announced with it: a visible error element that the
    control names in aria-describedby, and the control is marked invalid."""
    expect(control).to_have_attribute("aria-invalid", "true")
    described_by = (control.get_attribute("aria-describedby") or "").split()
    errors = [page.locator(f"[id='{ident}']") for ident in described_by if ident.endswith("_error")]
    assert errors, f"{control} has no error in aria-describedby ({described_by})"
    expect(errors[0]).to_be_visible()
    expect(errors[0]).to_contain_text(message)


_FOCUS_SCRIPT = """() => {
    const el = document.activeElement;
    if (!el || el === document.body || el === document.documentElement) return null;
    const style = getComputedStyle(el);
    const classes = typeof el.className === "string" && el.className.trim()
        ? "." + el.className.trim().split(/\\s+/).join(".") : "";
    const rgba = (colour) => {
        const parts = (colour.match(/[\\d.]+/g) || []).map(Number);
        return parts.length >= 3 ? [parts[0], parts[1], parts[2], parts.length > 3 ? parts[3] : 1] : null;
    };
    const luminance = ([r, g, b]) => {
        const linear = (c) => (c /= 255) <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
        return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
    };
    const contrast = (a, b) => {
        const [high, low] = [luminance(a), luminance(b)].sort((x, y) => y - x);
        return (high + 0.05) / (low + 0.05);
    };
    // The colour behind the outline: the first ancestor that paints a background (else the canvas, white).
    let behind = [255, 255, 255, 1];
    for (let box = el.parentElement; box; box = box.parentElement) {
        const colour = rgba(getComputedStyle(box).backgroundColor);
        if (colour && colour[3] > 0) { behind = colour; break; }
    }
    const outline = rgba(style.outlineColor);
    const own = rgba(style.backgroundColor);
    return {
        element: el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + classes,
        text: (el.innerText || el.value || "").trim().replace(/\\s+/g, " ").slice(0, 60),
        outlineStyle: style.outlineStyle,
        outlineWidth: parseFloat(style.outlineWidth) || 0,
        outlineColor: style.outlineColor,
        outlineOpaque: outline !== null && outline[3] === 1,
        boxShadow: style.boxShadow,
        // Contrast of the outline with the page behind it and, when it paints one, the control's own fill.
        contrastWithBackground: outline ? contrast(outline, behind) : 0,
        contrastWithControl: outline && own && own[3] > 0 ? contrast(outline, own) : null,
        // Focus inside the browser's own parts of a control (the calendar button of a date input):
        // the input matches :focus-within but not :focus, and Chromium draws its own ring there.
        inBrowserPart: !el.matches(":focus") && el.matches(":focus-within"),
    };
}"""

# The site's one focus indicator (static/css/site.css): a solid outline this wide, at least this contrast
# with what is behind it and with the control (WCAG 2.4.7, 2.4.13 Focus Appearance, 1.4.11).
FOCUS_OUTLINE_MIN_WIDTH = 3
FOCUS_MIN_CONTRAST = 3


def focused_element(page: Page) -> dict | None:
    """What has focus, and the computed styles that show it."""
    return page.evaluate(_FOCUS_SCRIPT)


def assert_focus_visible(page: Page) -> dict:
    """The focused element shows the site's focus indicator: a solid outline at least 3 px wide whose
    colour has 3:1 contrast or more with the page behind it and with the control's own fill, and no
    faint glow (Bootstrap's box-shadow) instead. Returns what has focus."""
    focused = focused_element(page)
    assert focused is not None, f"nothing has focus on {page.url}"
    if focused["inBrowserPart"]:
        return focused  # drawn by the browser, out of reach of the page's styles
    problems = []
    if focused["outlineStyle"] in ("none", "hidden") or not focused["outlineOpaque"]:
        problems.append(f"no opaque outline ({focused['outlineStyle']} {focused['outlineColor']})")
    if focused["outlineWidth"] < FOCUS_OUTLINE_MIN_WIDTH:
        problems.append(f"outline {focused['outlineWidth']}px wide, under {FOCUS_OUTLINE_MIN_WIDTH}px")
    if focused["contrastWithBackground"] < FOCUS_MIN_CONTRAST:
        problems.append(f"outline contrast {focused['contrastWithBackground']:.2f}:1 with the background")
    if focused["contrastWithControl"] is not None and focused["contrastWithControl"] < FOCUS_MIN_CONTRAST:
        problems.append(f"outline contrast {focused['contrastWithControl']:.2f}:1 with the control")
    if focused["boxShadow"] != "none":
        problems.append(f"a box-shadow besides the outline ({focused['boxShadow']})")
    assert not problems, f"focus on {page.url} is not the site's focus style: {problems}; {focused}"
    return focused


def tab_to(page: Page, target: Locator, *, backwards: bool = False, max_presses: int = 60) -> int:
    """Press Tab (or Shift+Tab) until `target` has focus, checking on the way that every element that
    receives focus shows it, and return how many presses it took. Fails when `target` cannot be reached
    from the keyboard."""
    key = "Shift+Tab" if backwards else "Tab"
    visited = []
    for _ in range(max_presses):
        page.keyboard.press(key)
        visited.append(assert_focus_visible(page)["element"])
        if target.evaluate("(el) => el === document.activeElement"):
            return len(visited)
    raise AssertionError(f"{target} not reached with {max_presses} x {key}; focus went: {visited}")
