"""The admin's chat views: read-only conversations, the unanswered-questions report per tenant,
and operators' per-restaurant rate-limit overrides taking effect."""

from __future__ import annotations

import re

import django_ratelimit.core
import pytest
from django.urls import reverse

from chat.selectors import normalise_question
from tests.admin_forms import change_form_data
from tests.chat.test_chat_api import ask
from tests.factories import ChatMessageFactory, ChatSessionFactory

REPORT_URL = "/admin/chat/chatmessage/unanswered/"


def unanswered(restaurant, text, token="s"):
    session = ChatSessionFactory(restaurant=restaurant, token=token)
    return ChatMessageFactory(session=session, text=text, answered=False, intent="unknown")


def report_rows(response) -> list[tuple[str, str, int]]:
    """(restaurant, question, count) per row of the rendered report table."""
    html = response.content.decode()
    rows = re.findall(
        r"<tr>\s*<td>(.*?)</td>\s*<td class=\"question\">(.*?)</td>\s*"
        r"<td class=\"count\">(\d+)</td>",
        html,
        re.S,
    )
    return [(name, question, int(count)) for name, question, count in rows]


@pytest.fixture
def bella_and_roma_questions(bella, roma):
    for token, text in [("a", "Do you have SUSHI?"), ("b", "do you have sushi"), ("c", "sushi??")]:
        unanswered(bella, text, token)
    unanswered(bella, "Do you have sushi", "d")
    unanswered(bella, "parking?", "e")
    unanswered(roma, "secret roma question", "f")
    answered = ChatSessionFactory(restaurant=bella, token="g")
    ChatMessageFactory(session=answered, text="vegan?", answered=True, item_ids=[1])


def test_report_lists_unanswered_questions_most_frequent_first(
    bella_and_roma_questions, staff_of_bella, login_as
):
    response = login_as(staff_of_bella).get(REPORT_URL)

    assert response.status_code == 200
    assert report_rows(response) == [
        ("Bella Napoli", "do you have sushi", 3),
        ("Bella Napoli", "parking", 1),
        ("Bella Napoli", "sushi", 1),
    ]
    assert "vegan?" not in response.content.decode()


def test_report_counts_searches_that_found_nothing_as_unanswered(bella, staff_of_bella, login_as):
    session = ChatSessionFactory(restaurant=bella, token="x")
    ChatMessageFactory(session=session, text="Any oysters?", intent="search", item_ids=[])
    ChatMessageFactory(session=session, text="any oysters", intent="cheapest", item_ids=[])
    ChatMessageFactory(session=session, text="hello", intent="greeting", item_ids=[])

    response = login_as(staff_of_bella).get(REPORT_URL)

    assert report_rows(response) == [("Bella Napoli", "any oysters", 2)]


def test_staff_see_only_their_own_restaurants_questions(
    bella_and_roma_questions, staff_of_roma, login_as
):
    response = login_as(staff_of_roma).get(REPORT_URL)

    assert report_rows(response) == [("Roma Antica", "secret roma question", 1)]
    assert "sushi" not in response.content.decode()


def test_operators_see_every_restaurant_and_can_filter_one(
    bella_and_roma_questions, operator, roma, login_as
):
    client = login_as(operator)

    everything = report_rows(client.get(REPORT_URL))
    only_roma = report_rows(client.get(REPORT_URL, {"restaurant": roma.pk}))

    assert {row[0] for row in everything} == {"Bella Napoli", "Roma Antica"}
    assert only_roma == [("Roma Antica", "secret roma question", 1)]


def test_staff_without_restaurants_cannot_open_the_report(db, login_as):
    from tests.factories import UserFactory

    response = login_as(UserFactory(username="nobody")).get(REPORT_URL)

    assert response.status_code == 403


def test_anonymous_visitors_are_sent_to_the_login_page(client, db):
    response = client.get(REPORT_URL)

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_chat_message_list_links_to_the_report(bella, staff_of_bella, login_as):
    response = login_as(staff_of_bella).get(reverse("admin:chat_chatmessage_changelist"))

    assert REPORT_URL in response.content.decode()


def test_questions_the_api_could_not_answer_reach_the_report(client, bella, operator):
    ask(client, "do you deliver to the moon?", token="one")
    ask(client, "Do you deliver to the MOON", token="two")
    ask(client, "hello", token="three")

    client.force_login(operator)
    rows = report_rows(client.get(REPORT_URL))

    assert rows == [("Bella Napoli", "do you deliver to the moon", 2)]


def test_question_normalisation_ignores_case_punctuation_and_spacing():
    assert normalise_question("  Can't  I get   SUSHI?! ") == "cant i get sushi"


# --- Conversations are read-only and scoped ---------------------------------------------


def test_staff_read_their_chats_but_cannot_edit_them(bella, staff_of_bella, login_as):
    session = ChatSessionFactory(restaurant=bella, token="read-me")
    ChatMessageFactory(session=session, text="is the tiramisu gluten free?")
    client = login_as(staff_of_bella)

    page = client.get(reverse("admin:chat_chatsession_change", args=[session.pk]))
    post = client.post(reverse("admin:chat_chatsession_change", args=[session.pk]), {})

    assert page.status_code == 200
    assert "is the tiramisu gluten free?" in page.content.decode()
    assert 'name="token"' not in page.content.decode()  # no editable field
    assert post.status_code == 403


def test_staff_cannot_open_another_restaurants_chat(roma, staff_of_bella, login_as):
    session = ChatSessionFactory(restaurant=roma, token="not-yours")

    response = login_as(staff_of_bella).get(
        reverse("admin:chat_chatsession_change", args=[session.pk])
    )

    assert response.status_code in (302, 404)
    assert "not-yours" not in response.content.decode()


def test_ip_hash_is_never_shown_in_the_admin(bella, operator, login_as):
    session = ChatSessionFactory(restaurant=bella, token="t", ip_hash="f" * 64)

    page = login_as(operator).get(reverse("admin:chat_chatsession_change", args=[session.pk]))

    assert "f" * 64 not in page.content.decode()


# --- Operators' rate-limit overrides --------------------------------------------------------


def test_operator_override_in_the_admin_changes_the_limit(
    bella, operator, login_as, client, monkeypatch
):
    class FrozenClock:
        @staticmethod
        def time() -> float:
            return 1_900_000_000.0  # one instant: only the burst limit can be in play

    monkeypatch.setattr(django_ratelimit.core, "time", FrozenClock)
    url = reverse("admin:tenants_restaurant_change", args=[bella.pk])
    admin_client = login_as(operator)
    data = change_form_data(admin_client.get(url))
    data["chat_burst_limit"] = "5/s"

    saved = admin_client.post(url, data)
    admin_client.logout()

    assert saved.status_code == 302, saved.context["adminform"].form.errors
    statuses = [ask(client, "hello").status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]


def test_staff_do_not_see_the_rate_limit_overrides(bella, staff_of_bella, login_as):
    page = login_as(staff_of_bella).get(reverse("admin:tenants_restaurant_change", args=[bella.pk]))

    assert "chat_burst_limit" not in page.content.decode()


def test_restaurant_staff_cannot_delete_chat_records(bella, staff_of_bella, operator, login_as):
    from chat.models import ChatSession
    from tests.factories import ChatMessageFactory, ChatSessionFactory

    session = ChatSessionFactory(restaurant=bella)
    ChatMessageFactory(session=session)
    url = f"/admin/chat/chatsession/{session.pk}/delete/"
    assert login_as(staff_of_bella).post(url, {"post": "yes"}).status_code == 403
    assert ChatSession.objects.filter(pk=session.pk).exists()
    login_as(operator).post(url, {"post": "yes"})
    assert not ChatSession.objects.filter(pk=session.pk).exists()


def test_chats_are_listed_by_first_question_and_time_not_by_token(bella, staff_of_bella, login_as):
    from django.utils import timezone

    session = ChatSessionFactory(restaurant=bella, token="a-very-long-opaque-session-token-123")
    ChatMessageFactory(session=session, text="Do you have vegan pizza?")
    ChatMessageFactory(session=session, role="assistant", text="Yes: Marinara.")
    ChatMessageFactory(session=session, text="and gluten free?", answered=False)
    response = login_as(staff_of_bella).get(reverse("admin:chat_chatsession_changelist"))
    html = response.content.decode()
    assert "Do you have vegan pizza?" in html
    assert "a-very-long-opaque-session-token-123" not in html
    row = response.context["cl"].result_list[0]
    assert (row.messages_count, row.unanswered_count) == (3, 1)
    assert f"first_seen__year={timezone.now().year}" in html  # browsable by day


def test_chats_are_newest_first(bella, staff_of_bella, login_as):
    from datetime import timedelta

    from django.utils import timezone

    from chat.models import ChatSession

    old = ChatSessionFactory(restaurant=bella)
    ChatMessageFactory(session=old, text="old question")
    ChatSession.objects.filter(pk=old.pk).update(first_seen=timezone.now() - timedelta(days=3))
    new = ChatSessionFactory(restaurant=bella)
    ChatMessageFactory(session=new, text="new question")
    response = login_as(staff_of_bella).get(reverse("admin:chat_chatsession_changelist"))
    assert [s.pk for s in response.context["cl"].result_list] == [new.pk, old.pk]


def test_searching_chats_finds_a_question_and_stays_in_scope(bella, roma, staff_of_bella, login_as):
    mine = ChatSessionFactory(restaurant=bella)
    ChatMessageFactory(session=mine, text="truffle pasta?")
    theirs = ChatSessionFactory(restaurant=roma)
    ChatMessageFactory(session=theirs, text="truffle risotto?")
    response = login_as(staff_of_bella).get(
        reverse("admin:chat_chatsession_changelist"), {"q": "truffle"}
    )
    assert [s.pk for s in response.context["cl"].result_list] == [mine.pk]
