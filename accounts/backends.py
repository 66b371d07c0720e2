"""Signing in with an e-mail address (restaurant staff) or a username (operators)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest


class EmailOrUsernameBackend(ModelBackend):
    """Django's model backend, finding the account by username first, then by e-mail address.

    Invited staff get their e-mail address as username too, so either works for them; an address
    shared by several accounts signs nobody in by address (it would be a guess).
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ):
        user_model = get_user_model()
        if username is None:
            username = kwargs.get(user_model.USERNAME_FIELD)
        if not username or password is None:
            return None
        login = username.strip()
        user = user_model._default_manager.filter(username=login).first()
        if user is None:
            by_email = list(user_model._default_manager.filter(email__iexact=login)[:2])
            user = by_email[0] if len(by_email) == 1 else None
        if user is None:
            # Spend a hash's time anyway, so an unknown address answers as slowly as a known one.
            user_model().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
