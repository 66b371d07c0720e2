"""What staff see on their restaurant's admin page."""

from django.urls import reverse

from tests.factories import AllowedOriginFactory


def test_restaurant_page_shows_embed_snippet(bella, staff_of_bella, login_as):
    response = login_as(staff_of_bella).get(
        reverse("admin:tenants_restaurant_change", args=[bella.pk])
    )
    html = response.content.decode()
    assert "/widget.js&quot; data-restaurant-id=&quot;bella&quot; async&gt;" in html


def test_restaurant_page_warns_when_allowlist_is_empty(bella, staff_of_bella, login_as):
    response = login_as(staff_of_bella).get(
        reverse("admin:tenants_restaurant_change", args=[bella.pk])
    )
    assert "No website can show this restaurant’s chat yet" in response.content.decode()


def test_no_warning_once_an_origin_is_allowed(bella, staff_of_bella, login_as):
    AllowedOriginFactory(restaurant=bella, origin="https://bella.example")
    response = login_as(staff_of_bella).get(
        reverse("admin:tenants_restaurant_change", args=[bella.pk])
    )
    html = response.content.decode()
    assert "No website can show this restaurant’s chat yet" not in html
    assert "https://bella.example" in html


def test_staff_cannot_change_the_public_id(bella, staff_of_bella, login_as):
    response = login_as(staff_of_bella).get(
        reverse("admin:tenants_restaurant_change", args=[bella.pk])
    )
    assert 'name="public_id"' not in response.content.decode()
