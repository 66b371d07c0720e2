"""Menu items in the admin: vocabularies as checkboxes, bulk tag actions, tenant scoping."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest

from chat.engine import ALLERGENS, DIET_TAGS
from menu.models import MenuItem
from menu.services import menu_items_add_tag, menu_items_remove_tag
from menu.vocabulary import DIET_TAG_SET, clean_tags
from tenants.scoping import TenantScopedAdminMixin, restaurant_filter

ALLERGEN_CHOICES = [(code, code.capitalize()) for code in ALLERGENS]
DIET_CHOICES = [(tag, tag.replace("-", " ").capitalize()) for tag in DIET_TAGS]


class MenuItemForm(forms.ModelForm):
    allergens = forms.MultipleChoiceField(
        choices=ALLERGEN_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Tick every EU allergen the dish contains. Diets are not allergens.",
    )
    diet_tags = forms.MultipleChoiceField(
        choices=DIET_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Diets",
        help_text="Only what the kitchen guarantees: diners are told exactly this.",
    )
    other_tags = forms.CharField(
        required=False,
        label="Other tags",
        help_text="Comma-separated words such as italian, spicy, pasta, kids.",
    )

    class Meta:
        model = MenuItem
        fields = [
            "restaurant",
            "name",
            "description",
            "category",
            "price",
            "allergens",
            "available",
            "position",
        ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        tags = list(self.instance.tags or [])
        self.initial.setdefault("diet_tags", [t for t in tags if t in DIET_TAG_SET])
        self.initial.setdefault("other_tags", ", ".join(t for t in tags if t not in DIET_TAG_SET))

    def clean(self) -> dict:
        cleaned = super().clean()
        others = [t for t in (cleaned.get("other_tags") or "").split(",") if t.strip()]
        try:
            self.instance.tags = clean_tags(list(cleaned.get("diet_tags") or []) + others)
        except ValidationError as exc:
            self.add_error("other_tags", exc)
        return cleaned


class TagActionForm(ActionForm):
    tag = forms.CharField(
        required=False, label="Tag", help_text="For the add/remove tag actions, e.g. vegan"
    )


@admin.register(MenuItem)
class MenuItemAdmin(TenantScopedAdminMixin, admin.ModelAdmin):
    form = MenuItemForm
    action_form = TagActionForm
    actions = ["add_tag", "remove_tag"]
    list_display = ["name", "restaurant", "category", "price", "available", "position", "tag_list"]
    list_editable = ["available", "position"]
    list_filter = [restaurant_filter("restaurant"), "available", "category"]
    search_fields = ["name", "description", "category"]
    autocomplete_fields = ["restaurant"]
    ordering = ["restaurant", "position", "id"]
    list_select_related = ["restaurant"]

    @admin.display(description="Tags")
    def tag_list(self, obj: MenuItem) -> str:
        return ", ".join(obj.tags)

    def _action_tag(self, request: HttpRequest) -> str | None:
        try:
            tags = clean_tags([request.POST.get("tag", "")])
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
            return None
        if not tags:
            self.message_user(request, "Type the tag to add or remove first.", messages.ERROR)
            return None
        return tags[0]

    @admin.action(description="Add tag to selected items")
    def add_tag(self, request: HttpRequest, queryset: QuerySet) -> None:
        tag = self._action_tag(request)
        if tag:
            changed = menu_items_add_tag(items=queryset, tag=tag)
            self.message_user(request, f"Added “{tag}” to {changed} item(s).", messages.SUCCESS)

    @admin.action(description="Remove tag from selected items")
    def remove_tag(self, request: HttpRequest, queryset: QuerySet) -> None:
        tag = self._action_tag(request)
        if tag:
            changed = menu_items_remove_tag(items=queryset, tag=tag)
            self.message_user(request, f"Removed “{tag}” from {changed} item(s).", messages.SUCCESS)
