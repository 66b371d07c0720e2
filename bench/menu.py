"""Benchmark of the public menu API against a minimal Django view, on production parity.

Starts gunicorn (the production gthread workers, DEBUG off) on PostgreSQL + Redis with the demo
menu, then drives it with wrk from a second process and prints, for each path, req/s, latency
p50/p99 and the ratio to the baseline measured in the same run:

- baseline: ``/bench/baseline``, a JsonResponse through the same middleware stack
  (routed only when ``STJARNA_BENCH_BASELINE=true``, which this script sets for its server);
- menu 200: ``/api/public/menu?restaurantId=demo``, warm (served from Redis);
- menu 304: the same with ``If-None-Match`` carrying the current ETag;
- menu 200 widget: the warm menu as the widget asks for it, cross-origin (``Origin`` on the demo
  restaurant's allowlist, so the CORS allowlist is read and the origin echoed); reported, not
  budgeted (django-cors-headers' own work adds ≈ 50 µs).

One wrk run on this kind of machine varies by ±15 % (which worker accepts which of the connections,
the scheduler), so each round measures every path back to back, in an order that rotates from round
to round, and a path's ratio is the **median over rounds of its ratio to the baseline of the same
round**; req/s and latencies are medians too.

Budget (issue 16): warm 200 ≥ 0.7× baseline, 304 ≥ 0.75× (a warm request is one Redis round
trip and no query; the CDN in front absorbs the rest); exits 1 when missed (``--no-budget``
only reports). Usage::

    python bench/menu.py                      # 15 rounds × 2 s per path, 4 workers, 8 connections
    python bench/menu.py --duration 1 --rounds 1 --no-budget   # CI smoke
    python bench/menu.py --database-url postgres://postgres@127.0.0.1:5432/stjarna_bench_menu \\
                         --redis-url redis://127.0.0.1:6379/0

Needs PostgreSQL, Redis and wrk (``apt-get install wrk``). The database is created if missing,
migrated and seeded with ``seed_demo``; cache keys use their own prefix.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.harness import production_env

ROOT = Path(__file__).resolve().parent.parent
MENU_PATH = "/api/public/menu?restaurantId=demo"
BASELINE_PATH = "/bench/baseline"
BUDGET = {"menu 200": 0.7, "menu 304": 0.75}
WIDGET_ORIGIN = "http://localhost:8000"  # on the demo restaurant's allowlist (seed_demo)


@dataclass
class Figure:
    name: str
    requests_per_second: float
    p50_ms: float | None
    p99_ms: float | None
    ratio: float = 1.0  # to the baseline (of the same round; a median over rounds once summarised)
    spread: tuple[float, float] = (1.0, 1.0)  # quartiles of the per-round ratios


def summarise(rounds: list[dict[str, Figure]], names: list[str]) -> list[Figure]:
    """One figure per path: medians over rounds, the ratio taken within each round first."""

    def median_of(values: list[float | None]) -> float | None:
        known = [value for value in values if value is not None]
        return statistics.median(known) if known else None

    def quartiles(values: list[float]) -> tuple[float, float]:
        if len(values) < 2:
            return values[0], values[0]
        low, _, high = statistics.quantiles(values, n=4)
        return low, high

    figures = []
    for name in names:
        ratios = [r[name].requests_per_second / r[names[0]].requests_per_second for r in rounds]
        figures.append(
            Figure(
                name,
                median_of([r[name].requests_per_second for r in rounds]),
                median_of([r[name].p50_ms for r in rounds]),
                median_of([r[name].p99_ms for r in rounds]),
                statistics.median(ratios),
                quartiles(ratios),
            )
        )
    return figures


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--duration", type=float, default=2, help="seconds of load per path and round"
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=15,
        help="rounds, each measuring every path; ratios are medians over rounds (default 15)",
    )
    parser.add_argument(
        "--workers", type=int, default=4, help="gunicorn workers (default 4: 2 per core)"
    )
    parser.add_argument("--connections", type=int, default=8, help="wrk connections")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/stjarna_bench_menu"
        ),
        help="PostgreSQL database to create/migrate/seed (default: stjarna_bench_menu)",
    )
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0"),
        help="Redis for the shared cache (keys are prefixed stjarna-bench-menu)",
    )
    parser.add_argument("--no-budget", action="store_true", help="report only, never fail")
    return parser.parse_args(argv)


def server_env(args: argparse.Namespace) -> dict[str, str]:
    return production_env(args.database_url, args.redis_url, CACHE_KEY_PREFIX="stjarna-bench-menu")


def ensure_database(database_url: str) -> None:
    """Create the bench database when it does not exist (connecting to the server's 'postgres')."""
    import psycopg

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    if not re.fullmatch(r"[A-Za-z0-9_]+", name):
        sys.exit(f"bench: unexpected database name {name!r}")
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def manage(env: dict[str, str], *command: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *command],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(env: dict[str, str], port: int, workers: int) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "stjarna_site.wsgi",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            # The production worker (gunicorn.conf.py): gthread, 2 threads per worker.
            "--worker-class",
            "gthread",
            "--threads",
            "2",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,  # the JSON request log: formatted like production, discarded
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str]]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            response.read()
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)


def wait_until_ready(base: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"bench: gunicorn exited:\n{server.stderr.read().decode()}")
        try:
            if fetch(base + BASELINE_PATH)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    sys.exit("bench: gunicorn did not answer within 30 s")


_LATENCY = re.compile(r"^\s*(50|99)%\s+([\d.]+)(us|ms|s)\s*$", re.MULTILINE)
_UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def run_wrk(name: str, url: str, args: argparse.Namespace, headers: tuple[str, ...] = ()) -> Figure:
    command = [
        "wrk",
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{max(1, round(args.duration))}s",
        "--latency",
    ]
    for header in headers:
        command += ["-H", header]
    output = subprocess.run([*command, url], check=True, capture_output=True, text=True).stdout
    if "Non-2xx or 3xx responses" in output:
        sys.exit(f"bench: {name} got error responses under load:\n{output}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    latency = {pct: float(value) * _UNIT_MS[unit] for pct, value, unit in _LATENCY.findall(output)}
    return Figure(name, rps, latency.get("50"), latency.get("99"))


def report(figures: list[Figure], args: argparse.Namespace) -> list[str]:
    print(
        f"\ngunicorn {args.workers} gthread workers × 2 threads · "
        f"wrk -t{args.threads} -c{args.connections} "
        f"-d{max(1, round(args.duration))}s, medians of {max(1, args.rounds)} rounds · "
        "PostgreSQL + Redis · demo menu"
    )
    print(
        f"{'path':<15} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'ratio':>6} "
        f"{'quartiles':>11}  budget"
    )
    failures = []
    for figure in figures:
        ratio = figure.ratio
        floor = BUDGET.get(figure.name)
        verdict = (
            "" if floor is None else (f"≥ {floor:g} " + ("ok" if ratio >= floor else "MISSED"))
        )
        if floor is not None and ratio < floor:
            failures.append(f"{figure.name}: {ratio:.2f}× baseline < {floor}×")
        p50 = f"{figure.p50_ms:.2f}" if figure.p50_ms is not None else "-"
        p99 = f"{figure.p99_ms:.2f}" if figure.p99_ms is not None else "-"
        print(
            f"{figure.name:<15} {figure.requests_per_second:>9.0f} {p50:>8} {p99:>8} "
            f"{ratio:>5.2f}× {figure.spread[0]:>5.2f}–{figure.spread[1]:.2f}  {verdict}"
        )
    return failures


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if shutil.which("wrk") is None:
        sys.exit("bench: wrk is not installed (apt-get install wrk)")
    env = server_env(args)
    ensure_database(args.database_url)
    manage(env, "migrate", "--noinput")
    manage(env, "seed_demo")
    manage(env, "purge_menu_cache", "--all")

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_gunicorn(env, port, args.workers)
    try:
        wait_until_ready(base, server)
        status, headers = fetch(base + MENU_PATH)
        if status != 200:
            sys.exit(f"bench: the menu answered {status}")
        etag = headers["ETag"]
        if fetch(base + MENU_PATH, {"If-None-Match": etag})[0] != 304:
            sys.exit("bench: the menu did not answer 304 to its own ETag")
        cors = {
            name.lower(): value
            for name, value in fetch(base + MENU_PATH, {"Origin": WIDGET_ORIGIN})[1].items()
        }
        if cors.get("access-control-allow-origin") != WIDGET_ORIGIN:
            sys.exit(f"bench: the demo menu did not allow {WIDGET_ORIGIN}")
        paths = [
            ("baseline", base + BASELINE_PATH, ()),
            ("menu 200", base + MENU_PATH, ()),
            ("menu 304", base + MENU_PATH, (f"If-None-Match: {etag}",)),
            ("menu 200 widget", base + MENU_PATH, (f"Origin: {WIDGET_ORIGIN}",)),
        ]
        rounds: list[dict[str, Figure]] = []
        for number in range(max(1, args.rounds)):
            order = paths[number % len(paths) :] + paths[: number % len(paths)]
            rounds.append({name: run_wrk(name, url, args, headers) for name, url, headers in order})
        figures = summarise(rounds, [name for name, _, _ in paths])
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    failures = report(figures, args)
    if failures and not args.no_budget:
        print("\nBUDGET MISSED: " + "; ".join(failures))
        return 1
    print("\nbudget " + ("not checked (--no-budget)" if args.no_budget else "met"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
