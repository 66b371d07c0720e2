"""The public menu API (SPEC §5): ``GET|HEAD /api/public/menu?restaurantId=ID``.

A plain Django view rather than a DRF one: this is the hottest path of the product and does no
parsing or rendering beyond one query parameter; the body and its ETag come precomputed from the
shared cache (``menu.cache``). CORS (SPEC §6) is applied around it by django-cors-headers and
``tenants.cors``; preflights never reach this view.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.views.decorators.csrf import csrf_exempt

from menu.cache import menu_entry
from stjarna_site.errors import api_error
from stjarna_site.logging import set_log_restaurant
from tenants.validators import is_public_id

ALLOWED_METHODS = "GET, HEAD, OPTIONS"


@csrf_exempt  # read-only, cookie-less API: nothing to protect, and the check costs time
def public_menu(request: HttpRequest) -> HttpResponse:
    """Serve one restaurant's public menu with shared-cache headers and ETag revalidation."""
    if request.method == "OPTIONS":  # a plain OPTIONS; CORS preflights are answered earlier
        return HttpResponse(headers={"Allow": ALLOWED_METHODS, "Content-Length": "0"})
    if request.method not in ("GET", "HEAD"):
        response = api_error(
            "method_not_allowed", "Use GET or HEAD to read a restaurant's menu.", 405
        )
        response["Allow"] = ALLOWED_METHODS
        return response

    public_id = request.GET.get("restaurantId", "")
    if not public_id:
        return api_error(
            "restaurant_id_required", "Add ?restaurantId=… naming the restaurant.", 400
        )
    if not is_public_id(public_id):
        return api_error(
            "invalid_restaurant_id",
            "restaurantId must be letters, digits, hyphens or underscores (at most 64).",
            400,
        )
    set_log_restaurant(request, public_id)

    entry = menu_entry(public_id)
    if entry is None:
        return api_error("restaurant_not_found", "There is no such restaurant.", 404)

    is_head = request.method == "HEAD"
    response = HttpResponse(b"" if is_head else entry.body, content_type="application/json")
    if is_head:  # the headers of the GET, without its body
        response["Content-Length"] = str(len(entry.body))
    response["ETag"] = entry.etag
    patch_cache_control(
        response,
        public=True,
        s_maxage=settings.MENU_CACHE_S_MAXAGE,
        stale_while_revalidate=settings.MENU_CACHE_STALE_WHILE_REVALIDATE,
    )
    # If-None-Match (strong or weak, lists, "*") → 304 carrying ETag, Cache-Control and Vary.
    return get_conditional_response(request, etag=entry.etag, response=response)
