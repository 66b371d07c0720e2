"""SECRET_KEY rotation: the old key in SECRET_KEY_FALLBACKS keeps signatures valid."""

from __future__ import annotations

import pytest
from django.core import signing
from django.test import Client, override_settings

OLD_KEY = "old-secret-key-" + "o" * 50
NEW_KEY = "new-secret-key-" + "n" * 50


def _signed_with_old_key() -> str:
    with override_settings(SECRET_KEY=OLD_KEY, SECRET_KEY_FALLBACKS=[]):
        return signing.dumps({"user": 7})


def test_signature_made_with_the_old_key_validates_while_it_is_a_fallback():
    value = _signed_with_old_key()
    with override_settings(SECRET_KEY=NEW_KEY, SECRET_KEY_FALLBACKS=[OLD_KEY]):
        assert signing.loads(value) == {"user": 7}


def test_signature_made_with_the_old_key_fails_once_the_fallback_is_removed():
    value = _signed_with_old_key()
    with (
        override_settings(SECRET_KEY=NEW_KEY, SECRET_KEY_FALLBACKS=[]),
        pytest.raises(signing.BadSignature),
    ):
        signing.loads(value)


def _logged_in_with_old_key(user):
    client = Client()
    with override_settings(SECRET_KEY=OLD_KEY, SECRET_KEY_FALLBACKS=[]):
        client.force_login(user)
    return client


def test_admin_session_survives_rotation_while_the_old_key_is_a_fallback(operator):
    client = _logged_in_with_old_key(operator)
    with override_settings(SECRET_KEY=NEW_KEY, SECRET_KEY_FALLBACKS=[OLD_KEY]):
        assert client.get("/admin/").status_code == 200


def test_admin_session_signed_with_a_removed_key_is_logged_out(operator):
    client = _logged_in_with_old_key(operator)
    with override_settings(SECRET_KEY=NEW_KEY, SECRET_KEY_FALLBACKS=[]):
        response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
