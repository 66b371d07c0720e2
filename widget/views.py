"""``GET /widget.js`` (the widget's loader, SPEC §5) and the demo restaurant's website."""

from __future__ import annotations

import re

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.views.decorators.http import require_safe

from operators.demo import DEMO_PUBLIC_ID
from widget.bundle import current_widget

_GZIP = re.compile(r"\bgzip\b(?!\s*;\s*q=0(?:\.0*)?\s*(?:,|$))")


@require_safe
def widget_js(request: HttpRequest) -> HttpResponse:
    """The built loader: short public cache, checksum ETag (304 on match), gzip when accepted.

    Embedders always load this stable URL, so its cache is short (``WIDGET_MAX_AGE`` ≤ 300 s) and
    a deploy reaches every site within minutes; the panel it loads (a hashed name under /static/)
    is immutable.
    """
    bundle = current_widget().loader
    gzipped = bool(_GZIP.search(request.headers.get("Accept-Encoding", "")))
    body, etag = (bundle.gzipped, bundle.gzip_etag) if gzipped else (bundle.raw, bundle.etag)
    response = HttpResponse(
        b"" if request.method == "HEAD" else body,
        content_type="application/javascript; charset=utf-8",
    )
    response["Content-Length"] = str(len(body))
    if gzipped:
        response["Content-Encoding"] = "gzip"
    response["ETag"] = etag
    # Host pages may isolate themselves (COEP); the loader is public, so let any page load it.
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    patch_vary_headers(response, ["Accept-Encoding"])
    patch_cache_control(response, public=True, max_age=min(settings.WIDGET_MAX_AGE, 300))
    return get_conditional_response(request, etag=etag, response=response)


@require_safe
def demo_page(request: HttpRequest) -> HttpResponse:
    """Trattoria Stjärna's website with the widget embedded exactly as a restaurant would.

    Served only when ``WIDGET_DEMO_PAGE`` is on (default: in DEBUG); production has no page at /.
    """
    if not settings.WIDGET_DEMO_PAGE:
        raise Http404("No demo page in this deployment.")
    base = request.build_absolute_uri("/").rstrip("/")
    return render(
        request,
        "widget/demo.html",
        {"widget_src": f"{base}/widget.js", "restaurant_id": DEMO_PUBLIC_ID},
    )
