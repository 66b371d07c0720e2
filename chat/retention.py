"""Chat retention (GDPR storage limitation): conversations are deleted after a fixed time.

A conversation's age is the time of its last message (or, with no message, its last activity).
Deletion runs in batches, each in its own transaction, so a large purge never holds long locks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Max, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from chat.models import ChatMessage, ChatSession

PURGE_BATCH_SIZE = 500


@dataclass(frozen=True)
class PurgeResult:
    cutoff: datetime
    sessions: int
    messages: int


def expired_sessions(*, older_than_days: int) -> tuple[datetime, QuerySet]:
    """Sessions whose last message is older than ``older_than_days`` days, and the cutoff."""
    try:
        cutoff = timezone.now() - timedelta(days=older_than_days)
    except OverflowError as exc:
        raise ValueError("--older-than is too large: give a number of days.") from exc
    sessions = (
        ChatSession.objects.annotate(
            last_activity=Coalesce(Max("messages__created_at"), "last_seen")
        )
        .filter(last_activity__lt=cutoff)
        .order_by("pk")
    )
    return cutoff, sessions


def purge_chats(
    *, older_than_days: int, dry_run: bool = False, batch_size: int = PURGE_BATCH_SIZE
) -> PurgeResult:
    """Delete expired sessions and their messages (or only count them with ``dry_run``)."""
    if older_than_days < 0:
        raise ValueError("--older-than must be zero or more days.")
    cutoff, sessions = expired_sessions(older_than_days=older_than_days)
    if dry_run:
        ids = list(sessions.values_list("pk", flat=True))
        messages = ChatMessage.objects.filter(session_id__in=ids).count() if ids else 0
        return PurgeResult(cutoff, len(ids), messages)
    deleted_sessions = deleted_messages = 0
    while True:
        batch = list(sessions.values_list("pk", flat=True)[:batch_size])
        if not batch:
            break
        with transaction.atomic():
            deleted_messages += ChatMessage.objects.filter(session_id__in=batch).delete()[0]
            deleted_sessions += ChatSession.objects.filter(pk__in=batch).delete()[0]
    return PurgeResult(cutoff, deleted_sessions, deleted_messages)
