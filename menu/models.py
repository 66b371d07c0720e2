"""Menu items (SPEC §3)."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models, transaction

from menu.vocabulary import clean_allergens, clean_tags
from tenants.models import Restaurant
from tenants.validators import validate_storable_text


class MenuItem(models.Model):
    restaurant = models.ForeignKey(Restaurant, on_delete=models.CASCADE, related_name="menu_items")
    name = models.CharField(max_length=200, validators=[validate_storable_text])
    description = models.TextField(blank=True, validators=[validate_storable_text])
    price = models.DecimalField(
        max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    category = models.CharField(max_length=100, blank=True, validators=[validate_storable_text])
    allergens = models.JSONField(default=list, blank=True, help_text="EU allergen codes")
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

    def clean(self) -> None:
        errors = {}
        for field, cleaner in (("allergens", clean_allergens), ("tags", clean_tags)):
            try:
                setattr(self, field, cleaner(getattr(self, field)))
            except ValidationError as exc:
                errors[field] = exc.messages
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs) -> None:
        """Save and bump the restaurant's menu version in one transaction."""
        from tenants.services import bump_menu_version

        with transaction.atomic():
            super().save(*args, **kwargs)
            bump_menu_version(self.restaurant)
