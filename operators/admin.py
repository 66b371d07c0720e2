"""Operator-only admin pages: IP blocks, command runs and the django-auditlog trail."""

from __future__ import annotations

from typing import Any

from auditlog.admin import LogEntryAdmin
from auditlog.models import LogEntry
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from operators.audit import audit_rows_to_csv, log_entry_row, operator_action_row
from operators.models import BlockedIP, OperatorAction
from tenants.scoping import OperatorOnlyAdminMixin, ReadOnlyAdminMixin, is_operator


def _csv_response(rows: list[dict[str, Any]], name: str) -> HttpResponse:
    response = HttpResponse(audit_rows_to_csv(rows), content_type="text/csv; charset=utf-8")
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.csv"'
    return response


@admin.register(BlockedIP)
class BlockedIPAdmin(OperatorOnlyAdminMixin, admin.ModelAdmin):
    """Saving or deleting here republishes the block list exactly like the commands do."""

    list_display = ["network", "reason", "created_by", "created_at", "expires_at"]
    search_fields = ["network", "reason", "created_by"]
    fields = ["network", "reason", "expires_at", "created_by", "created_at"]
    readonly_fields = ["created_by", "created_at"]

    def save_model(self, request: HttpRequest, obj: BlockedIP, form: Any, change: bool) -> None:
        if not obj.created_by:
            obj.created_by = request.user.get_username()
        super().save_model(request, obj, form, change)


@admin.register(OperatorAction)
class OperatorActionAdmin(ReadOnlyAdminMixin, OperatorOnlyAdminMixin, admin.ModelAdmin):
    """The command-line half of the audit trail: read-only, exportable."""

    list_display = ["created_at", "actor", "command", "restaurant", "result"]
    list_filter = ["command"]
    search_fields = ["actor", "command", "restaurant", "result"]
    readonly_fields = ["created_at", "actor", "command", "restaurant", "arguments", "result"]
    date_hierarchy = "created_at"
    actions = ["export_csv"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # an audit trail nobody can edit from the admin

    @admin.action(description="Export selected command runs as CSV")
    def export_csv(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse:
        rows = [operator_action_row(a) for a in queryset.order_by("created_at", "pk")]
        return _csv_response(rows, "operator-actions")


admin.site.unregister(LogEntry)


@admin.register(LogEntry)
class AuditLogEntryAdmin(ReadOnlyAdminMixin, OperatorOnlyAdminMixin, LogEntryAdmin):
    """django-auditlog's change history, for operators only, with a CSV export action."""

    actions = ["export_csv"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # auditlog allows deletion only as part of a cascade from another admin page.
        return is_operator(request) and LogEntryAdmin.has_delete_permission(self, request, obj)

    @admin.action(description="Export selected log entries as CSV")
    def export_csv(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse:
        entries = queryset.select_related("actor", "content_type").order_by("timestamp", "pk")
        return _csv_response([log_entry_row(e) for e in entries], "audit-log")
