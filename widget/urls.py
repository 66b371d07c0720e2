"""Routes of the widget app: the bundle and the demo page (off unless WIDGET_DEMO_PAGE)."""

from django.urls import path

from widget.views import demo_page, widget_js

urlpatterns = [
    path("widget.js", widget_js, name="widget-js"),
    path("", demo_page, name="demo-page"),
]
