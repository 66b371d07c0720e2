"""URL map: the public API under /api/, the widget bundle, the admin, the demo page."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from chat.views import chat
from menu.views import public_menu
from stjarna_site.health import health

urlpatterns = [
    path("api/health", health, name="health"),
    path("api/public/menu", public_menu, name="public-menu"),
    path("api/chat", chat, name="chat"),
    path("api/v1/", include("menu.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("admin/", include("accounts.urls")),  # password reset, before the admin's catch-all
    path("admin/", admin.site.urls),
    path("", include("widget.urls")),
]

if settings.BENCH_BASELINE:  # bench/menu.py's yardstick; never set in production
    from bench.baseline import baseline

    urlpatterns.append(path("bench/baseline", baseline))

handler404 = "stjarna_site.errors.not_found"
handler500 = "stjarna_site.errors.server_error"
