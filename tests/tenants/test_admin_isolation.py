"""Tenant isolation in the admin: staff of one restaurant never see or touch another's data."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from tests.factories import (
    AllowedOriginFactory,
    ChatMessageFactory,
    ChatSessionFactory,
    MenuItemFactory,
)


@pytest.fixture
def tenant_objects(bella, roma):
    """One object of every admin model for each tenant, keyed by (tenant, admin url name)."""
    objects = {}
    for restaurant in (bella, roma):
        session = ChatSessionFactory(restaurant=restaurant)
        objects[restaurant.public_id] = {
            "tenants_restaurant": restaurant,
            "tenants_allowedorigin": AllowedOriginFactory(restaurant=restaurant),
            "menu_menuitem": MenuItemFactory(restaurant=restaurant, name=f"{restaurant.name} soup"),
            "chat_chatsession": session,
            "chat_chatmessage": ChatMessageFactory(session=session, text=f"hi {restaurant.name}"),
        }
    return objects


ADMIN_MODELS = [
    "tenants_restaurant",
    "tenants_allowedorigin",
    "menu_menuitem",
    "chat_chatsession",
    "chat_chatmessage",
]


@pytest.mark.parametrize("model", ADMIN_MODELS)
def test_staff_list_shows_only_their_restaurant(model, tenant_objects, staff_of_bella, login_as):
    client = login_as(staff_of_bella)
    response = client.get(reverse(f"admin:{model}_changelist"))
    assert response.status_code == 200
    own = tenant_objects["bella"][model]
    other = tenant_objects["roma"][model]
    shown = {obj.pk for obj in response.context["cl"].result_list}
    assert own.pk in shown
    assert other.pk not in shown


@pytest.mark.parametrize("model", ADMIN_MODELS)
def test_staff_cannot_open_change_or_delete_another_tenants_object(
    model, tenant_objects, staff_of_bella, login_as
):
    client = login_as(staff_of_bella)
    other = tenant_objects["roma"][model]
    for view in ("change", "delete"):
        response = client.get(reverse(f"admin:{model}_{view}", args=[other.pk]))
        assert response.status_code in (302, 403, 404), (view, response.status_code)
        if response.status_code == 302:  # Django redirects "object doesn't exist" to the index
            assert reverse(f"admin:{model}_{view}", args=[other.pk]) not in response["Location"]
    response = client.post(reverse(f"admin:{model}_delete", args=[other.pk]), {"post": "yes"})
    assert response.status_code in (302, 403, 404)
    assert type(other).objects.filter(pk=other.pk).exists()


@pytest.mark.parametrize("model", ADMIN_MODELS)
def test_operator_sees_every_tenant(model, tenant_objects, operator, login_as):
    client = login_as(operator)
    response = client.get(reverse(f"admin:{model}_changelist"))
    shown = {obj.pk for obj in response.context["cl"].result_list}
    assert {tenant_objects["bella"][model].pk, tenant_objects["roma"][model].pk} <= shown


def test_staff_search_does_not_reach_another_tenant(tenant_objects, staff_of_bella, login_as):
    client = login_as(staff_of_bella)
    response = client.get(reverse("admin:menu_menuitem_changelist"), {"q": "Roma"})
    assert list(response.context["cl"].result_list) == []


def test_staff_restaurant_filter_offers_only_their_restaurants(
    tenant_objects, staff_of_bella, login_as
):
    client = login_as(staff_of_bella)
    response = client.get(reverse("admin:menu_menuitem_changelist"))
    html = response.content.decode()
    assert "Bella Napoli" in html
    assert "Roma Antica" not in html
    # Even a hand-made filter URL for the other tenant yields nothing.
    roma_pk = tenant_objects["roma"]["tenants_restaurant"].pk
    response = client.get(reverse("admin:menu_menuitem_changelist"), {"restaurant": roma_pk})
    assert list(response.context["cl"].result_list) == []


def test_staff_autocomplete_offers_only_their_restaurants(tenant_objects, staff_of_bella, login_as):
    client = login_as(staff_of_bella)
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "menu", "model_name": "menuitem", "field_name": "restaurant", "term": ""},
    )
    assert response.status_code == 200
    names = [r["text"] for r in json.loads(response.content)["results"]]
    assert any("Bella" in n for n in names)
    assert not any("Roma" in n for n in names)


def test_staff_cannot_create_an_item_for_another_tenant(
    tenant_objects, staff_of_bella, login_as, roma
):
    client = login_as(staff_of_bella)
    response = client.post(
        reverse("admin:menu_menuitem_add"),
        {"restaurant": roma.pk, "name": "Sneaky", "price": "10", "position": 0},
    )
    assert response.status_code == 200  # the form comes back with an error
    assert "Select a valid choice" in response.content.decode()
    assert not roma.menu_items.filter(name="Sneaky").exists()


def test_staff_without_membership_sees_nothing(db, login_as):
    from tests.factories import UserFactory

    client = login_as(UserFactory(username="drifter"))
    response = client.get(reverse("admin:menu_menuitem_changelist"))
    assert response.status_code == 403


def test_staff_do_not_see_rate_limit_overrides_but_operators_do(
    bella, staff_of_bella, operator, client
):
    url = reverse("admin:tenants_restaurant_change", args=[bella.pk])
    client.force_login(staff_of_bella)
    assert "chat_rate_limit" not in client.get(url).content.decode()
    client.force_login(operator)
    assert "chat_rate_limit" in client.get(url).content.decode()
