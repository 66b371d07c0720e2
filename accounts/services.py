"""Bringing people aboard: a restaurant with its owner, and owners inviting their staff.

Every invitation creates (or finds) the account, gives it a membership, mails the person and is
recorded in the audit trail (``accounts.signals.member_invited``), all in one transaction: if the
mail cannot be sent, nothing is kept and the caller sees why.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q

from accounts.passwords import password_link, send_account_mail
from accounts.signals import member_invited
from tenants.models import Membership, Restaurant

OPERATORS_NAME = "The Stjarna team"  # who invites a new restaurant's owner, in the mail


class InvitationError(Exception):
    """An invitation (or new restaurant) that cannot be made; the message says why, for people."""


@dataclass(frozen=True)
class Invitation:
    user: AbstractBaseUser
    membership: Membership
    new_account: bool  # False: an existing account was given the membership

    @property
    def summary(self) -> str:
        account = "new account" if self.new_account else "existing account"
        return (
            f"Invited {self.user.email} as {self.membership.get_role_display().lower()} of "
            f"{self.membership.restaurant.public_id} ({account})"
        )


def normalise_email(email: str) -> str:
    """The address as accounts store it: trimmed and lowercased, or InvitationError."""
    address = (email or "").strip().lower()
    try:
        validate_email(address)
    except ValidationError:
        raise InvitationError(
            f"“{email.strip()}” is not an e-mail address (e.g. owner@your-restaurant.example)."
        ) from None
    if len(address) > get_user_model()._meta.get_field("username").max_length:
        raise InvitationError(f"The address {address} is too long for an account.")
    return address


def _account_for(address: str) -> AbstractBaseUser | None:
    users = list(
        get_user_model()._default_manager.filter(
            Q(username__iexact=address) | Q(email__iexact=address)
        )[:2]
    )
    if len(users) > 1:
        raise InvitationError(
            f"Several accounts use {address}; an operator must sort them out before inviting it."
        )
    return users[0] if users else None


@transaction.atomic
def member_invite(
    *, restaurant: Restaurant, email: str, role: str, actor: str, inviter: str = ""
) -> Invitation:
    """Invite ``email`` to work on ``restaurant`` with ``role`` (owner or staff).

    A new address gets an account (username = address, no password yet) and a mail with a link to
    choose a password; an existing account gets the membership and a mail saying so (with a
    password link too if it never chose one). ``actor`` names who invited, for the audit trail;
    ``inviter`` is how the mail names them (default: ``actor``).
    """
    if role not in Membership.Role.values:
        raise InvitationError(f"Unknown role {role!r}: choose owner or staff.")
    address = normalise_email(email)
    user = _account_for(address)
    new_account = user is None
    if user is None:
        user = get_user_model()._default_manager.create_user(
            username=address, email=address, is_staff=True
        )  # no password: create_user makes it unusable until the link is used
    else:
        if Membership.objects.filter(user=user, restaurant=restaurant).exists():
            raise InvitationError(f"{address} already works for {restaurant.name}.")
        if not user.is_active:
            raise InvitationError(
                f"The account {address} is deactivated; an operator must reactivate it first."
            )
        changed = []
        if not user.is_staff:  # the admin is where staff work
            user.is_staff = True
            changed.append("is_staff")
        if not user.email:
            user.email = address
            changed.append("email")
        if changed:
            user.save(update_fields=changed)
    membership = Membership.objects.create(user=user, restaurant=restaurant, role=role)
    invitation = Invitation(user=user, membership=membership, new_account=new_account)
    member_invited.send(sender=Invitation, invitation=invitation, actor=actor)
    context = {
        "restaurant": restaurant,
        "role": membership.get_role_display().lower(),
        "invited_by": inviter or actor,
    }
    if user.has_usable_password():
        send_account_mail(user=user, template="added", context=context)
    else:
        send_account_mail(
            user=user, template="invitation", context={**context, "link": password_link(user=user)}
        )
    return invitation


def _label(field: str) -> str:
    try:
        return str(Restaurant._meta.get_field(field).verbose_name)
    except Exception:  # NON_FIELD_ERRORS and the like
        return "restaurant"


@transaction.atomic
def restaurant_create_with_owner(
    *, public_id: str, name: str, owner_email: str, actor: str
) -> tuple[Restaurant, Invitation]:
    """Create a restaurant and invite its owner (``manage.py create_restaurant``, the admin)."""
    public_id = (public_id or "").strip()
    address = normalise_email(owner_email)
    taken = Restaurant.objects.filter(public_id__iexact=public_id).first()
    if taken is not None:
        raise InvitationError(
            f"The restaurant id “{public_id}” is taken (by {taken.name}); choose another."
        )
    restaurant = Restaurant(public_id=public_id, name=(name or "").strip(), contact_email=address)
    try:
        restaurant.full_clean()
    except ValidationError as exc:
        problems = "; ".join(
            f"{_label(field)}: {' '.join(messages)}" for field, messages in exc.message_dict.items()
        )
        raise InvitationError(f"The restaurant cannot be created: {problems}") from None
    restaurant.save()
    invitation = member_invite(
        restaurant=restaurant,
        email=address,
        role=Membership.Role.OWNER,
        actor=actor,
        inviter=OPERATORS_NAME,
    )
    return restaurant, invitation
