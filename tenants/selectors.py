"""Reads about restaurants, always scoped to what the asking user may see."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import QuerySet

from tenants.models import Membership, Restaurant


def restaurants_for_user(user: AbstractBaseUser, *, roles: tuple[str, ...] = ()) -> QuerySet:
    """Every restaurant for operators (superusers); otherwise only the user's memberships."""
    if not user.is_active:
        return Restaurant.objects.none()
    if user.is_superuser:
        return Restaurant.objects.all()
    memberships = Membership.objects.filter(user=user)
    if roles:
        memberships = memberships.filter(role__in=roles)
    return Restaurant.objects.filter(pk__in=memberships.values("restaurant_id"))


def embed_snippet_for(restaurant: Restaurant) -> str:
    """The one script tag a restaurant pastes into its website (SPEC §8)."""
    return (
        f'<script src="{settings.PUBLIC_BASE_URL}/widget.js" '
        f'data-restaurant-id="{restaurant.public_id}" async></script>'
    )
