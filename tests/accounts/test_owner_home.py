"""The admin index for restaurant staff: their restaurant at a glance (issue #15, item 4)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from chat.models import ChatMessage
from tests.factories import (
    AllowedOriginFactory,
    ChatMessageFactory,
    ChatSessionFactory,
    MembershipFactory,
    UserFactory,
)


def home(client) -> str:
    response = client.get("/admin/")
    assert response.status_code == 200
    return response.content.decode()


def ask(restaurant, text: str, *, answered=True, intent="search", items=(1,), days_ago=0):
    session = ChatSessionFactory(restaurant=restaurant)
    message = ChatMessageFactory(
        session=session, text=text, answered=answered, intent=intent, item_ids=list(items)
    )
    if days_ago:
        when = timezone.now() - timedelta(days=days_ago)
        ChatMessage.objects.filter(pk=message.pk).update(created_at=when)
        type(session).objects.filter(pk=session.pk).update(first_seen=when)
    return message


def test_the_home_shows_the_embed_snippet_from_the_public_base_url(
    client, bella, staff_of_bella, settings
):
    settings.PUBLIC_BASE_URL = "https://chat.stjarna.example"
    client.force_login(staff_of_bella)
    page = home(client)
    assert (
        "&lt;script src=&quot;https://chat.stjarna.example/widget.js&quot; "
        "data-restaurant-id=&quot;bella&quot; async&gt;&lt;/script&gt;" in page
    )
    assert "127.0.0.1:8000" not in page
    assert 'class="button copy-snippet" data-copy="snippet-' in page


def test_the_home_names_the_websites_in_plain_words(client, bella, staff_of_bella):
    AllowedOriginFactory(restaurant=bella, origin="https://bella.example")
    client.force_login(staff_of_bella)
    page = home(client)
    assert "Your website <strong>https://bella.example</strong> can show the chat." in page
    assert "CORS" not in page


def test_a_restaurant_without_websites_is_told_what_to_do(client, bella, staff_of_bella):
    client.force_login(staff_of_bella)
    assert "No website can show the chat yet" in home(client)


def test_the_home_carries_a_live_preview_of_the_widget(client, bella, staff_of_bella):
    client.force_login(staff_of_bella)
    assert '<script src="/widget.js" data-restaurant-id="bella" async></script>' in home(client)


def test_the_home_counts_this_weeks_questions_grouped_and_normalised(client, bella, staff_of_bella):
    for text in ("Vegan pizza?", "vegan  pizza", "VEGAN PIZZA!"):
        ask(bella, text)
    ask(bella, "gluten free?")
    ask(bella, "old question", days_ago=10)
    client.force_login(staff_of_bella)
    page = home(client)
    top = page.split('class="questions top-questions"')[1].split("</table>")[0]
    assert '<td>vegan pizza</td><td class="count">3</td>' in top
    assert "gluten free" in top
    assert "old question" not in top


def test_answers_that_found_nothing_count_as_unanswered(client, bella, staff_of_bella):
    ask(bella, "do you have sushi?", intent="search", items=())
    ask(bella, "do you have sushi", intent="search", items=())
    ask(bella, "blorp", answered=False, intent="unknown", items=())
    ask(bella, "vegan?", intent="search", items=(4, 5))
    ask(bella, "hello", intent="greeting", items=())
    client.force_login(staff_of_bella)
    page = home(client)
    missed = page.split('class="questions unanswered-questions"')[1].split("</table>")[0]
    assert '<td>do you have sushi</td><td class="count">2</td>' in missed
    assert "blorp" in missed
    assert "vegan" not in missed
    assert "hello" not in missed


def test_the_home_draws_chats_per_day_as_an_inline_svg(client, bella, staff_of_bella):
    ask(bella, "a")
    ask(bella, "b")
    ask(bella, "c", days_ago=3)
    client.force_login(staff_of_bella)
    page = home(client)
    assert '<svg class="chats-chart" role="img"' in page
    assert "3 chats in the last 14 days" in page
    assert page.count("<rect ") == 14


def test_staff_see_only_their_own_restaurants_numbers(
    client, bella, roma, staff_of_bella, staff_of_roma
):
    ask(roma, "secret roma question")
    AllowedOriginFactory(restaurant=roma, origin="https://roma.example")
    client.force_login(staff_of_bella)
    page = home(client)
    assert "Bella Napoli" in page
    assert "Roma Antica" not in page
    assert "secret roma question" not in page
    assert "roma.example" not in page
    assert 'data-restaurant-id="roma"' not in page


def test_operators_get_the_plain_index(client, bella, operator):
    client.force_login(operator)
    page = home(client)
    assert "restaurant-home" not in page
    assert "/widget.js" not in page


def test_a_user_without_restaurants_sees_no_home(client, db):
    client.force_login(UserFactory(username="drifter"))
    assert "restaurant-home" not in home(client)


def test_an_owner_of_two_restaurants_sees_both(client, bella, roma, staff_of_bella):
    MembershipFactory(user=staff_of_bella, restaurant=roma)
    client.force_login(staff_of_bella)
    page = home(client)
    assert "Bella Napoli" in page and "Roma Antica" in page
    assert page.count('<script src="/widget.js"') == 1  # one preview: widgets would stack


@pytest.mark.parametrize("role", ["owner", "staff"])
def test_only_owners_are_offered_the_invitation(client, bella, role):
    user = MembershipFactory(
        user=UserFactory(username=f"u-{role}"), restaurant=bella, role=role
    ).user
    client.force_login(user)
    assert ("Invite a colleague" in home(client)) is (role == "owner")


def test_the_home_lists_dishes_to_fix_and_without_allergen_information(
    client, bella, staff_of_bella
):
    from tests.factories import MenuItemFactory

    MenuItemFactory(restaurant=bella, name="Stew", allergens_declared=False)
    MenuItemFactory(restaurant=bella, name="Stew 2", allergens_declared=False)
    MenuItemFactory(restaurant=bella, allergens_declared=True)
    MenuItemFactory(  # stored before the checks existed
        restaurant=bella, tags=["vegan"], allergens=["milk"], allergens_declared=True
    )
    client.force_login(staff_of_bella)
    page = home(client)
    assert "2 dishes without declared allergen information" in page
    assert "1 dish to fix" in page
    assert f"?restaurant={bella.pk}&amp;allergen_info=missing" in page


def test_a_menu_with_nothing_to_do_shows_no_to_do_list(client, bella, staff_of_bella):
    from tests.factories import MenuItemFactory

    MenuItemFactory(restaurant=bella, allergens_declared=True)
    client.force_login(staff_of_bella)
    assert "To do on your menu" not in home(client)


def test_every_link_on_the_home_opens(client, bella, staff_of_bella):
    import re

    ask(bella, "do you have sushi", intent="search", items=())
    client.force_login(staff_of_bella)
    page = home(client)
    section = page.split('id="restaurant-home"')[1].split("</section>")[0]
    links = {href.replace("&amp;", "&") for href in re.findall(r'href="(/admin/[^"]*)"', section)}
    assert len(links) >= 5
    for link in links:
        assert client.get(link).status_code == 200, link


def test_the_index_speaks_no_cors_jargon_to_staff(client, bella, staff_of_bella, operator):
    client.force_login(staff_of_bella)
    assert "Allowed origins" not in home(client)
    client.force_login(operator)
    assert "Allowed origins" in home(client)
