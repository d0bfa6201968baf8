"""The weight of a first view of each public page, and (optionally) its Lighthouse scores, against the site
served as in production: gunicorn, DEBUG off, hashed and pre-compressed static files through WhiteNoise.

    .venv/bin/python scripts/audit_site.py               # first view of every page (compressed bytes)
    .venv/bin/python scripts/audit_site.py --lighthouse  # and Lighthouse (mobile) on each page

It makes a throwaway SQLite database with the demo content and a throwaway STATIC_ROOT, starts gunicorn on
a free port of 127.0.0.1, and stops it at the end. "First view" is the gzipped HTML plus every stylesheet,
script and image the HTML names (<link href>, <script src>, <img src>), as the server sends them with
`Accept-Encoding: gzip` (WhiteNoise sends its .gz copy where it made one, SVG included). Anything the page
names on another host is listed: there should be none.

Lighthouse runs through `npx lighthouse` (the npm registry's package, fetched by npx on first use) with
Debian's Chromium (CHROME_PATH, default /usr/bin/chromium) in its default mobile emulation, --runs times
per page (default 3), keeping the median score of each category: performance scores move with the
machine's load. Results are in docs/performance.md. Not part of the test suite: it takes minutes and
needs Node. LIGHTHOUSE names another npm version (default lighthouse@12)."""

import argparse
import gzip
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

PAGES_SCRIPT = """
import json
from django.urls import reverse
from enrollment.models import Program
from infosessions.models import InfoSession
from roles.models import Role
program = Program.objects.published().order_by("order", "name").first()
pages = {
    "home": "/",
    "roles": reverse("roles:index"),
    "level (EMT)": reverse("roles:detail", kwargs={"slug": "emt"}),
    "comparison": reverse("roles:compare"),
    "guide": reverse("roles:guide", kwargs={"slug": "ems-vs-emt"}),
    "FAQ": reverse("roles:faq"),
    "programs": reverse("enrollment:program-list"),
    "program": program.get_absolute_url(),
    "apply form": reverse("enrollment:apply", kwargs={"slug": program.slug}),
    "course starts": reverse("enrollment:apply-start"),
    "contact": reverse("enrollment:contact"),
}
pages["costs"] = reverse("sitepages:paying")
pages["accreditation"] = reverse("sitepages:accreditation")
pages["privacy"] = reverse("sitepages:privacy")
pages["answer guide"] = reverse("roles:guide", kwargs={"slug": "from-course-to-license"})
pages["refunds"] = reverse("sitepages:refunds")
pages["accessibility"] = reverse("sitepages:accessibility")
pages["terms"] = reverse("sitepages:terms")
role = Role.objects.published().order_by("order", "name").first()
pages["role (not a level)"] = role.get_absolute_url()
pages["info sessions"] = reverse("infosessions:list")
session = InfoSession.objects.for_public_display().first()
if session is not None:
    pages["info session"] = session.get_absolute_url()
print(json.dumps(pages))
"""

CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def site_environment(workdir: Path, port: int) -> dict:
    """This machine's environment minus anything that points the site elsewhere, plus production settings
    for plain HTTP on localhost (as `make run` does)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DJANGO_") and key not in ("DATABASE_URL", "REDIS_URL")
    }
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="audit-" + "k" * 50,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SECURE_HSTS_SECONDS="0",
        DJANGO_SECURE_COOKIES="0",
        DJANGO_LOG_LEVEL="WARNING",
        DJANGO_STATIC_ROOT=str(workdir / "static"),
        DATABASE_URL=f"sqlite:///{workdir / 'db.sqlite3'}",
        SITE_URL=f"http://127.0.0.1:{port}",
        GUNICORN_ACCESS_LOG="",
        WEB_CONCURRENCY="1",  # one process: its local-memory page cache serves every request after the first,
    )
    return env


def manage(*args: str, env: dict, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([PYTHON, "manage.py", *args], cwd=PROJECT_DIR, env=env, check=True, **kwargs)


def wait_until_up(url: str, server: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn stopped (exit code {server.returncode})")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:  # not answering yet: refused, reset or timed out (a busy machine)
            time.sleep(0.25)
    sys.exit(f"gunicorn did not answer {url} within {timeout:.0f}s")


def fetch(url: str) -> tuple[bytes, str]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.read(), response.headers.get("Content-Encoding", "")


def first_view(base: str, path: str) -> dict:
    """Compressed bytes of the HTML and of every file it names, and any address on another host."""
    body, encoding = fetch(base + path)
    html = gzip.decompress(body).decode() if encoding == "gzip" else body.decode()
    files = {"html": len(body)}
    named = re.findall(r'<(?:link[^>]+href|script[^>]+src|img[^>]+src|use[^>]+href)="([^"]+)"', html)
    for address in sorted(set(named)):
        if address.startswith("/static/"):
            files[address], _ = len(fetch(base + address)[0]), None
    elsewhere = sorted(
        set(re.findall(r'<(?:link|script|img|iframe|source)[^>]+(?:href|src)="((?:https?:)?//[^"]+)"', html))
    )
    elsewhere = [address for address in elsewhere if not address.startswith(base)]
    return {"bytes": sum(files.values()), "files": files, "elsewhere": elsewhere}


def lighthouse(url: str, chrome: str) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as report:
        output = report.name
    try:
        subprocess.run(
            [
                "npx",
                "--yes",
                os.environ.get("LIGHTHOUSE", "lighthouse@12"),
                url,
                "--quiet",
                "--output=json",
                f"--output-path={output}",
                f"--only-categories={','.join(CATEGORIES)}",
                "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
            ],
            env={**os.environ, "CHROME_PATH": chrome},
            check=True,
            capture_output=True,
            timeout=300,
        )
        data = json.loads(Path(output).read_text())
    finally:
        Path(output).unlink(missing_ok=True)
    scores = {name: round(data["categories"][name]["score"] * 100) for name in CATEGORIES}
    failing = sorted(
        audit_id
        for audit_id, audit in data["audits"].items()
        if audit.get("score") is not None
        and audit["score"] < 1
        and audit.get("scoreDisplayMode") in ("binary", "numeric", "metricSavings")
    )
    return {"scores": scores, "failing": failing}


def median_lighthouse(url: str, chrome: str, runs: int) -> dict:
    results, failures = [], []
    # A run that fails (Chromium lost under load, a protocol time-out) is tried again, up to as many times.
    while len(results) < max(runs, 1) and len(failures) < max(runs, 1):
        try:
            results.append(lighthouse(url, chrome))
        except subprocess.CalledProcessError as error:
            failures.append(
                error.stderr.decode(errors="replace").strip().splitlines()[-1:] or ["(no output)"]
            )
    if not results:
        sys.exit(f"Lighthouse failed on {url}: {failures}")
    scores = {name: statistics.median(result["scores"][name] for result in results) for name in CATEGORIES}
    # What fell short in the run whose performance was the median one.
    middle = sorted(results, key=lambda result: result["scores"]["performance"])[len(results) // 2]
    return {"scores": scores, "failing": middle["failing"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lighthouse", action="store_true", help="also run Lighthouse (mobile) on each page")
    parser.add_argument("--chrome", default=os.environ.get("CHROME_PATH", "/usr/bin/chromium"))
    parser.add_argument("--only", nargs="*", help="names of the pages to audit (default: all)")
    parser.add_argument(
        "--runs",
        type=int,
        default=3,
        help="Lighthouse runs per page; the median score of each category is kept (default 3: scores vary "
        "with the machine's load, as Lighthouse's own documentation warns)",
    )
    arguments = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="emsprogram-audit-"))
    port = free_port()
    env = site_environment(workdir, port)
    server = None
    try:
        manage("migrate", "--noinput", "-v", "0", env=env)
        manage("load_demo_content", env=env, stdout=subprocess.DEVNULL)
        manage("collectstatic", "--noinput", "-v", "0", env=env)
        pages = json.loads(
            manage("shell", "-v", "0", "-c", PAGES_SCRIPT, env=env, capture_output=True, text=True)
            .stdout.strip()
            .splitlines()[-1]
        )
        if arguments.only:
            pages = {name: path for name, path in pages.items() if name in arguments.only}
        server = subprocess.Popen(
            [
                str(Path(PYTHON).with_name("gunicorn")),
                "emsprogram.wsgi",
                "-c",
                "gunicorn.conf.py",
                "--bind",
                f"127.0.0.1:{port}",
            ],
            cwd=PROJECT_DIR,
            env=env,
            start_new_session=True,
        )
        base = f"http://127.0.0.1:{port}"
        wait_until_up(base + "/healthz", server)
        print(
            f"{'page':<14} {'first view KB':>13}  files  {'Lighthouse (perf, a11y, best practices, SEO)' if arguments.lighthouse else ''}"
        )
        for name, path in pages.items():
            fetch(base + path)  # warm the page cache, as a returning server would be
            view = first_view(base, path)
            line = f"{name:<14} {view['bytes'] / 1024:>13.1f}  {len(view['files']):>5}"
            if arguments.lighthouse:
                result = median_lighthouse(base + path, arguments.chrome, arguments.runs)
                line += "  " + " ".join(f"{result['scores'][c]:>3.0f}" for c in CATEGORIES)
                if result["failing"]:
                    line += f"  below 1: {', '.join(result['failing'])}"
            print(line, flush=True)
            if view["elsewhere"]:
                print(f"  names another host: {view['elsewhere']}")
    finally:
        if server is not None:
            os.killpg(server.pid, 15)
            server.wait(timeout=30)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
