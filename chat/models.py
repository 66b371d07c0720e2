"""Diner conversations (SPEC §3). No raw IP address is stored: at most a keyed hash."""

from __future__ import annotations

from django.db import models

from tenants.models import Restaurant


class ChatSession(models.Model):
    restaurant = models.ForeignKey(
        Restaurant, on_delete=models.CASCADE, related_name="chat_sessions"
    )
    token = models.CharField(max_length=128)
    ip_hash = models.CharField(
        max_length=64, blank=True, help_text="Keyed hash of the client IP (never the address)"
    )
    first_seen = models.DateTimeField(auto_now_add=True)
    last_seen = models.DateTimeField(auto_now=True)
    context = models.JSONField(
        default=dict,
        blank=True,
        help_text="The conversation state the answer engine carries from turn to turn (SPEC §7)",
    )

    class Meta:
        ordering = ["-last_seen"]
        constraints = [
            models.UniqueConstraint(fields=["restaurant", "token"], name="unique_session_token")
        ]
        indexes = [models.Index(fields=["token"]), models.Index(fields=["last_seen"])]

    def __str__(self) -> str:
        # No token here: str() lands in Django's admin log, which erasure does not reach.
        return f"Chat session {self.pk} at {self.restaurant_id}"


class ChatMessage(models.Model):
    class Role(models.TextChoices):
        DINER = "diner", "Diner"
        ASSISTANT = "assistant", "Assistant"

    session = models.ForeignKey(ChatSession, on_delete=models.CASCADE, related_name="messages")
    role = models.CharField(max_length=10, choices=Role.choices)
    text = models.TextField()
    intent = models.CharField(max_length=40, blank=True)
    item_ids = models.JSONField(default=list, blank=True)
    answered = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["session", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_role_display()} message {self.pk}"  # the text is personal data
