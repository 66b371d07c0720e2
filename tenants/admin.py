"""Admin for restaurants, their allowlists and memberships, scoped per tenant."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.utils.html import format_html, format_html_join

from tenants.apikeys import api_key_issue, api_key_revoke
from tenants.forms import WEEK_FIELDS, RestaurantForm, special_rows_for
from tenants.hours import weekly_hours_of
from tenants.models import AllowedOrigin, ApiKey, Membership, Restaurant
from tenants.scoping import (
    OperatorOnlyAdminMixin,
    TenantScopedAdminMixin,
    TenantScopedInlineMixin,
    is_operator,
    restaurant_filter,
    user_restaurant_ids,
)
from tenants.selectors import embed_snippet_for

OWNER_ONLY = (Membership.Role.OWNER,)
EMPTY_ALLOWLIST_WARNING = (
    "This restaurant has no allowed website origins, so no website can use its chat widget "
    "(cross-origin access is refused). Add your site's origin, e.g. https://your-restaurant.example."
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


class AllowedOriginInline(TenantScopedInlineMixin, admin.TabularInline):
    model = AllowedOrigin
    extra = 1
    fields = ["origin"]
    write_roles = OWNER_ONLY


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
            fieldsets.insert(1, ("Embed", {"fields": ["embed_snippet", "allowlist_status"]}))
            if RESTAURANT_PAGE_PANELS:
                fieldsets.insert(2, ("Menu", {"fields": ["page_panels"]}))
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

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_operator(request)

    @admin.display(description="Embed snippet")
    def embed_snippet(self, obj: Restaurant) -> str:
        return format_html(
            "<p>Paste this into every page of your website, just before &lt;/body&gt;:</p>"
            '<pre style="white-space:pre-wrap;user-select:all">{}</pre>',
            embed_snippet_for(obj),
        )

    @admin.display(description="Website access (CORS)")
    def allowlist_status(self, obj: Restaurant) -> str:
        origins = [o.origin for o in obj.allowed_origins.all()]
        if not origins:
            return format_html('<strong style="color:#b00">{}</strong>', EMPTY_ALLOWLIST_WARNING)
        return ", ".join(origins)

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
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(AllowedOrigin)
class AllowedOriginAdmin(TenantScopedAdminMixin, admin.ModelAdmin):
    write_roles = OWNER_ONLY
    list_display = ["origin", "restaurant", "created_at"]
    search_fields = ["origin", "restaurant__name", "restaurant__public_id"]
    autocomplete_fields = ["restaurant"]
    list_filter = [restaurant_filter("restaurant")]


@admin.register(Membership)
class MembershipAdmin(OperatorOnlyAdminMixin, admin.ModelAdmin):
    """Operators decide who works for which restaurant."""

    list_display = ["user", "restaurant", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__email", "restaurant__name", "restaurant__public_id"]
    autocomplete_fields = ["user", "restaurant"]


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
        response = TemplateResponse(request, "admin/tenants/apikey/issued.html", context)
        add_never_cache_headers(response)
        return response

    @admin.action(description="Revoke selected keys", permissions=["change"])
    def revoke_keys(self, request: HttpRequest, queryset: Any) -> None:
        if not is_operator(request):  # owners revoke keys of the restaurants they own, only
            queryset = queryset.filter(restaurant__in=user_restaurant_ids(request, OWNER_ONLY))
        revoked = sum(api_key_revoke(key=key) for key in queryset)
        self.message_user(request, f"Revoked {revoked} key(s).", messages.SUCCESS)


# Operator-only pages (IP blocks, audit trail) live in their own module.
from tenants import admin_operators  # noqa: E402, F401
