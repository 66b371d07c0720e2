"""Load benchmark on the production stack: ``python bench/load.py [--duration 30] [--workers N]``.

Starts private PostgreSQL + Redis + gunicorn (bench/harness.py), seeds ``--restaurants`` restaurants
with 30–300 items each, then runs the load generator (bench/loadgen.py, a second process) twice:

1. the **baseline**: only ``/bench/baseline``, the minimal JSON view, through the same middleware;
2. the **mix**: menu fetches with and without ``If-None-Match`` across many restaurants and chat
   messages from many diners (distinct session tokens and IPs) across many restaurants — first
   ``--warmup`` seconds of it (the cold start: every worker's first chat for each restaurant
   loads its prepared menu), reported apart, then the measured ``--duration``.

Prints throughput, p50/p95/p99 per endpoint, statuses (429s apart from errors) and the ratios to
the baseline; exits 1 on any 5xx, any request without an answer, any unexpected 4xx, or a missed
target (TARGETS below, recorded in docs/performance.md).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import (
    Stack,
    machine,
    print_json,
    read_load,
    run_loadgen,
    summarise,
)

# Targets for the mix, as ratios to the baseline measured in the same run (absolute numbers
# depend on the machine; ratios much less so).
TARGETS = {
    # Menu requests share workers with chat in the mix, so they queue behind it: a ceiling that a
    # cold-cache stampede or a query per request would break (measured 3–5×, docs/performance.md).
    "menu_p50_vs_baseline_max": 8.0,
    # Issue #16's floor. A warm chat costs a few baseline requests (3 statements, one Redis
    # round trip, the engine); measured 0.335–0.381× (median 0.357×) on the 2-core machine with
    # nothing else running (docs/performance.md "Load"). A machine shared with other work
    # measures less (0.14× was seen): run it alone.
    "mix_rps_vs_baseline_min": 0.3,
    # Chat stays interactive under load (measured p95 ~400 ms on the busy 2-core machine).
    "chat_p95_ms_max": 1000.0,
    # Rate limits hit the abusive diners, not everybody.
    "chat_429_share_max": 0.10,
}


def measure(args: argparse.Namespace) -> tuple[dict, list[str]]:
    """Run both phases on a fresh stack; returns the report and the missed targets."""
    with Stack(workers=args.workers, threads=args.threads, restaurants=args.restaurants) as stack:
        common = {"concurrency": args.concurrency, "restaurants": args.restaurants}
        _, out = run_loadgen(stack, duration=args.baseline_duration, mix="baseline", **common)
        base_run = read_load(out)
        warm_run = None
        if args.warmup:
            # Each worker's first chat for a restaurant loads that restaurant's prepared menu
            # (about 5 ms; 200 restaurants x the workers): measured apart, as the cold start
            _, out = run_loadgen(stack, duration=args.warmup, **common)
            warm_run = read_load(out)
        _, out = run_loadgen(stack, duration=args.duration, **common)
        mix_run = read_load(out)
        # The baseline again after the mix: on a shared VM one short baseline varies by a third
        # from run to run, so the ratios use the faster of the two (the harder target).
        _, out = run_loadgen(stack, duration=args.baseline_duration, mix="baseline", **common)
        base_after = read_load(out)
        workers = len(stack.worker_pids())

    def rate(run: dict) -> float:
        return len(run["samples"]) / (run["ended"] - run["started"])

    base_rps = [round(rate(base_run), 1), round(rate(base_after), 1)]
    if rate(base_after) > rate(base_run):
        base_run = base_after
    base_seconds = base_run["ended"] - base_run["started"]
    mix_seconds = mix_run["ended"] - mix_run["started"]
    baseline = summarise(base_run["samples"], base_seconds)
    mix = summarise(mix_run["samples"], mix_seconds)
    total = len(mix_run["samples"])
    base = baseline.get("baseline", {})
    menu = mix.get("menu", {})
    chat = mix.get("chat", {})
    cold = None
    if warm_run is not None and base:
        warm_seconds = warm_run["ended"] - warm_run["started"]
        cold = round((len(warm_run["samples"]) / warm_seconds) / base["rps"], 3)
    ratios = {
        "mix_rps_vs_baseline": round((total / mix_seconds) / base["rps"], 3) if base else None,
        "cold_start_mix_rps_vs_baseline": cold,
        "menu_p50_vs_baseline": (
            round(menu["p50_ms"] / base["p50_ms"], 2) if base and menu and base["p50_ms"] else None
        ),
    }
    report = {
        "machine": machine(),
        "gunicorn_workers": workers,
        "concurrency": args.concurrency,
        "restaurants": args.restaurants,
        "duration_s": round(mix_seconds, 1),
        "baseline": baseline,
        "baseline_rps_before_and_after": base_rps,
        "mix": mix,
        "mix_total_rps": round(total / mix_seconds, 1),
        "ratios": ratios,
        "targets": TARGETS,
    }

    missed = []
    for phase, figures in (("baseline", baseline), ("mix", mix)):
        for endpoint, row in figures.items():
            for kind in ("server_errors_5xx", "no_answer", "client_errors_4xx"):
                if row[kind]:
                    missed.append(f"{phase}/{endpoint}: {row[kind]} {kind}")
    if not base or not menu or not chat:
        missed.append("an endpoint got no traffic (baseline, menu and chat are all required)")
    elif not args.no_speed_targets:
        if ratios["menu_p50_vs_baseline"] > TARGETS["menu_p50_vs_baseline_max"]:
            missed.append(f"menu p50 is {ratios['menu_p50_vs_baseline']}× the baseline's")
        if ratios["mix_rps_vs_baseline"] < TARGETS["mix_rps_vs_baseline_min"]:
            missed.append(f"mix throughput is {ratios['mix_rps_vs_baseline']}× the baseline's")
        if chat["p95_ms"] > TARGETS["chat_p95_ms_max"]:
            missed.append(f"chat p95 {chat['p95_ms']} ms")
        if chat["rate_limited_429"] / chat["requests"] > TARGETS["chat_429_share_max"]:
            missed.append(f"{chat['rate_limited_429']} of {chat['requests']} chats were 429")
    return report, missed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=30, help="seconds of mixed load")
    parser.add_argument("--baseline-duration", type=float, default=None)
    parser.add_argument(
        "--warmup",
        type=float,
        default=15,
        help="seconds of mixed load before the measured mix, reported as the cold start (0: none)",
    )
    parser.add_argument("--workers", type=int, default=0, help="gunicorn workers (0: config)")
    parser.add_argument("--threads", type=int, default=0, help="threads per worker (0: config)")
    parser.add_argument("--concurrency", type=int, default=16, help="client connections")
    parser.add_argument("--restaurants", type=int, default=200)
    parser.add_argument(
        "--no-speed-targets",
        action="store_true",
        help="check correctness only (CI smoke on a busy machine): no 5xx, all answered",
    )
    args = parser.parse_args()
    if args.baseline_duration is None:
        args.baseline_duration = max(2.0, args.duration / 3)

    report, missed = measure(args)
    print_json("load", report)
    if missed:
        print("TARGETS MISSED:\n  " + "\n  ".join(missed))
        return 1
    print("all load targets met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
