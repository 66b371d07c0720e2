"""Blocked IP addresses and networks (SPEC §6): the shared list and the per-request check.

The list lives in the database (``BlockedIP``) and is published in the shared cache as one entry
``(version, [(network, expires_at_timestamp | None), ...])``. Each worker keeps the parsed networks
in-process and re-reads that one cache key at most every ``BLOCKED_IP_REFRESH_SECONDS``, so:
- a typical request costs no cache or database round trip at all, never more than one cache GET;
- a block added on any machine reaches every worker within ``BLOCKED_IP_REFRESH_SECONDS``;
- if the cache is down the worker reads the database instead (at the same pace), and blocks hold.

Writers ``set`` the fresh entry after commit; readers that rebuild it from the database only
``add`` it, so a reader holding an older list can never overwrite a newer one.
"""

from __future__ import annotations

import ipaddress
import logging
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from operators.models import BlockedIP, normalise_network

logger = logging.getLogger(__name__)
MAX_BLOCK_HOURS = 24 * 365 * 10  # ten years; omit --expires-in for a permanent block

BLOCKLIST_KEY = "ipblock:list"
# The shared entry is rebuilt from the database at least this often, whatever happens.
BLOCKLIST_CACHE_SECONDS = 300

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class _Snapshot:
    version: str
    # (IP version, prefix length) → {address bits above the prefix → (network, expires)}: a
    # lookup costs one dict probe per distinct prefix length, however many networks are blocked.
    networks: dict[tuple[int, int], dict[int, tuple[Network, float | None]]]
    read_at: float


_local: dict[str, _Snapshot] = {}
_local_lock = threading.Lock()


def _active_rows() -> list[tuple[str, float | None]]:
    now = timezone.now()
    rows = BlockedIP.objects.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
    return [
        (network, expires_at.timestamp() if expires_at else None)
        for network, expires_at in rows.values_list("network", "expires_at")
    ]


def _parse(
    rows: list[tuple[str, float | None]],
) -> dict[tuple[int, int], dict[int, tuple[Network, float | None]]]:
    table: dict[tuple[int, int], dict[int, tuple[Network, float | None]]] = {}
    for text, expires in rows:
        try:
            network = ipaddress.ip_network(text)
        except ValueError:  # a row written around the model's validation: skip, never fail
            logger.error("blocked-ip row is not a network; ignored", extra={"network": text})
            continue
        shift = network.max_prefixlen - network.prefixlen
        bucket = table.setdefault((network.version, network.prefixlen), {})
        bucket[int(network.network_address) >> shift] = (network, expires)
    return table


def publish_blocklist() -> None:
    """Write the current list to the shared cache and drop this worker's copy (after commits)."""
    entry = (uuid.uuid4().hex, _active_rows())
    try:
        cache.set(BLOCKLIST_KEY, entry, BLOCKLIST_CACHE_SECONDS)
    except Exception:  # the database stays the truth; workers fall back to it
        logger.warning("blocked-ip list publish failed", exc_info=True)
    forget_local_blocklist()


def forget_local_blocklist() -> None:
    """Drop this process's parsed copy (tests, and right after a local change)."""
    with _local_lock:
        _local.clear()


def _load_snapshot(now: float) -> _Snapshot:
    try:
        entry = cache.get(BLOCKLIST_KEY)
        cache_ok = True
    except Exception:
        logger.warning("blocked-ip cache read failed; reading the database")
        entry, cache_ok = None, False
    current = _local.get("snapshot")
    if entry is not None:
        version, rows = entry
        if current is not None and current.version == version:
            return _Snapshot(version, current.networks, now)  # unchanged: skip re-parsing
        return _Snapshot(version, _parse(rows), now)
    try:
        rows = _active_rows()
    except Exception as exc:
        # Neither cache nor database answers: keep enforcing the last list we had (or none)
        # rather than failing every request; the next refresh tries again.
        logger.error(
            "blocked-ip list unavailable; keeping the last one", extra={"error": repr(exc)}
        )
        if current is not None:
            return _Snapshot(current.version, current.networks, now)
        return _Snapshot("unavailable", {}, now)
    version = uuid.uuid4().hex
    if cache_ok:
        try:
            cache.add(BLOCKLIST_KEY, (version, rows), BLOCKLIST_CACHE_SECONDS)
        except Exception:
            logger.warning("blocked-ip cache write failed", exc_info=True)
    return _Snapshot(version, _parse(rows), now)


def blocked_network_for(ip: str) -> Network | None:
    """The active block covering ``ip``, if any (at most one cache GET; usually none)."""
    now = time.monotonic()
    snapshot = _local.get("snapshot")
    if snapshot is None or now - snapshot.read_at >= settings.BLOCKED_IP_REFRESH_SECONDS:
        with _local_lock:
            snapshot = _local.get("snapshot")
            if snapshot is None or now - snapshot.read_at >= settings.BLOCKED_IP_REFRESH_SECONDS:
                snapshot = _load_snapshot(now)
                _local["snapshot"] = snapshot
    if not snapshot.networks:
        return None
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return None
    wall_clock = time.time()
    for (version, prefixlen), bucket in snapshot.networks.items():
        if version != address.version:
            continue
        hit = bucket.get(int(address) >> (address.max_prefixlen - prefixlen))
        if hit is not None and (hit[1] is None or hit[1] > wall_clock):
            return hit[0]
    return None


# --- services (writes) ------------------------------------------------------------------------


@transaction.atomic
def block_ip(
    *, network: str, reason: str, created_by: str, expires_in_hours: float | None = None
) -> tuple[BlockedIP, bool]:
    """Block an address or network (or update an existing block); returns (block, created)."""
    canonical = normalise_network(network)
    if not reason.strip():
        raise ValueError("A reason is required: say why, for the audit trail.")
    expires_at: datetime | None = None
    if expires_in_hours is not None:
        if not (0 < expires_in_hours <= MAX_BLOCK_HOURS):  # also refuses nan and inf
            raise ValueError(
                f"--expires-in must be a positive number of hours (at most {MAX_BLOCK_HOURS})."
            )
        expires_at = timezone.now() + timedelta(hours=expires_in_hours)
    block, created = BlockedIP.objects.update_or_create(
        network=canonical,
        defaults={"reason": reason.strip(), "created_by": created_by, "expires_at": expires_at},
    )
    return block, created


@transaction.atomic
def unblock_ip(*, network: str) -> int:
    """Remove the block on exactly this address or network; returns how many rows went."""
    canonical = normalise_network(network)
    deleted = 0
    for block in BlockedIP.objects.filter(network=canonical):
        block.delete()  # one by one, so the audit trail records each deletion
        deleted += 1
    return deleted


@receiver([post_save, post_delete], sender=BlockedIP)
def blocklist_changed(sender, instance: BlockedIP, **kwargs) -> None:
    """Any change (command, admin, shell) republishes the list once the transaction commits."""
    transaction.on_commit(publish_blocklist)


def active_blocks() -> list[BlockedIP]:
    """Blocks in force now, newest first (expired rows are kept for the record, but ignored)."""
    now = timezone.now()
    return list(BlockedIP.objects.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now)))
