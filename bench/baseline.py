"""The yardstick of bench/menu.py: the smallest useful Django JSON view.

Routed at ``/bench/baseline`` only when ``STJARNA_BENCH_BASELINE=true``, so it passes through the
very same middleware stack as the API it is compared with.
"""

from django.http import HttpRequest, JsonResponse


def baseline(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": True})
