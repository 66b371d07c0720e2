"""The benchmarks' arithmetic: percentiles, per-endpoint figures and the fault verdicts."""

from __future__ import annotations

from bench.faults import judge, judge_cold_menus
from bench.harness import percentile, summarise


def test_percentile_is_nearest_rank():
    values = list(range(1, 101))
    assert percentile(values, 50) == 50
    assert percentile(values, 99) == 99
    assert percentile([], 95) == 0.0


def test_summary_counts_429_apart_from_errors_and_unanswered_requests():
    samples = [
        (0.0, "chat", 200, 10.0),
        (0.1, "chat", 429, 2.0),
        (0.2, "chat", 503, 5.0),
        (0.3, "chat", 0, 50.0),
        (0.4, "chat", 400, 1.0),
    ]
    chat = summarise(samples, seconds=1.0)["chat"]
    assert chat["requests"] == 5
    assert chat["rate_limited_429"] == 1
    assert chat["server_errors_5xx"] == 1
    assert chat["client_errors_4xx"] == 1
    assert chat["no_answer"] == 1


def _run(samples, errors=()):
    return {"samples": samples, "server_errors": list(errors), "retries": []}


def test_recovery_runs_until_the_last_failure_after_the_service_returned():
    samples = [(10.0, "menu", 200, 1.0), (12.5, "chat", 503, 1.0), (13.0, "chat", 200, 1.0)]
    errors = [(12.5, "/api/chat", 503, "application/json", "{}")]
    health = [(11.0, 503, "error"), (12.2, 200, "ok"), (14.0, 200, "ok")]
    figures, missed = judge("postgres", 10.0, 12.0, 20.0, _run(samples, errors), health)
    assert figures["recovery_s"] == 0.5
    assert figures["health_503_after_s"] == 1.0
    assert figures["chat_5xx"] == 1
    assert missed == []


def test_an_html_500_or_a_menu_5xx_during_a_redis_outage_misses_the_targets():
    samples = [(10.5, "menu", 500, 1.0)]
    errors = [(10.5, "/api/public/menu", 500, "text/html", "<html>")]
    health = [(10.2, 200, "degraded"), (12.5, 200, "ok")]
    _, missed = judge("redis", 10.0, 12.0, 20.0, _run(samples, errors), health)
    assert any("not a JSON 503" in m for m in missed)
    assert any("menu" in m and "5xx" in m for m in missed)


def test_a_hung_database_must_answer_503_within_5_s_while_it_is_stopped():
    down, up = 100.0, 110.0
    quick_503 = (101.0, 503, 1500.0)
    served_after_sigcont = (108.0, 200, 2500.0)  # ended at 110.5, after SIGCONT, within 5 s
    assert judge_cold_menus([quick_503, served_after_sigcont], down, up)[1] == []
    for bad in [(101.0, 503, 6000.0), (101.0, 200, 100.0), (101.0, 0, 3000.0)]:
        assert judge_cold_menus([quick_503, bad], down, up)[1]


def test_slow_clients_miss_the_target_when_health_gets_slow():
    samples = [(10.5, "menu", 200, 5.0)]
    slow_health = [(10.0 + n / 10, 200, "ok", 1500.0 if n == 99 else 20.0) for n in range(100)]
    slow_health.append((25.5, 200, "ok", 20.0))  # after the slow clients left
    _, missed = judge("slow_clients", 10.0, 25.0, 26.0, _run(samples), slow_health)
    assert missed == []  # one slow answer in 101: the p99 is still a fast one
    slow_health[98] = (19.8, 200, "ok", 1500.0)
    _, missed = judge("slow_clients", 10.0, 25.0, 26.0, _run(samples), slow_health)
    assert any("health p99" in m for m in missed)
