"""Accounts in the admin: Django's user and group pages, for operators only.

Restaurant staff manage their team from their restaurant page (invitations); a permission given by
mistake must never show them every tenant's users, so these pages ignore model permissions.
"""

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User

from tenants.scoping import OperatorOnlyAdminMixin

admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class OperatorUserAdmin(OperatorOnlyAdminMixin, UserAdmin):
    list_display = ["username", "email", "is_active", "is_superuser", "last_login"]


@admin.register(Group)
class OperatorGroupAdmin(OperatorOnlyAdminMixin, GroupAdmin):
    pass
