"""Several app servers behind a load balancer keep every rule: two gunicorn instances with the
production settings, on the same PostgreSQL and Redis, never overbook a cohort and share one rate
limit. Runs when the suite runs on PostgreSQL with Redis (.ci/run does)."""

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.db import connection

from enrollment.models import Application
from tests.enrollment.conftest import make_cohort, make_level, make_program, post_data

PROJECT_DIR = Path(__file__).resolve().parents[2]
RATE_LIMIT = 5

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not (os.environ.get("DATABASE_URL", "").startswith("postgres") and os.environ.get("REDIS_URL")),
        reason="needs PostgreSQL (DATABASE_URL) and Redis (REDIS_URL), as in production",
    ),
]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_healthy(port, process, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn on port {port} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"gunicorn on port {port} did not become healthy")


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("static")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(DJANGO_SECRET_KEY="c" * 50, DJANGO_STATIC_ROOT=str(root), DJANGO_ALLOWED_HOSTS="127.0.0.1")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=PROJECT_DIR,
        env=env,
        check=True,
        timeout=300,
    )
    return root


@pytest.fixture
def two_servers(transactional_db, static_root):
    """Two gunicorn instances, production settings, on the test database and the suite's Redis."""
    db = connection.settings_dict
    database_url = (
        f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_SECRET_KEY="two-servers-" + "s" * 40,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_BEHIND_PROXY="1",
        DJANGO_STATIC_ROOT=str(static_root),
        DATABASE_URL=database_url,
        DATABASE_CONN_MAX_AGE="0",
        REDIS_URL=os.environ["REDIS_URL"],
        EMAIL_HOST="localhost",
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        RATE_LIMIT_SUBMISSIONS=str(RATE_LIMIT),
        GUNICORN_ACCESS_LOG="",
    )
    ports, processes = [free_port(), free_port()], []
    try:
        for port in ports:
            processes.append(
                subprocess.Popen(
                    [
                        str(Path(sys.executable).with_name("gunicorn")),
                        "emsprogram.wsgi",
                        "-c",
                        "gunicorn.conf.py",
                        "--workers",
                        "2",
                        "--threads",
                        "4",
                        "--bind",
                        f"127.0.0.1:{port}",
                    ],
                    cwd=PROJECT_DIR,
                    env=env,
                    start_new_session=True,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
        for port, process in zip(ports, processes, strict=True):
            wait_until_healthy(port, process)
        yield ports
    finally:
        for process in processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            process.wait(timeout=30)


class Visitor:
    """A browser behind the load balancer: HTTPS at the proxy, its own address in X-Forwarded-For."""

    def __init__(self, port, address):
        self.base = f"http://127.0.0.1:{port}"
        self.headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": address}
        self.cookies = {}

    def request(self, path, data=None):
        headers = dict(self.headers)
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data).encode()
            headers["Origin"] = f"https://{self.base.removeprefix('http://')}"
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        request = urllib.request.Request(self.base + path, data=body, headers=headers)
        opener = urllib.request.build_opener(NoRedirect)
        try:
            response = opener.open(request, timeout=60)
        except urllib.error.HTTPError as error:
            response = error
        for header in response.headers.get_all("Set-Cookie") or []:
            name, value = header.split(";", 1)[0].split("=", 1)
            self.cookies[name] = value
        return response.status, response.read().decode()

    def apply(self, cohort, number):
        path = f"/programs/{cohort.program.slug}/apply/?cohort={cohort.pk}"
        status, html = self.request(path)
        assert status == 200, status
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        data = post_data(cohort, email=f"server-test-{number}@example.org")
        return self.request(path, {**data, "csrfmiddlewaretoken": token})[0]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_two_app_servers_never_overbook_a_cohort_and_number_the_waitlist_without_gaps(two_servers):
    cohort = make_cohort(program=make_program(level=make_level(slug="emt", ladder_order=2)), capacity=10)
    applicants = 30
    barrier = threading.Barrier(applicants)

    def apply(number):
        visitor = Visitor(two_servers[number % 2], address=f"198.51.100.{number + 1}")
        barrier.wait(timeout=60)
        return visitor.apply(cohort, number)

    with ThreadPoolExecutor(max_workers=applicants) as pool:
        statuses = list(pool.map(apply, range(applicants)))

    assert statuses == [302] * applicants  # each redirected to its confirmation page
    applications = Application.objects.filter(cohort=cohort)
    assert applications.count() == applicants
    assert applications.filter(status="accepted").count() == 10
    positions = sorted(applications.filter(status="waitlisted").values_list("waitlist_position", flat=True))
    assert positions == list(range(1, applicants - 10 + 1))


def test_the_rate_limit_counts_one_address_across_both_servers(two_servers):
    cohort = make_cohort(program=make_program(level=make_level(slug="emt", ladder_order=2)), capacity=10)
    statuses = [
        Visitor(two_servers[number % 2], address="203.0.113.50").apply(cohort, number)
        for number in range(RATE_LIMIT + 1)
    ]
    assert statuses[:RATE_LIMIT] == [302] * RATE_LIMIT
    assert statuses[RATE_LIMIT] == 429
    # Another address is not affected.
    assert Visitor(two_servers[0], address="203.0.113.51").apply(cohort, 99) == 302
