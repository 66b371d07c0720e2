"""The load generator: a second process that plays thousands of diners against a running stack.

Run by bench/load.py and bench/faults.py (``python bench/loadgen.py --port P ...``); it writes every
request it made to a JSON file: ``[wall time, endpoint, status, latency ms]`` (status 0 = no HTTP
answer: refused, reset, timed out), every chat message that got a 200, and what each 5xx looked
like (status, content type, the start of the body).

Each thread keeps one keep-alive connection (as a load balancer would) and sends a realistic mix:

- ``menu``: GET /api/public/menu for a restaurant picked by popularity (Zipf: a few restaurants get
  most diners), of which ``--revalidate-share`` carry the last ETag seen (``menu_revalidate``,
  mostly answered 304 — what a browser or CDN does after ``s-maxage``);
- ``chat``: POST /api/chat from one of many diners, each a (restaurant, session token, IP) sent as
  ``X-Forwarded-For`` (the stack trusts one proxy hop, so rate limits apply per diner as in
  production). A few "abusive" diners send far more than the limits allow, so 429s occur.
- ``baseline`` (``--mix baseline``): only GET /bench/baseline, the minimal view of the same stack.
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import signal
import threading
import time

MESSAGES = (
    "hi",
    "what is vegan?",
    "anything gluten-free?",
    "vegan pasta under 150 without nuts",
    "I'm allergic to shellfish",
    "does the pad thai contain peanuts?",
    "what are your opening hours?",
    "cheapest dish",
    "spicy food please",
    "vegetarian options without milk",
    "where are you?",
    "desserts",
    "något veganskt?",
    "how much is the classic tofu pizza",
    "thanks!",
)
ABUSIVE_SHARE = 0.05  # of chat requests, from two diners that ignore every limit


class Worker(threading.Thread):
    """One keep-alive connection sending requests until the deadline."""

    def __init__(self, gen: Generator, seed: int) -> None:
        super().__init__(daemon=True)
        self.gen = gen
        self.rng = random.Random(seed)
        self.samples: list[tuple[float, str, int, float]] = []
        self.chat_ok: list[tuple[str, str, str]] = []
        self.server_errors: list[tuple[float, str, int, str, str]] = []
        self.retries: list[tuple[float, str]] = []
        self.etag: str | None = None

    def connect(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.gen.port, timeout=self.gen.timeout)

    def send(self, conn, method, path, body, headers):
        """One request: (status, connection to use next, whether it was retried).

        A keep-alive connection may be closed by the server just as a request goes out (a worker
        recycled or killed); like browsers and load balancers, retry once on a fresh connection
        when a *reused* connection fails before any answer. Retries are counted and reported.
        """
        for attempt in (1, 2):
            reused = conn.sock is not None
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                payload = response.read()
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                conn = self.connect()
                stale = isinstance(
                    exc, http.client.RemoteDisconnected | ConnectionResetError | BrokenPipeError
                )
                if attempt == 1 and reused and stale:
                    continue
                return 0, conn, attempt == 2
            status = response.status
            self.etag = response.getheader("ETag")
            if status >= 500:  # keep what the diner saw: a clean JSON 503, or an HTML 500?
                self.server_errors.append(
                    (
                        round(time.time(), 4),
                        path.split("?")[0],
                        status,
                        response.getheader("Content-Type", ""),
                        payload[:200].decode("utf-8", "replace"),
                    )
                )
            if response.will_close:
                conn.close()
                conn = self.connect()
            return status, conn, attempt == 2
        raise AssertionError("unreachable")

    def run(self) -> None:
        conn = self.connect()
        while time.time() < self.gen.deadline:
            endpoint, method, path, body, headers, chat = self.gen.next_request(self.rng)
            started = time.perf_counter()
            wall = time.time()
            status, conn, retried = self.send(conn, method, path, body, headers)
            latency = (time.perf_counter() - started) * 1000
            self.samples.append((round(wall, 4), endpoint, status, round(latency, 2)))
            if retried:
                self.retries.append((round(wall, 4), endpoint))
            if status == 200 and endpoint.startswith("menu"):
                self.gen.remember_etag(path, self.etag)
            elif status == 200 and chat:
                self.chat_ok.append(chat)
            elif status == 0:
                time.sleep(0.05)  # nothing listening: do not spin


class Generator:
    """The request mix; shared, read-mostly state of all worker threads."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.port = args.port
        self.timeout = args.timeout
        self.mix = args.mix
        self.chat_share = args.chat_share
        self.revalidate_share = args.revalidate_share
        self.deadline = time.time() + args.duration
        ids = [f"bench-{n:03d}" for n in range(args.restaurants)]
        self.restaurants = ids
        self.popularity = [1 / (rank + 1) for rank in range(len(ids))]  # Zipf, s = 1
        rng = random.Random(args.seed)
        self.diners = [
            (
                rng.choices(ids, self.popularity)[0],
                f"diner-{n}-{rng.getrandbits(32):08x}",
                f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}",
            )
            for n in range(args.diners)
        ]
        self.abusers = [(ids[0], f"abuser-{n}", f"192.0.2.{n + 1}") for n in range(2)]
        self.etags: dict[str, str] = {}
        self.lock = threading.Lock()

    def remember_etag(self, path: str, etag: str | None) -> None:
        if etag:
            with self.lock:
                self.etags[path] = etag

    def next_request(self, rng: random.Random):
        """(endpoint, method, path, body, headers, chat record or None)."""
        if self.mix == "baseline":
            return "baseline", "GET", "/bench/baseline", None, {}, None
        if rng.random() >= self.chat_share:
            restaurant = rng.choices(self.restaurants, self.popularity)[0]
            path = f"/api/public/menu?restaurantId={restaurant}"
            headers = {"X-Forwarded-For": f"172.16.{rng.randrange(256)}.{rng.randrange(256)}"}
            etag = self.etags.get(path)
            if etag and rng.random() < self.revalidate_share:
                headers["If-None-Match"] = etag
                return "menu_revalidate", "GET", path, None, headers, None
            return "menu", "GET", path, None, headers, None
        restaurant, token, ip = rng.choice(
            self.abusers if rng.random() < ABUSIVE_SHARE else self.diners
        )
        message = rng.choice(MESSAGES)
        body = json.dumps(
            {"restaurantId": restaurant, "sessionToken": token, "message": message}
        ).encode()
        headers = {"Content-Type": "application/json", "X-Forwarded-For": ip}
        return "chat", "POST", "/api/chat", body, headers, (restaurant, token, message)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--duration", type=float, default=10)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--restaurants", type=int, default=200)
    parser.add_argument("--diners", type=int, default=20000)
    parser.add_argument("--mix", choices=("mix", "baseline"), default="mix")
    parser.add_argument("--chat-share", type=float, default=0.3)
    parser.add_argument("--revalidate-share", type=float, default=0.4)
    parser.add_argument("--timeout", type=float, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    gen = Generator(args)
    # SIGTERM ends the run early but cleanly (the fault script stops the load when it is done).
    signal.signal(signal.SIGTERM, lambda *_: setattr(gen, "deadline", 0))
    started = time.time()
    workers = [Worker(gen, seed=args.seed * 1000 + n) for n in range(args.concurrency)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    result = {
        "started": started,
        "ended": time.time(),
        "samples": [s for w in workers for s in w.samples],
        "chat_ok": [c for w in workers for c in w.chat_ok],
        "server_errors": [e for w in workers for e in w.server_errors],
        "retries": [r for w in workers for r in w.retries],
    }
    with open(args.out, "w") as out:
        json.dump(result, out)


if __name__ == "__main__":
    main()
