"""“Forgot your password?” on the admin login: the same tokens and mails as invitations."""

from __future__ import annotations

import io

from django.core.management import call_command

from tests.accounts.conftest import log_in, mails_to, password_link_in, set_password
from tests.factories import MembershipFactory, UserFactory

NEW_PASSWORD = "another-long-passphrase-77"


def test_the_admin_login_links_to_password_reset(client, db):
    page = client.get("/admin/login/")
    assert 'href="/admin/password_reset/"' in page.content.decode()
    assert client.get("/admin/password_reset/").status_code == 200


def test_a_forgotten_password_is_reset_by_mail(client, bella, outbox):
    MembershipFactory(
        user=UserFactory(username="maria", email="maria@bella.example"), restaurant=bella
    )
    response = client.post("/admin/password_reset/", {"email": "Maria@Bella.example"})
    assert response.status_code == 302
    assert response["Location"] == "/admin/password_reset/done/"
    [message] = mails_to("maria@bella.example")
    assert "new password" in message.subject.lower()
    link = password_link_in(message)
    assert link.startswith("/admin/reset/")
    set_password(client, link, NEW_PASSWORD)
    client.logout()
    assert log_in(client, "maria@bella.example", "pw-for-tests").status_code == 200  # old one
    assert log_in(client, "maria@bella.example", NEW_PASSWORD).status_code == 302
    # The link worked once.
    assert "new_password1" not in client.get(link, follow=True).content.decode()


def test_the_reset_link_uses_the_public_base_url(client, db, outbox, settings):
    settings.PUBLIC_BASE_URL = "https://admin.stjarna.example"
    UserFactory(username="maria", email="maria@bella.example")
    client.post("/admin/password_reset/", {"email": "maria@bella.example"})
    assert "https://admin.stjarna.example/admin/reset/" in outbox[0].body


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, db, outbox):
    response = client.post("/admin/password_reset/", {"email": "nobody@nowhere.example"})
    assert response.status_code == 302
    assert response["Location"] == "/admin/password_reset/done/"
    assert outbox == []


def test_a_lost_invitation_is_recovered_with_forgot_password(client, db, outbox):
    call_command(
        "create_restaurant",
        "luna",
        name="Luna",
        owner_email="owner@luna.example",
        stdout=io.StringIO(),
    )
    outbox.clear()
    client.post("/admin/password_reset/", {"email": "owner@luna.example"})
    [message] = outbox
    set_password(client, password_link_in(message), NEW_PASSWORD)
    client.logout()
    assert log_in(client, "owner@luna.example", NEW_PASSWORD).status_code == 302


def test_a_bad_address_in_the_form_is_an_error_not_a_crash(client, db, outbox):
    response = client.post("/admin/password_reset/", {"email": "not an address"})
    assert response.status_code == 200
    assert "Enter a valid email address" in response.content.decode()
    assert outbox == []


def test_a_malformed_reset_link_is_refused_politely(client, db):
    response = client.get("/admin/reset/zzz/not-a-token/", follow=True)
    assert response.status_code == 200
    assert "invalid" in response.content.decode().lower()


def test_password_reset_requests_are_limited_per_address(client, db, outbox):
    UserFactory(username="maria", email="maria@bella.example")
    for _ in range(12):
        client.post("/admin/password_reset/", {"email": "maria@bella.example"})
    assert len(outbox) == 10
