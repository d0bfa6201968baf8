"""gunicorn settings for production: `gunicorn emsprogram.wsgi -c gunicorn.conf.py`.

Every value can be changed through the environment, as for the Django settings.

Workers run threads (gthread): a request waiting for the database (an application waiting for the cohort's
seat lock during a rush) holds one thread, not the whole worker. The health check skips the queue: the load
balancer must hear from a server that is busy, not conclude it is down (docs/performance.md)."""

import os
import selectors
import socket
import time
from concurrent import futures
from functools import partial

from gunicorn.workers import gthread

_HEALTH_CHECK_REQUEST_LINES = (b"GET /healthz ", b"HEAD /healthz ")


class HealthCheckFirstWorker(gthread.ThreadWorker):
    """gunicorn's gthread worker, with a thread of its own for /healthz: a connection whose request asks for
    the health check is answered by that thread instead of waiting in line behind every request accepted
    before it. To tell, the worker looks at the start of the request (without reading it) once it has
    arrived; until then the connection waits on the worker's poller, holding no thread (gthread does the
    same, after holding a thread for up to 5 s)."""

    def init_process(self):
        self.health_check_pool = futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="healthz")
        super().init_process()

    def enqueue_req(self, conn):
        if conn.initialized:  # a kept-alive connection's next request
            return super().enqueue_req(conn)
        start = _request_start(conn.sock)
        if start is None:
            return self._wait_for_request(conn)
        if not start.startswith(_HEALTH_CHECK_REQUEST_LINES):
            return super().enqueue_req(conn)
        answered = self.health_check_pool.submit(self.handle, conn)
        answered.add_done_callback(lambda done: self.method_queue.defer(self.finish_request, conn, done))

    def _wait_for_request(self, conn):
        # As gthread's finish_request does for a connection that sent nothing yet, with its whole patience.
        conn.sock.setblocking(False)
        conn.timeout = time.monotonic() + gthread.DEFAULT_WORKER_DATA_TIMEOUT + self.cfg.keepalive
        self.pending_conns.append(conn)
        self.poller.register(conn.sock, selectors.EVENT_READ, partial(self.on_pending_socket_readable, conn))


def _request_start(sock) -> bytes | None:
    """The first bytes the client sent, left unread; None if nothing has arrived yet."""
    try:
        return sock.recv(
            len(max(_HEALTH_CHECK_REQUEST_LINES, key=len)), socket.MSG_PEEK | socket.MSG_DONTWAIT
        )
    except BlockingIOError:
        return None
    except OSError:
        return b""  # a broken connection: gthread's ordinary handling closes it


bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
worker_class = HealthCheckFirstWorker
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = 500
# Access logs carry paths and client addresses only: no form data is ever in a URL.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
