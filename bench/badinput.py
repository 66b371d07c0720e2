"""Bad-input pass over the public endpoints: ``python bench/badinput.py [--port P]``.

Sends a few hundred hostile or broken requests as raw bytes (so nothing is cleaned up by an HTTP
library on the way): malformed JSON, 1 MB+ bodies, wrong types, unicode edge cases (lone
surrogates as raw bytes, RTL overrides, NUL, emoji), header games (bare CR, folded headers,
absurd Content-Length, conflicting Transfer-Encoding, Content-Type games), absurd query strings
(10 KB, repeated parameters, %00, invalid percent-encoding) and odd methods — against the
production stack (bench/harness.py starts one unless ``--port`` names a running one).

Target: zero 5xx (but nginx's 505 to an HTTP/9.9 request line, which is what the version
deserves). The answers are counted by status family (``BADINPUT_VERBOSE=1`` prints every
case's status); exit 1 on any 5xx. A request that got no answer in time is reported too: gunicorn
waits for slow or never-finished requests; the load balancer in front is the slow-client defence.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import socket
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import Stack, machine, print_json

MENU = b"/api/public/menu"
# The protocol's own answer, from nginx, before any location: "HTTP Version Not Supported".
EXPECTED_5XX = {"HTTP/9.9": 505}
CHAT = b"/api/chat"
RID = b"bench-000"

Case = tuple[str, bytes]  # (name, raw request)


def raw(
    method: bytes,
    target: bytes,
    *,
    headers: list[tuple[bytes, bytes]] | None = None,
    body: bytes = b"",
    length: bool = True,
    version: bytes = b"HTTP/1.1",
    host: bytes = b"127.0.0.1",
) -> bytes:
    """A request as bytes; Content-Length is added for a body unless ``length`` is False."""
    lines = [method + b" " + target + b" " + version, b"Host: " + host, b"Connection: close"]
    for name, value in headers or []:
        lines.append(name + b": " + value)
    if body and length:
        lines.append(b"Content-Length: " + str(len(body)).encode())
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


def chat(
    body: bytes,
    *,
    content_type: bytes = b"application/json",
    method: bytes = b"POST",
    target: bytes = CHAT,
    **kwargs,
) -> bytes:
    headers = [(b"Content-Type", content_type)] if content_type else []
    headers += kwargs.pop("headers", [])
    return raw(method, target, headers=headers, body=body, **kwargs)


def chat_json(**fields) -> bytes:
    payload = {"restaurantId": "bench-000", "sessionToken": "fuzz-token", "message": "vegan?"}
    payload.update(fields)
    for name, value in list(payload.items()):
        if value is _MISSING:
            del payload[name]
    return chat(json.dumps(payload).encode())


_MISSING = object()


def menu(query: bytes, **kwargs) -> bytes:
    return raw(b"GET", MENU + b"?" + query, **kwargs)


def cases() -> list[Case]:
    out: list[Case] = []
    add = out.append
    # --- malformed JSON ------------------------------------------------------------------
    for name, body in [
        ("empty body", b""),
        ("open brace", b"{"),
        ("truncated", b'{"restaurantId": "bench-000", "message": '),
        ("array", b"[]"),
        ("null", b"null"),
        ("number", b"1"),
        ("string", b'"hello"'),
        ("NaN", b'{"restaurantId": NaN}'),
        ("Infinity", b'{"restaurantId": "bench-000", "sessionToken": "t", "message": Infinity}'),
        ("deep nesting", b"[" * 100_000 + b"]" * 100_000),
        ("deep object", b'{"a":' * 50_000 + b"1" + b"}" * 50_000),
        ("huge number", b'{"restaurantId": 1' + b"0" * 5000 + b"}"),
        ("duplicate keys", b'{"message": "a", "message": "b", "restaurantId": "bench-000"}'),
        ("BOM", b'\xef\xbb\xbf{"restaurantId": "bench-000", "sessionToken": "t", "message": "hi"}'),
        ("utf-16", json.dumps({"restaurantId": "bench-000", "message": "hi"}).encode("utf-16")),
        ("latin-1 bytes", b'{"sessionToken": "t", "message": "caf\xe9"}'),
        ("raw lone surrogate", b'{"sessionToken": "t", "message": "\xed\xa0\x80"}'),
        ("invalid utf-8", b'{"restaurantId": "\xff\xfe", "message": "x"}'),
        ("trailing garbage", b'{"restaurantId": "bench-000"} trailing'),
        ("comments", b'{/* c */ "restaurantId": "bench-000"}'),
    ]:  # fmt: skip
        add((f"chat json: {name}", chat(body)))
    # --- wrong types and values ----------------------------------------------------------
    for field in ("restaurantId", "sessionToken", "message"):
        for label, value in [
            ("int", 1), ("float", 1.5), ("list", ["a"]), ("object", {"a": 1}), ("null", None),
            ("bool", True), ("empty", ""), ("spaces", "   "), ("missing", _MISSING),
            ("huge", "x" * 9000), ("NUL", "a\x00b"), ("newline", "a\r\nb"),
        ]:  # fmt: skip
            add((f"chat {field}: {label}", chat_json(**{field: value})))
    for label, message in [
        ("escaped lone surrogate", "\ud800"),
        ("RTL override", "\u202evegan\u202c?"),
        ("emoji", "🌱🍝🥜" * 10),
        ("500 emoji", "😀" * 500),
        ("501 chars", "a" * 501),
        ("combining marks", "a" + "\u0301" * 400),
        ("zero-width", "\u200b\u200c\u200d\ufeff"),
        ("control chars", "".join(chr(c) for c in range(1, 32))),
        ("private use", "\ue000\U000f0000"),
        ("html", "<script>alert(1)</script>"),
        ("sql", "' OR 1=1; DROP TABLE chat_chatmessage; --"),
        ("format string", "%s%s%n{0}{self}"),
    ]:
        add((f"chat message: {label}", chat_json(message=message)))
    for label, rid in [
        ("unknown", "no-such-restaurant"),
        ("sql", "' OR '1'='1"),
        ("path", "../../etc/passwd"),
        ("unicode", "bénch-000"),
        ("65 chars", "a" * 65),
    ]:
        add((f"chat restaurantId: {label}", chat_json(restaurantId=rid)))
    for label, token in [("129 chars", "t" * 129), ("slash", "a/b"), ("unicode", "tök")]:
        add((f"chat sessionToken: {label}", chat_json(sessionToken=token)))
    # --- huge bodies -------------------------------------------------------------------------
    big = json.dumps({"restaurantId": "bench-000", "sessionToken": "t", "message": "a" * 1_200_000})
    add(("chat 1.2 MB body", chat(big.encode())))
    add(("chat 1 MB of garbage", chat(b"\x00" * 1_048_577)))
    chunked = b"".join(b"%x\r\n" % 65536 + b"a" * 65536 + b"\r\n" for _ in range(20)) + b"0\r\n\r\n"
    add(
        (
            "chat 1.3 MB chunked",
            chat(chunked, length=False, headers=[(b"Transfer-Encoding", b"chunked")]),
        )
    )
    add(("menu GET with 1 MB body", menu(b"restaurantId=bench-000", body=b"x" * 1_048_577)))
    # --- Content-Type games ------------------------------------------------------------------
    ok_body = json.dumps({"restaurantId": "bench-000", "sessionToken": "ct", "message": "hi"})
    for content_type in [
        b"", b"text/plain", b"application/x-www-form-urlencoded", b"multipart/form-data",
        b"multipart/form-data; boundary=x", b"application/json; charset=latin-1",
        b"application/json; charset=utf-16", b"application/json; charset=nonsense",
        b"APPLICATION/JSON", b"application/json, text/html", b"application/jsonx",
        b"application/json; charset=\"utf-8\"; x=\r", b"*/*", b"\xff\xfe",
    ]:  # fmt: skip
        add(
            (
                f"chat content-type {content_type[:30]!r}",
                chat(ok_body.encode(), content_type=content_type),
            )
        )
    add(
        (
            "chat form body",
            chat(
                b"restaurantId=bench-000&message=hi",
                content_type=b"application/x-www-form-urlencoded",
            ),
        )
    )
    # --- Content-Length and framing games ----------------------------------------------------
    for label, value in [
        ("negative", b"-1"), ("not a number", b"abc"), ("absurd", b"99999999999999999999"),
        ("larger than sent", b"100000"), ("two values", b"5, 5"), ("hex", b"0x10"),
        ("plus", b"+5"), ("spaces", b" 5 "),
    ]:  # fmt: skip
        add(
            (
                f"chat content-length {label}",
                chat(b'{"a": 1}', length=False, headers=[(b"Content-Length", value)]),
            )
        )
    add(
        (
            "chat CL + TE smuggling",
            chat(
                b"0\r\n\r\nGET /api/health HTTP/1.1\r\nHost: x\r\n\r\n",
                headers=[(b"Transfer-Encoding", b"chunked")],
            ),
        )
    )
    add(
        (
            "chat TE gzip",
            chat(b"abc", length=False, headers=[(b"Transfer-Encoding", b"gzip, chunked")]),
        )
    )
    add(
        (
            "chat bad chunk size",
            chat(
                b"zz\r\nabc\r\n0\r\n\r\n",
                length=False,
                headers=[(b"Transfer-Encoding", b"chunked")],
            ),
        )
    )
    # --- header injection and header games -------------------------------------------------
    for label, headers in [
        ("bare CR in value", [(b"X-Request-ID", b"abc\rSet-Cookie: x=1")]),
        ("bare LF in value", [(b"X-Request-ID", b"abc\nSet-Cookie: x=1")]),
        ("NUL in value", [(b"X-Forwarded-For", b"1.2.3.4\x00evil")]),
        ("obs-fold", [(b"X-Forwarded-For", b"1.2.3.4\r\n 5.6.7.8")]),
        ("space before colon", [(b"X-Forwarded-For ", b"1.2.3.4")]),
        ("XFF garbage", [(b"X-Forwarded-For", b"not-an-ip, <script>, ::::")]),
        ("XFF 1000 hops", [(b"X-Forwarded-For", b", ".join([b"10.0.0.1"] * 1000))]),
        ("XFF unicode", [(b"X-Forwarded-For", "١٢٣.١.١.١".encode())]),
        ("request id injection", [(b"X-Request-ID", b"../../" + b"a" * 500)]),
        ("huge header", [(b"X-Big", b"a" * 9000)]),
        ("150 headers", [(b"X-H%d" % n, b"v") for n in range(150)]),
        ("If-None-Match garbage", [(b"If-None-Match", b'"' + b"\xff" * 100 + b'", W/, *, "')]),
        ("If-None-Match star", [(b"If-None-Match", b"*")]),
        ("If-Modified-Since garbage", [(b"If-Modified-Since", b"yesterday-ish")]),
        ("Origin null", [(b"Origin", b"null")]),
        ("Origin weird", [(b"Origin", b"http://bench-000.example\\@evil.com")]),
        ("Origin unicode", [(b"Origin", "https://bénch.example".encode())]),
        ("Range", [(b"Range", b"bytes=999999-1")]),
        ("Accept-Encoding odd", [(b"Accept-Encoding", b"gzip;q=nan, br;q=-1, *;q=1e999")]),
        ("Cookie junk", [(b"Cookie", b"sessionid=\xff\xfe; csrftoken=" + b"a" * 4000)]),
        ("proto https forged", [(b"X-Forwarded-Proto", b"https"), (b"X-Forwarded-Host", b"evil")]),
    ]:
        add((f"menu header: {label}", menu(b"restaurantId=bench-000", headers=headers)))
        add((f"chat header: {label}", chat(ok_body.encode(), headers=headers)))
    add(("Host evil", menu(b"restaurantId=bench-000", host=b"evil.example")))
    add(("Host with CRLF-ish", menu(b"restaurantId=bench-000", host=b"127.0.0.1\rX: y")))
    add(("Host unicode", menu(b"restaurantId=bench-000", host="bénch".encode())))
    add(("HTTP/1.0 without Host", b"GET /api/public/menu?restaurantId=bench-000 HTTP/1.0\r\n\r\n"))
    add(("HTTP/0.9", b"GET /api/public/menu\r\n"))
    add(("HTTP/2 preface", b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"))
    add(("HTTP/9.9", menu(b"restaurantId=bench-000", version=b"HTTP/9.9")))
    add(("TLS hello on plain port", b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\x00" * 64))
    # --- query strings -------------------------------------------------------------------
    for label, query in [
        ("none", b""),
        ("empty id", b"restaurantId="),
        ("10 KB id", b"restaurantId=" + b"a" * 10_000),
        ("10 KB junk", b"x=" + b"%41" * 3000),
        ("1000 repeats", b"&".join([b"restaurantId=bench-000"] * 400)),
        ("%00", b"restaurantId=bench-000%00"),
        ("%00 only", b"restaurantId=%00"),
        ("invalid percent", b"restaurantId=%zz%"),
        ("overlong utf-8", b"restaurantId=%c0%ae%c0%ae"),
        ("lone surrogate", b"restaurantId=%ed%a0%80"),
        ("raw high bytes", b"restaurantId=\xff\xfe"),
        ("RTL", b"restaurantId=%E2%80%AEbench"),
        ("emoji", b"restaurantId=%F0%9F%8D%95"),
        ("array syntax", b"restaurantId[]=bench-000&restaurantId[0]=x"),
        ("semicolons", b"restaurantId=bench-000;x=1"),
        ("plus and spaces", b"restaurantId=bench+000"),
        ("sql", b"restaurantId=%27%20OR%201%3D1--"),
        ("json", b'restaurantId={"a":1}'),
        ("no value", b"restaurantId"),
        ("only ampersands", b"&&&&&&"),
        ("case", b"RESTAURANTID=bench-000"),
    ]:
        add((f"menu query: {label}", menu(query)))
        add((f"chat query: {label}", chat(ok_body.encode(), target=CHAT + b"?" + query)))
    # --- paths ---------------------------------------------------------------------------
    for label, target in [
        ("traversal", b"/static/../../../etc/passwd"),
        ("encoded traversal", b"/static/%2e%2e/%2e%2e/etc/passwd"),
        ("double slash", b"//api//public//menu?restaurantId=bench-000"),
        ("trailing slash", b"/api/public/menu/?restaurantId=bench-000"),
        ("NUL", b"/api/public/menu%00?restaurantId=bench-000"),
        ("unicode", "/api/públic/menü".encode()),
        ("absolute URI", b"http://evil.example/api/public/menu?restaurantId=bench-000"),
        ("asterisk", b"*"),
        ("8 KB path", b"/" + b"a" * 8000),
        ("widget odd", b"/widget.js?" + b"v=" * 2000),
        ("health query", b"/api/health?" + b"%ff" * 100),
        ("admin junk", b"/admin/login/?next=%0d%0aSet-Cookie:x"),
    ]:
        add((f"path: {label}", raw(b"GET", target)))
    # --- odd methods ---------------------------------------------------------------------
    for method in [
        b"PUT", b"DELETE", b"PATCH", b"TRACE", b"CONNECT", b"PROPFIND", b"FOO", b"get",
        b"G\xc3\x89T", b"OPTIONS", b"HEAD", b"POST",
    ]:  # fmt: skip
        add((f"menu method {method!r}", raw(method, MENU + b"?restaurantId=bench-000")))
        add((f"chat method {method!r}", chat(ok_body.encode(), method=method)))
        add((f"health method {method!r}", raw(method, b"/api/health")))
    for acrm in [b"DELETE", b"\xff", b"POST, PUT", b""]:
        add(
            (
                f"preflight {acrm!r}",
                raw(
                    b"OPTIONS",
                    CHAT + b"?restaurantId=bench-000",
                    headers=[
                        (b"Origin", b"https://bench-000.example"),
                        (b"Access-Control-Request-Method", acrm),
                        (b"Access-Control-Request-Headers", b"content-type, x-\xff"),
                    ],
                ),
            )
        )
    return out


def send(port: int, request: bytes, timeout: float) -> int | str:
    """Send raw bytes; the status code, or why there was none ("timeout", "closed")."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        # The server may answer (413, 400) and close before the whole body is sent.
        with contextlib.suppress(OSError):
            sock.sendall(request)
        data = b""
        try:
            while b"\r\n" not in data:
                chunk = sock.recv(4096)
                if not chunk:
                    break
                data += chunk
        except TimeoutError:
            return "timeout"
        except OSError:
            if not data:
                return "closed"
    if not data:
        return "closed"
    parts = data.split(b"\r\n", 1)[0].split()
    return int(parts[1]) if len(parts) >= 2 and parts[1].isdigit() else "unparseable"


def fuzz(port: int, timeout: float) -> tuple[dict, list[str]]:
    results: dict[str, int | str] = {}
    verbose = bool(os.environ.get("BADINPUT_VERBOSE"))
    for n, (name, request) in enumerate(cases()):
        # A fresh client IP per case, so rate limits never mask the answer under test.
        forwarded = b"X-Forwarded-For: 10.77.%d.%d\r\n" % (n // 250, n % 250)
        if b"\r\nHost: " in request:
            request = request.replace(b"\r\nHost: ", b"\r\n" + forwarded + b"Host: ", 1)
        results[name] = send(port, request, timeout)
        if verbose:
            print(f"{results[name]}\t{name}")
    families = Counter(
        f"{status // 100}xx" if isinstance(status, int) else status for status in results.values()
    )
    server_errors = {
        n: s
        for n, s in results.items()
        if isinstance(s, int) and s >= 500 and EXPECTED_5XX.get(n) != s
    }
    report = {
        "cases": len(results),
        "by_family": dict(sorted(families.items())),
        "server_errors": server_errors,
        "no_answer": {n: s for n, s in results.items() if not isinstance(s, int)},
    }
    missed = [f"{name}: {status}" for name, status in server_errors.items()]
    return report, missed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, help="a running stack (default: start one)")
    parser.add_argument("--timeout", type=float, default=5)
    args = parser.parse_args()
    if args.port:
        report, missed = fuzz(args.port, args.timeout)
    else:
        with Stack(workers=2, restaurants=3, max_items=40) as stack:
            report, missed = fuzz(stack.port, args.timeout)
    report["machine"] = machine()
    print_json("bad input", report)
    if missed:
        print("5xx ANSWERS:\n  " + "\n  ".join(missed))
        return 1
    print("no 5xx for any bad input")
    return 0


if __name__ == "__main__":
    sys.exit(main())
