"""Platform notices to tenants (outage, maintenance), sent through Django's e-mail backend.

The texts are Django templates under ``templates/emails/<template>_subject.txt`` and
``<template>_body.txt``; the fields are the seed runbook's placeholders.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string

from tenants.models import Restaurant

TEMPLATE_FIELDS = {
    "outage": ("issue", "impact", "eta", "workaround"),
    "maintenance": ("date", "start", "end"),
}
REQUIRED_FIELDS = {
    "outage": ("issue", "impact", "eta"),
    "maintenance": ("date", "start", "end"),
}


@dataclass(frozen=True)
class Notice:
    restaurant: Restaurant
    message: EmailMessage


def render_notice(*, template: str, restaurant: Restaurant, fields: dict[str, str]) -> Notice:
    """The e-mail one restaurant would receive (not sent)."""
    context = {"restaurant": restaurant, **fields}
    subject = render_to_string(f"emails/{template}_subject.txt", context).strip()
    body = render_to_string(f"emails/{template}_body.txt", context).strip() + "\n"
    message = EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[restaurant.contact_email],
    )
    return Notice(restaurant, message)


def notice_recipients(public_ids: Iterable[str] = ()) -> tuple[list[Restaurant], list[Restaurant]]:
    """(restaurants to notify, restaurants skipped for lack of a contact e-mail).

    With no ids: every active restaurant. With ids: exactly those (active or not).
    """
    ids = list(public_ids)
    restaurants = (
        Restaurant.objects.filter(public_id__in=ids)
        if ids
        else Restaurant.objects.filter(active=True)
    )
    restaurants = list(restaurants.order_by("public_id"))
    return (
        [r for r in restaurants if r.contact_email],
        [r for r in restaurants if not r.contact_email],
    )


def send_notices(notices: list[Notice]) -> int:
    """Send over one backend connection; returns how many were sent."""
    if not notices:
        return 0
    with get_connection() as connection:
        return connection.send_messages([n.message for n in notices]) or 0
