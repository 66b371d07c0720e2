"""The production stack on this machine, for the load, fault and bad-input benchmarks.

``Stack`` starts a *private* PostgreSQL (initdb + pg_ctl) and a *private* redis-server on free
ports in a temporary folder — never the machine's own services on 5432/6379, which other tests
use — migrates, seeds ``bench-*`` restaurants, runs gunicorn (``gunicorn.conf.py``) with DEBUG off
on a local port, and in front of it a private nginx (Debian's package, not daemonised) from the
project's own ``deploy/nginx/stjarna.conf.template``: exactly production's topology except for
plain HTTP. ``stack.port`` is nginx's; ``stack.app_port`` reaches gunicorn directly. The fault
script stops and starts the private services under load; :meth:`Stack.close` tears everything
down.

PostgreSQL refuses to run as root: when this script is root, the PostgreSQL commands run as the
``postgres`` system user (the temporary folder is handed to it).
"""

from __future__ import annotations

import contextlib
import http.client
import json
import math
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
# A fresh random key per run, as strong as production's (the stack is private and short-lived).
BENCH_SECRET_KEY = secrets.token_urlsafe(50)


def production_env(database_url: str, redis_url: str, **overrides: str) -> dict[str, str]:
    """The app's production environment (DEBUG off, JSON logs, the bench baseline routed) on the
    given PostgreSQL and Redis; the caller's own Django/database settings never leak in."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_", "PYTEST"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="stjarna_site.settings",
        DEBUG="false",
        SECRET_KEY=BENCH_SECRET_KEY,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="false",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        STJARNA_BENCH_BASELINE="true",  # routes /bench/baseline (bench/baseline.py)
        LOG_FORMAT="json",
        PYTHONPATH=str(ROOT),
        **overrides,
    )
    return env


PG_BIN_DIRS = ("/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/16/bin")


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def pg_tool(name: str) -> str:
    """Path of a PostgreSQL server binary (initdb, pg_ctl), from PATH or Debian's folder."""
    found = shutil.which(name)
    if found:
        return found
    for folder in PG_BIN_DIRS:
        candidate = Path(folder) / name
        if candidate.exists():
            return str(candidate)
    raise RuntimeError(f"{name} not found: install PostgreSQL server binaries")


def _as_postgres_user():
    """preexec_fn dropping root to the postgres user (PostgreSQL refuses to run as root)."""
    if os.geteuid() != 0:
        return None
    user = pwd.getpwnam("postgres")

    def drop() -> None:
        os.setgid(user.pw_gid)
        os.setuid(user.pw_uid)

    return drop


def http_get(port: int, path: str, timeout: float = 2.0) -> tuple[int, bytes]:
    """One GET on a fresh connection: (status, body); (0, b"") when nothing answered."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    except OSError:
        return 0, b""
    finally:
        conn.close()


NGINX_TEMPLATE = ROOT / "deploy" / "nginx" / "stjarna.conf.template"
NGINX_BIN = shutil.which("nginx") or "/usr/sbin/nginx"
_PLACEHOLDER = re.compile(r"\$\{(STJARNA_[A-Z_]+)\}")


def render_nginx_site(values: dict[str, str]) -> str:
    """The deploy template with its ``${STJARNA_…}`` names replaced (what ``envsubst`` does with
    an explicit list of names); nginx's own ``$variables`` are left alone."""

    def replace(match: re.Match) -> str:
        return values[match.group(1)]

    return _PLACEHOLDER.sub(replace, NGINX_TEMPLATE.read_text())


# The http-level frame of a private nginx: no daemon, everything under its own folder.
_NGINX_MAIN = """daemon off;
master_process on;
worker_processes 1;
worker_rlimit_nofile 16384;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
{user}
events {{ worker_connections 8192; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    tcp_nopush on;
    client_body_temp_path {folder}/client_body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    include {folder}/stjarna.conf;
}}
"""


# collectstatic into a private folder, then renamed into place in one step: test workers that
# run beside a bench stack build whitenoise from STATIC_ROOT and must never see it half-written
# (a fresh clone's first bench smoke collects while other tests serve requests).
_COLLECT_ATOMICALLY = (
    "import os, shutil; from django.conf import settings; "
    "final = settings.STATIC_ROOT; "
    "settings.STATIC_ROOT = final.with_name(f'{final.name}.{os.getpid()}'); "
    "c('collectstatic', interactive=False, verbosity=0); "
    "shutil.rmtree(final, ignore_errors=True); "
    "os.replace(settings.STATIC_ROOT, final); "
)


@dataclass
class Nginx:
    """A private nginx in ``folder`` on 127.0.0.1:``port`` in front of ``upstream``."""

    folder: Path
    upstream: str
    static_root: Path = ROOT / "staticfiles"
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def conf(self) -> Path:
        return self.folder / "nginx.conf"

    def write_config(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        site = render_nginx_site(
            {
                "STJARNA_LISTEN": f"127.0.0.1:{self.port}",
                "STJARNA_SERVER_NAME": "127.0.0.1 localhost",
                "STJARNA_UPSTREAM": self.upstream,
                "STJARNA_STATIC_ROOT": str(self.static_root),
                "STJARNA_REAL_IP_FROM": "127.0.0.1",  # the load generator plays the balancer
                "STJARNA_ACCESS_LOG": str(self.folder / "access.log"),
            }
        )
        (self.folder / "stjarna.conf").write_text(site)
        # As root the master would hand its workers to "nobody", who cannot use this folder.
        user = "user root;" if os.geteuid() == 0 else ""
        self.conf.write_text(_NGINX_MAIN.format(folder=self.folder, user=user))

    def command(self, *args: str) -> list[str]:
        return [NGINX_BIN, "-p", str(self.folder), "-e", str(self.folder / "error.log"),
                "-c", str(self.conf), *args]  # fmt: skip

    def test_config(self) -> subprocess.CompletedProcess:
        """``nginx -t`` on the written config."""
        self.write_config()
        return subprocess.run(self.command("-t"), capture_output=True, text=True)

    def start(self) -> None:
        self.write_config()
        self.process = subprocess.Popen(
            self.command(),
            stdout=(self.folder / "nginx.out").open("ab"),
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                log = (self.folder / "error.log").read_text(errors="replace")
                raise RuntimeError(f"nginx exited:\n{log}")
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2),
            ):
                return
            time.sleep(0.05)
        raise RuntimeError("nginx did not start listening")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)  # graceful: finish requests in flight
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None


@dataclass
class Postgres:
    """A private PostgreSQL cluster in ``folder`` listening on 127.0.0.1:``port``."""

    folder: Path
    port: int = field(default_factory=free_port)

    @property
    def data(self) -> Path:
        return self.folder / "pgdata"

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/stjarna_bench"

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        done = subprocess.run(
            args,
            preexec_fn=_as_postgres_user(),
            cwd="/",
            capture_output=True,
            text=True,
        )
        if check and done.returncode:
            raise RuntimeError(f"{' '.join(args)} failed:\n{done.stdout}{done.stderr}")
        return done

    def init(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.folder.parent.chmod(0o755)  # mkdtemp's 0700 would keep the postgres user out
        if os.geteuid() == 0:
            user = pwd.getpwnam("postgres")
            os.chown(self.folder, user.pw_uid, user.pw_gid)
        self._run(
            pg_tool("initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust",
            "-E", "UTF8", "--locale=C.UTF-8", "--no-sync",
        )  # fmt: skip
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write(
                f"\nport = {self.port}\nlisten_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{self.folder}'\nmax_connections = 200\n"
            )
        self.start()
        self._run(
            "psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-q",
            "-c", "CREATE DATABASE stjarna_bench",
        )  # fmt: skip

    def start(self) -> None:
        self._run(
            pg_tool("pg_ctl"), "-D", str(self.data), "-l", str(self.folder / "postgres.log"),
            "-w", "-t", "30", "start",
        )  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        """Stop the cluster: "fast" (clients cut, clean shutdown) or "immediate" (teardown)."""
        self._run(pg_tool("pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop", check=False)


@dataclass
class Redis:
    """A private redis-server on 127.0.0.1:``port`` without persistence (a pure cache)."""

    folder: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],
            stdout=(self.folder / "redis.log").open("ab"),
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as sock,
            ):
                sock.sendall(b"PING\r\n")
                if sock.recv(16).startswith(b"+PONG"):
                    return
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        self.process = None


@dataclass
class Stack:
    """PostgreSQL + Redis + gunicorn, private to one benchmark run.

    Use as a context manager: ``with Stack(workers=5, restaurants=200) as stack: ...``.
    """

    workers: int = 0  # 0: gunicorn.conf.py's default (2 × CPUs + 1)
    threads: int = 0  # 0: gunicorn.conf.py's default
    restaurants: int = 200
    max_items: int = 300
    extra_env: dict[str, str] = field(default_factory=dict)
    folder: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="stjarna-bench-")))
    app_port: int = field(default_factory=free_port)
    gunicorn: subprocess.Popen | None = None

    def __post_init__(self) -> None:
        self.postgres = Postgres(self.folder / "pg")
        self.redis = Redis(self.folder)
        self.nginx = Nginx(self.folder / "nginx", upstream=f"127.0.0.1:{self.app_port}")

    @property
    def port(self) -> int:
        """Where clients connect: nginx."""
        return self.nginx.port

    # --- lifecycle ----------------------------------------------------------------------------
    def __enter__(self) -> Stack:
        # A SIGTERM (CI timeout, Ctrl-C's cousin) unwinds through __exit__, so nothing is left
        # running: no orphaned PostgreSQL or Redis on a random port.
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
        try:
            self.start()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def env(self) -> dict[str, str]:
        """The production environment of the app, pointed at the private services."""
        env = production_env(
            self.postgres.url,
            self.redis.url,
            TRUSTED_PROXY_COUNT="1",  # nginx, which believes the load generator's X-Forwarded-For
            BIND=f"127.0.0.1:{self.app_port}",
        )
        if self.workers:
            env["WEB_CONCURRENCY"] = str(self.workers)
        if self.threads:
            env["GUNICORN_THREADS"] = str(self.threads)
        env.update(self.extra_env)
        return env

    def manage(self, *args: str) -> str:
        """Run ``manage.py`` against the private stack; returns its stdout."""
        done = subprocess.run(
            [PYTHON, "manage.py", *args],
            cwd=ROOT,
            env=self.env(),
            capture_output=True,
            text=True,
        )
        if done.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
        return done.stdout

    def start(self) -> None:
        self.postgres.init()
        self.redis.start()
        # One Django start-up for every setup step (each manage.py process costs a second or two).
        collect = not (ROOT / "staticfiles" / "staticfiles.json").exists()
        self.manage(
            "shell",
            "-c",
            "from django.core.management import call_command as c; "
            "c('migrate', interactive=False, verbosity=0); "
            + (_COLLECT_ATOMICALLY if collect else "")
            + f"c('seed_bench', restaurants={self.restaurants}, max_items={self.max_items})",
        )
        self.start_gunicorn()
        self.nginx.start()
        self.wait_healthy(timeout=20)

    def start_gunicorn(self) -> None:
        self.gunicorn = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py")],
            cwd=ROOT,
            env=self.env(),
            stdout=(self.folder / "app.log").open("ab"),
            stderr=(self.folder / "gunicorn.log").open("ab"),
        )
        self.wait_healthy(timeout=60)

    def wait_healthy(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.gunicorn and self.gunicorn.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.folder / 'gunicorn.log'}")
            port = self.port if self.nginx.process else self.app_port
            status, _ = http_get(port, "/api/health", timeout=3)
            if status == 200 and len(self.worker_pids()) >= max(self.workers, 1):
                return
            time.sleep(0.1)
        raise RuntimeError(f"stack not healthy after {timeout}s; see {self.folder}")

    def close(self) -> None:
        self.nginx.stop()
        if self.gunicorn and self.gunicorn.poll() is None:
            self.gunicorn.send_signal(signal.SIGQUIT)  # immediate: nothing here needs draining
            try:
                self.gunicorn.wait(15)
            except subprocess.TimeoutExpired:
                self.gunicorn.kill()
                self.gunicorn.wait()
        self.redis.stop()
        self.postgres.stop("immediate")
        if not os.environ.get("STJARNA_BENCH_KEEP"):
            shutil.rmtree(self.folder, ignore_errors=True)

    # --- introspection ------------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def postgres_pids(self) -> list[int]:
        """The private cluster's postmaster and every backend it forked."""
        postmaster = int((self.postgres.data / "postmaster.pid").read_text().split()[0])
        return [postmaster, *children_of(postmaster)]

    def freeze(self, pids: list[int]) -> None:
        """SIGSTOP: the processes stop answering while the kernel keeps their sockets open."""
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGSTOP)

    def thaw(self, pids: list[int]) -> None:
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGCONT)

    def worker_pids(self) -> list[int]:
        """The gunicorn master's children (its workers), read from /proc."""
        return children_of(self.gunicorn.pid) if self.gunicorn else []

    def sql(self, query: str) -> list[tuple]:
        """Run one query on the private database (psql, so no driver is needed here)."""
        done = subprocess.run(
            [
                "psql",
                "-h",
                "127.0.0.1",
                "-p",
                str(self.postgres.port),
                "-U",
                "postgres",
                "-d",
                "stjarna_bench",
                "-At",
                "-F",
                "\t",
                "-c",
                query,
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        return [tuple(line.split("\t")) for line in done.stdout.splitlines() if line]


def children_of(parent: int) -> list[int]:
    """The processes whose parent is ``parent``, read from /proc."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # "pid (comm) state ppid ..."; comm may contain spaces, so split after the last ")".
        if int(stat.rsplit(")", 1)[1].split()[1]) == parent:
            pids.append(int(entry.name))
    return sorted(pids)


def machine() -> str:
    """The CPU model and count, for the figures' record."""
    model = "unknown CPU"
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        for line in subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines():
            if line.startswith("Model name:"):
                model = line.split(":", 1)[1].strip()
    return f"{model}, {os.cpu_count()} CPUs"


def print_json(title: str, data: object) -> None:
    print(f"== {title}")
    print(json.dumps(data, indent=2, sort_keys=True))


# --- load generation and figures -------------------------------------------------------------
def run_loadgen(
    stack: Stack, *, duration: float, wait: bool = True, **options: object
) -> tuple[subprocess.Popen, Path]:
    """Start bench/loadgen.py (a second process) against the stack; returns it and its output."""
    out = stack.folder / f"load-{time.time_ns()}.json"
    args = [PYTHON, str(ROOT / "bench" / "loadgen.py"), "--port", str(stack.port)]
    args += ["--duration", str(duration), "--out", str(out)]
    for name, value in options.items():
        args += [f"--{name.replace('_', '-')}", str(value)]
    process = subprocess.Popen(args, cwd=ROOT)
    if wait:
        process.wait()
    return process, out


def read_load(out: Path) -> dict:
    with out.open() as file:
        return json.load(file)


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (0 for no values)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = math.ceil(pct / 100 * len(ordered))  # the smallest value with pct % at or below it
    return ordered[max(0, min(len(ordered), rank) - 1)]


def summarise(samples: list, seconds: float) -> dict[str, dict]:
    """Per endpoint: requests, req/s, p50/p95/p99 ms, statuses, 429s, errors (5xx, 4xx, no answer).

    429 is the product working as designed (rate limits), so it is counted apart from errors.
    """
    by_endpoint: dict[str, list] = {}
    for sample in samples:
        by_endpoint.setdefault(sample[1], []).append(sample)
    figures = {}
    for endpoint, rows in sorted(by_endpoint.items()):
        answered = [row[3] for row in rows if row[2]]
        statuses: dict[str, int] = {}
        for row in rows:
            statuses[str(row[2])] = statuses.get(str(row[2]), 0) + 1
        figures[endpoint] = {
            "requests": len(rows),
            "rps": round(len(rows) / seconds, 1) if seconds else 0,
            "p50_ms": round(percentile(answered, 50), 1),
            "p95_ms": round(percentile(answered, 95), 1),
            "p99_ms": round(percentile(answered, 99), 1),
            "statuses": statuses,
            "rate_limited_429": statuses.get("429", 0),
            "server_errors_5xx": sum(n for s, n in statuses.items() if s.startswith("5")),
            "client_errors_4xx": sum(
                n for s, n in statuses.items() if s.startswith("4") and s != "429"
            ),
            "no_answer": statuses.get("0", 0),
        }
    return figures
