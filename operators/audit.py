"""The audit trail: who changed what and when, in the admin and from the command line.

Two sources, one export:
- admin (and any ORM) changes to restaurants, origins, memberships, menu items and IP blocks are
  recorded by django-auditlog; its middleware names the logged-in user as the actor;
- mutating ``manage.py`` commands write an ``OperatorAction`` row (``record_operator_action``).

``audit_trail(since=...)`` merges both into plain rows for ``manage.py export_audit`` (JSON/CSV):
``source`` is "change" for a django-auditlog entry (actor "system" when no user made it, e.g. a
command or migration) and "command" for an operator command run.
"""

from __future__ import annotations

import csv
import getpass
import io
import json
import os
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.dispatch import receiver

from accounts.signals import member_invited
from operators.models import OperatorAction

# Fields whose changes are bookkeeping, not decisions: leaving them out keeps the trail readable.
_NOISE_FIELDS = ["menu_version", "created_at", "updated_at"]
# Never copied into the trail, even hashed.
_SECRET_FIELDS = ["secret_hash"]

EXPORT_FIELDS = (
    "timestamp",
    "source",
    "actor",
    "action",
    "object",
    "restaurant",
    "details",
    "result",
)


def register_audited_models() -> None:
    """Tell django-auditlog which models to track (called once from ``TenantsConfig.ready``)."""
    from menu.models import ApiKey, MenuItem
    from operators.models import BlockedIP
    from tenants.models import AllowedOrigin, Membership, Restaurant

    for model in (Restaurant, AllowedOrigin, Membership, MenuItem, BlockedIP, ApiKey):
        if not auditlog.contains(model):
            # Concrete fields only: reverse relations would show up as noise in every entry.
            fields = [
                f.name
                for f in model._meta.concrete_fields
                if f.name not in _NOISE_FIELDS and f.name not in _SECRET_FIELDS
            ]
            auditlog.register(model, include_fields=fields)


INVITE_AUDIT_COMMAND = "invite"


@receiver(member_invited)
def record_invitation(sender, *, invitation, actor: str, **kwargs) -> None:
    """Every invitation, from a command or the admin, is a row in the audit trail."""
    record_operator_action(
        command=INVITE_AUDIT_COMMAND,
        actor=actor,
        arguments={
            "email": invitation.user.email,
            "role": invitation.membership.role,
            "new_account": invitation.new_account,
        },
        result=invitation.summary,
        restaurant=invitation.membership.restaurant.public_id,
    )


def command_actor(explicit: str | None = None) -> str:
    """Who ran a command: ``--actor`` if given, else the operating-system user (through sudo)."""
    if explicit:
        return explicit
    sudo_user = os.environ.get("SUDO_USER")
    if sudo_user:
        return sudo_user
    try:
        return getpass.getuser()
    except Exception:  # no passwd entry (some containers): still record something honest
        return f"uid:{os.getuid()}"


def record_operator_action(
    *,
    command: str,
    actor: str,
    arguments: dict[str, Any],
    result: str,
    restaurant: str = "",
) -> OperatorAction:
    """Write one audit row for a mutating command run; ``arguments`` must hold no secrets."""
    return OperatorAction.objects.create(
        command=command,
        actor=actor,
        arguments=arguments,
        result=result,
        restaurant=restaurant,
    )


def log_entry_row(entry: LogEntry) -> dict[str, Any]:
    # No actor: the change came from code outside a request (a command, a migration, a shell).
    actor = entry.actor.get_username() if entry.actor else (entry.actor_email or "system")
    return {
        "timestamp": entry.timestamp.isoformat(),
        "source": "change",
        "actor": actor,
        "action": entry.get_action_display(),
        "object": f"{entry.content_type.app_label}.{entry.content_type.model}:"
        f"{entry.object_pk} {entry.object_repr}",
        "restaurant": "",
        "details": entry.changes_dict,
        "result": "",
    }


def operator_action_row(action: OperatorAction) -> dict[str, Any]:
    return {
        "timestamp": action.created_at.isoformat(),
        "source": "command",
        "actor": action.actor,
        "action": action.command,
        "object": "",
        "restaurant": action.restaurant,
        "details": action.arguments,
        "result": action.result,
    }


def audit_trail(
    *, since: datetime | None = None, until: datetime | None = None
) -> Iterator[dict[str, Any]]:
    """Admin changes and command runs in time order, as rows with ``EXPORT_FIELDS`` keys."""
    entries = LogEntry.objects.select_related("actor", "content_type").order_by("timestamp", "pk")
    actions = OperatorAction.objects.order_by("created_at", "pk")
    if since is not None:
        entries = entries.filter(timestamp__gte=since)
        actions = actions.filter(created_at__gte=since)
    if until is not None:
        entries = entries.filter(timestamp__lt=until)
        actions = actions.filter(created_at__lt=until)
    rows = [log_entry_row(e) for e in entries.iterator()] + [
        operator_action_row(a) for a in actions.iterator()
    ]
    rows.sort(key=lambda row: row["timestamp"])
    yield from rows


def audit_trail_for_restaurant(restaurant: Any) -> list[dict[str, Any]]:
    """Every audit row about one tenant: its own record, its origins, memberships and items."""
    from menu.models import MenuItem
    from tenants.models import AllowedOrigin, Membership, Restaurant

    about = Q(
        content_type=ContentType.objects.get_for_model(Restaurant), object_pk=str(restaurant.pk)
    )
    for model, pks in (
        (AllowedOrigin, restaurant.allowed_origins.values_list("pk", flat=True)),
        (Membership, restaurant.memberships.values_list("pk", flat=True)),
        (MenuItem, restaurant.menu_items.values_list("pk", flat=True)),
    ):
        about |= Q(
            content_type=ContentType.objects.get_for_model(model),
            object_pk__in=[str(pk) for pk in pks],
        )
    entries = LogEntry.objects.filter(about).select_related("actor", "content_type")
    rows = [log_entry_row(e) for e in entries.order_by("timestamp", "pk")]
    actions = OperatorAction.objects.filter(restaurant=restaurant.public_id)
    rows += [operator_action_row(a) for a in actions.order_by("created_at", "pk")]
    rows.sort(key=lambda row: row["timestamp"])
    return rows


def audit_rows_to_csv(rows: list[dict[str, Any]]) -> str:
    """CSV text (header + one line per row); ``details`` is embedded as JSON."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=EXPORT_FIELDS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {**row, "details": json.dumps(row["details"], ensure_ascii=False, default=str)}
        )
    return buffer.getvalue()
