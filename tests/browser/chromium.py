"""How the browser tests and `scripts/screenshots.py` start Chromium, and the screens they emulate.

Chromium is Debian's build at /usr/bin/chromium (installed by `scripts/ensure-chromium`), never one
downloaded by `playwright install`."""

import os

# CHROMIUM_PATH lets a machine without Debian's package point at another Chromium build.
CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")

# Headless, no sandbox (containers run as root without user namespaces), and nothing that phones home
# or updates itself in the background while a test runs.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def launch_options(incoming: dict | None = None) -> dict:
    """Playwright `launch()` options: `incoming` (e.g. pytest-playwright's --headed, --slowmo) plus ours."""
    incoming = dict(incoming or {})
    args = [*incoming.pop("args", []), *CHROMIUM_ARGS]
    if incoming.get("headless") is False:
        # `pytest --headed`: leave the window visible for whoever is debugging.
        args.remove("--headless")
    return {**incoming, "executable_path": CHROMIUM_PATH, "args": args}


# Browser context options of the two screens the pages are designed for.
PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
