"""gunicorn settings for production: ``gunicorn stjarna_site.wsgi`` reads this file by itself.

Sized from the machine's CPU count; every value an operator may need to change is an environment
variable (listed in ``.env.example`` and docs/reliability.md):

- ``WEB_CONCURRENCY``: worker processes (default ``2 × CPUs + 1``).
- ``GUNICORN_THREADS``: threads per worker (default 2, so the ``gthread`` worker: keep-alive
  connections and a second request while one waits on PostgreSQL or Redis).
- ``GUNICORN_TIMEOUT``: seconds a worker may be silent before the master kills it (default 30).
- ``BIND`` (e.g. ``unix:/run/stjarna/gunicorn.sock``) or ``PORT`` (default 8000, on 127.0.0.1
  only: nginx in front (``deploy/nginx/``) is the only client, so a slow or idle client can never
  hold a worker; a platform without nginx that must reach gunicorn sets ``BIND=0.0.0.0:$PORT``).
- ``FORWARDED_ALLOW_IPS``: the proxies whose ``X-Forwarded-*`` headers gunicorn believes for
  ``wsgi.url_scheme`` (default ``127.0.0.1``). The *client IP* for rate limits is decided by the
  application's ``TRUSTED_PROXY_COUNT``, not by this setting.

Access log: gunicorn's own access log is **off**. The application's ``RequestLogMiddleware`` already
writes exactly one JSON line per request on stdout (request id, method, path, status, duration,
restaurant, rate-limited flag — SPEC §10); a second line from gunicorn would double every request
and could not carry the tenant. Set ``GUNICORN_ACCESS_LOG=-`` to get gunicorn's line as well (for
example to see requests the application never answered). gunicorn's error log (start, stop, worker
timeouts and restarts) goes to stderr.
"""

from __future__ import annotations

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


_cpus = multiprocessing.cpu_count()

wsgi_app = "stjarna_site.wsgi:application"
bind = os.environ.get("BIND") or f"127.0.0.1:{_int('PORT', 8000)}"

workers = _int("WEB_CONCURRENCY", 2 * _cpus + 1)
threads = _int("GUNICORN_THREADS", 2)
worker_class = "gthread" if threads > 1 else "sync"

# A request may take at most `timeout` s (the app's own deadlines — database connect 2 s, Redis
# socket 0.5 s, health 1.5 s — are far below it); a stuck worker is killed and replaced.
timeout = _int("GUNICORN_TIMEOUT", 30)
# On SIGTERM (deploys, scale-down) finish requests in flight for up to this long.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Idle keep-alive connections (gthread only) are kept this many seconds. Behind a load balancer
# that reuses upstream connections, set it above the balancer's idle timeout (AWS ALB: 60 s) so
# gunicorn is never the side that closes a connection the balancer is about to reuse.
keepalive = _int("GUNICORN_KEEPALIVE", 5)

# Recycle workers now and then so a slow leak can never grow without bound; the jitter keeps all
# workers from restarting at the same moment. Not too often: a restart costs ~1 s of a worker
# booting Django and drops its idle keep-alive connections (bench/faults.py showed a worker
# recycled every 4 s under load with 2000; see docs/reliability.md).
max_requests = _int("GUNICORN_MAX_REQUESTS", 20000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 2000)

# Refuse absurd request lines and headers early (gunicorn answers 400 without waking Django).
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190

forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

# The heartbeat file lives in memory: a container's disk-backed /tmp can stall workers and make
# the master think they hung.
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"

# Load the application in each worker (not the master): a worker killed or recycled comes back
# with fresh database and Redis connections, and nothing is shared across a fork.
preload_app = False
