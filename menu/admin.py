"""Menu items in the admin: vocabularies as checkboxes, bulk tag actions, tenant scoping.

Every write is validated as SPEC §4 says (a diet its allergens contradict is refused), prices are
typed as text ("79,50" or "79.50"), and rows stored before the checks existed are listed "to fix"
— here and, through ``RESTAURANT_PAGE_PANELS``, on the restaurant's own page.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.cache import add_never_cache_headers
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.safestring import mark_safe

from chat.engine import ALLERGENS, DIET_TAGS
from menu.apikeys import api_key_issue, api_key_revoke
from menu.exporting import CONTENT_TYPES, export_filename, export_menu
from menu.importing import FORMATS, format_for_filename, parse_menu
from menu.models import ApiKey, MenuItem
from menu.prices import OUTLIER_FACTOR, parse_price_text
from menu.selectors import ids_of_items_to_fix, menu_data_status, section_median_price
from menu.services import (
    menu_import_preview,
    menu_item_save,
    menu_items_add_tag,
    menu_items_delete,
    menu_items_remove_tag,
    menu_make_room_at_end_of_section,
    menu_replace,
    menu_upsert,
)
from menu.vocabulary import DIET_TAG_SET, clean_tags, normalise_tags
from tenants.admin import RESTAURANT_PAGE_PANELS
from tenants.models import Membership, Restaurant
from tenants.scoping import (
    TenantScopedAdminMixin,
    is_operator,
    restaurant_filter,
    user_restaurant_ids,
)
from tenants.selectors import restaurants_for_user

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
OWNER_ONLY = (Membership.Role.OWNER,)

ALLERGEN_CHOICES = [(code, code.capitalize()) for code in ALLERGENS]
DIET_CHOICES = [(tag, tag.replace("-", " ").capitalize()) for tag in DIET_TAGS]


class PriceInput(forms.TextInput):
    """A text input (never type=number: Chromium turns a typed "79,50" into 7950) followed by
    the currency the price is in."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.attrs.setdefault("inputmode", "decimal")
        self.attrs.setdefault("autocomplete", "off")
        self.attrs.setdefault("size", "10")
        self.currency = ""

    def format_value(self, value):
        if value in (None, ""):
            return None
        return str(value)

    def render(self, name, value, attrs=None, renderer=None):
        html = super().render(name, value, attrs, renderer)
        if not self.currency:
            return html
        return format_html('{} <span class="price-currency">{}</span>', html, self.currency)


class PriceField(forms.CharField):
    """A price typed with a comma or a dot before the decimals (``menu.prices``)."""

    widget = PriceInput

    def to_python(self, value):
        text = super().to_python(value)
        return parse_price_text(text) if text else None


class MenuItemForm(forms.ModelForm):
    price = PriceField(
        help_text="For example 79,50 or 79.50.",
        error_messages={"required": "Type the price, e.g. 79,50."},
    )
    confirm_price = forms.BooleanField(
        required=False,
        label="Yes, this price is right",
        widget=forms.HiddenInput,  # shown, as a checkbox, with the question it answers
    )
    allergens = forms.MultipleChoiceField(
        choices=ALLERGEN_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Tick every EU allergen the dish contains. Diets are not allergens.",
    )
    may_contain = forms.MultipleChoiceField(
        choices=ALLERGEN_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="May contain traces of",
        help_text=(
            "A precautionary “may contain” statement (e.g. made in a kitchen that handles nuts). "
            "Diners allergic to these are not offered the dish."
        ),
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
            "allergens_declared",
            "may_contain",
            "available",
            "position",
        ]
        labels = {"allergens_declared": "Allergen information is complete"}
        help_texts = {
            "allergens_declared": (
                "Tick when the allergens ticked above are everything the dish contains — with "
                "none ticked, the dish is free of all 14. Until then diners with any allergy are "
                "not offered it."
            )
        }

    # Set per request by MenuItemAdmin.get_form: the currency of each restaurant offered.
    currencies: dict[int, str] = {}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "position" in self.fields and self.instance.pk is None:
            self.fields["position"].required = False
            self.fields["position"].initial = None
            self.fields["position"].help_text = "Empty: at the end of its section."
        tags = list(self.instance.tags or [])
        self.initial.setdefault("diet_tags", [t for t in tags if t in DIET_TAG_SET])
        self.initial.setdefault("other_tags", ", ".join(t for t in tags if t not in DIET_TAG_SET))
        self.fields["price"].widget.currency = self._currency()

    def _currency(self) -> str:
        if self.instance.restaurant_id:
            return self.instance.restaurant.currency
        distinct = set(self.currencies.values())
        return distinct.pop() if len(distinct) == 1 else ""

    def clean(self) -> dict:
        cleaned = super().clean()
        # A new dish without a position goes to the end of its section (MenuItemAdmin.save_model).
        self.place_at_end_of_section = self.instance.pk is None and cleaned.get("position") is None
        if self.place_at_end_of_section:
            cleaned["position"] = 0  # replaced before saving
        others = [t for t in (cleaned.get("other_tags") or "").split(",") if t.strip()]
        try:
            self.instance.tags = clean_tags(list(cleaned.get("diet_tags") or []) + others)
        except ValidationError as exc:
            self.add_error("other_tags", exc)
        self._ask_about_an_outlying_price(cleaned)
        return cleaned

    def _ask_about_an_outlying_price(self, cleaned: dict) -> None:
        price, restaurant = cleaned.get("price"), cleaned.get("restaurant")
        if price is None or restaurant is None or cleaned.get("confirm_price"):
            return
        if self.instance.pk and not {"price", "category"} & set(self.changed_data):
            return  # a price already saved is not asked about again
        category = cleaned.get("category") or ""
        median = section_median_price(
            restaurant=restaurant, category=category, exclude_pk=self.instance.pk
        )
        if not median or price <= median * OUTLIER_FACTOR:
            return
        section = f"“{category}”" if category else "dishes without a section"
        self.add_error(
            "price",
            ValidationError(
                f"{price} {restaurant.currency} is more than {OUTLIER_FACTOR} times the median "
                f"price of {section} ({median:.2f} {restaurant.currency}). If it is right, tick "
                "“Yes, this price is right” and save again.",
                code="price_outlier",
            ),
        )
        self.fields["confirm_price"].widget = forms.CheckboxInput()

    def _update_errors(self, errors: ValidationError) -> None:
        # The model validates ``tags``, which this form edits as two fields: diets and others.
        if hasattr(errors, "error_dict") and "tags" in errors.error_dict:
            for error in errors.error_dict.pop("tags"):
                field = "diet_tags" if error.code == "diet_conflict" else "other_tags"
                errors.error_dict.setdefault(field, []).append(error)
        super()._update_errors(errors)


def _offer_restaurants(field: forms.ModelChoiceField, restaurants: QuerySet) -> None:
    """Scope the choice; with only one restaurant, choose it and do not ask."""
    field.queryset = restaurants
    only = list(restaurants[:2])
    if len(only) == 1:
        field.initial = only[0].pk
        field.widget = forms.HiddenInput()


class MenuImportForm(forms.Form):
    restaurant = forms.ModelChoiceField(queryset=None, empty_label=None)
    file = forms.FileField(help_text="A .json or .csv menu file (see the menu import format).")
    replace = forms.BooleanField(
        required=False,
        label="Replace the whole menu",
        help_text="Items that are not in the file are deleted. Otherwise they are kept.",
    )
    dry_run = forms.BooleanField(
        required=False, label="Only check the file", help_text="Report what would change."
    )

    def __init__(self, *args, restaurants: QuerySet, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _offer_restaurants(self.fields["restaurant"], restaurants)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if format_for_filename(upload.name) is None:
            raise ValidationError("Upload a .json or .csv file.")
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError("The file is larger than 2 MB.")
        return upload


class MenuExportForm(forms.Form):
    restaurant = forms.ModelChoiceField(queryset=None, empty_label=None)
    format = forms.ChoiceField(choices=[(f, f.upper()) for f in FORMATS])

    def __init__(self, *args, restaurants: QuerySet, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _offer_restaurants(self.fields["restaurant"], restaurants)


class TagActionForm(ActionForm):
    tag = forms.CharField(
        required=False, label="Tag", help_text="For the add/remove tag actions, e.g. vegan"
    )


class AllergenInformationFilter(admin.SimpleListFilter):
    title = "allergen information"
    parameter_name = "allergen_info"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("declared", "Declared complete"), ("missing", "Missing")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() in ("declared", "missing"):
            return queryset.filter(allergens_declared=self.value() == "declared")
        return queryset


class ToFixFilter(admin.SimpleListFilter):
    """Dishes stored before the checks existed whose tags contradict their allergens."""

    title = "data to fix"
    parameter_name = "to_fix"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("yes", "To fix (contradictions)")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "yes":
            return queryset.filter(pk__in=ids_of_items_to_fix(queryset))
        return queryset


def _badges(labels: list[tuple[str, str]]) -> str:
    if not labels:
        return "–"
    return format_html_join(" ", '<span class="{}">{}</span>', ((c, t) for t, c in labels))


@admin.register(MenuItem)
class MenuItemAdmin(TenantScopedAdminMixin, admin.ModelAdmin):
    form = MenuItemForm
    action_form = TagActionForm
    actions = ["add_tag", "remove_tag"]
    list_display = [
        "name",
        "restaurant",
        "section",
        "price_with_currency",
        "diets_and_tags",
        "allergen_information",
        "available",
        "position",
        "to_fix",
    ]
    list_editable = ["available", "position"]
    list_filter = [
        restaurant_filter("restaurant"),
        "available",
        AllergenInformationFilter,
        ToFixFilter,
        "category",
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "restaurant",
                    "name",
                    "description",
                    "category",
                    ("price", "confirm_price"),
                    "available",
                    "position",
                ]
            },
        ),
        ("Allergens", {"fields": ["allergens", "allergens_declared", "may_contain"]}),
        ("Diets and tags", {"fields": ["diet_tags", "other_tags"]}),
    ]
    search_fields = ["name", "description", "category"]
    autocomplete_fields = ["restaurant"]
    ordering = ["restaurant", "position", "id"]
    list_select_related = ["restaurant"]
    change_list_template = "admin/menu/menuitem/change_list.html"

    # --- Import and export (the admin face of manage.py import_menu / export_menu) -----------
    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view
        return [
            path("import/", wrap(self.import_view), name="menu_menuitem_import"),
            path("export/", wrap(self.export_view), name="menu_menuitem_export"),
            *super().get_urls(),
        ]

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_add_permission(request) or not self.has_delete_permission(request):
            raise PermissionDenied
        restaurants = restaurants_for_user(request.user, roles=self.write_roles)
        form = MenuImportForm(request.POST or None, request.FILES or None, restaurants=restaurants)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Import a menu",
            "form": form,
        }
        if request.method == "POST" and form.is_valid():
            restaurant = form.cleaned_data["restaurant"]
            upload = form.cleaned_data["file"]
            report = parse_menu(upload.read(), format_for_filename(upload.name) or "json")
            context.update(report=report, restaurant=restaurant, filename=upload.name)
            replace = form.cleaned_data["replace"]
            if report.ok and form.cleaned_data["dry_run"]:
                context["preview"] = menu_import_preview(
                    restaurant=restaurant, rows=report.rows, replace=replace
                )
            elif report.ok:
                write = menu_replace if replace else menu_upsert
                changes = write(restaurant=restaurant, rows=report.rows)
                self.message_user(
                    request,
                    f"Imported {upload.name} into {restaurant.name}: {changes.summary()}.",
                    messages.SUCCESS,
                )
                for warning in report.warnings:
                    self.message_user(request, str(warning), messages.WARNING)
                return HttpResponseRedirect(reverse("admin:menu_menuitem_changelist"))
        return TemplateResponse(request, "admin/menu/menuitem/import.html", context)

    def export_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        restaurants = restaurants_for_user(request.user)
        form = MenuExportForm(request.GET or None, restaurants=restaurants)
        if form.is_valid():
            restaurant, fmt = form.cleaned_data["restaurant"], form.cleaned_data["format"]
            response = HttpResponse(
                export_menu(restaurant, fmt), content_type=f"{CONTENT_TYPES[fmt]}; charset=utf-8"
            )
            filename = export_filename(restaurant, fmt)
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
            return response
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Export a menu",
            "form": form,
        }
        return TemplateResponse(request, "admin/menu/menuitem/export.html", context)

    # Every write goes through the services, which bump the menu version (list_editable too).
    @transaction.atomic
    def save_model(self, request: HttpRequest, obj: MenuItem, form: Any, change: bool) -> None:
        if not change and getattr(form, "place_at_end_of_section", False):
            obj.position = menu_make_room_at_end_of_section(
                restaurant=obj.restaurant, category=obj.category
            )
        menu_item_save(item=obj)

    def delete_model(self, request: HttpRequest, obj: MenuItem) -> None:
        menu_items_delete(items=MenuItem.objects.filter(pk=obj.pk))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        menu_items_delete(items=queryset)

    def get_form(self, request: HttpRequest, obj: MenuItem | None = None, **kwargs: Any):
        form = super().get_form(request, obj, **kwargs)
        restaurants = restaurants_for_user(request.user, roles=self.write_roles)
        form.currencies = dict(restaurants.values_list("pk", "currency"))
        return form

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        item = self.get_object(request, object_id)
        if request.method == "GET" and item is not None:
            for problem in item.problems:
                messages.warning(
                    request,
                    f"To fix: {problem}. Saving is refused until it is corrected; meanwhile "
                    "the chat does not call this dish by that diet.",
                )
            if not item.allergens_declared:
                messages.warning(request, UNDECLARED_WARNING)
        return super().change_view(request, object_id, form_url, extra_context)

    class Media:
        css = {"all": ["stjarna/admin-menu.css"]}

    @admin.display(description="Section", ordering="category")
    def section(self, obj: MenuItem) -> str:
        return obj.category or "–"

    @admin.display(description="Price", ordering="price")
    def price_with_currency(self, obj: MenuItem) -> str:
        return f"{obj.price} {obj.restaurant.currency}"

    @admin.display(description="Diets and tags")
    def diets_and_tags(self, obj: MenuItem) -> str:
        return _badges(
            [(tag, "badge diet" if tag in DIET_TAG_SET else "badge tag") for tag in obj.tags]
        )

    @admin.display(description="Allergens")
    def allergen_information(self, obj: MenuItem) -> str:
        if not obj.allergens_declared:
            return mark_safe('<span class="badge missing">allergens missing</span>')
        if not obj.allergens:
            return mark_safe('<span class="badge none">none of the 14</span>')
        return _badges([(code, "badge allergen") for code in obj.allergens])

    @admin.display(description="To fix")
    def to_fix(self, obj: MenuItem) -> str:
        problems = obj.problems
        if not problems:
            return ""
        return format_html('<span style="color:#b00">{}</span>', "; ".join(problems))

    def _action_tag(self, request: HttpRequest, normalise: Any) -> str | None:
        try:
            tags = normalise([request.POST.get("tag", "")])
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
            return None
        if not tags:
            self.message_user(request, "Type the tag to add or remove first.", messages.ERROR)
            return None
        return tags[0]

    @admin.action(description="Add tag to selected items")
    def add_tag(self, request: HttpRequest, queryset: QuerySet) -> None:
        tag = self._action_tag(request, clean_tags)
        if not tag:
            return
        try:
            changed = menu_items_add_tag(items=queryset, tag=tag)
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
            return
        self.message_user(request, f"Added “{tag}” to {changed} item(s).", messages.SUCCESS)

    @admin.action(description="Remove tag from selected items")
    def remove_tag(self, request: HttpRequest, queryset: QuerySet) -> None:
        tag = self._action_tag(request, normalise_tags)  # a misspelt tag can be removed
        if tag:
            changed = menu_items_remove_tag(items=queryset, tag=tag)
            self.message_user(request, f"Removed “{tag}” from {changed} item(s).", messages.SUCCESS)


UNDECLARED_WARNING = (
    "The allergen information of this dish is not declared complete, so diners with any allergy "
    "are not offered it. Check its allergens and tick “Allergen information is complete” — with "
    "no allergen ticked, that says the dish is free of all 14."
)


def menu_data_panel(restaurant: Restaurant) -> str:
    """The restaurant page's summary of what its menu data still lacks, with links to the
    dishes concerned."""
    status = menu_data_status(restaurant)
    changelist = reverse("admin:menu_menuitem_changelist")
    rows = []
    if status.undeclared:
        query = urlencode({"restaurant": restaurant.pk, "allergen_info": "missing"})
        rows.append(
            (
                f"{changelist}?{query}",
                f"{status.undeclared} dish(es) without declared allergen information",
                "diners with an allergy are not offered them",
            )
        )
    if status.to_fix:
        query = urlencode({"restaurant": restaurant.pk, "to_fix": "yes"})
        rows.append(
            (
                f"{changelist}?{query}",
                f"{status.to_fix} dish(es) to fix",
                "a diet tag contradicts the allergens",
            )
        )
    if not rows:
        return "Every dish has declared allergen information and consistent diet tags."
    return format_html_join(
        "", '<p><a href="{}"><strong>{}</strong></a>: {}.</p>', ((u, t, w) for u, t, w in rows)
    )


RESTAURANT_PAGE_PANELS.append(menu_data_panel)


@admin.register(ApiKey)
class ApiKeyAdmin(TenantScopedAdminMixin, admin.ModelAdmin):
    """Owners create named keys (shown once), see when each was last used, and revoke them."""

    write_roles = OWNER_ONLY
    list_display = ["name", "restaurant", "key_prefix", "status", "last_used_at", "created_at"]
    list_filter = [restaurant_filter("restaurant")]
    search_fields = ["name", "prefix", "restaurant__name", "restaurant__public_id"]
    autocomplete_fields = ["restaurant"]
    actions = ["revoke_keys"]
    readonly_fields = ["key_prefix", "status", "created_by", "created_at", "last_used_at"]

    def get_fields(self, request: HttpRequest, obj: ApiKey | None = None) -> list[str]:
        if obj is None:
            return ["restaurant", "name"]
        return ["restaurant", "name", *self.readonly_fields]

    def get_readonly_fields(self, request: HttpRequest, obj: ApiKey | None = None) -> list[str]:
        if obj is None:
            return []
        return ["restaurant", "name", *self.readonly_fields]  # a key never changes; revoke it

    @admin.display(description="Key")
    def key_prefix(self, obj: ApiKey) -> str:
        return f"stj_{obj.prefix}_…"

    @admin.display(description="Status")
    def status(self, obj: ApiKey) -> str:
        return "active" if obj.revoked_at is None else f"revoked {obj.revoked_at:%Y-%m-%d %H:%M}"

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_operator(request)  # owners revoke; the record stays for the audit trail

    def save_model(self, request: HttpRequest, obj: ApiKey, form: Any, change: bool) -> None:
        if change:
            return  # nothing on a key is editable
        issued = api_key_issue(restaurant=obj.restaurant, name=obj.name, created_by=request.user)
        obj.__dict__.update(issued.key.__dict__)
        # Shown on the very next page only: never put into messages (they may land in the
        # session table) nor anywhere else that is stored.
        request._issued_api_key = issued.token  # type: ignore[attr-defined]

    def response_add(self, request: HttpRequest, obj: ApiKey, post_url_continue: Any = None):
        token = getattr(request, "_issued_api_key", None)
        if token is None:
            return super().response_add(request, obj, post_url_continue)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Copy your new API key now",
            "key": obj,
            "token": token,
        }
        response = TemplateResponse(request, "admin/menu/apikey/issued.html", context)
        add_never_cache_headers(response)
        return response

    @admin.action(description="Revoke selected keys", permissions=["change"])
    def revoke_keys(self, request: HttpRequest, queryset: Any) -> None:
        if not is_operator(request):  # owners revoke keys of the restaurants they own, only
            queryset = queryset.filter(restaurant__in=user_restaurant_ids(request, OWNER_ONLY))
        revoked = sum(api_key_revoke(key=key) for key in queryset)
        self.message_user(request, f"Revoked {revoked} key(s).", messages.SUCCESS)
