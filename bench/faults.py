"""Fault benchmark: ``python bench/faults.py [--outage 10] [--quick]``.

Starts the production stack (bench/harness.py: private PostgreSQL and Redis on other ports, never
the machine's own), warms every menu, runs the load generator (bench/loadgen.py) in a second
process, and while it runs:

1. stops the private Redis for ``--outage`` seconds and starts it again;
2. warms every menu again (Redis came back empty), then stops the private PostgreSQL
   (``pg_ctl stop -m fast``) for ``--outage`` seconds and starts it again;
3. SIGKILLs one gunicorn worker (the master respawns it).

A thread polls /api/health every 0.2 s. Per fault it reports the 5xx count on menu and chat, what
health said, and the time to full recovery after the service returned. At the end every chat
message that got a 200 is looked up in the database.

Targets (exit 1 when one is missed):
- no 5xx from the menu endpoint (nor chat: the limiter fails open) while Redis is down;
- warm menus are served from Redis while PostgreSQL is down: no menu 5xx;
- every 5xx is a clean JSON 503 — never a 500, never HTML;
- health answers 503 within 2 s of PostgreSQL going down, and "degraded" while Redis is down;
- full recovery (health ok, no failed request) within 5 s of the service returning;
- no diner message that got a 200 is missing from the database afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import Stack, http_get, machine, print_json, read_load, run_loadgen

HEALTH_503_WITHIN_S = 2.0
RECOVERY_WITHIN_S = 5.0


class HealthPoller(threading.Thread):
    """Polls /api/health and keeps (time, status code, body status) for every answer."""

    def __init__(self, port: int, interval: float = 0.2) -> None:
        super().__init__(daemon=True)
        self.port = port
        self.interval = interval
        self.samples: list[tuple[float, int, str]] = []
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            asked = time.time()
            status, body = http_get(self.port, "/api/health", timeout=3)
            try:
                state = json.loads(body).get("status", "?")
            except ValueError:
                state = "unparseable"
            self.samples.append((asked, status, state))
            self.stopped.wait(max(0.0, self.interval - (time.time() - asked)))


def warm_menus(stack: Stack, restaurants: int) -> None:
    """Fetch every menu once so that each is in the shared cache."""
    for n in range(restaurants):
        http_get(stack.port, f"/api/public/menu?restaurantId=bench-{n:03d}", timeout=5)


def wait_for_workers(stack: Stack, count: int, timeout: float = 30) -> float:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if len(stack.worker_pids()) >= count:
            return time.time()
        time.sleep(0.05)
    raise RuntimeError("gunicorn did not respawn its worker")


def judge(
    name: str,
    down_at: float,
    up_at: float,
    window_end: float,
    run: dict,
    health: list,
) -> tuple[dict, list[str]]:
    """Figures and missed targets for one fault between ``down_at`` and ``window_end``."""
    # A request belongs to the fault during which it *ended* (a request cut by a fault starts
    # before it).
    samples = [(s[0] + s[3] / 1000, *s[1:]) for s in run["samples"]]
    errors = run["server_errors"]
    in_window = [s for s in samples if down_at <= s[0] < window_end]
    retries = Counter(r[1] for r in run["retries"] if down_at <= r[0] < window_end)
    during = [s for s in samples if down_at <= s[0] < up_at]
    fivexx = Counter(s[1] for s in in_window if s[2] >= 500)
    no_answer = Counter(s[1] for s in in_window if s[2] == 0)
    failed_times = [s[0] + s[3] / 1000 for s in in_window if s[2] >= 500 or s[2] == 0]
    health_in = [h for h in health if down_at <= h[0] < window_end]
    health_ok_after = [h[0] for h in health_in if h[0] >= up_at and h[1] == 200 and h[2] == "ok"]
    health_bad = [h for h in health_in if h[0] < up_at and (h[1] != 200 or h[2] != "ok")]
    last_bad_health = max((h[0] for h in health_in if h[2] != "ok" or h[1] != 200), default=0)
    recovered_at = max([up_at, *failed_times, last_bad_health])
    recovery = round(recovered_at - up_at, 2) if health_ok_after else None
    first_503 = next((h[0] for h in health_in if h[1] == 503), None)
    bad_bodies = [
        e for e in errors if down_at <= e[0] < window_end and (e[2] != 503 or "json" not in e[3])
    ]
    report = {
        "outage_s": round(up_at - down_at, 2),
        "requests": len(in_window),
        "requests_while_down": len(during),
        "menu_5xx": fivexx.get("menu", 0) + fivexx.get("menu_revalidate", 0),
        "chat_5xx": fivexx.get("chat", 0),
        "no_answer": dict(no_answer),
        "retried_on_dropped_keepalive": dict(retries),
        "non_json_or_500_errors": len(bad_bodies),
        "health_while_down": sorted({f"{h[1]} {h[2]}" for h in health_bad}),
        "health_503_after_s": round(first_503 - down_at, 2) if first_503 else None,
        "recovery_s": recovery,
    }
    missed = []
    if bad_bodies:
        missed.append(f"{name}: {len(bad_bodies)} 5xx that were not a JSON 503: {bad_bodies[:2]}")
    if recovery is None or recovery > RECOVERY_WITHIN_S:
        missed.append(f"{name}: recovery took {recovery} s (target {RECOVERY_WITHIN_S} s)")
    if name == "redis":
        if report["menu_5xx"] or report["chat_5xx"]:
            missed.append(f"redis: {report['menu_5xx']} menu / {report['chat_5xx']} chat 5xx")
        if not any("degraded" in h for h in report["health_while_down"]):
            missed.append("redis: health never said 'degraded' while Redis was down")
    if name == "postgres":
        if report["menu_5xx"]:
            missed.append(f"postgres: {report['menu_5xx']} menu 5xx although every menu was warm")
        if first_503 is None or first_503 - down_at > HEALTH_503_WITHIN_S:
            missed.append(f"postgres: health 503 after {report['health_503_after_s']} s")
    return report, missed


def lost_messages(stack: Stack, chat_ok: list) -> int:
    """How many diner messages answered 200 are not in the database."""
    stored = Counter()
    for public_id, token, text, count in stack.sql(
        "SELECT r.public_id, s.token, m.text, count(*) FROM chat_chatmessage m "
        "JOIN chat_chatsession s ON m.session_id = s.id "
        "JOIN tenants_restaurant r ON s.restaurant_id = r.id "
        "WHERE m.role = 'diner' GROUP BY 1, 2, 3"
    ):
        stored[(public_id, token, text)] = int(count)
    answered = Counter(tuple(c) for c in chat_ok)
    return sum(max(0, n - stored[key]) for key, n in answered.items())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--outage", type=float, default=10, help="seconds each service is down")
    parser.add_argument("--settle", type=float, default=8, help="seconds watched after a fault")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--restaurants", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--quick", action="store_true", help="CI smoke: 2 s outages, 5 restaurants")
    args = parser.parse_args()
    if args.quick:
        args.outage, args.settle, args.restaurants, args.workers = 2, 3, 5, 2

    with Stack(workers=args.workers, restaurants=args.restaurants, max_items=120) as stack:
        warm_menus(stack, args.restaurants)
        poller = HealthPoller(stack.port)
        poller.start()
        lead = 2.0
        loadgen, out = run_loadgen(
            stack,
            duration=3600,  # stopped by SIGTERM below
            wait=False,
            concurrency=args.concurrency,
            restaurants=args.restaurants,
            diners=5000,
        )
        time.sleep(lead)
        timeline = []

        # 1. Redis
        down = time.time()
        stack.redis.stop()
        time.sleep(args.outage)
        stack.redis.start()
        up = time.time()
        time.sleep(args.settle)
        timeline.append(("redis", down, up, time.time()))
        warm_menus(stack, args.restaurants)  # Redis came back empty

        # 2. PostgreSQL
        time.sleep(1.5)
        down = time.time()  # the fault starts when the fast shutdown starts cutting connections
        stack.postgres.stop()
        time.sleep(args.outage)
        stack.postgres.start()
        up = time.time()
        time.sleep(args.settle)
        timeline.append(("postgres", down, up, time.time()))

        # 3. one gunicorn worker
        time.sleep(1)
        victim = stack.worker_pids()[0]
        down = time.time()
        os.kill(victim, signal.SIGKILL)
        up = wait_for_workers(stack, args.workers)
        time.sleep(args.settle)
        timeline.append(("worker_kill", down, up, time.time()))

        loadgen.send_signal(signal.SIGTERM)
        loadgen.wait()
        poller.stopped.set()
        poller.join()
        run = read_load(out)
        lost = lost_messages(stack, run["chat_ok"])

    report: dict = {
        "machine": machine(),
        "gunicorn_workers": args.workers,
        "restaurants": args.restaurants,
        "requests": len(run["samples"]),
        "chat_200": len(run["chat_ok"]),
        "chat_200_missing_from_db": lost,
        "faults": {},
    }
    missed = []
    for name, down, up, end in timeline:
        figures, fault_missed = judge(name, down, up, end, run, poller.samples)
        report["faults"][name] = figures
        missed += fault_missed
    if lost:
        missed.append(f"{lost} diner messages answered 200 are missing from the database")
    outside = [
        e for e in run["server_errors"] if not any(d <= e[0] < end for _, d, _, end in timeline)
    ]
    if outside:
        missed.append(f"{len(outside)} 5xx outside any fault window: {outside[:2]}")
    if not run["chat_ok"]:
        missed.append("no chat message got a 200: the load never reached the chat API")

    print_json("faults", report)
    if missed:
        print("TARGETS MISSED:\n  " + "\n  ".join(missed))
        return 1
    print("all fault targets met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
