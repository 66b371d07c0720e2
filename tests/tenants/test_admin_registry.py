"""No model admin escapes tenant scoping: every registered admin is scoped or operators-only."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.urls import reverse

from menu.apikeys import api_key_issue
from tenants.scoping import OperatorOnlyAdminMixin, TenantScopedAdminMixin
from tests.factories import (
    AllowedOriginFactory,
    ChatMessageFactory,
    ChatSessionFactory,
    MenuItemFactory,
)

REGISTERED = sorted(admin.site._registry.items(), key=lambda pair: pair[0]._meta.label)


def admin_url(model, view: str) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}")


@pytest.mark.parametrize(("model", "model_admin"), REGISTERED, ids=lambda v: str(v))
def test_every_registered_admin_is_tenant_scoped_or_for_operators_only(model, model_admin):
    assert isinstance(model_admin, TenantScopedAdminMixin | OperatorOnlyAdminMixin), (
        f"{model._meta.label}'s admin uses neither TenantScopedAdminMixin nor "
        "OperatorOnlyAdminMixin: restaurant staff could see every tenant's rows"
    )


@pytest.fixture
def roma_rows(roma):
    """At least one row of every tenant model for the other restaurant."""
    session = ChatSessionFactory(restaurant=roma)
    ChatMessageFactory(session=session)
    AllowedOriginFactory(restaurant=roma)
    MenuItemFactory(restaurant=roma)
    api_key_issue(restaurant=roma, name="Till", created_by=None)
    return roma


@pytest.fixture
def staff_with_every_permission(staff_of_bella):
    """A member of staff given every model permission by mistake."""
    staff_of_bella.user_permissions.set(Permission.objects.all())
    return staff_of_bella


@pytest.mark.parametrize(("model", "model_admin"), REGISTERED, ids=lambda v: str(v))
def test_staff_reach_operator_pages_never_and_tenant_pages_scoped(
    model, model_admin, client, bella, roma_rows, staff_with_every_permission
):
    client.force_login(staff_with_every_permission)
    response = client.get(admin_url(model, "changelist"))
    if isinstance(model_admin, OperatorOnlyAdminMixin):
        assert response.status_code == 403
        assert client.get(admin_url(model, "add")).status_code == 403
    else:
        assert response.status_code == 200
        queryset = response.context["cl"].queryset
        roma_scope = model_admin._scope_filter({roma_rows.pk})
        assert model._default_manager.filter(**roma_scope).exists()  # the test can fail
        assert not queryset.filter(**roma_scope).exists()


def test_the_index_lists_no_operator_pages_for_staff(client, staff_with_every_permission):
    client.force_login(staff_with_every_permission)
    page = client.get("/admin/").content.decode()
    for model, model_admin in REGISTERED:
        if isinstance(model_admin, OperatorOnlyAdminMixin):
            assert admin_url(model, "changelist") not in page, model._meta.label
