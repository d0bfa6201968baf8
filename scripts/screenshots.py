"""Full-page screenshots of the public pages at phone and desktop sizes, and of the e-mails on a phone, for
reviewing the layout.

    make screenshots        (or: .venv/bin/python scripts/screenshots.py)

Starts the site with DEBUG on against a throwaway SQLite database with the demo content (`runserver` on a free
port), opens each page in Debian's Chromium (same build and flags as the browser tests) and writes
docs/screenshots/<page>-phone.jpg (375x812) and <page>-desktop.jpg (1280x900). Pages that answer 404 (not
built yet) are skipped and named; any other status than 200 is listed at the end and fails the run.

Then the HTML part of each kind of e-mail, built by enrollment.emails about the demo applicants (a second
process with the same database renders them to files), opened at 375 px: docs/screenshots/email-<name>-phone.jpg,
and one in dark mode (docs/emails.md shows them).
"""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

from tests.browser.chromium import DESKTOP, PHONE, launch_options  # noqa: E402 (needs the path above)

OUTPUT_DIR = PROJECT_DIR / "docs" / "screenshots"

# (file name, path). "{program}" stands for the first program's page, as linked from /programs/.
PAGES = [
    ("home", "/"),
    ("roles", "/roles/"),
    ("role-emt", "/roles/emt/"),
    ("role-paramedic", "/roles/paramedic/"),
    ("compare", "/roles/compare/"),
    ("guide-ems-vs-emt", "/guides/ems-vs-emt/"),
    ("faq", "/faq/"),
    ("programs", "/programs/"),
    ("program", "{program}"),
    ("program-apply", "{program}apply/"),
    ("apply", "/apply/"),
    ("contact", "/contact/"),
    ("paying", "/paying/"),
    ("accreditation", "/about/accreditation/"),
    ("privacy", "/privacy/"),
    ("guide-physical-demands", "/guides/physical-demands/"),
    # Not the 404 page: with DEBUG on, Django answers an unknown URL with its technical 404 page instead of
    # ours (templates/404.html is covered by the browser tests, which run with DEBUG off).
]
SCREENS = {"phone": PHONE, "desktop": DESKTOP}
# The e-mails pictured in dark mode too.
DARK_EMAILS = ["confirmation-seat"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def site_environment(database: Path) -> dict:
    """This machine's environment minus anything that points the site elsewhere (a real database, Redis,
    production settings), plus DEBUG and the throwaway database."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DJANGO_") and key not in ("DATABASE_URL", "REDIS_URL")
    }
    env.update(DJANGO_DEBUG="1", DATABASE_URL=f"sqlite:///{database}", DJANGO_LOG_LEVEL="WARNING")
    return env


def manage(*args: str, env: dict) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=PROJECT_DIR, env=env, check=True)  # noqa: S603


def wait_until_up(url: str, server: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"the development server stopped (exit code {server.returncode})")
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 (our own server on localhost)
                return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.25)
    sys.exit(f"the development server did not answer {url} within {timeout:.0f}s")


def program_path(browser, base_url: str) -> str | None:
    """The first program's page, as linked from the list of programs (None when there is none)."""
    page = browser.new_page()
    try:
        response = page.goto(base_url + "/programs/")
        if response is None or response.status != 200:
            return None
        for href in page.locator("main a[href^='/programs/']").evaluate_all("els => els.map(e => e.href)"):
            path = href.removeprefix(base_url)
            if path.count("/") == 3:  # /programs/<slug>/, not the list itself nor .../apply/
                return path
        return None
    finally:
        page.close()


def capture(browser, base_url: str) -> tuple[list[str], list[str], list[str]]:
    """Screenshots of every page on every screen: (files written, pages skipped, pages that failed)."""
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    written, skipped, failed = [], [], []
    program = program_path(browser, base_url)
    for name, path in PAGES:
        if "{program}" in path:
            if program is None:
                skipped.append(f"{name} (no program is listed on /programs/)")
                continue
            path = path.format(program=program)
        for screen, options in SCREENS.items():
            target = OUTPUT_DIR / f"{name}-{screen}.jpg"
            context = browser.new_context(**options)
            try:
                response = (page := context.new_page()).goto(base_url + path)
                status = response.status if response else None
                if status == 200:
                    page.screenshot(path=target, full_page=True, type="jpeg", quality=60)
                    written.append(str(target.relative_to(PROJECT_DIR)))
                    continue
                # No picture of a page that is missing or broken: an old one would mislead.
                target.unlink(missing_ok=True)
                if screen == "phone":
                    (skipped if status == 404 else failed).append(f"{name} ({path} answers {status})")
            finally:
                context.close()
    return written, skipped, failed


def render_emails(folder: Path) -> None:
    """(Run in a process with the site's environment, see `main`.) The HTML part of each kind of e-mail, as
    `enrollment.emails.build` makes it for the demo applicants of the full start, into folder/<name>.html."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "emsprogram.settings")
    django.setup()
    from django.db import transaction

    from enrollment import demo, emails, services
    from enrollment.models import Application, EmailNotification

    kind = EmailNotification.Kind
    applications = Application.objects.filter(cohort__code=demo.FULL_COHORT).order_by(
        "waitlist_position", "pk"
    )
    seat = applications.filter(status=Application.Status.HELD).first()
    waiting = applications.filter(status=Application.Status.WAITLISTED).first()
    enquiry = services.enquiry_submit(
        name="Jamie Rivera",
        email="jamie.rivera@example.org",
        message="Is there an evening EMT course after the summer?\nI work days until 5 pm.",
        program=seat.cohort.program,
        notify=False,
    )
    note = "The weekend start is full of returning students. The evening start in the autumn has seats."
    samples = {
        "confirmation-seat": (kind.APPLICATION_CONFIRMATION, seat, {}),
        "confirmation-waitlist": (kind.APPLICATION_CONFIRMATION, waiting, {}),
        "admissions-notice": (kind.ADMISSIONS_NOTICE, seat, {}),
        "offer": (kind.PROMOTION, waiting, {}),
        "status-held": (kind.STATUS_CHANGE, waiting, {"status": "held", "message": ""}),
        "status-enrolled": (kind.STATUS_CHANGE, seat, {"status": "enrolled", "message": ""}),
        "status-released": (kind.STATUS_CHANGE, seat, {"status": "released", "message": note}),
        "documents-reminder": (kind.DOCUMENTS_REMINDER, seat, {}),
        "applicant-link": (kind.APPLICANT_LINK, seat, {}),
        "status-waitlisted": (
            kind.STATUS_CHANGE,
            seat,
            {"status": "waitlisted", "message": "", "position": 4},
        ),
        "status-withdrawn": (kind.STATUS_CHANGE, seat, {"status": "withdrawn", "message": ""}),
        "status-declined": (kind.STATUS_CHANGE, waiting, {"status": "declined", "message": note}),
        "enquiry-acknowledgement": (kind.ENQUIRY_ACKNOWLEDGEMENT, None, {}),
        "enquiry-notice": (kind.ENQUIRY_NOTICE, None, {}),
    }
    folder.mkdir(parents=True, exist_ok=True)
    # The offer e-mail as it is sent: with the deadline a real offer has.
    waiting.offer_expires_at = services.offer_deadline(waiting.cohort)
    with transaction.atomic():  # the sample answer is rolled back: neither kept nor sent
        reply = services.enquiry_reply(
            enquiry=enquiry,
            body="Hello {name},\n\nYes: our evening EMT course starts after the summer, Tuesday and Thursday "
            "evenings from 6 pm.\n\nThe next starts of {program}:\n{next_starts}\n\nDana, for admissions",
            by=None,
        )
        samples["enquiry-reply"] = (kind.ENQUIRY_REPLY, None, {"reply": reply.pk})
        for name, (email_kind, application, payload) in samples.items():
            owed = EmailNotification(
                kind=email_kind,
                application=application,
                enquiry=None if application else enquiry,
                payload=payload,
            )
            (folder / f"{name}.html").write_text(emails.build(owed).alternatives[0].content)
        transaction.set_rollback(True)


def capture_emails(browser, folder: Path) -> list[str]:
    """Full-page screenshots of the e-mails rendered into `folder`, on a phone (and some in dark mode)."""
    written = []
    for html in sorted(folder.glob("*.html")):
        schemes = ["light", "dark"] if html.stem in DARK_EMAILS else ["light"]
        for scheme in schemes:
            suffix = "-dark" if scheme == "dark" else ""
            target = OUTPUT_DIR / f"email-{html.stem}-phone{suffix}.jpg"
            context = browser.new_context(**PHONE, color_scheme=scheme)
            try:
                page = context.new_page()
                page.goto(html.as_uri())
                page.screenshot(path=target, full_page=True, type="jpeg", quality=60)
                written.append(str(target.relative_to(PROJECT_DIR)))
            finally:
                context.close()
    return written


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="emsprogram-screenshots-"))
    env = site_environment(workdir / "db.sqlite3")
    server = None
    try:
        manage("migrate", "--noinput", "-v", "0", env=env)
        manage("load_demo_content", env=env)
        port = free_port()
        base_url = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(  # noqa: S603 (our own manage.py, fixed arguments)
            [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=PROJECT_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until_up(base_url + "/healthz", server)
        email_folder = workdir / "emails"
        subprocess.run(  # noqa: S603 (this script, fixed arguments)
            [sys.executable, __file__, "--render-emails", str(email_folder)],
            cwd=PROJECT_DIR,
            env=env,
            check=True,
        )
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(**launch_options())
            try:
                written, skipped, failed = capture(browser, base_url)
                written += capture_emails(browser, email_folder)
            finally:
                browser.close()
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
        shutil.rmtree(workdir, ignore_errors=True)

    print(f"{len(written)} screenshots written:")
    for path in written:
        print(f"  {path}")
    if skipped:
        print("Skipped (not built yet?):")
        for reason in skipped:
            print(f"  {reason}")
    if failed:
        sys.exit("Failed:\n" + "\n".join(f"  {reason}" for reason in failed))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--render-emails"]:
        render_emails(Path(sys.argv[2]))
    else:
        main()
