"""Shapes of the management API, for responses and for the OpenAPI schema.

Input is validated by ``menu.importing`` (the same rules as the file importer); these
serializers describe that input for the schema and shape the output.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from chat.engine import ALLERGENS
from menu.importing import MAX_CATEGORY, MAX_DESCRIPTION, MAX_NAME, MAX_POSITION
from menu.models import MenuItem
from tenants.models import Restaurant

PRICE_PATTERN = r"^[0-9]{1,8}\.[0-9]{2}$"


@extend_schema_field(
    {
        "oneOf": [
            {"type": "string", "pattern": r"^[0-9]{1,8}(\.[0-9]{1,2})?$", "example": "12.50"},
            {"type": "number", "minimum": 0, "maximum": 99999999.99, "multipleOf": 0.01},
        ],
        "description": "A decimal ≥ 0 with at most 2 decimals; a string avoids float rounding.",
    }
)
class PriceInputField(serializers.Field):
    pass


class ItemInputSerializer(serializers.Serializer):
    """One menu item as clients send it (POST/PUT/PATCH /items, and each of PUT /menu's items)."""

    name = serializers.CharField(max_length=MAX_NAME)
    price = PriceInputField()
    description = serializers.CharField(
        required=False, allow_blank=True, max_length=MAX_DESCRIPTION
    )
    category = serializers.CharField(required=False, allow_blank=True, max_length=MAX_CATEGORY)
    allergens = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text=(
            f"EU allergen codes: {', '.join(ALLERGENS)}. Diet words (vegan, gluten-free …) "
            "are moved to tags; other words are refused."
        ),
    )
    mayContain = serializers.ListField(
        child=serializers.ChoiceField(choices=ALLERGENS),
        required=False,
        help_text="EU allergen codes of a “may contain traces of” statement.",
    )
    allergensDeclared = serializers.BooleanField(
        required=False,
        help_text=(
            "The allergen information is complete: with allergens empty, the dish is free of "
            "all 14. Omitted on create/replace: true iff allergens are listed."
        ),
    )
    tags = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text=(
            "Lowercase words joined by hyphens: diets (vegan, gluten-free …) and others. A diet "
            "its allergens contradict (vegan with milk) or a misspelt diet is refused."
        ),
    )
    available = serializers.BooleanField(required=False, default=True)
    position = serializers.IntegerField(
        required=False,
        min_value=0,
        max_value=MAX_POSITION,
        help_text="Menu order (lowest first); PUT /api/v1/menu ignores it (order is the list's).",
    )


class ManagedItemSerializer(serializers.ModelSerializer):
    """One menu item as the management API returns it (unavailable ones included)."""

    price = serializers.SerializerMethodField()
    allergens = serializers.ListField(child=serializers.ChoiceField(choices=ALLERGENS))
    mayContain = serializers.ListField(
        source="may_contain", child=serializers.ChoiceField(choices=ALLERGENS)
    )
    allergensDeclared = serializers.BooleanField(source="allergens_declared")
    tags = serializers.ListField(child=serializers.CharField())

    class Meta:
        model = MenuItem
        fields = [
            "id",
            "name",
            "description",
            "price",
            "category",
            "allergens",
            "mayContain",
            "allergensDeclared",
            "tags",
            "available",
            "position",
        ]

    @extend_schema_field({"type": "string", "pattern": PRICE_PATTERN, "example": "12.50"})
    def get_price(self, item: MenuItem) -> str:
        return f"{item.price:.2f}"


class RestaurantRefSerializer(serializers.ModelSerializer):
    id = serializers.CharField(source="public_id")

    class Meta:
        model = Restaurant
        fields = ["id", "name", "currency"]


class ManagedMenuSerializer(serializers.Serializer):
    restaurant = RestaurantRefSerializer()
    version = serializers.IntegerField(help_text="Bumped by every change to the public menu.")
    items = ManagedItemSerializer(many=True)


class MenuInputSerializer(serializers.Serializer):
    items = ItemInputSerializer(many=True)


class IssueSerializer(serializers.Serializer):
    item = serializers.IntegerField(allow_null=True, help_text="0-based index in items")
    field = serializers.CharField(allow_blank=True)
    message = serializers.CharField()


class MenuChangesSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    deleted = serializers.IntegerField()
    unchanged = serializers.IntegerField()


class MenuReplacedSerializer(ManagedMenuSerializer):
    changes = MenuChangesSerializer()
    warnings = IssueSerializer(many=True)


class AvailabilitySerializer(serializers.Serializer):
    available = serializers.BooleanField()


class ErrorBodySerializer(serializers.Serializer):
    code = serializers.CharField(help_text="snake_case, stable: branch on it")
    message = serializers.CharField(help_text="A human sentence")
    field = serializers.CharField(required=False, help_text="invalid_field: the field at fault")
    rows = IssueSerializer(many=True, required=False, help_text="invalid_menu: every problem")
    retryAfter = serializers.IntegerField(required=False, help_text="rate_limited: seconds")


class ErrorSerializer(serializers.Serializer):
    error = ErrorBodySerializer()


def issue_dicts(issues: Any) -> list[dict[str, Any]]:
    return [{"item": i.item, "field": i.field, "message": i.message} for i in issues]
