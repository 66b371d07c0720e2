"""Menu items (SPEC §3)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models

from menu.vocabulary import (
    check_diet_conflicts,
    clean_allergens,
    clean_may_contain,
    clean_tags,
    menu_data_problems,
)
from tenants.models import Restaurant
from tenants.validators import validate_storable_text

VOCABULARY_FIELDS = frozenset({"allergens", "may_contain", "tags"})


class MenuItem(models.Model):
    restaurant = models.ForeignKey(Restaurant, on_delete=models.CASCADE, related_name="menu_items")
    name = models.CharField(max_length=200, validators=[validate_storable_text])
    description = models.TextField(blank=True, validators=[validate_storable_text])
    price = models.DecimalField(
        max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    category = models.CharField(max_length=100, blank=True, validators=[validate_storable_text])
    allergens = models.JSONField(default=list, blank=True, help_text="EU allergen codes")
    may_contain = models.JSONField(
        default=list, blank=True, help_text="EU allergen codes of a “may contain traces of” note"
    )
    allergens_declared = models.BooleanField(
        "allergen information is complete",
        default=False,
        help_text=(
            "The allergens listed are all the dish contains (none listed: free of all 14). "
            "Undeclared dishes are never offered to diners with an allergy."
        ),
    )
    tags = models.JSONField(default=list, blank=True, help_text="Lowercase tags (diets and others)")
    available = models.BooleanField(default=True)
    position = models.PositiveIntegerField(default=0, help_text="Order on the menu (lowest first)")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["restaurant", "position", "id"]
        indexes = [
            models.Index(
                fields=["restaurant", "available", "position", "id"], name="menu_public_read"
            )
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(price__gte=0), name="price_not_negative")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def problems(self) -> list[str]:
        """What staff must fix in data stored before the checks existed (diet contradictions,
        misspelt diet tags); empty when the dish is fine."""
        return menu_data_problems(tags=self.tags or [], allergens=self.allergens or [])

    def clean_fields(self, exclude: set[str] | None = None) -> None:
        """Validate the fields, and the allergen/diet vocabulary (SPEC §4) whenever one of
        ``allergens``, ``may_contain`` or ``tags`` is written: a diet tag that the allergens
        contradict is refused. A write that leaves them alone (availability, position, price)
        is not held up by older rows that still contradict; the admin lists those to fix."""
        errors: dict[str, list] = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if not set(exclude or ()) >= VOCABULARY_FIELDS:
            self._clean_vocabulary(errors)
        if errors:
            raise ValidationError(errors)

    def _clean_vocabulary(self, errors: dict[str, list]) -> None:
        for field, cleaner in (("allergens", clean_allergens), ("tags", clean_tags)):
            try:
                setattr(self, field, cleaner(getattr(self, field)))
            except ValidationError as exc:
                errors.setdefault(field, []).extend(exc.error_list)
        if "allergens" in errors:
            return
        try:
            self.may_contain = clean_may_contain(self.may_contain, allergens=self.allergens)
        except ValidationError as exc:
            errors.setdefault("may_contain", []).extend(exc.error_list)
        if "tags" not in errors:
            try:
                check_diet_conflicts(tags=self.tags, allergens=self.allergens)
            except ValidationError as exc:
                errors.setdefault("tags", []).extend(exc.error_list)


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
        db_table = "tenants_apikey"  # created by the tenants app; moved here without a copy
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
