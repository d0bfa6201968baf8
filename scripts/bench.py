"""`make bench`: throughput and latency of the main pages against a static file, on the production stack.

Starts gunicorn (production settings, DEBUG off, 2 workers) on PostgreSQL and Redis with the demo
content, drives it with wrk (Debian's package) at 16 connections, and prints for each page requests
per second, p50/p95/p99 latency, errors, throughput as a ratio to the static CSS file in the same
run, the database queries an uncached render runs, and the compressed bytes of a first view (HTML
plus the CSS, JS and icon it loads). Figures, not pass/fail: see docs/performance.md.

The applicant's page is measured as an applicant reads it: the page of one demo application (with a latest
message to show), opened with the cookie its signed link sets. "document upload" POSTs a small PDF to a
checklist item of an application made for the bench (the upload rate limit raised for the run); that
application, its documents and their files (in a temporary DOCUMENTS_ROOT) are deleted afterwards.

Then a rush: BENCH_RUSH_APPLICATIONS applications (default 300), each from its own address, all sent at
once (a form page, then the form) to one course start, while the health check is asked every 100 ms; it
prints the health check's p50/p95/max latency during the rush, how long the rush took and what the
applicants got. A load balancer takes a server out of rotation when its health check is slow: it must
stay fast under a rush. The rush's applications are deleted afterwards.

With BENCH_SCALE=1 (`make bench-scale`) it measures the staff pages and the applicant's page at the size of a
school after ten years instead: it makes the synthetic data (manage.py make_synthetic_data: 100,000
applications with their history, 50,000 enquiries, 500 course starts) in its own database unless it is
there already, signs a member of staff in (both factors, as a session made server-side), opens an
applicant's page through its signed link, and prints for each page p50/p95/p99 and the queries an uncached
render runs, with the tables' sizes. BENCH_SCALE_APPLICATIONS, BENCH_SCALE_ENQUIRIES and BENCH_SCALE_COHORTS
change the size (for a database made anew).

Environment: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/emsprogram_bench; the
database is created when missing), BENCH_REDIS_URL (default redis://127.0.0.1:6379/5),
BENCH_DURATION seconds per page (default 10), BENCH_CONNECTIONS (default 16), BENCH_PORT (default 8765),
BENCH_RUSH_APPLICATIONS (default 300; 0 skips the rush). In scale mode the database defaults to
emsprogram_bench_scale (kept between runs: making the data takes minutes) and the connections to 4.
"""

import gzip
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

PROJECT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DURATION = int(os.environ.get("BENCH_DURATION", "10"))
SCALE = os.environ.get("BENCH_SCALE", "") not in ("", "0")
# Scale mode measures staff pages: a few people of Admissions at once, not a public page's crowd.
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "4" if SCALE else "16"))
PORT = int(os.environ.get("BENCH_PORT", "8765"))
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL",
    "postgres://postgres@127.0.0.1:5432/emsprogram_bench" + ("_scale" if SCALE else ""),
)
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5")
RUSH_APPLICATIONS = int(os.environ.get("BENCH_RUSH_APPLICATIONS", "300"))
RUSH_EMAIL_DOMAIN = "rush.bench.example.org"

# wrk prints one JSON line with the figures it measured (its --latency table has no p95).
WRK_REPORT = """
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
                 + summary.errors.status + summary.errors.timeout
  io.write(string.format(
    '{"requests": %d, "seconds": %f, "errors": %d, "p50": %f, "p95": %f, "p99": %f}\\n',
    summary.requests, summary.duration / 1e6, errors,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
"""

PAGES_SCRIPT = """
import json, os
from datetime import date
from urllib.parse import urlsplit
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from enrollment import access, services
from enrollment.eligibility import ApplicantDetails
from enrollment.models import Application, Cohort, Program
from enrollment.views import APPLIED_COOKIE

program = Program.objects.published().order_by("level__ladder_order", "name").first()
pages = {
    "home": reverse("home"),
    "level page": reverse("roles:detail", kwargs={"slug": "emt"}),
    "comparison": reverse("roles:compare") + "?levels=emt,paramedic",
    "program page": program.get_absolute_url(),
    "apply form": reverse("enrollment:apply", kwargs={"slug": program.slug}),
}
queries = {}
client = Client(HTTP_X_FORWARDED_PROTO="https")
clients = {}


def opened(application):
    # A browser that opened the application's signed link: its page, and the cookie that opens it.
    browser = Client(HTTP_X_FORWARDED_PROTO="https")
    link = urlsplit(access.applicant_page_link(application))
    response = browser.get(f"{link.path}?{link.query}")
    assert response.status_code == 302, response.status_code
    return browser, response["Location"], f"{APPLIED_COOKIE}={browser.cookies[APPLIED_COOKIE].value}"


# The applicant's page: a demo application with a seat, and a latest message to show (its link, e-mailed).
reader = Application.objects.filter(status="held").order_by("submitted_at").first()
services.applicant_links_send(email=reader.email)
clients["applicant page"], pages["applicant page"], reader_cookie = opened(reader)
for name, url in pages.items():
    with CaptureQueriesContext(connection) as captured:
        response = clients.get(name, client).get(url)
    assert response.status_code == 200, (url, response.status_code)
    queries[name] = len(captured)

# The upload: an application of the bench's own (an earlier run's deleted first), a document for an item
# without an expiry date.
Application.objects.filter(email__endswith="@" + os.environ["UPLOAD_EMAIL_DOMAIN"]).delete()
cohort = (
    Cohort.objects.open_for_applications()
    .filter(program__level__prerequisite__isnull=True)
    .order_by("start_date", "pk")
    .first()
)
uploader = services.application_submit(
    cohort=cohort,
    details=ApplicantDetails(
        first_name="Bench",
        last_name="Uploader",
        email="uploader@" + os.environ["UPLOAD_EMAIL_DOMAIN"],
        phone="555 010 0199",
        date_of_birth=date(1994, 2, 3),
        address_line1="2 Example Avenue",
        city="Springfield",
        state="MA",
        postal_code="01000",
        consent_data_processing=True,
    ),
    notify=False,
)
item = next(
    item
    for item in services.checklist_sync(uploader)
    if item.requirement.document_required and not item.requirement.expiry
)
browser, page, uploader_cookie = opened(uploader)
browser.get(page)  # the CSRF cookie
upload = reverse("enrollment:my-application-document", args=[uploader.reference, item.pk])
pdf = os.environ["UPLOAD_PDF"].encode("latin-1")
with CaptureQueriesContext(connection) as captured:
    response = browser.post(upload, {f"item-{item.pk}-file": SimpleUploadedFile("card.pdf", pdf)})
assert response.status_code == 302, response.status_code
queries["document upload"] = len(captured)
print(json.dumps({
    "pages": pages,
    "queries": queries,
    "cookies": {"applicant page": reader_cookie},
    "upload": {
        "path": upload,
        "field": f"item-{item.pk}-file",
        "cookie": uploader_cookie,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
        "csrf": browser.cookies[settings.CSRF_COOKIE_NAME].value,
    },
}))
"""

# A small valid PDF, as the upload sends it.
UPLOAD_PDF = (
    "%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    "2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
)
UPLOAD_EMAIL_DOMAIN = "upload.bench.example.org"
UPLOAD_DELETE_SCRIPT = """
import os
from enrollment.models import Application
Application.objects.filter(email__endswith="@" + os.environ["UPLOAD_EMAIL_DOMAIN"]).delete()
"""


def lua_string(data: bytes) -> str:
    """A Lua string literal of these exact bytes (a long bracket string would turn CR LF into LF)."""
    return (
        '"' + "".join(chr(b) if 32 <= b < 127 and chr(b) not in '"\\' else f"\\{b:03d}" for b in data) + '"'
    )


def upload_script(base: str, upload: dict) -> str:
    """A wrk script that POSTs the PDF to the checklist item, as the page's form does (multipart, with the
    cookies that open the page and pass the CSRF check), then reports like WRK_REPORT."""
    boundary = "----bench-upload-boundary"
    body = (
        f"--{boundary}\r\n"
        f'Content-Disposition: form-data; name="{upload["field"]}"; filename="card.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
        f"{UPLOAD_PDF}\r\n"
        f"--{boundary}--\r\n"
    ).encode("latin-1")
    cookies = f"{upload['cookie']}; {upload['csrf_cookie']}={upload['csrf']}"
    headers = {
        "Content-Type": f"multipart/form-data; boundary={boundary}",
        "Cookie": cookies,
        "X-CSRFToken": upload["csrf"],
        "Origin": "https://" + base.removeprefix("http://"),
    }
    lines = ['wrk.method = "POST"', f"wrk.body = {lua_string(body)}"]
    lines += [f"wrk.headers[{lua_string(k.encode())}] = {lua_string(v.encode())}" for k, v in headers.items()]
    return "\n".join(lines) + "\n" + WRK_REPORT


# Scale mode: a member of staff signed in with both factors (a session made server-side, as after the
# two-step sign-in), an applicant's page opened through its signed link, the queries of each page's uncached
# render, the cookies wrk sends, and the tables' sizes.
SCALE_SCRIPT = """
import json
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from emsprogram import synthetic
from enrollment import access
from enrollment.models import Application, ApplicationEvent, ChecklistItem, Cohort, EmailNotification, Enquiry
from enrollment.models import EnquiryEvent, Program
from infosessions.models import SessionSignup

user, _ = get_user_model().objects.get_or_create(
    username="bench-staff",
    defaults={"is_staff": True, "is_superuser": True, "email": "bench-staff@example.test"},
)
device, _ = TOTPDevice.objects.get_or_create(user=user, confirmed=True, defaults={"name": "bench"})
staff = Client(HTTP_X_FORWARDED_PROTO="https")
staff.force_login(user)
session = staff.session
session[DEVICE_ID_SESSION_KEY] = device.persistent_id
session.save()

program = Program.objects.filter(slug__startswith=synthetic.SLUG_PREFIX).order_by("pk").first()
changelist = reverse("admin:enrollment_application_changelist")
pages = {
    "admin index (attention panel)": reverse("admin:index"),
    "applications, all": changelist,
    "applications, held in a program": f"{changelist}?program={program.pk}&status__exact=held",
    "applications, search smith": f"{changelist}?q=smith",
    "enquiries, new": reverse("admin:enrollment_enquiry_changelist") + "?status__exact=new",
}
try:
    pages["reports"] = reverse("admin:reports")
except NoReverseMatch:
    pages["reports"] = None

applicant = Client(HTTP_X_FORWARDED_PROTO="https")
synthetic_applications = Application.objects.filter(email__endswith="@" + synthetic.EMAIL_DOMAIN)
application = (
    synthetic_applications.filter(status="held").order_by("-submitted_at").first()
    or synthetic_applications.order_by("-submitted_at").first()
)
opened = applicant.get(reverse("enrollment:my-application-open") + "?" + access.TOKEN_PARAMETER + "="
                       + access.applicant_token(application))
assert opened.status_code == 302, opened.status_code
pages["applicant page"] = opened["Location"]

queries = {}
for name, url in pages.items():
    if url is None:
        continue
    client = applicant if name == "applicant page" else staff
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    queries[name] = len(captured)

def cookie(client):
    return "; ".join(f"{name}={morsel.value}" for name, morsel in client.cookies.items())

tables = {
    str(model._meta.verbose_name_plural): model.objects.count()
    for model in (Cohort, Application, ApplicationEvent, ChecklistItem, EmailNotification, Enquiry, EnquiryEvent,
                  SessionSignup)
}
print(json.dumps({
    "pages": pages, "queries": queries, "tables": tables,
    "cookies": {"staff": cookie(staff), "applicant": cookie(applicant)},
}))
"""

SYNTHETIC_EXISTS_SCRIPT = "from emsprogram import synthetic; print(int(synthetic.exists()))"


# The course start the rush applies to (a level anyone may start at), after deleting an earlier rush's
# applications; with RUSH_DELETE_ONLY=1, only the deleting.
RUSH_SCRIPT = """
import json, os
from enrollment.models import Application, Cohort
Application.objects.filter(email__endswith="@" + os.environ["RUSH_EMAIL_DOMAIN"]).delete()
if not os.environ.get("RUSH_DELETE_ONLY"):
    cohort = (
        Cohort.objects.open_for_applications()
        .filter(program__level__prerequisite__isnull=True)
        .select_related("program")
        .order_by("start_date", "pk")
        .first()
    )
    print(json.dumps({"path": cohort.get_apply_url(), "cohort": cohort.pk}))
"""


def production_env():
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="emsprogram.settings",
        DJANGO_SECRET_KEY="bench-" + "k" * 50,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        DJANGO_BEHIND_PROXY="1",
        DJANGO_LOG_LEVEL="WARNING",
        DATABASE_URL=DATABASE_URL,
        REDIS_URL=REDIS_URL,
        EMAIL_HOST="localhost",
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        TASKS_BACKEND="django.tasks.backends.immediate.ImmediateBackend",
        GUNICORN_ACCESS_LOG="",
        GUNICORN_MAX_REQUESTS="0",
        # The upload is measured, not its rate limit: every request of the run stores a document.
        RATE_LIMIT_UPLOADS="1000000000",
        UPLOAD_EMAIL_DOMAIN=UPLOAD_EMAIL_DOMAIN,
        UPLOAD_PDF=UPLOAD_PDF,
    )
    return env


def run(cmd, env, **kwargs):
    return subprocess.run(cmd, cwd=PROJECT, env=env, check=True, **kwargs)


def ensure_tools():
    if shutil.which("wrk") is None:
        print("Installing Debian's wrk package (the load generator)...", flush=True)
        sudo = [] if os.geteuid() == 0 else ["sudo"]
        subprocess.run([*sudo, "apt-get", "update", "-qq"], check=True)
        subprocess.run(
            [*sudo, "apt-get", "install", "-y", "-qq", "wrk"], check=True, stdout=subprocess.DEVNULL
        )


def ensure_database():
    parts = urlsplit(DATABASE_URL)
    name = parts.path.lstrip("/")
    admin = f"{parts.scheme}://{parts.netloc}/postgres"
    exists = subprocess.run(
        ["psql", admin, "-tAc", f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not exists:
        subprocess.run(["psql", admin, "-qc", f'CREATE DATABASE "{name}"'], check=True)


def wait_for(port, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"gunicorn did not start on port {port}")


def fetch(url, encoding="br, gzip", cookie=None):
    headers = {"Accept-Encoding": encoding, "X-Forwarded-Proto": "https"}
    if cookie:
        headers["Cookie"] = cookie
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (our own local server)
        return response.read(), response.headers.get("Content-Encoding", "")


def first_view_bytes(base, path, cookie=None):
    """Compressed bytes of the HTML and of every stylesheet, script and icon it loads."""
    html_compressed, encoding = fetch(base + path, encoding="gzip", cookie=cookie)
    html = gzip.decompress(html_compressed).decode() if encoding == "gzip" else html_compressed.decode()
    total = len(html_compressed)
    assets = re.findall(r'<(?:link[^>]+href|script[^>]+src)="(/static/[^"]+)"', html)
    third_party = re.findall(r'(?:href|src)="(https?://(?!127\.0\.0\.1)[^"]+)"', html)
    for asset in set(assets):
        body, _ = fetch(base + asset)
        total += len(body)
    return total, len(set(assets)), third_party


def wrk(url, script, cookie=""):
    output = subprocess.run(
        [
            "wrk",
            f"-t{min(CONNECTIONS, 2)}",
            f"-c{CONNECTIONS}",
            f"-d{DURATION}s",
            "-H",
            "X-Forwarded-Proto: https",
            "-H",
            "Accept-Encoding: gzip",
            *(["-H", f"Cookie: {cookie}"] if cookie else []),
            "--timeout",
            "10s",
            "-s",
            script,
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    figures = json.loads(output.strip().splitlines()[-1])
    figures["rps"] = figures["requests"] / figures["seconds"]
    return figures


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _applicant_request(base, path, address, data=None, cookies=None):
    headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": address}
    if cookies:
        headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
    body = None
    if data is not None:
        body = urllib.parse.urlencode(data).encode()
        headers["Origin"] = "https://" + base.removeprefix("http://")
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    request = urllib.request.Request(base + path, data=body, headers=headers)
    try:
        response = urllib.request.build_opener(_NoRedirect).open(request, timeout=120)
    except urllib.error.HTTPError as error:
        response = error
    for header in response.headers.get_all("Set-Cookie") or []:
        name, value = header.split(";", 1)[0].split("=", 1)
        cookies[name] = value
    return response.status, response.read().decode()


def _apply(base, path, cohort, number, start):
    """One applicant: the form page, then the form, from an address of their own. Their status code."""
    address = f"10.{number // 65536 % 256}.{number // 256 % 256}.{number % 256 + 1}"
    cookies = {}
    start.wait()
    try:
        status, html = _applicant_request(base, path, address, cookies=cookies)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        form = {
            "cohort": str(cohort),
            "first_name": "Rush",
            "last_name": f"Applicant {number}",
            "email": f"rush-{number}@{RUSH_EMAIL_DOMAIN}",
            "phone": "555 010 0199",
            "date_of_birth": "1994-02-03",
            "address_line1": "2 Example Avenue",
            "city": "Springfield",
            "state": "MA",
            "postal_code": "01000",
            "consent_data_processing": "on",
            "website": "",
            "csrfmiddlewaretoken": token,
        }
        return _applicant_request(base, path, address, form, cookies)[0]
    except (OSError, AttributeError) as error:
        return type(error).__name__


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


# The health check, asked every 100 ms until the stop file appears: in a process of its own, so that the
# applicants' threads do not slow the asking down. Prints each answer's status and milliseconds.
PROBE_SCRIPT = """
import json, os, sys, time, urllib.error, urllib.request
base, stop = sys.argv[1], sys.argv[2]
answers = []
while not os.path.exists(stop):
    started = time.monotonic()
    try:
        with urllib.request.urlopen(base + "/healthz", timeout=60) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    except OSError as error:
        status = type(error).__name__
    answers.append([status, (time.monotonic() - started) * 1000])
    time.sleep(0.1)
print(json.dumps(answers))
"""


# Visitors reading public pages during the rush, in a process of their own: each answer's X-Page-Cache
# (hit, miss, or none when the page was not stored). Prints {path: [hits, misses, others]}.
PAGES_PROBE_SCRIPT = """
import json, os, sys, urllib.request
base, stop, paths = sys.argv[1], sys.argv[2], sys.argv[3:]
counts = {path: [0, 0, 0] for path in paths}
while not os.path.exists(stop):
    for path in paths:
        try:
            request = urllib.request.Request(base + path, headers={"X-Forwarded-Proto": "https"})
            with urllib.request.urlopen(request, timeout=60) as response:
                response.read()
                state = response.headers.get("X-Page-Cache", "")
        except OSError:
            state = ""
        counts[path][{"hit": 0, "miss": 1}.get(state, 2)] += 1
print(json.dumps(counts))
"""
# Pages that show seat figures (invalidated by every application) and pages that do not.
RUSH_PAGES = {"seats": ["/", "/apply/", "/programs/emt/"], "content": ["/roles/", "/faq/", "/programs/"]}


def hit_ratio(counts, paths):
    hits = sum(counts[path][0] for path in paths)
    total = sum(sum(counts[path]) for path in paths)
    return hits / total if total else 0.0


def health_during_rush(base, env):
    """The health check's latency while RUSH_APPLICATIONS applicants send the form at once."""
    env = {**env, "RUSH_EMAIL_DOMAIN": RUSH_EMAIL_DOMAIN}
    shell = [PYTHON, "manage.py", "shell", "-v", "0", "-c", RUSH_SCRIPT]
    info = json.loads(run(shell, env, capture_output=True, text=True).stdout.strip().splitlines()[-1])
    stop = Path(tempfile.mkdtemp(prefix="bench-rush-")) / "stop"
    start = threading.Barrier(RUSH_APPLICATIONS + 1)
    with ThreadPoolExecutor(max_workers=RUSH_APPLICATIONS) as pool:
        futures = [
            pool.submit(_apply, base, info["path"], info["cohort"], number, start)
            for number in range(RUSH_APPLICATIONS)
        ]
        prober = subprocess.Popen(
            [PYTHON, "-c", PROBE_SCRIPT, base, str(stop)], stdout=subprocess.PIPE, text=True
        )
        reader = subprocess.Popen(
            [
                PYTHON,
                "-c",
                PAGES_PROBE_SCRIPT,
                base,
                str(stop),
                *(p for ps in RUSH_PAGES.values() for p in ps),
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        start.wait()
        started = time.monotonic()
        answers = [future.result() for future in futures]
        duration = time.monotonic() - started
    stop.touch()
    checks = json.loads(prober.communicate(timeout=120)[0])
    pages = json.loads(reader.communicate(timeout=120)[0])
    shutil.rmtree(stop.parent, ignore_errors=True)
    run(shell, {**env, "RUSH_DELETE_ONLY": "1"}, stdout=subprocess.DEVNULL)
    counts = {}
    for answer in answers:
        counts[answer] = counts.get(answer, 0) + 1
    latencies = [milliseconds for _, milliseconds in checks]
    return {
        "duration": duration,
        "answers": counts,
        "checks": len(checks),
        "check_statuses": sorted({str(status) for status, _ in checks}),
        "p50": percentile(latencies, 0.50),
        "p95": percentile(latencies, 0.95),
        "max": max(latencies),
        "page_reads": sum(sum(counts) for counts in pages.values()),
        "hit_ratio": {scope: hit_ratio(pages, paths) for scope, paths in RUSH_PAGES.items()},
    }


def start_gunicorn(env):
    return subprocess.Popen(
        [
            str(Path(PYTHON).with_name("gunicorn")),
            "emsprogram.wsgi",
            "-c",
            "gunicorn.conf.py",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{PORT}",
        ],
        cwd=PROJECT,
        env=env,
        start_new_session=True,
    )


def shell(script, env):
    """Run `script` in manage.py shell; the JSON its last line prints."""
    output = run(
        [PYTHON, "manage.py", "shell", "-v", "0", "-c", script], env, capture_output=True, text=True
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main_scale():
    """The staff pages and the applicant's page at a school's size after ten years (BENCH_SCALE=1)."""
    ensure_tools()
    ensure_database()
    env = production_env()
    static_root = tempfile.mkdtemp(prefix="bench-static-")
    env["DJANGO_STATIC_ROOT"] = static_root
    print("Preparing: migrate, demo content, collectstatic...", flush=True)
    run([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], env)
    run([PYTHON, "manage.py", "load_demo_content"], env, stdout=subprocess.DEVNULL)
    run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v", "0"], env)
    if not shell(SYNTHETIC_EXISTS_SCRIPT, env):
        print("Making the synthetic data (a few minutes)...", flush=True)
        sizes = {
            "--applications": os.environ.get("BENCH_SCALE_APPLICATIONS", "100000"),
            "--enquiries": os.environ.get("BENCH_SCALE_ENQUIRIES", "50000"),
            "--cohorts": os.environ.get("BENCH_SCALE_COHORTS", "500"),
        }
        options = [part for pair in sizes.items() for part in pair]
        run([PYTHON, "manage.py", "make_synthetic_data", "--yes-i-mean-it", *options], env)
    else:
        print(
            "The synthetic data is there already (delete it with make_synthetic_data --delete).", flush=True
        )
    # Fresh statistics, as autovacuum would gather them on a database that grew over years (and for indexes
    # a migration added since the data was made).
    subprocess.run(["psql", DATABASE_URL, "-qc", "VACUUM ANALYZE"], check=True)
    subprocess.run(["redis-cli", "-u", REDIS_URL, "FLUSHDB"], check=False, stdout=subprocess.DEVNULL)
    info = shell(SCALE_SCRIPT, env)
    pages, queries, cookies = info["pages"], info["queries"], info["cookies"]

    gunicorn = start_gunicorn(env)
    base = f"http://127.0.0.1:{PORT}"
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_REPORT)
    results = {}
    try:
        wait_for(PORT)
        for name, path in pages.items():
            if path is None:
                continue
            cookie = cookies["applicant" if name == "applicant page" else "staff"]
            for _ in range(3):  # warm the workers (templates, connections)
                request = urllib.request.Request(
                    base + path, headers={"X-Forwarded-Proto": "https", "Cookie": cookie}
                )
                with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (our own local server)
                    response.read()
            print(f"  {name}: {path}", flush=True)
            results[name] = wrk(base + path, script.name, cookie)
    finally:
        os.killpg(gunicorn.pid, signal.SIGTERM)
        gunicorn.wait(timeout=30)
        os.unlink(script.name)
        shutil.rmtree(static_root, ignore_errors=True)

    print()
    threads = os.environ.get("GUNICORN_THREADS", "4")
    print(
        f"gunicorn, 2 workers x {threads} threads, production settings; "
        f"wrk {CONNECTIONS} connections, {DURATION} s per page"
    )
    print(f"machine: {os.cpu_count()} cores, {platform_summary()}")
    print("tables: " + ", ".join(f"{name} {number:,}" for name, number in info["tables"].items()))
    header = (
        f"{'page':<34} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'errors':>6} {'queries':>7}"
    )
    print(header)
    print("-" * len(header))
    for name, path in pages.items():
        if path is None:
            print(f"{name:<34} not available (no page at that address yet)")
            continue
        r = results[name]
        print(
            f"{name:<34} {r['rps']:>7.0f} {r['p50']:>7.1f} {r['p95']:>7.1f} {r['p99']:>7.1f} "
            f"{r['errors']:>6} {queries[name]:>7}"
        )


def main():
    ensure_tools()
    ensure_database()
    env = production_env()
    static_root = tempfile.mkdtemp(prefix="bench-static-")
    env["DJANGO_STATIC_ROOT"] = static_root
    documents_root = tempfile.mkdtemp(prefix="bench-documents-")
    env["DOCUMENTS_ROOT"] = documents_root
    print("Preparing: migrate, demo content, collectstatic...", flush=True)
    run([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], env)
    run([PYTHON, "manage.py", "load_demo_content"], env, stdout=subprocess.DEVNULL)
    run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v", "0"], env)
    subprocess.run(["redis-cli", "-u", REDIS_URL, "FLUSHDB"], check=False, stdout=subprocess.DEVNULL)
    output = run(
        [PYTHON, "manage.py", "shell", "-v", "0", "-c", PAGES_SCRIPT], env, capture_output=True, text=True
    ).stdout
    info = json.loads(output.strip().splitlines()[-1])
    pages, queries, cookies, upload = info["pages"], info["queries"], info["cookies"], info["upload"]
    manifest = json.loads(Path(static_root, "staticfiles.json").read_text())["paths"]
    pages["static CSS file"] = "/static/" + manifest["css/site.css"]

    gunicorn = start_gunicorn(env)
    base = f"http://127.0.0.1:{PORT}"
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_REPORT)
    try:
        wait_for(PORT)
        results = {}
        for name, path in pages.items():
            cookie = cookies.get(name)
            fetch(base + path, cookie=cookie)  # warm the page cache and the workers
            fetch(base + path, cookie=cookie)
            print(f"  {name}: {path}", flush=True)
            results[name] = wrk(base + path, script.name, cookie)
            if name != "static CSS file":
                results[name]["bytes"], results[name]["assets"], third = first_view_bytes(base, path, cookie)
                results[name]["third_party"] = third
        print(f"  document upload: POST {upload['path']}", flush=True)
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as posting:
            posting.write(upload_script(base, upload))
        try:
            results["document upload"] = wrk(base + upload["path"], posting.name)
        finally:
            os.unlink(posting.name)
        rush = health_during_rush(base, env) if RUSH_APPLICATIONS else None
    finally:
        os.killpg(gunicorn.pid, signal.SIGTERM)
        gunicorn.wait(timeout=30)
        os.unlink(script.name)
        shutil.rmtree(static_root, ignore_errors=True)
        run(
            [PYTHON, "manage.py", "shell", "-v", "0", "-c", UPLOAD_DELETE_SCRIPT],
            env,
            stdout=subprocess.DEVNULL,
        )
        shutil.rmtree(documents_root, ignore_errors=True)

    static_rps = results["static CSS file"]["rps"]
    print()
    threads = os.environ.get("GUNICORN_THREADS", "4")
    print(
        f"gunicorn, 2 workers x {threads} threads (and /healthz's own), production settings; "
        f"wrk {CONNECTIONS} connections, {DURATION} s per page"
    )
    print(f"machine: {os.cpu_count()} cores, {platform_summary()}")
    header = (
        f"{'page':<16} {'req/s':>8} {'ratio':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} "
        f"{'errors':>6} {'queries':>7} {'first view KB':>13}"
    )
    print(header)
    print("-" * len(header))
    for name, r in results.items():
        ratio = r["rps"] / static_rps
        q = queries.get(name, "-")
        kb = f"{r['bytes'] / 1024:.1f}" if "bytes" in r else "-"
        print(
            f"{name:<16} {r['rps']:>8.0f} {ratio:>6.2f} {r['p50']:>7.1f} {r['p95']:>7.1f} {r['p99']:>7.1f} "
            f"{r['errors']:>6} {q!s:>7} {kb:>13}"
        )
        if r.get("third_party"):
            print(f"  third-party requests: {r['third_party']}")
    if rush:
        print()
        print(
            f"rush: {RUSH_APPLICATIONS} applications sent at once, done in {rush['duration']:.1f} s; "
            f"answers {rush['answers']}"
        )
        print(
            f"/healthz during the rush ({rush['checks']} checks, statuses {rush['check_statuses']}): "
            f"p50 {rush['p50']:.0f} ms, p95 {rush['p95']:.0f} ms, max {rush['max']:.0f} ms"
        )
        ratios = ", ".join(f"{scope} pages {ratio:.0%}" for scope, ratio in rush["hit_ratio"].items())
        print(f"page cache during the rush ({rush['page_reads']} page reads): hit ratio {ratios}")


def platform_summary():
    import platform

    return (
        f"{platform.machine()}, Python {platform.python_version()}, {platform.system()} {platform.release()}"
    )


if __name__ == "__main__":
    main_scale() if SCALE else main()
