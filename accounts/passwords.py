"""Links that let a person set their password, and the mails that carry them.

Invitations and "forgot password" share one mechanism: Django's password-reset tokens
(``default_token_generator``). A token expires after ``PASSWORD_RESET_TIMEOUT`` seconds and works
once: it is derived from the account's password hash and last login, so setting the password (or
logging in) invalidates every link sent before.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode


def password_link(*, user: AbstractBaseUser) -> str:
    """An absolute link (``PUBLIC_BASE_URL``) to the page where ``user`` sets a new password."""
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return f"{settings.PUBLIC_BASE_URL}{path}"


def login_link() -> str:
    return f"{settings.PUBLIC_BASE_URL}{reverse('admin:login')}"


def link_valid_for() -> str:
    """The links' lifetime in words, as the mails say it ("3 days", "12 hours")."""
    hours = settings.PASSWORD_RESET_TIMEOUT / 3600
    if hours >= 48 and hours % 24 == 0:
        return f"{int(hours // 24)} days"
    return f"{hours:g} hours" if hours != 1 else "1 hour"


def send_account_mail(*, user: AbstractBaseUser, template: str, context: dict[str, Any]) -> None:
    """Send ``accounts/emails/<template>_{subject,body}.txt`` to the user's e-mail address."""
    context = {
        "user": user,
        "login_link": login_link(),
        "valid_for": link_valid_for(),
        "login_name": user.email or user.get_username(),
        **context,
    }
    subject = render_to_string(f"accounts/emails/{template}_subject.txt", context)
    body = render_to_string(f"accounts/emails/{template}_body.txt", context)
    send_mail(" ".join(subject.split()), body, None, [user.email])
