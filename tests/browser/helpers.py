"""Checks the browser tests share: the axe-core scan, layout checks, and opening a page at a known status.

Plain functions (not fixtures), imported by the test modules: `from tests.browser.helpers import ...`."""

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, Response

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
