"""Tenant isolation for the Django admin: one mixin that every model admin uses.

A model admin declares ``tenant_path``, the ORM path from its model to ``Restaurant`` ("" for the
Restaurant model itself). The mixin then scopes list, search, change, delete, foreign-key choices,
filters and autocomplete to the user's restaurants, and answers permission questions from
memberships: operators (superusers) see everything; staff see only restaurants they belong to.
Inlines use ``TenantScopedInlineMixin``, which follows the parent object's scope.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from tenants.models import Membership, Restaurant
from tenants.selectors import restaurants_for_user

ANY_ROLE = (Membership.Role.OWNER, Membership.Role.STAFF)


def user_restaurant_ids(request: HttpRequest, roles: tuple[str, ...] = ANY_ROLE) -> set[int]:
    """The ids of the restaurants the user may work on, memoised on the request."""
    memo = request.__dict__.setdefault("_tenant_ids", {})
    if roles not in memo:
        memo[roles] = set(
            restaurants_for_user(request.user, roles=roles).values_list("pk", flat=True)
        )
    return memo[roles]


def is_operator(request: HttpRequest) -> bool:
    return bool(request.user.is_active and request.user.is_superuser)


class RestaurantListFilter(admin.SimpleListFilter):
    """A restaurant filter whose choices are only the user's own restaurants."""

    title = "restaurant"
    parameter_name = "restaurant"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        restaurants = restaurants_for_user(request.user)
        return [(str(r.pk), r.name) for r in restaurants.only("pk", "name")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if not self.value():
            return queryset
        path = getattr(self, "tenant_path", "") or "restaurant"
        return queryset.filter(**{f"{path}__pk": self.value()})


def restaurant_filter(tenant_path: str) -> type[RestaurantListFilter]:
    """A RestaurantListFilter for models that reach Restaurant through ``tenant_path``."""
    return type("RestaurantFilter", (RestaurantListFilter,), {"tenant_path": tenant_path})


class TenantScopedAdminMixin:
    """Scope a ModelAdmin to the user's restaurants (see the module docstring)."""

    tenant_path: str = "restaurant"
    # Roles allowed to add/change/delete; viewing needs any membership.
    write_roles: tuple[str, ...] = ANY_ROLE

    # --- scoping helpers --------------------------------------------------------------------
    def _scope_filter(self, ids: set[int]) -> dict[str, Any]:
        return {f"{self.tenant_path}__in" if self.tenant_path else "pk__in": ids}

    def restaurant_of(self, obj: Model) -> Restaurant | None:
        """Follow ``tenant_path`` from an object to its restaurant."""
        if not self.tenant_path:
            return obj  # type: ignore[return-value]
        target: Any = obj
        for part in self.tenant_path.split("__"):
            target = getattr(target, part, None)
            if target is None:
                return None
        return target

    def _in_scope(self, request: HttpRequest, obj: Model | None, roles: tuple[str, ...]) -> bool:
        if is_operator(request):
            return True
        ids = user_restaurant_ids(request, roles)
        if not ids:
            return False
        if obj is None:
            return True
        restaurant = self.restaurant_of(obj)
        return restaurant is not None and restaurant.pk in ids

    # --- ModelAdmin API ---------------------------------------------------------------------
    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = super().get_queryset(request)  # type: ignore[misc]
        if is_operator(request):
            return queryset
        return queryset.filter(**self._scope_filter(user_restaurant_ids(request)))

    def _one_restaurant(self, request: HttpRequest) -> bool:
        return not is_operator(request) and len(user_restaurant_ids(request)) == 1

    def get_list_display(self, request: HttpRequest) -> Any:
        """A member of one restaurant is not shown a restaurant column nor filter: they say
        nothing to them."""
        columns = super().get_list_display(request)  # type: ignore[misc]
        if self._one_restaurant(request):
            columns = [c for c in columns if c != "restaurant"]
        return columns

    def get_list_filter(self, request: HttpRequest) -> Any:
        filters = super().get_list_filter(request)  # type: ignore[misc]
        if self._one_restaurant(request):
            filters = [
                f
                for f in filters
                if not (isinstance(f, type) and issubclass(f, RestaurantListFilter))
            ]
        return filters

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._in_scope(request, None, ANY_ROLE)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._in_scope(request, obj, ANY_ROLE)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return self._in_scope(request, None, self.write_roles)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._in_scope(request, obj, self.write_roles)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._in_scope(request, obj, self.write_roles)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        """Offer only in-scope choices for every foreign key, whatever model it points at."""
        if not is_operator(request):
            related = db_field.related_model
            if related is Restaurant:
                choices = restaurants_for_user(request.user, roles=self.write_roles)
                kwargs["queryset"] = choices
                only = list(choices[:2])
                if len(only) == 1:  # a one-restaurant owner never has to pick it
                    kwargs["initial"] = only[0].pk
                    kwargs["widget"] = forms.HiddenInput()
            else:
                related_admin = self.admin_site._registry.get(related)  # type: ignore[attr-defined]
                if isinstance(related_admin, TenantScopedAdminMixin):
                    kwargs["queryset"] = related_admin.get_queryset(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]


class TenantScopedInlineMixin:
    """Inlines follow their parent object's scope (the parent admin already checked it)."""

    write_roles: tuple[str, ...] = ANY_ROLE
    parent_tenant_path: str = ""  # path from the parent object to Restaurant

    def _parent_in_scope(
        self, request: HttpRequest, obj: Model | None, roles: tuple[str, ...]
    ) -> bool:
        if is_operator(request):
            return True
        ids = user_restaurant_ids(request, roles)
        if obj is None:
            return bool(ids)
        target: Any = obj
        for part in filter(None, self.parent_tenant_path.split("__")):
            target = getattr(target, part)
        return target.pk in ids

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._parent_in_scope(request, obj, ANY_ROLE)

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._parent_in_scope(request, obj, self.write_roles)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._parent_in_scope(request, obj, self.write_roles)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._parent_in_scope(request, obj, self.write_roles)


class OperatorOnlyAdminMixin:
    """Visible to and usable by operators (superusers) only; restaurant staff never see it."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_operator(request)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return is_operator(request)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return is_operator(request)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return is_operator(request)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return is_operator(request)


class ReadOnlyAdminMixin:
    """Records (what diners were told, who changed what) that nobody edits in the admin.

    Deleting them is for operators only (retention and GDPR erasure have commands too).
    """

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return is_operator(request)
