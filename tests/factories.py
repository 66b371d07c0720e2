"""factory_boy factories speaking the product's language."""

from __future__ import annotations

from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from chat.models import ChatMessage, ChatSession
from menu.models import MenuItem
from menu.services import menu_item_save
from tenants.models import AllowedOrigin, Membership, Restaurant


class RestaurantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Restaurant
        django_get_or_create = ("public_id",)

    public_id = factory.Sequence(lambda n: f"restaurant-{n}")
    name = factory.Sequence(lambda n: f"Restaurant {n}")
    currency = "SEK"
    locale = "en"
    timezone = "Europe/Stockholm"
    opening_hours = "Mo-Su 11:00-22:00"
    address = "Storgatan 1, Stockholm"
    phone = "+46 8 000 00 00"


class AllowedOriginFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AllowedOrigin

    restaurant = factory.SubFactory(RestaurantFactory)
    origin = factory.Sequence(lambda n: f"https://site-{n}.example")


class MenuItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MenuItem

    restaurant = factory.SubFactory(RestaurantFactory)
    name = factory.Sequence(lambda n: f"Dish {n}")
    description = "A dish"
    price = Decimal("100.00")
    category = "Mains"
    allergens = factory.LazyFunction(list)
    tags = factory.LazyFunction(list)
    available = True
    position = factory.Sequence(lambda n: n)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        """Saved as the admin saves a dish: through the service, which bumps the menu version."""
        return menu_item_save(item=model_class(*args, **kwargs))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user-{n}")
    is_staff = True
    password = factory.django.Password("pw-for-tests")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    restaurant = factory.SubFactory(RestaurantFactory)
    role = Membership.Role.OWNER


class ChatSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChatSession

    restaurant = factory.SubFactory(RestaurantFactory)
    token = factory.Sequence(lambda n: f"session-{n}")


class ChatMessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChatMessage

    session = factory.SubFactory(ChatSessionFactory)
    role = ChatMessage.Role.DINER
    text = "any vegan dishes?"
    intent = "search"
    answered = True
