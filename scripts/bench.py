"""`make bench`: throughput and latency of the main pages against a static file, on the production stack.

Starts gunicorn (production settings, DEBUG off, 2 workers) on PostgreSQL and Redis with the demo
content, drives it with wrk (Debian's package) at 16 connections, and prints for each page requests
per second, p50/p95/p99 latency, errors, throughput as a ratio to the static CSS file in the same
run, the database queries an uncached render runs, and the compressed bytes of a first view (HTML
plus the CSS, JS and icon it loads). Figures, not pass/fail: see docs/performance.md.

Environment: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/emsprogram_bench; the
database is created when missing), BENCH_REDIS_URL (default redis://127.0.0.1:6379/5),
BENCH_DURATION seconds per page (default 10), BENCH_CONNECTIONS (default 16), BENCH_PORT (default 8765).
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
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

PROJECT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DURATION = int(os.environ.get("BENCH_DURATION", "10"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
PORT = int(os.environ.get("BENCH_PORT", "8765"))
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/emsprogram_bench")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5")

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
import json
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from enrollment.models import Program

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
for name, url in pages.items():
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    queries[name] = len(captured)
print(json.dumps({"pages": pages, "queries": queries}))
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


def fetch(url, encoding="br, gzip"):
    request = urllib.request.Request(url, headers={"Accept-Encoding": encoding, "X-Forwarded-Proto": "https"})
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (our own local server)
        return response.read(), response.headers.get("Content-Encoding", "")


def first_view_bytes(base, path):
    """Compressed bytes of the HTML and of every stylesheet, script and icon it loads."""
    html_compressed, encoding = fetch(base + path, encoding="gzip")
    html = gzip.decompress(html_compressed).decode() if encoding == "gzip" else html_compressed.decode()
    total = len(html_compressed)
    assets = re.findall(r'<(?:link[^>]+href|script[^>]+src)="(/static/[^"]+)"', html)
    third_party = re.findall(r'(?:href|src)="(https?://(?!127\.0\.0\.1)[^"]+)"', html)
    for asset in set(assets):
        body, _ = fetch(base + asset)
        total += len(body)
    return total, len(set(assets)), third_party


def wrk(url, script):
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


def main():
    ensure_tools()
    ensure_database()
    env = production_env()
    static_root = tempfile.mkdtemp(prefix="bench-static-")
    env["DJANGO_STATIC_ROOT"] = static_root
    print("Preparing: migrate, demo content, collectstatic...", flush=True)
    run([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], env)
    run([PYTHON, "manage.py", "load_demo_content"], env, stdout=subprocess.DEVNULL)
    run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v", "0"], env)
    subprocess.run(["redis-cli", "-u", REDIS_URL, "FLUSHDB"], check=False, stdout=subprocess.DEVNULL)
    output = run(
        [PYTHON, "manage.py", "shell", "-v", "0", "-c", PAGES_SCRIPT], env, capture_output=True, text=True
    ).stdout
    info = json.loads(output.strip().splitlines()[-1])
    pages, queries = info["pages"], info["queries"]
    manifest = json.loads(Path(static_root, "staticfiles.json").read_text())["paths"]
    pages["static CSS file"] = "/static/" + manifest["css/site.css"]

    gunicorn = subprocess.Popen(
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
    base = f"http://127.0.0.1:{PORT}"
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_REPORT)
    try:
        wait_for(PORT)
        results = {}
        for name, path in pages.items():
            fetch(base + path)  # warm the page cache and the workers
            fetch(base + path)
            print(f"  {name}: {path}", flush=True)
            results[name] = wrk(base + path, script.name)
            if name != "static CSS file":
                results[name]["bytes"], results[name]["assets"], third = first_view_bytes(base, path)
                results[name]["third_party"] = third
    finally:
        os.killpg(gunicorn.pid, signal.SIGTERM)
        gunicorn.wait(timeout=30)
        os.unlink(script.name)
        shutil.rmtree(static_root, ignore_errors=True)

    static_rps = results["static CSS file"]["rps"]
    print()
    print(f"gunicorn, 2 workers, production settings; wrk {CONNECTIONS} connections, {DURATION} s per page")
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


def platform_summary():
    import platform

    return (
        f"{platform.machine()}, Python {platform.python_version()}, {platform.system()} {platform.release()}"
    )


if __name__ == "__main__":
    main()
