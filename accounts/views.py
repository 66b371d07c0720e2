"""Account pages in the admin: inviting staff, a new restaurant with its owner, forgot password.

Thin views: parse the form, call one service (``accounts.services``), say what happened.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django_ratelimit.decorators import ratelimit

from accounts.forms import InviteMemberForm, NewRestaurantForm, PasswordLinkForm
from accounts.services import InvitationError, member_invite, restaurant_create_with_owner
from stjarna_site.client_ip import client_ip
from tenants.models import Membership, Restaurant
from tenants.scoping import is_operator, user_restaurant_ids


def _form_page(request: HttpRequest, *, title: str, intro: str, form, submit: str, back=None):
    context = {
        **admin.site.each_context(request),
        "title": title,
        "intro": intro,
        "form": form,
        "submit_label": submit,
        "back": back,
    }
    return TemplateResponse(request, "admin/accounts/form_page.html", context)


def invite_member(request: HttpRequest, restaurant_pk: int) -> HttpResponse:
    """An owner (or an operator) invites someone to work on one restaurant."""
    restaurant = Restaurant.objects.filter(pk=restaurant_pk).first()
    if restaurant is None:
        raise Http404("No such restaurant.")
    if not is_operator(request) and restaurant.pk not in user_restaurant_ids(
        request, (Membership.Role.OWNER,)
    ):
        raise PermissionDenied  # staff, and other restaurants' owners, cannot invite
    change_url = reverse("admin:tenants_restaurant_change", args=[restaurant.pk])
    form = InviteMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = member_invite(
                restaurant=restaurant,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                actor=request.user.get_username(),
                inviter=request.user.get_full_name() or request.user.email,
            )
        except InvitationError as exc:
            form.add_error("email", str(exc))
        else:
            done = (
                f"Invitation sent to {invitation.user.email}."
                if invitation.new_account
                else f"{invitation.user.email} already had an account: it now has access to "
                f"{restaurant.name}, and they were told by mail."
            )
            messages.success(request, done)
            return HttpResponseRedirect(change_url)
    return _form_page(
        request,
        title=f"Invite someone to {restaurant.name}",
        intro="They get a mail with a link to choose their password, then sign in with their "
        "e-mail address and see only this restaurant (and any others they work for).",
        form=form,
        submit="Send the invitation",
        back=(change_url, restaurant.name),
    )


def new_restaurant(request: HttpRequest) -> HttpResponse:
    """Operators: create a restaurant and invite its owner (``manage.py create_restaurant``)."""
    if not is_operator(request):
        raise PermissionDenied
    form = NewRestaurantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            restaurant, invitation = restaurant_create_with_owner(
                public_id=form.cleaned_data["public_id"],
                name=form.cleaned_data["name"],
                owner_email=form.cleaned_data["owner_email"],
                actor=request.user.get_username(),
            )
        except InvitationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                f"Created {restaurant.name} ({restaurant.public_id}); "
                f"{invitation.summary.replace('Invited', 'invited')}.",
            )
            return HttpResponseRedirect(
                reverse("admin:tenants_restaurant_change", args=[restaurant.pk])
            )
    return _form_page(
        request,
        title="New restaurant",
        intro="Creates the restaurant and mails its owner an invitation to set a password.",
        form=form,
        submit="Create and invite the owner",
        back=(reverse("admin:tenants_restaurant_changelist"), "Restaurants"),
    )


def _reset_rate_key(group: str, request: HttpRequest) -> str:
    return client_ip(request)


class AdminPageMixin:
    """The admin's header, title and colours on Django's auth pages."""

    def get_context_data(self, **kwargs):
        return {**admin.site.each_context(self.request), **super().get_context_data(**kwargs)}


@method_decorator(
    ratelimit(key=_reset_rate_key, rate="10/h", method="POST", block=False), name="dispatch"
)
class PasswordResetView(AdminPageMixin, auth_views.PasswordResetView):
    """ "Forgot password": Stjarna's mail; at most 10 requests an hour from one client address."""

    form_class = PasswordLinkForm

    def form_valid(self, form):
        if getattr(self.request, "limited", False):  # answer as if sent: mails are not a toy
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


class PasswordResetDoneView(AdminPageMixin, auth_views.PasswordResetDoneView):
    pass


class PasswordResetConfirmView(AdminPageMixin, auth_views.PasswordResetConfirmView):
    pass


class PasswordResetCompleteView(AdminPageMixin, auth_views.PasswordResetCompleteView):
    pass
