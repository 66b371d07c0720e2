"""Restaurants come aboard without anyone typing passwords for them (SPEC §9, issue #15)."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from operators.models import OperatorAction
from tenants.models import Membership, Restaurant
from tests.accounts.conftest import log_in, mails_to, password_link_in, set_password
from tests.factories import MembershipFactory, UserFactory

NEW_PASSWORD = "a-long-owner-passphrase-42"


def create_restaurant(*args: str, **options: str) -> str:
    out = io.StringIO()
    call_command("create_restaurant", *args, stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


def test_the_whole_invitation_flow_ends_with_the_owner_in_their_own_restaurant_only(
    client, roma, outbox
):
    out = create_restaurant(
        "luna", name="Luna Rossa", owner_email="Owner@Luna.example", actor="ops-anna"
    )
    assert "Created restaurant 'luna' (Luna Rossa)" in out
    assert "Invitation sent to owner@luna.example" in out

    [invitation] = mails_to("owner@luna.example")
    assert "Luna Rossa" in invitation.subject
    assert "The Stjarna team invited you" in invitation.body
    assert "owner@luna.example" in invitation.body  # how they will sign in
    link = password_link_in(invitation)
    done = set_password(client, link, NEW_PASSWORD)
    assert "Your password has been set" in done.content.decode()
    assert 'href="/admin/login/"' in done.content.decode()  # "Log in" leads to the admin

    client.logout()
    response = log_in(client, "owner@luna.example", NEW_PASSWORD)
    assert response.status_code == 302, response.content.decode()[:500]
    restaurants = client.get(reverse("admin:tenants_restaurant_changelist"))
    shown = {r.public_id for r in restaurants.context["cl"].result_list}
    assert shown == {"luna"}
    other = client.get(reverse("admin:tenants_restaurant_change", args=[roma.pk]))
    assert other.status_code in (302, 403, 404)


def test_owner_can_sign_in_with_the_address_in_any_case(client, outbox):
    create_restaurant("luna", name="Luna", owner_email="owner@luna.example")
    set_password(client, password_link_in(outbox[0]), NEW_PASSWORD)
    client.logout()
    assert log_in(client, "  OWNER@Luna.Example ", NEW_PASSWORD).status_code == 302


def test_operators_still_sign_in_with_their_username(client, db):
    UserFactory(username="root-ops", is_superuser=True, email="ops@stjarna.example")
    assert log_in(client, "root-ops", "pw-for-tests").status_code == 302
    client.logout()
    assert log_in(client, "ops@stjarna.example", "pw-for-tests").status_code == 302


def test_a_new_owner_has_no_password_until_they_choose_one(client, outbox):
    create_restaurant("luna", name="Luna", owner_email="owner@luna.example")
    owner = get_user_model().objects.get(email="owner@luna.example")
    assert not owner.has_usable_password()
    assert owner.is_staff and not owner.is_superuser
    membership = Membership.objects.get(user=owner)
    assert (membership.restaurant.public_id, membership.role) == ("luna", "owner")


def test_an_invitation_link_works_once(client, outbox):
    create_restaurant("luna", name="Luna", owner_email="owner@luna.example")
    link = password_link_in(outbox[0])
    set_password(client, link, NEW_PASSWORD)
    client.logout()
    again = client.get(link, follow=True)
    assert "new_password1" not in again.content.decode()
    assert "invalid" in again.content.decode().lower()


def test_an_invitation_link_expires(client, outbox, monkeypatch, settings):
    create_restaurant("luna", name="Luna", owner_email="owner@luna.example")
    link = password_link_in(outbox[0])
    real_now = PasswordResetTokenGenerator._now
    later = settings.PASSWORD_RESET_TIMEOUT + 60
    monkeypatch.setattr(
        PasswordResetTokenGenerator,
        "_now",
        lambda self: real_now(self) + __import__("datetime").timedelta(seconds=later),
    )
    expired = client.get(link, follow=True)
    assert "new_password1" not in expired.content.decode()
    assert "invalid" in expired.content.decode().lower()


def test_a_taken_restaurant_id_is_refused_with_a_clear_error(bella, outbox):
    with pytest.raises(CommandError, match="“bella” is taken"):
        create_restaurant("bella", name="Another Bella", owner_email="new@owner.example")
    with pytest.raises(CommandError, match="“BELLA” is taken"):
        create_restaurant("BELLA", name="Another Bella", owner_email="new@owner.example")
    assert Restaurant.objects.filter(name="Another Bella").count() == 0
    assert outbox == []
    assert not get_user_model().objects.filter(email="new@owner.example").exists()


@pytest.mark.parametrize("address", ["not-an-address", "owner@", "two@@at.example", ""])
def test_a_bad_owner_address_is_refused_and_nothing_is_created(db, outbox, address):
    with pytest.raises(CommandError, match="is not an e-mail address"):
        create_restaurant("luna", name="Luna", owner_email=address)
    assert not Restaurant.objects.filter(public_id="luna").exists()
    assert outbox == []


def test_a_bad_restaurant_id_is_refused_with_the_reason(db, outbox):
    with pytest.raises(CommandError, match="restaurant id"):
        create_restaurant("Luna Rossa!", name="Luna", owner_email="owner@luna.example")
    assert outbox == []


def test_an_existing_account_gets_the_membership_not_a_second_account(bella, outbox):
    owner = MembershipFactory(
        user=UserFactory(username="maria", email="maria@bella.example"), restaurant=bella
    ).user
    out = create_restaurant("luna", name="Luna", owner_email="MARIA@bella.example")
    assert "already had an account" in out
    assert get_user_model().objects.filter(email__iexact="maria@bella.example").count() == 1
    assert set(owner.memberships.values_list("restaurant__public_id", flat=True)) == {
        "bella",
        "luna",
    }
    [notice] = mails_to("maria@bella.example")
    assert "access to Luna" in notice.subject
    assert "/admin/reset/" not in notice.body  # they have a password already


def test_every_invitation_is_in_the_audit_trail(client, bella, outbox):
    create_restaurant("luna", name="Luna", owner_email="owner@luna.example", actor="ops-anna")
    rows = OperatorAction.objects.filter(restaurant="luna").order_by("id")
    assert [(r.command, r.actor) for r in rows] == [
        ("invite", "ops-anna"),
        ("create_restaurant", "ops-anna"),
    ]
    assert rows[0].arguments == {
        "email": "owner@luna.example",
        "role": "owner",
        "new_account": True,
    }
    assert "owner@luna.example" in rows[1].result


# --- Owners invite their own staff, from their restaurant page ---------------------------------


@pytest.fixture
def owner_of_bella(bella):
    return MembershipFactory(
        user=UserFactory(username="owner-bella", email="owner@bella.example"),
        restaurant=bella,
        role=Membership.Role.OWNER,
    ).user


def invite_url(restaurant) -> str:
    return reverse("admin:invite_member", args=[restaurant.pk])


def test_the_restaurant_page_offers_owners_an_invitation(client, bella, owner_of_bella):
    client.force_login(owner_of_bella)
    page = client.get(reverse("admin:tenants_restaurant_change", args=[bella.pk]))
    assert invite_url(bella) in page.content.decode()


def test_an_owner_invites_staff_who_then_sees_only_that_restaurant(
    client, bella, roma, owner_of_bella, outbox
):
    client.force_login(owner_of_bella)
    response = client.post(invite_url(bella), {"email": "cook@bella.example", "role": "staff"})
    assert response.status_code == 302
    assert (
        "Invitation sent to cook@bella.example" in client.get(response["Location"]).content.decode()
    )
    client.logout()

    [invitation] = mails_to("cook@bella.example")
    assert "owner@bella.example invited you" in invitation.body  # who invited them
    set_password(client, password_link_in(invitation), NEW_PASSWORD)
    client.logout()
    assert log_in(client, "cook@bella.example", NEW_PASSWORD).status_code == 302
    shown = client.get(reverse("admin:tenants_restaurant_changelist")).context["cl"].result_list
    assert [r.public_id for r in shown] == ["bella"]
    assert Membership.objects.get(user__email="cook@bella.example").role == "staff"
    audit = OperatorAction.objects.get(command="invite", restaurant="bella")
    assert audit.actor == "owner-bella"


def test_the_invitation_form_shows_clear_errors(client, bella, owner_of_bella, outbox):
    client.force_login(owner_of_bella)
    bad = client.post(invite_url(bella), {"email": "nope", "role": "staff"})
    assert bad.status_code == 200
    assert "is not an e-mail address" in bad.content.decode()
    again = client.post(invite_url(bella), {"email": "OWNER@bella.example", "role": "staff"})
    assert "already works for Bella Napoli" in again.content.decode()
    odd_role = client.post(invite_url(bella), {"email": "x@bella.example", "role": "king"})
    assert odd_role.status_code == 200
    assert outbox == []


def test_staff_cannot_invite(client, bella, staff_of_bella):
    Membership.objects.filter(user=staff_of_bella).update(role=Membership.Role.STAFF)
    client.force_login(staff_of_bella)
    assert client.get(invite_url(bella)).status_code == 403
    response = client.post(invite_url(bella), {"email": "x@bella.example", "role": "owner"})
    assert response.status_code == 403
    assert not get_user_model().objects.filter(email="x@bella.example").exists()


def test_an_owner_cannot_invite_to_another_restaurant(client, roma, owner_of_bella, outbox):
    client.force_login(owner_of_bella)
    response = client.post(invite_url(roma), {"email": "spy@bella.example", "role": "owner"})
    assert response.status_code == 403
    assert not Membership.objects.filter(restaurant=roma, user__email="spy@bella.example").exists()
    assert outbox == []


def test_an_unknown_restaurant_is_a_404_not_an_error(client, owner_of_bella):
    client.force_login(owner_of_bella)
    assert client.get(reverse("admin:invite_member", args=[999999])).status_code == 404


def test_anonymous_visitors_are_sent_to_the_login(client, bella):
    response = client.get(invite_url(bella))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


# --- The same as an operator action in the admin ------------------------------------------------


def test_an_operator_creates_a_restaurant_and_invites_its_owner_in_the_admin(
    client, operator, outbox
):
    client.force_login(operator)
    url = reverse("admin:new_restaurant")
    assert url in client.get(reverse("admin:tenants_restaurant_changelist")).content.decode()
    response = client.post(
        url, {"public_id": "luna", "name": "Luna", "owner_email": "owner@luna.example"}
    )
    assert response.status_code == 302
    assert Restaurant.objects.filter(public_id="luna").exists()
    assert len(mails_to("owner@luna.example")) == 1
    assert OperatorAction.objects.get(command="invite").actor == "operator"


def test_the_admin_new_restaurant_page_shows_a_taken_id(client, operator, bella, outbox):
    client.force_login(operator)
    response = client.post(
        reverse("admin:new_restaurant"),
        {"public_id": "bella", "name": "Bella 2", "owner_email": "o@b.example"},
    )
    assert response.status_code == 200
    assert "is taken" in response.content.decode()
    assert outbox == []


def test_staff_cannot_create_restaurants(client, staff_of_bella):
    client.force_login(staff_of_bella)
    assert client.get(reverse("admin:new_restaurant")).status_code == 403
    response = client.post(
        reverse("admin:new_restaurant"),
        {"public_id": "luna", "name": "Luna", "owner_email": "o@l.example"},
    )
    assert response.status_code == 403
    assert not Restaurant.objects.filter(public_id="luna").exists()


@pytest.mark.parametrize(
    "data",
    [
        {"public_id": "x", "name": "Luna", "owner_email": "o@l.example"},
        {"public_id": "l" * 65, "name": "Luna", "owner_email": "o@l.example"},
        {"public_id": "luna", "name": "Lu\x00na", "owner_email": "o@l.example"},
        {"public_id": "luna", "name": "", "owner_email": "o@l.example"},
        {"public_id": "luna", "name": "Luna", "owner_email": "o@l.example\x00"},
        {"public_id": "lüna", "name": "Luna", "owner_email": "o" * 250 + "@l.example"},
        {},
    ],
)
def test_bad_input_on_the_new_restaurant_page_is_an_error_not_a_crash(
    client, operator, outbox, data
):
    client.force_login(operator)
    response = client.post(reverse("admin:new_restaurant"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert not data or 'class="errornote"' in page or "errorlist" in page
    assert not Restaurant.objects.exists()
    assert outbox == []


@pytest.mark.parametrize(
    "data",
    [{"email": "a\x00@b.example", "role": "staff"}, {"email": "x" * 300}, {"role": "staff"}, {}],
)
def test_bad_input_on_the_invitation_page_is_an_error_not_a_crash(
    client, bella, owner_of_bella, outbox, data
):
    client.force_login(owner_of_bella)
    response = client.post(invite_url(bella), data)
    assert response.status_code == 200
    assert outbox == []


def test_an_operator_can_invite_to_any_restaurant(client, operator, roma, outbox):
    client.force_login(operator)
    assert client.get(invite_url(roma)).status_code == 200
    response = client.post(invite_url(roma), {"email": "chef@roma.example", "role": "owner"})
    assert response.status_code == 302
    assert Membership.objects.get(user__email="chef@roma.example").restaurant == roma
    assert len(mails_to("chef@roma.example")) == 1
