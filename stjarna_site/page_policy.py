"""django-csp's middleware, not run at all where the policy is excluded (the JSON API).

django-csp builds both policies (enforced and report-only) for every response and only then
checks ``EXCLUDE_URL_PREFIXES``: on ``/api/`` that was a measurable share of a chat request and of
a menu request for a header never sent. Here an excluded path skips the middleware entirely,
which sends exactly the same headers (none) as long as the report-only policy excludes it too.
"""

from __future__ import annotations

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase


def _excluded_prefixes() -> tuple[str, ...]:
    """Prefixes excluded from every configured policy (both, if report-only is set too)."""
    enforced = set(
        (getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}).get("EXCLUDE_URL_PREFIXES", ())
    )
    report_only = getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
    if report_only:
        enforced &= set(report_only.get("EXCLUDE_URL_PREFIXES", ()))
    return tuple(sorted(enforced))


class PagePolicyMiddleware(CSPMiddleware):
    """``csp.middleware.CSPMiddleware`` for every path but the excluded ones."""

    def process_request(self, request: HttpRequest) -> None:
        if not request.path_info.startswith(_excluded_prefixes()):
            super().process_request(request)

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if request.path_info.startswith(_excluded_prefixes()):
            return response
        return super().process_response(request, response)
