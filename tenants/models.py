"""Tenants: restaurants, their CORS allowlists and their staff (SPEC §3)."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinLengthValidator
from django.db import models, transaction

from tenants.hours import validate_opening_hours
from tenants.validators import (
    normalise_origin,
    validate_brand_color,
    validate_currency,
    validate_rate,
    validate_storable_text,
    validate_timezone,
)

# Restaurant fields that appear in the public menu payload: changing one changes the menu body.
PUBLIC_MENU_FIELDS = (
    "public_id",
    "name",
    "active",
    "currency",
    "locale",
    "greeting",
    "brand_color",
    "timezone",
    "opening_hours",
    "hours_note",
    "address",
    "phone",
)


class Restaurant(models.Model):
    class Locale(models.TextChoices):
        ENGLISH = "en", "English"
        SWEDISH = "sv", "Svenska"

    public_id = models.SlugField(
        "restaurant id",
        max_length=64,
        unique=True,
        validators=[MinLengthValidator(2)],
        help_text="The restaurantId of the public API and the embed snippet. Fixed once created.",
    )
    name = models.CharField(max_length=200, validators=[validate_storable_text])
    active = models.BooleanField(
        default=True, help_text="Inactive restaurants disappear from the public API."
    )
    currency = models.CharField(max_length=3, default="EUR", validators=[validate_currency])
    locale = models.CharField(max_length=5, choices=Locale.choices, default=Locale.ENGLISH)
    # The platform's home market; every restaurant's clock is its own IANA zone (SPEC §3).
    timezone = models.CharField(
        max_length=64,
        default="Europe/Stockholm",
        validators=[validate_timezone],
        help_text="The restaurant's clock for “are you open now?”, e.g. Europe/Stockholm.",
    )
    greeting = models.CharField(
        max_length=300,
        blank=True,
        default="Hi! Ask me anything about our menu.",
        validators=[validate_storable_text],
    )
    brand_color = models.CharField(
        max_length=7, blank=True, default="#b5651d", validators=[validate_brand_color]
    )
    opening_hours = models.TextField(
        blank=True,
        validators=[validate_storable_text, validate_opening_hours],
        help_text=(
            "OpenStreetMap opening_hours syntax, e.g. “Mo-Th 11:00-22:00; Fr,Sa 11:00-23:00; "
            "Su 12:00-21:00; Dec 24 off”. Empty: not given."
        ),
    )
    hours_note = models.TextField(
        blank=True,
        max_length=1000,
        validators=[validate_storable_text],
        help_text="Shown beside the hours, e.g. “the kitchen closes 30 minutes earlier”.",
    )
    address = models.CharField(max_length=300, blank=True, validators=[validate_storable_text])
    phone = models.CharField(max_length=40, blank=True, validators=[validate_storable_text])
    contact_email = models.EmailField(
        blank=True, help_text="Where platform notices (outages, maintenance) are sent."
    )
    # Operator-only overrides of the chat rate limits (empty = the platform setting).
    chat_rate_limit = models.CharField(
        max_length=20, blank=True, validators=[validate_rate], help_text="e.g. 15/30s"
    )
    chat_burst_limit = models.CharField(
        max_length=20, blank=True, validators=[validate_rate], help_text="e.g. 3/s"
    )
    chat_ip_rate_limit = models.CharField(
        max_length=20, blank=True, validators=[validate_rate], help_text="e.g. 60/30s"
    )
    menu_version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.public_id})"

    @classmethod
    def from_db(cls, db, field_names, values):  # type: ignore[no-untyped-def]
        instance = super().from_db(db, field_names, values)
        instance._loaded_public = instance._public_values()
        return instance

    def _public_values(self) -> tuple:
        # Read __dict__, not attributes: touching a deferred field would query the database.
        return tuple(self.__dict__.get(name) for name in PUBLIC_MENU_FIELDS)

    def save(self, *args, **kwargs) -> None:
        """Save, bumping ``menu_version`` in the same transaction when a public field changed."""
        loaded = getattr(self, "_loaded_public", None)
        changed = self.pk is not None and loaded is not None and loaded != self._public_values()
        if self.pk is not None and not self._state.adding and kwargs.get("update_fields") is None:
            # menu_version is only ever written by bump_menu_version's atomic F() update: a full
            # save of an instance loaded before a concurrent menu change must not put it back.
            kwargs["update_fields"] = [
                f.attname
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name != "menu_version"
            ]
        with transaction.atomic():
            super().save(*args, **kwargs)
            if changed:
                from menu.cache import forget_menu_on_commit
                from tenants.services import bump_menu_version

                bump_menu_version(self)
                old_public_id = loaded[0]
                if old_public_id != self.public_id:  # the old id must stop answering at once
                    forget_menu_on_commit(old_public_id)
        self._loaded_public = self._public_values()


class AllowedOrigin(models.Model):
    """One website origin allowed to embed the restaurant's widget (its CORS allowlist)."""

    restaurant = models.ForeignKey(
        Restaurant, on_delete=models.CASCADE, related_name="allowed_origins"
    )
    origin = models.CharField(
        max_length=255, help_text="scheme://host[:port], e.g. https://bella.example"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["origin"]
        constraints = [
            models.UniqueConstraint(
                fields=["restaurant", "origin"], name="unique_origin_per_restaurant"
            )
        ]

    def __str__(self) -> str:
        return self.origin

    def clean(self) -> None:
        self.origin = normalise_origin(self.origin)

    def save(self, *args, **kwargs) -> None:
        self.origin = normalise_origin(self.origin)
        super().save(*args, **kwargs)


class Membership(models.Model):
    """A user's role at one restaurant; staff see only restaurants they are members of."""

    class Role(models.TextChoices):
        OWNER = "owner", "Owner"
        STAFF = "staff", "Staff"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    restaurant = models.ForeignKey(Restaurant, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.STAFF)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "restaurant"], name="unique_membership")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.restaurant.public_id} ({self.role})"


class ApiKey(models.Model):
    """A restaurant's key for the management API (/api/v1/), e.g. for point-of-sale sync.

    Only a SHA-256 hash of the key is stored; the key itself is shown once, when it is created.
    ``prefix`` (the key's public first part) identifies it in lists and logs.
    """

    restaurant = models.ForeignKey(Restaurant, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(max_length=100, help_text="What uses the key, e.g. “Till sync”.")
    prefix = models.CharField(max_length=16, unique=True, editable=False)
    secret_hash = models.CharField(max_length=64, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "API key"
        ordering = ["restaurant", "name", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["restaurant", "name"],
                condition=models.Q(revoked_at__isnull=True),
                name="unique_active_api_key_name",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def active(self) -> bool:
        return self.revoked_at is None


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
    change republishes the list in the shared cache (``tenants.blocking``).
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
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor}: {self.command}"
