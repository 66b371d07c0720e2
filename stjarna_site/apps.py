"""Django's admin app, with Stjarna's admin site as the default site (``admin.site``)."""

from django.contrib.admin.apps import AdminConfig


class StjarnaAdminConfig(AdminConfig):
    default_site = "stjarna_site.admin_site.StjarnaAdminSite"
