"""Tenant API keys: issue, authenticate, revoke, rotate.

A key reads ``stj_<prefix>_<secret>``: the prefix (10 hex characters) is stored in clear to find
the key and to show it in lists; the secret is 256 random bits. Only the SHA-256 of the whole key
is stored. A slow password hash would add nothing here: the secret is random and long, so nobody
can guess it from its hash, and every API request must check it quickly.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from menu.models import ApiKey
from tenants.models import Restaurant

KEY_PREFIX = "stj"
_KEY_PATTERN = re.compile(r"^stj_([0-9a-f]{10})_([A-Za-z0-9_-]{43})$")


@dataclass(frozen=True)
class IssuedKey:
    """A freshly created key and its plaintext, which exists only until it is shown."""

    key: ApiKey
    token: str


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token() -> tuple[str, str]:
    while True:
        prefix = secrets.token_hex(5)
        if not ApiKey.objects.filter(prefix=prefix).exists():
            return prefix, f"{KEY_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"


@transaction.atomic
def api_key_issue(
    *, restaurant: Restaurant, name: str, created_by: AbstractBaseUser | None = None
) -> IssuedKey:
    """Create a named key for ``restaurant``; the returned token is never stored."""
    prefix, token = _new_token()
    key = ApiKey(
        restaurant=restaurant,
        name=name.strip(),
        prefix=prefix,
        secret_hash=hash_token(token),
        created_by=created_by if created_by is not None and created_by.pk else None,
    )
    key.full_clean()
    key.save()
    return IssuedKey(key=key, token=token)


def api_key_revoke(*, key: ApiKey) -> bool:
    """Revoke ``key`` at once; returns False when it was already revoked."""
    updated = ApiKey.objects.filter(pk=key.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    key.refresh_from_db(fields=["revoked_at"])
    return bool(updated)


def api_key_authenticate(token: str) -> ApiKey | None:
    """The active key this token belongs to, or None (malformed, unknown or revoked)."""
    match = _KEY_PATTERN.match(token)
    if match is None:
        return None
    key = (
        ApiKey.objects.select_related("restaurant")
        # A deactivated restaurant is hidden everywhere, its management API included.
        .filter(prefix=match.group(1), revoked_at__isnull=True, restaurant__active=True)
        .first()
    )
    if key is None or not hmac.compare_digest(key.secret_hash, hash_token(token)):
        return None
    return key


def api_key_record_use(*, key: ApiKey) -> None:
    """Remember when a key was last used, writing at most once per ``API_KEY_LAST_USED_EVERY``."""
    now = timezone.now()
    every = timedelta(seconds=settings.API_KEY_LAST_USED_EVERY)
    if key.last_used_at is not None and now - key.last_used_at < every:
        return
    # The condition makes concurrent requests of one key write once between them.
    ApiKey.objects.filter(pk=key.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - every)
    ).update(last_used_at=now)
    key.last_used_at = now


@transaction.atomic
def api_keys_rotate(*, restaurants: QuerySet[Restaurant]) -> list[IssuedKey]:
    """Revoke every active key of ``restaurants`` and issue a new one with the same name.

    The runbook's breach procedure: the old keys stop working when this commits, and the new
    plaintexts are returned once for the operator to hand to each restaurant.
    """
    issued = []
    keys = (
        ApiKey.objects.select_for_update(of=("self",))
        .select_related("restaurant", "created_by")
        .filter(restaurant__in=restaurants, revoked_at__isnull=True)
        .order_by("restaurant__public_id", "name")
    )
    for key in keys:
        api_key_revoke(key=key)
        issued.append(
            api_key_issue(restaurant=key.restaurant, name=key.name, created_by=key.created_by)
        )
    return issued
