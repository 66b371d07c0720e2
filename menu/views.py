"""The public menu API (SPEC §5): ``GET|HEAD /api/public/menu?restaurantId=ID``.

A plain Django view rather than a DRF one: this is the hottest path of the product and does no
parsing or rendering beyond one query parameter; the body and its ETag come precomputed from the
shared cache (``menu.cache``). CORS (SPEC §6) is applied around it by django-cors-headers and
``tenants.cors``; preflights never reach this view.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import get_conditional_response
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

    public_id = _restaurant_id(request)
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

    preconditions = _preconditions(request)
    if preconditions == entry.etag:  # a plain revalidation of the current menu
        response = HttpResponseNotModified()
    else:
        is_head = request.method == "HEAD"
        response = HttpResponse(b"" if is_head else entry.body, content_type="application/json")
        if is_head:  # the headers of the GET, without its body
            response["Content-Length"] = str(len(entry.body))
    response["ETag"] = entry.etag
    response["Cache-Control"] = (
        f"public, s-maxage={settings.MENU_CACHE_S_MAXAGE}, "
        f"stale-while-revalidate={settings.MENU_CACHE_STALE_WHILE_REVALIDATE}"
    )
    if preconditions is None or response.status_code == 304:
        return response
    # Weak ETags, lists, "*", If-Match…: Django's rules (a 304 keeps ETag, Cache-Control, Vary).
    return get_conditional_response(request, etag=entry.etag, response=response)


# The hot path skips work whose answer is known, with the same result as the general code:
def plain_restaurant_id(request: HttpRequest) -> str | None:
    """The id when the query string is only ``restaurantId=<id>`` with the id's plain characters
    (nothing to decode: ``request.GET`` would read the same), else None."""
    name, _, value = request.META.get("QUERY_STRING", "").partition("=")
    return value if name == "restaurantId" and is_public_id(value) else None


def _restaurant_id(request: HttpRequest) -> str:
    """``request.GET["restaurantId"]``, without building a QueryDict for the plain form."""
    return plain_restaurant_id(request) or request.GET.get("restaurantId", "")


_PRECONDITION_HEADERS = ("HTTP_IF_MATCH", "HTTP_IF_UNMODIFIED_SINCE", "HTTP_IF_MODIFIED_SINCE")


def _preconditions(request: HttpRequest) -> str | None:
    """None without conditional headers (``get_conditional_response`` would change nothing);
    the ``If-None-Match`` value when it is the only one; otherwise "" (Django decides)."""
    meta = request.META
    if any(header in meta for header in _PRECONDITION_HEADERS):
        return ""
    return meta.get("HTTP_IF_NONE_MATCH")
