"""Tenants: restaurants, their CORS allowlists and their staff (SPEC §3)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinLengthValidator
from django.db import models

from tenants.hours import validate_opening_hours
from tenants.validators import (
    normalise_origin,
    validate_brand_color,
    validate_currency,
    validate_rate,
    validate_storable_text,
    validate_timezone,
)

# Restaurant fields that appear in the public menu payload: changing one changes the menu body
# (tenants.services.restaurant_update bumps the menu version then).
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
