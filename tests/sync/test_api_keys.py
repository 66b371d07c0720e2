"""Tenant API keys: hashed at rest, shown once, revocable, rotated by the breach procedure."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from menu.apikeys import api_key_authenticate, api_key_issue, api_key_revoke
from menu.models import ApiKey
from tenants.models import Membership
from tests.factories import MembershipFactory, UserFactory


def database_dump() -> str:
    """Every row of the key and session tables, as text."""
    rows = []
    with connection.cursor() as cursor:
        for table in (ApiKey._meta.db_table, Session._meta.db_table):
            cursor.execute(f"SELECT * FROM {table}")
            rows += [repr(row) for row in cursor.fetchall()]
    return "\n".join(rows)


def test_a_key_is_stored_only_as_a_hash(bella):
    issued = api_key_issue(restaurant=bella, name="Till")

    assert issued.token.startswith(f"stj_{issued.key.prefix}_")
    secret = issued.token.removeprefix(f"stj_{issued.key.prefix}_")  # may itself contain "_"
    assert len(secret) >= 40
    assert secret not in database_dump() and issued.token not in database_dump()
    assert api_key_authenticate(issued.token) == issued.key


def test_owner_creates_a_key_in_the_admin_and_sees_it_once(bella, staff_of_bella, login_as):
    client = login_as(staff_of_bella)

    response = client.post("/admin/menu/apikey/add/", {"restaurant": bella.pk, "name": "Till sync"})

    assert response.status_code == 200
    assert "Copy your new API key now" in response.text
    token = response.context["token"]
    assert token in response.text
    key = ApiKey.objects.get(restaurant=bella, name="Till sync")
    assert key.created_by == staff_of_bella
    assert api_key_authenticate(token) == key
    assert token not in database_dump()  # not in the key table, not in a session message
    change_page = client.get(f"/admin/menu/apikey/{key.pk}/change/")
    listing = client.get("/admin/menu/apikey/")
    assert token not in change_page.text and token not in listing.text
    assert f"stj_{key.prefix}_…" in listing.text


def test_staff_without_owner_role_cannot_create_keys(bella, login_as):
    waiter = MembershipFactory(
        user=UserFactory(username="waiter"), restaurant=bella, role=Membership.Role.STAFF
    ).user
    response = login_as(waiter).post(
        "/admin/menu/apikey/add/", {"restaurant": bella.pk, "name": "Mine"}
    )
    assert response.status_code == 403
    assert not ApiKey.objects.exists()


def test_owner_cannot_create_a_key_for_another_restaurant(roma, staff_of_bella, login_as):
    response = login_as(staff_of_bella).post(
        "/admin/menu/apikey/add/", {"restaurant": roma.pk, "name": "Sneaky"}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert not ApiKey.objects.exists()


def test_keys_of_other_restaurants_are_invisible_to_staff(
    bella, roma, staff_of_bella, operator, login_as, client
):
    api_key_issue(restaurant=bella, name="Bella till")
    roma_key = api_key_issue(restaurant=roma, name="Roma till").key

    listing = login_as(staff_of_bella).get("/admin/menu/apikey/")
    assert "Bella till" in listing.text and "Roma till" not in listing.text
    assert client.get(f"/admin/menu/apikey/{roma_key.pk}/change/").status_code == 302

    everything = login_as(operator).get("/admin/menu/apikey/")
    assert "Bella till" in everything.text and "Roma till" in everything.text


def test_revoke_action_refuses_the_key_from_then_on(bella, staff_of_bella, login_as, api):
    issued = api_key_issue(restaurant=bella, name="Till")
    assert api(issued.token).get("/api/v1/menu").status_code == 200

    login_as(staff_of_bella).post(
        "/admin/menu/apikey/",
        {"action": "revoke_keys", "_selected_action": [issued.key.pk]},
    )

    issued.key.refresh_from_db()
    assert issued.key.revoked_at is not None
    response = api(issued.token).get("/api/v1/menu")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_api_key"


def test_a_revoked_name_can_be_reused_but_two_active_keys_cannot_share_it(bella):
    first = api_key_issue(restaurant=bella, name="Till").key
    api_key_revoke(key=first)
    api_key_issue(restaurant=bella, name="Till")
    assert ApiKey.objects.filter(restaurant=bella, name="Till").count() == 2


def test_last_use_is_recorded_at_most_once_a_minute(bella, api):
    issued = api_key_issue(restaurant=bella, name="Till")
    assert issued.key.last_used_at is None

    api(issued.token).get("/api/v1/menu")
    first = ApiKey.objects.get(pk=issued.key.pk).last_used_at
    api(issued.token).get("/api/v1/menu")
    assert first is not None
    assert ApiKey.objects.get(pk=issued.key.pk).last_used_at == first

    ApiKey.objects.filter(pk=issued.key.pk).update(last_used_at=first - timedelta(minutes=2))
    api(issued.token).get("/api/v1/menu")
    assert ApiKey.objects.get(pk=issued.key.pk).last_used_at > first - timedelta(seconds=1)


def test_rotation_revokes_every_active_key_and_prints_new_ones_once(bella, roma, api, capsys):
    old_bella = api_key_issue(restaurant=bella, name="Till").token
    old_bella_2 = api_key_issue(restaurant=bella, name="Website").token
    old_roma = api_key_issue(restaurant=roma, name="Till").token

    call_command("rotate_api_keys", "--restaurant", "bella")

    lines = capsys.readouterr().out.strip().splitlines()
    assert [line.split("\t")[:2] for line in lines] == [["bella", "Till"], ["bella", "Website"]]
    new_tokens = [line.split("\t")[2] for line in lines]
    for token in (old_bella, old_bella_2):
        assert api(token).get("/api/v1/menu").status_code == 401
    for token in new_tokens:
        assert api(token).get("/api/v1/menu").status_code == 200
        assert token not in database_dump()
    assert api(old_roma).get("/api/v1/menu").status_code == 200  # other tenants untouched


def test_rotate_all_covers_every_restaurant(bella, roma, api, capsys):
    old = [api_key_issue(restaurant=r, name="Till").token for r in (bella, roma)]
    call_command("rotate_api_keys", "--all")
    assert len(capsys.readouterr().out.strip().splitlines()) == 2
    assert all(api(token).get("/api/v1/menu").status_code == 401 for token in old)
    assert ApiKey.objects.filter(revoked_at__isnull=True).count() == 2
    assert ApiKey.objects.filter(revoked_at__lte=timezone.now()).count() == 2


def _revoke_in_admin(client, key: ApiKey):
    return client.post(
        "/admin/menu/apikey/",
        {"action": "revoke_keys", "_selected_action": [key.pk], "index": 0},
    )


def test_staff_role_cannot_revoke_keys(bella, login_as):
    key = api_key_issue(restaurant=bella, name="Till").key
    staff = MembershipFactory(
        user=UserFactory(username="waiter"), restaurant=bella, role=Membership.Role.STAFF
    ).user
    _revoke_in_admin(login_as(staff), key)
    key.refresh_from_db()
    assert key.revoked_at is None


def test_an_owner_elsewhere_cannot_revoke_keys_where_they_are_only_staff(bella, roma, login_as):
    roma_key = api_key_issue(restaurant=roma, name="Till").key
    user = UserFactory(username="owner-of-bella")
    MembershipFactory(user=user, restaurant=bella, role=Membership.Role.OWNER)
    MembershipFactory(user=user, restaurant=roma, role=Membership.Role.STAFF)
    _revoke_in_admin(login_as(user), roma_key)
    roma_key.refresh_from_db()
    assert roma_key.revoked_at is None


def test_owner_revokes_their_own_keys_in_the_admin(bella, staff_of_bella, login_as):
    key = api_key_issue(restaurant=bella, name="Till").key  # staff_of_bella is an owner
    _revoke_in_admin(login_as(staff_of_bella), key)
    key.refresh_from_db()
    assert key.revoked_at is not None


def test_a_deactivated_restaurants_keys_stop_working(bella):
    issued = api_key_issue(restaurant=bella, name="Till")
    bella.active = False
    bella.save()
    assert api_key_authenticate(issued.token) is None
