"""Forms of the account pages: invitations, a new restaurant, "forgot password"."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.db.models import Q

from accounts.passwords import password_link, send_account_mail
from tenants.models import Membership


class InviteMemberForm(forms.Form):
    email = forms.CharField(
        label="E-mail address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off", "size": 40}),
        help_text="They get a mail with a link to choose their password.",
    )
    role = forms.ChoiceField(
        choices=Membership.Role.choices,
        initial=Membership.Role.STAFF,
        help_text="Staff edit the menu and read chats; owners also manage websites, keys and "
        "the team.",
    )


class NewRestaurantForm(forms.Form):
    public_id = forms.CharField(
        label="Restaurant id",
        max_length=64,
        help_text="Lowercase letters, digits and hyphens, e.g. bella-napoli. It is the "
        "restaurantId of the embed snippet and cannot change later.",
    )
    name = forms.CharField(max_length=200)
    owner_email = forms.CharField(
        label="Owner's e-mail address",
        max_length=254,
        widget=forms.EmailInput(attrs={"size": 40}),
        help_text="The owner gets a mail with a link to choose a password.",
    )


class PasswordLinkForm(PasswordResetForm):
    """Django's "forgot password" form, sending Stjarna's mail with a ``PUBLIC_BASE_URL`` link.

    Unlike Django's, it also reaches invited accounts that have not chosen a password yet (a lost
    invitation is recovered the same way as a forgotten password), and matches the address
    case-insensitively against e-mail and username. Unknown addresses get the same answer as known
    ones, so the form does not tell who has an account.
    """

    def get_users(self, email: str):
        address = email.strip()
        users = get_user_model()._default_manager.filter(
            Q(email__iexact=address) | Q(username__iexact=address), is_active=True
        )
        return (user for user in users if user.email)

    def save(self, **kwargs: Any) -> None:  # the signature Django's PasswordResetView calls
        for user in self.get_users(self.cleaned_data["email"]):
            send_account_mail(
                user=user, template="password_reset", context={"link": password_link(user=user)}
            )
