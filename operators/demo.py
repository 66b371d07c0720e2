"""The demo restaurant used by the README's first command, the demo page and the tests."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from menu.importing import MenuRow, parse_menu
from menu.services import menu_upsert
from tenants.models import AllowedOrigin, Membership, Restaurant
from tenants.services import restaurant_update

DEMO_PUBLIC_ID = "demo"
DEMO_STAFF_USERNAME = "demo-staff"
DEMO_STAFF_PASSWORD = "stjarna-demo"  # printed and set only in development (DEBUG)
DEMO_ORIGINS = ("http://localhost:8000", "http://127.0.0.1:8000")

DEMO_RESTAURANT = {
    "name": "Trattoria Stjärna",
    "currency": "SEK",
    "locale": "en",
    "timezone": "Europe/Stockholm",
    "greeting": "Ciao! Ask me about our dishes, diets, allergens or opening hours.",
    "brand_color": "#b5651d",
    "opening_hours": (
        "Mo-Th 11:00-22:00; Fr,Sa 11:00-23:00; Su 12:00-21:00; Dec 24 off; Dec 31 11:00-16:00"
    ),
    "hours_note": "The kitchen closes 30 minutes before we do.",
    "address": "Storgatan 1, 111 22 Stockholm",
    "phone": "+46 8 123 456 78",
    "contact_email": "owner@trattoria-stjarna.example",
}

# The demo menu is an import file (SPEC §9), read through the importer like any uploaded menu.
# Every demo dish's allergen information is declared complete (so the sorbet and the espresso
# are free of all 14); three carry a "may contain traces of" statement.
DEMO_MENU_FILE = Path(__file__).resolve().parent / "data" / "demo_menu.json"


def read_menu_file(path: Path) -> list[MenuRow]:
    """A menu file of ours (demo, bench) as import rows, checked exactly as an upload is."""
    report = parse_menu(path.read_bytes(), "json")
    if not report.ok:  # a mistake in the file itself, caught by the tests
        raise ValueError(f"{path.name} is not a valid menu: {'; '.join(map(str, report.errors))}")
    return report.rows


def demo_menu_rows() -> list[MenuRow]:
    """The demo menu as import rows, validated and normalised exactly as an uploaded menu is."""
    return read_menu_file(DEMO_MENU_FILE)


@dataclass(frozen=True)
class DemoSeedResult:
    restaurant: Restaurant
    created_items: int
    updated_items: int
    staff_password: str | None  # only in development, and only while it is still the demo's
    kept: bool = False  # the demo restaurant existed and was left as staff left it


@transaction.atomic
def seed_demo_restaurant(*, development: bool, reset: bool = False) -> DemoSeedResult:
    """Create the demo restaurant, its menu, origins and staff login when they are missing.

    An existing demo restaurant is left exactly as staff left it (``make run`` seeds on every
    start and must never undo an owner's edits); ``reset=True`` (``seed_demo --reset``) puts the
    demo back instead. The menu is written by ``menu.services.menu_upsert``, the service behind
    imports: items are matched by name case-insensitively, the demo items are put back as
    ``DEMO_MENU_FILE`` describes them (in its order, first on the menu), and items the demo does
    not know are kept, after them. The restaurant's details are restored with
    ``restaurant_update``. A run that finds everything as seeded changes nothing, not even the
    menu version.
    """
    restaurant, created = Restaurant.objects.get_or_create(
        public_id=DEMO_PUBLIC_ID, defaults=DEMO_RESTAURANT
    )
    if not created and not reset:
        password = _demo_staff_login(restaurant=restaurant, development=development, reset=False)
        return DemoSeedResult(restaurant, 0, 0, password, kept=True)
    details = {**DEMO_RESTAURANT, "active": True}
    if not created and any(getattr(restaurant, k) != v for k, v in details.items()):
        restaurant_update(restaurant=restaurant, **details)
    for origin in DEMO_ORIGINS:
        AllowedOrigin.objects.get_or_create(restaurant=restaurant, origin=origin)

    changes = menu_upsert(restaurant=restaurant, rows=demo_menu_rows())
    restaurant = Restaurant.objects.get(pk=restaurant.pk)  # as stored, for the caller

    password = _demo_staff_login(restaurant=restaurant, development=development, reset=True)
    return DemoSeedResult(restaurant, len(changes.created), len(changes.updated), password)


def _demo_staff_login(*, restaurant: Restaurant, development: bool, reset: bool) -> str | None:
    """Create the demo staff login if it is missing; the password to print, if any.

    In development the demo password is set on a new login (and put back by a reset); a password
    staff changed is never overwritten otherwise, and then not printed either.
    """
    user_model = get_user_model()
    user, user_created = user_model.objects.get_or_create(
        username=DEMO_STAFF_USERNAME, defaults={"is_staff": True, "email": "staff@demo.example"}
    )
    password = None
    if development:
        if user_created or (reset and not user.check_password(DEMO_STAFF_PASSWORD)):
            user.set_password(DEMO_STAFF_PASSWORD)
            user.save()
        if user.check_password(DEMO_STAFF_PASSWORD):
            password = DEMO_STAFF_PASSWORD
    elif user_created:
        user.set_password(secrets.token_urlsafe(24))  # never printed; reset it to use it
        user.save()
    if user_created or reset:
        Membership.objects.get_or_create(
            user=user, restaurant=restaurant, defaults={"role": Membership.Role.OWNER}
        )
    return password
