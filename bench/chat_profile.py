"""Where a chat's time goes, in-process: ``python bench/chat_profile.py [--chats 300] [--profile]``.

The fast loop before ``bench/load.py``: chats go through Django's test client and the whole
middleware stack with the production settings (DEBUG off, JSON logs to a file), against whatever
``DATABASE_URL`` / ``REDIS_URL`` say (default: SQLite and the local cache). It seeds a few
``bench-*`` restaurants (``manage.py seed_bench``), warms every engine menu, then times
``--chats`` first messages of new diners and as many returning diners' messages, as the load
mix sends them (one IP per diner). ``--profile`` adds cProfile's top functions per kind.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import secrets
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MESSAGES = (
    "hi",
    "what is vegan?",
    "anything gluten-free?",
    "vegan pasta under 150 without nuts",
    "does the pad thai contain peanuts?",
    "what are your opening hours?",
    "cheapest dish",
    "vegetarian options without milk",
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chats", type=int, default=300, help="diners (each sends two messages)")
    parser.add_argument("--restaurants", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="print cProfile's top functions")
    parser.add_argument(
        "--cpu", action="store_true", help="profile this process's CPU time, not the wall clock"
    )
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--sort", default="cumulative", help="pstats order (tottime, ...)")
    parser.add_argument("--dump", metavar="PREFIX", help="also write PREFIX-first.pstats, ...")
    args = parser.parse_args()

    os.environ.update(
        DJANGO_SETTINGS_MODULE="stjarna_site.settings",
        DEBUG="false",
        SECRET_KEY=os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        ALLOWED_HOSTS="testserver",
        SECURE_SSL_REDIRECT="false",
        LOG_FORMAT="json",
    )
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", interactive=False, verbosity=0)
    call_command("seed_bench", restaurants=args.restaurants, min_items=30, max_items=300)
    from django.core.cache import cache

    cache.clear()  # counters of an earlier run would rate-limit this one

    client = Client()
    run = secrets.token_hex(4)
    diners = [
        (f"bench-{n % args.restaurants:03d}", f"p{run}-{n}", f"10.9.{n // 250}.{n % 250 + 1}")
        for n in range(args.chats)
    ]

    def ask(diner: tuple[str, str, str], n: int) -> None:
        restaurant, token, ip = diner
        body = {"restaurantId": restaurant, "sessionToken": token, "message": MESSAGES[n % 8]}
        response = client.post(
            "/api/chat", json.dumps(body), content_type="application/json", REMOTE_ADDR=ip
        )
        assert response.status_code == 200, (response.status_code, response.content[:200])

    log = (ROOT / "var" / "chat_profile.log").open("w")
    real_stdout, sys.stdout = sys.stdout, log  # the request log lines, as gunicorn's file
    try:
        for n in range(args.restaurants):  # every engine menu built once, as in a warm worker
            ask((f"bench-{n:03d}", f"warm{run}-{n}", "10.8.0.1"), n)
        report = {}
        for kind in ("first", "returning"):
            timer = (time.process_time,) if args.cpu else ()
            profiler = cProfile.Profile(*timer) if args.profile else None
            started, cpu = time.perf_counter(), time.process_time()
            if profiler:
                profiler.enable()
            for n, diner in enumerate(diners):
                ask(diner, n)
            if profiler:
                profiler.disable()
            wall = (time.perf_counter() - started) * 1000 / len(diners)
            report[kind] = wall, (time.process_time() - cpu) * 1000 / len(diners), profiler
    finally:
        sys.stdout = real_stdout
        log.close()

    from django.db import connection

    print(f"database {connection.vendor}, cache {type(cache).__name__}, {args.chats} diners")
    for kind, (wall, cpu, profiler) in report.items():
        profiled = " (profiled)" if profiler else ""
        print(f"{kind:>9}: {wall:.2f} ms per chat, {cpu:.2f} ms CPU in this process{profiled}")
        if profiler:
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(args.top)
            if args.dump:
                profiler.dump_stats(f"{args.dump}-{kind}.pstats")
            print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
