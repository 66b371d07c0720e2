"""Stjarna's admin site: Django's, plus the owner's home, invitations and a new restaurant page.

It is the default ``admin.site`` (``stjarna_site.apps.StjarnaAdminConfig``), so every
``@admin.register`` lands here and the tenant scoping of each model admin is unchanged.
"""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, path


class StjarnaAdminSite(admin.AdminSite):
    site_header = "Stjarna"
    site_title = "Stjarna admin"
    index_title = "Your restaurants"

    def get_urls(self) -> list[URLPattern | URLResolver]:
        from accounts import views

        return [
            path(
                "restaurants/new/",
                self.admin_view(views.new_restaurant),
                name="new_restaurant",
            ),
            path(
                "restaurants/<int:restaurant_pk>/invite/",
                self.admin_view(views.invite_member),
                name="invite_member",
            ),
            *super().get_urls(),
        ]

    def index(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        """For restaurant staff, their restaurants at a glance above the usual list of models."""
        from stjarna_site.home import restaurant_homes

        context = {**(extra_context or {}), "homes": restaurant_homes(request=request)}
        return super().index(request, context)
