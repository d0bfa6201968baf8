"""Several app servers behind a load balancer keep every rule: two gunicorn instances with the
production settings, on the same PostgreSQL and Redis, never overbook a cohort and share one rate
limit; the health check answers at once while every thread waits for a seat lock; and when Redis is
stopped and started again, or hangs, mid-run, no request fails, nothing is lost, and no page from
before shows once it is back. Runs when the suite runs on PostgreSQL with Redis (.ci/run does)."""

import contextlib
import json
import os
import re
import shutil
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
import redis
from django.db import connection, transaction

from enrollment.models import Application, Cohort, Enquiry
from tests.enrollment.conftest import enquiry_data, make_cohort, make_level, make_program, post_data

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


@contextlib.contextmanager
def app_servers(static_root, logs, *, redis_url, workers=2, **environment):
    """Two gunicorn instances, production settings, on the test database and the given Redis. What they
    log goes to files in `logs`."""
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
        REDIS_URL=redis_url,
        EMAIL_HOST="localhost",
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        RATE_LIMIT_SUBMISSIONS=str(RATE_LIMIT),
        GUNICORN_ACCESS_LOG="",
        **environment,
    )
    ports, processes = [free_port(), free_port()], []
    try:
        for port in ports:
            with open(Path(logs) / f"gunicorn-{port}.log", "w") as log:
                processes.append(
                    subprocess.Popen(
                        [
                            str(Path(sys.executable).with_name("gunicorn")),
                            "emsprogram.wsgi",
                            "-c",
                            "gunicorn.conf.py",
                            "--workers",
                            str(workers),
                            "--threads",
                            "4",
                            "--bind",
                            f"127.0.0.1:{port}",
                        ],
                        cwd=PROJECT_DIR,
                        env=env,
                        start_new_session=True,
                        stdout=log,
                        stderr=subprocess.STDOUT,
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


def server_logs(logs):
    return "".join(path.read_text() for path in Path(logs).glob("gunicorn-*.log"))


@pytest.fixture
def two_servers(transactional_db, static_root, tmp_path):
    """Two gunicorn instances, production settings, on the test database and the suite's Redis."""
    with app_servers(static_root, tmp_path, redis_url=os.environ["REDIS_URL"]) as ports:
        yield ports
    assert "Traceback" not in server_logs(tmp_path)


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
        self.last_headers = response.headers
        return response.status, response.read().decode()

    def form(self, path):
        """The form page at `path`, and the CSRF token it carries."""
        status, html = self.request(path)
        assert status == 200, status
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)

    def apply(self, cohort, number, token=None):
        path = f"/programs/{cohort.program.slug}/apply/?cohort={cohort.pk}"
        token = token or self.form(path)
        data = post_data(cohort, email=f"server-test-{number}@example.org")
        return self.request(path, {**data, "csrfmiddlewaretoken": token})[0]

    def ask(self, number):
        token = self.form("/contact/")
        data = enquiry_data(email=f"server-question-{number}@example.org")
        return self.request("/contact/", {**data, "csrfmiddlewaretoken": token})[0]


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
    assert applications.filter(status="held").count() == 10
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


def health(port):
    """The health check's answer and how long it took."""
    started = time.monotonic()
    try:
        response = urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10)  # noqa: S310
    except urllib.error.HTTPError as error:
        response = error
    with response:
        return response.status, json.loads(response.read()), time.monotonic() - started


def wait_until(condition, timeout=60):
    deadline = time.monotonic() + timeout
    while not (result := condition()):
        if time.monotonic() > deadline:
            raise TimeoutError(f"the condition was not met in time (last: {result!r})")
        time.sleep(0.1)


def requests_waiting_for_a_lock():
    return sum(wait_event_type == "Lock" for _, wait_event_type, _, _ in database_activity())


def database_activity():
    """What every other connection to the test database is doing: state, wait event (type and name), query.
    Read afresh each time: inside a transaction (the test's, which holds the lock), PostgreSQL otherwise
    answers from the snapshot it took at the transaction's first look."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT state, wait_event_type, wait_event, left(query, 60) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchall()


@pytest.fixture
def two_single_worker_servers(transactional_db, static_root, tmp_path):
    """Two gunicorn instances of one worker each, whose requests wait for a seat lock as long as a test
    holds it: every request a server accepts goes to that worker's threads, however the rush arrives."""
    with app_servers(
        static_root, tmp_path, redis_url=os.environ["REDIS_URL"], workers=1, SEAT_LOCK_TIMEOUT_SECONDS="300"
    ) as ports:
        yield ports
    assert "Traceback" not in server_logs(tmp_path)


def test_the_health_check_answers_at_once_while_every_thread_waits_for_a_seat_lock(two_single_worker_servers):
    """A rush of applications to one course start queues on the cohort's row lock; a load balancer
    asking for /healthz meanwhile must get its answer, not wait behind them."""
    servers = two_single_worker_servers
    cohort = make_cohort(program=make_program(level=make_level(slug="emt", ladder_order=2)), capacity=10)
    threads = len(servers) * 1 * 4  # servers × workers × threads
    applicants = threads * 3  # more than every server has threads
    visitors = [Visitor(servers[n % 2], address=f"198.51.100.{n + 1}") for n in range(applicants)]
    path = f"/programs/{cohort.program.slug}/apply/?cohort={cohort.pk}"
    tokens = [visitor.form(path) for visitor in visitors]

    with ThreadPoolExecutor(max_workers=applicants) as pool:
        with transaction.atomic():
            Cohort.objects.select_for_update().get(pk=cohort.pk)  # the seat lock, held
            sent = [
                pool.submit(visitor.apply, cohort, number, token)
                for number, (visitor, token) in enumerate(zip(visitors, tokens, strict=True))
            ]
            try:
                wait_until(lambda: requests_waiting_for_a_lock() >= threads)  # every thread of both servers
            except TimeoutError as timeout:
                raise AssertionError(
                    f"not every thread waits for the lock: {database_activity()}"
                ) from timeout
            checks = [health(port) for port in servers for _ in range(3)]
        statuses = [application.result() for application in sent]

    # Answered while every thread still waited (without the health check's own thread, it would wait for
    # the lock to be released); quickly, allowing for a loaded test machine.
    assert [status for status, _, _ in checks] == [200] * len(checks)
    assert max(seconds for _, _, seconds in checks) < 5, checks
    assert statuses == [302] * applicants
    assert Application.objects.filter(cohort=cohort).count() == applicants


class OwnRedis:
    """A Redis of the test's own, to stop and start again, or to hang. Like a Redis with persistence, it
    comes back with what it held: a snapshot is written when it is stopped."""

    def __init__(self, folder):
        self.folder, self.port, self.process = folder, free_port(), None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.folder)]
            + ["--dbfilename", "dump.rdb", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until(self._answers, timeout=20)

    def _answers(self):
        try:
            return self.client().ping()
        except redis.exceptions.ConnectionError:
            return False

    def client(self):
        return redis.Redis(port=self.port, socket_timeout=2)

    def stop(self):
        with contextlib.suppress(redis.exceptions.ConnectionError):  # it closes the connection as it goes
            self.client().shutdown(save=True)
        self.process.wait(timeout=20)

    def hang(self):
        self.process.send_signal(signal.SIGSTOP)

    def resume(self):
        self.process.send_signal(signal.SIGCONT)

    def close(self):
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)
            self.process.terminate()
            self.process.wait(timeout=20)


@pytest.fixture
def own_redis(tmp_path):
    if shutil.which("redis-server") is None:
        pytest.skip("needs redis-server")
    server = OwnRedis(tmp_path)
    server.start()
    yield server
    server.close()


# One worker per server: a process that served nothing during an outage cannot know of it
# (docs/decisions.md), so each server's requests all go to the one process that saw it.
OUTAGE_SETTINGS = {"workers": 1, "CACHE_BREAKER_SECONDS": "1", "REDIS_TIMEOUT_SECONDS": "0.5"}


def seats_shown(visitor, cohort):
    status, html = visitor.request(cohort.program.get_absolute_url())
    assert status == 200, status
    return re.search(r"(\d+) seats? left", html).group(1), visitor.last_headers.get("X-Page-Cache")


@pytest.fixture
def servers_with_a_cached_page(transactional_db, static_root, tmp_path, own_redis):
    """Two app servers on the test's own Redis, each with the program page of a course start with 10 seats
    in the page cache; and a browsing visitor on each."""
    cohort = make_cohort(program=make_program(level=make_level(slug="emt", ladder_order=2)), capacity=10)
    with app_servers(static_root, tmp_path, redis_url=own_redis.url, **OUTAGE_SETTINGS) as ports:
        browsers = [Visitor(port, address="203.0.113.20") for port in ports]
        for browser in browsers:
            seats_shown(browser, cohort)
            assert seats_shown(browser, cohort) == ("10", "hit")
        yield cohort, ports, browsers
    assert "Traceback" not in server_logs(tmp_path)


def test_redis_stopped_and_started_again_mid_run_fails_no_request_and_leaves_no_stale_page(
    servers_with_a_cached_page, own_redis
):
    cohort, ports, browsers = servers_with_a_cached_page

    own_redis.stop()
    answers = []
    for n, port in enumerate(ports):
        answers += [
            Visitor(port, address=f"198.51.100.{n * 10 + i}").apply(cohort, n * 10 + i) for i in range(3)
        ]
        answers.append(Visitor(port, address=f"198.51.100.{n * 10 + 5}").ask(n))
    during = [seats_shown(browser, cohort) for browser in browsers]
    checks = [health(port) for port in ports]

    own_redis.start()  # with the snapshot: the pages cached before the outage, and their generation
    assert own_redis.client().dbsize() > 1
    time.sleep(1.5)  # the breaker's interval: each server tries Redis again
    after = [seats_shown(browser, cohort) for browser in browsers for _ in range(3)]

    assert answers == [302, 302, 302, 302] * 2
    assert during == [("4", None)] * 2
    assert [(status, body["status"], body["cache"]) for status, body, _ in checks] == [
        (200, "degraded", "unavailable")
    ] * 2
    assert {seats for seats, _ in after} == {"4"}
    assert ("4", "hit") in after  # the cache is used again
    assert Application.objects.filter(cohort=cohort).count() == 6
    assert Enquiry.objects.count() == 2


def test_a_redis_that_hangs_mid_run_slows_no_request_for_long_and_leaves_no_stale_page(
    servers_with_a_cached_page, own_redis
):
    cohort, ports, browsers = servers_with_a_cached_page

    own_redis.hang()
    started = time.monotonic()
    answers = [Visitor(port, address=f"198.51.100.{n + 1}").apply(cohort, n) for n, port in enumerate(ports)]
    during = [seats_shown(browser, cohort) for browser in browsers]
    checks = [health(port) for port in ports]
    hung_for = time.monotonic() - started
    own_redis.resume()
    time.sleep(1.5)
    after = [seats_shown(browser, cohort) for browser in browsers for _ in range(3)]

    assert answers == [302, 302]
    assert during == [("8", None)] * 2
    assert [status for status, _, _ in checks] == [200, 200]
    assert hung_for < 10  # 8 requests; a hung Redis costs each process one short timeout per interval
    assert {seats for seats, _ in after} == {"8"}
    assert Application.objects.filter(cohort=cohort).count() == 2


def test_head_requests_are_answered_without_a_warning_in_the_log(two_servers, tmp_path):
    for port in two_servers:
        for path in ("/", "/", "/contact/", "/healthz", "/no-such-page/"):
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}{path}", method="HEAD", headers={"X-Forwarded-Proto": "https"}
            )
            try:
                with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                    assert response.read() == b""
            except urllib.error.HTTPError as error:
                assert error.code == 404
    time.sleep(0.5)  # what the servers log reaches the files
    assert "no-body response" not in server_logs(tmp_path)
