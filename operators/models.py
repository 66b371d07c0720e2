"""What operators keep: IP blocks (SPEC §6) and the command-line half of the audit trail."""

from __future__ import annotations

import ipaddress

from django.core.exceptions import ValidationError
from django.db import models

# Blocks broader than these prefixes are refused: a typo such as 0.0.0.0/0 would lock everyone out.
BROADEST_BLOCK_PREFIX = {4: 8, 6: 24}


def validate_network(value: str) -> None:
    """Accept one IP address or CIDR network (IPv4 or IPv6); host bits must be zero."""
    try:
        network = ipaddress.ip_network((value or "").strip(), strict=True)
    except ValueError as exc:
        raise ValidationError(
            f"“{value}” is not an IP address or CIDR network (e.g. 203.0.113.7 or "
            f"203.0.113.0/24): {exc}.",
            code="invalid",
        ) from exc
    if network.prefixlen < BROADEST_BLOCK_PREFIX[network.version]:
        raise ValidationError(
            f"{network} is too broad to block (at most /{BROADEST_BLOCK_PREFIX[4]} for IPv4, "
            f"/{BROADEST_BLOCK_PREFIX[6]} for IPv6): it would lock out a large part of the "
            "internet.",
            code="too_broad",
        )


def normalise_network(value: str) -> str:
    """The canonical CIDR form: ``203.0.113.7`` → ``203.0.113.7/32``; IPv6 compressed."""
    validate_network(value)
    return str(ipaddress.ip_network(value.strip(), strict=True))


class BlockedIP(models.Model):
    """An address or network whose requests are refused with 403 before any other work (SPEC §6).

    Operators manage blocks with ``manage.py block_ip``/``unblock_ip`` or in the admin; every
    change republishes the list in the shared cache (``operators.blocking``).
    """

    network = models.CharField(
        max_length=64,
        unique=True,
        validators=[validate_network],
        help_text="An IP address or CIDR network, e.g. 203.0.113.7 or 203.0.113.0/24.",
    )
    reason = models.CharField(max_length=300)
    created_by = models.CharField(max_length=150, help_text="Operator who added the block")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(
        null=True, blank=True, help_text="Empty = until removed by an operator."
    )

    class Meta:
        db_table = "tenants_blockedip"  # created by the tenants app; moved without a copy
        ordering = ["-created_at"]
        verbose_name = "blocked IP address or network"
        verbose_name_plural = "blocked IP addresses and networks"

    def __str__(self) -> str:
        return self.network

    def clean(self) -> None:
        self.network = normalise_network(self.network)

    def save(self, *args, **kwargs) -> None:
        self.network = normalise_network(self.network)
        super().save(*args, **kwargs)


class OperatorAction(models.Model):
    """One run of a mutating operator command: the command-line half of the audit trail.

    Admin changes are recorded by django-auditlog; this model records what operators did from the
    shell (blocks, purges, erasures, notices). ``restaurant`` is the tenant's public id as text, so
    the record outlives the restaurant.
    """

    command = models.CharField(max_length=64, db_index=True)
    arguments = models.JSONField(default=dict, blank=True)
    actor = models.CharField(max_length=150, help_text="--actor, else the operating-system user")
    restaurant = models.CharField(max_length=64, blank=True, db_index=True)
    result = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        db_table = "tenants_operatoraction"  # created by the tenants app; moved without a copy
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor}: {self.command}"
