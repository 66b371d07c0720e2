"""Helpers for account tests: the mails sent, the links in them, logging in for real."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core import mail

_LINK = re.compile(r"https?://\S+/admin/reset/\S+/")


def password_link_in(message) -> str:
    """The path of the set-password link in a mail (the test client speaks paths)."""
    match = _LINK.search(message.body)
    assert match, f"no password link in:\n{message.body}"
    return match.group(0).removeprefix(settings.PUBLIC_BASE_URL)


def mails_to(address: str) -> list:
    return [m for m in mail.outbox if address in m.to]


def set_password(client, link: str, password: str):
    """Follow a set-password link and choose ``password``; returns the final response."""
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    assert "new_password1" in form_page.content.decode(), "the link did not open the form"
    return client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": password, "new_password2": password},
        follow=True,
    )


def log_in(client, login: str, password: str, *, ip: str = "198.51.100.10"):
    """A real login through the admin's login form (django-axes sees the request)."""
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": login, "password": password},
        REMOTE_ADDR=ip,
    )


@pytest.fixture
def outbox(db):
    return mail.outbox
