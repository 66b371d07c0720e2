"""Admin for restaurants, their allowlists and memberships, scoped per tenant."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from tenants.forms import WEEK_FIELDS, RestaurantForm, special_rows_for
from tenants.hours import weekly_hours_of
from tenants.models import AllowedOrigin, Membership, Restaurant
from tenants.scoping import (
    OperatorOnlyAdminMixin,
    TenantScopedAdminMixin,
    TenantScopedInlineMixin,
    is_operator,
    restaurant_filter,
    user_restaurant_ids,
)
from tenants.selectors import embed_snippet_for
from tenants.services import restaurant_update

OWNER_ONLY = (Membership.Role.OWNER,)
EMPTY_ALLOWLIST_WARNING = (
    "No website can show this restaurant’s chat yet. Add your website's address under "
    "“Websites that can show the chat”, e.g. https://your-restaurant.example."
)
HOURS_ONLY_A_NOTE_WARNING = (
    "Your opening hours could not be read as weekly hours, so they were kept word for word as the "
    "hours note, which diners see. Set the hours with the weekly form below so the chat can answer "
    "“are you open now?”."
)
HOURS_HELP = (
    "Each day: the opening and closing times, or closed (a closing time after midnight, such as "
    "02:00, belongs to the same evening). Special dates override the week, e.g. Dec 24 closed. "
    "Saving writes the hours in OpenStreetMap syntax, shown below; you may edit the syntax "
    "instead (not both at once)."
)
HOURS_RAW_ONLY_HELP = (
    "These hours use rules the weekly form cannot show (several openings a day, public "
    "holidays …): edit them in OpenStreetMap syntax below."
)

# Panels that apps above tenants add to the restaurant page, each render(restaurant) -> HTML:
# the menu app shows what its data still lacks. Registering here keeps tenants free of imports
# from those apps.
RESTAURANT_PAGE_PANELS: list[Callable[[Restaurant], str]] = []


class WebsiteForm(forms.ModelForm):
    class Meta:
        model = AllowedOrigin
        fields = ["origin"]
        labels = {"origin": "Website address"}


class AllowedOriginInline(TenantScopedInlineMixin, admin.TabularInline):
    model = AllowedOrigin
    form = WebsiteForm
    extra = 1
    fields = ["origin"]
    write_roles = OWNER_ONLY
    verbose_name = "website that can show the chat"
    verbose_name_plural = "Websites that can show the chat"


class MembershipInline(OperatorOnlyAdminMixin, admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Restaurant)
class RestaurantAdmin(TenantScopedAdminMixin, admin.ModelAdmin):
    form = RestaurantForm
    tenant_path = ""
    write_roles = OWNER_ONLY
    list_display = ["name", "public_id", "active", "locale", "currency", "menu_version"]
    list_filter = ["active", "locale"]
    search_fields = ["name", "public_id"]
    inlines = [AllowedOriginInline, MembershipInline]
    readonly_fields = [
        "embed_snippet",
        "allowlist_status",
        "team",
        "page_panels",
        "menu_version",
        "created_at",
        "updated_at",
    ]

    def get_fieldsets(self, request: HttpRequest, obj: Restaurant | None = None) -> list:
        fieldsets: list = [
            (None, {"fields": ["public_id", "name", "active"]}),
            (
                "Shown to diners",
                {
                    "fields": [
                        "greeting",
                        "locale",
                        "currency",
                        "brand_color",
                        "address",
                        "phone",
                    ]
                },
            ),
            ("Opening hours", self._hours_fieldset(request, obj)),
            ("Contact", {"fields": ["contact_email"]}),
        ]
        if obj is not None:
            fieldsets.insert(1, ("Your website", {"fields": ["embed_snippet", "allowlist_status"]}))
            fieldsets.insert(2, ("Team", {"fields": ["team"]}))
            if RESTAURANT_PAGE_PANELS:
                fieldsets.insert(3, ("Menu", {"fields": ["page_panels"]}))
        if is_operator(request):
            fieldsets.append(
                (
                    "Rate limits (operators only; empty = platform default)",
                    {"fields": ["chat_rate_limit", "chat_burst_limit", "chat_ip_rate_limit"]},
                )
            )
        fieldsets.append(("Record", {"fields": ["menu_version", "created_at", "updated_at"]}))
        return fieldsets

    def _hours_fieldset(self, request: HttpRequest, obj: Restaurant | None) -> dict:
        fields = ["opening_hours", "hours_note", "timezone"]
        if not self.has_change_permission(request, obj):
            return {"fields": fields}  # read-only: the syntax as diners' widgets receive it
        if weekly_hours_of(obj.opening_hours if obj else "") is None:
            return {"fields": fields, "description": HOURS_RAW_ONLY_HELP}
        return {
            "fields": [*WEEK_FIELDS, *special_rows_for(obj), *fields],
            "description": HOURS_HELP,
        }

    def get_readonly_fields(self, request: HttpRequest, obj: Restaurant | None = None) -> list:
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and not is_operator(request):
            fields.append("public_id")  # the embed snippets in the wild depend on it
        return fields

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return is_operator(request)  # restaurants are created by operators

    def save_model(self, request: HttpRequest, obj: Restaurant, form: Any, change: bool) -> None:
        if change:
            restaurant_update(restaurant=obj)  # bumps the menu version if diners see a change
        else:
            super().save_model(request, obj, form, change)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_operator(request)

    @admin.display(description="Embed snippet")
    def embed_snippet(self, obj: Restaurant) -> str:
        return format_html(
            "<p>Paste this into every page of your website, just before &lt;/body&gt;:</p>"
            '<pre style="white-space:pre-wrap;user-select:all">'
            '<code id="snippet-{}">{}</code></pre><button type="button" '
            'class="button copy-snippet" data-copy="snippet-{}">Copy</button> '
            '<span class="copy-status" role="status" aria-live="polite"></span>',
            obj.pk,
            embed_snippet_for(obj),
            obj.pk,
        )

    @admin.display(description="Where the chat shows")
    def allowlist_status(self, obj: Restaurant) -> str:
        origins = [o.origin for o in obj.allowed_origins.all()]
        if not origins:
            return format_html('<strong style="color:#b00">{}</strong>', EMPTY_ALLOWLIST_WARNING)
        return format_html_join(
            "",
            "<p>Your website <strong>{}</strong> can show the chat.</p>",
            ((o,) for o in origins),
        )

    @admin.display(description="People")
    def team(self, obj: Restaurant) -> str:
        memberships = obj.memberships.select_related("user").order_by("role", "user__username")
        rows = format_html_join(
            "",
            "<li>{} ({})</li>",
            (
                (m.user.email or m.user.get_username(), m.get_role_display().lower())
                for m in memberships
            ),
        )
        return format_html('<ul class="team">{}</ul>', rows) if rows else "Nobody yet."

    @property
    def media(self):
        return super().media + forms.Media(js=["stjarna/admin-home.js"])

    @admin.display(description="Menu data")
    def page_panels(self, obj: Restaurant) -> str:
        return format_html_join(
            "", "<div>{}</div>", ((render(obj),) for render in RESTAURANT_PAGE_PANELS)
        )

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        obj = self.get_object(request, object_id)
        if request.method == "GET" and obj is not None:
            if not obj.allowed_origins.exists():
                messages.warning(request, EMPTY_ALLOWLIST_WARNING)
            if obj.hours_note.strip() and not obj.opening_hours.strip():
                messages.warning(request, HOURS_ONLY_A_NOTE_WARNING)
        if obj is not None and (
            is_operator(request) or obj.pk in user_restaurant_ids(request, OWNER_ONLY)
        ):
            extra_context = {
                **(extra_context or {}),
                "invite_url": reverse("admin:invite_member", args=[obj.pk]),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        if is_operator(request):
            extra_context = {
                **(extra_context or {}),
                "new_restaurant_url": reverse("admin:new_restaurant"),
            }
        return super().changelist_view(request, extra_context)


@admin.register(AllowedOrigin)
class AllowedOriginAdmin(TenantScopedAdminMixin, admin.ModelAdmin):
    write_roles = OWNER_ONLY
    list_display = ["origin", "restaurant", "created_at"]
    search_fields = ["origin", "restaurant__name", "restaurant__public_id"]
    autocomplete_fields = ["restaurant"]
    list_filter = [restaurant_filter("restaurant")]

    def has_module_permission(self, request: HttpRequest) -> bool:
        # Owners keep their websites on the restaurant page ("Websites that can show the chat");
        # the separate list, named after CORS origins, is for operators' cross-tenant work.
        return is_operator(request)


@admin.register(Membership)
class MembershipAdmin(OperatorOnlyAdminMixin, admin.ModelAdmin):
    """Operators decide who works for which restaurant."""

    list_display = ["user", "restaurant", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__email", "restaurant__name", "restaurant__public_id"]
    autocomplete_fields = ["user", "restaurant"]
