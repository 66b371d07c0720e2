"""The demo restaurant used by the README's first command, the demo page and the tests."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models.functions import Now

from menu.cache import forget_menu_on_commit
from menu.importing import MenuRow, validate_menu_document
from menu.services import menu_upsert
from tenants.models import AllowedOrigin, Membership, Restaurant
from tenants.services import bump_menu_version

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

# (category, name, description, price, allergens, tags, available)
DEMO_MENU: tuple[tuple[str, str, str, str, tuple[str, ...], tuple[str, ...], bool], ...] = (
    (
        "Starters",
        "Bruschetta al pomodoro",
        "Toasted sourdough with tomato, garlic, basil and olive oil",
        "79",
        ("gluten",),
        ("vegan", "vegetarian", "italian"),
        True,
    ),
    (
        "Starters",
        "Burrata with heirloom tomatoes",
        "Creamy burrata, heirloom tomatoes and basil oil",
        "129",
        ("milk",),
        ("vegetarian", "gluten-free", "italian"),
        True,
    ),
    (
        "Starters",
        "Arancini",
        "Fried risotto balls filled with mozzarella and peas",
        "89",
        ("gluten", "eggs", "milk"),
        ("vegetarian", "italian"),
        True,
    ),
    (
        "Starters",
        "Calamari fritti",
        "Fried squid rings with lemon aioli",
        "119",
        ("gluten", "eggs", "molluscs"),
        ("italian", "seafood"),
        True,
    ),
    (
        "Starters",
        "Beef carpaccio",
        "Thinly sliced beef, rocket, parmesan and capers",
        "139",
        ("milk", "mustard"),
        ("gluten-free", "italian"),
        True,
    ),
    (
        "Starters",
        "Minestrone",
        "Vegetable soup with beans, celery and small pasta",
        "89",
        ("gluten", "celery"),
        ("vegan", "vegetarian", "italian", "soup"),
        True,
    ),
    (
        "Starters",
        "Gamberi all'aglio",
        "Garlic prawns in chilli oil, served with bread",
        "145",
        ("gluten", "crustaceans"),
        ("spicy", "seafood"),
        True,
    ),
    (
        "Starters",
        "Caprese salad",
        "Mozzarella, tomato and basil",
        "109",
        ("milk",),
        ("vegetarian", "gluten-free", "salad"),
        True,
    ),
    (
        "Starters",
        "Olives and roasted almonds",
        "Marinated olives with smoked almonds",
        "59",
        ("nuts",),
        ("vegan", "vegetarian", "gluten-free"),
        True,
    ),
    (
        "Pizza",
        "Margherita",
        "Tomato, mozzarella and fresh basil",
        "115",
        ("gluten", "milk"),
        ("vegetarian", "italian", "pizza"),
        True,
    ),
    (
        "Pizza",
        "Marinara",
        "Tomato, garlic and oregano, no cheese",
        "99",
        ("gluten",),
        ("vegan", "vegetarian", "italian", "pizza"),
        True,
    ),
    (
        "Pizza",
        "Diavola",
        "Spicy salami, chilli and mozzarella",
        "139",
        ("gluten", "milk"),
        ("spicy", "italian", "pizza"),
        True,
    ),
    (
        "Pizza",
        "Quattro formaggi",
        "Mozzarella, gorgonzola, fontina and parmesan",
        "145",
        ("gluten", "milk"),
        ("vegetarian", "italian", "pizza"),
        True,
    ),
    (
        "Pizza",
        "Funghi",
        "Mushrooms, mozzarella and thyme",
        "129",
        ("gluten", "milk"),
        ("vegetarian", "italian", "pizza"),
        True,
    ),
    (
        "Pizza",
        "Prosciutto e rucola",
        "Parma ham, rocket and mozzarella",
        "155",
        ("gluten", "milk"),
        ("italian", "pizza"),
        True,
    ),
    (
        "Pizza",
        "Pizza verdure",
        "Grilled vegetables with cashew cheese",
        "135",
        ("gluten", "nuts"),
        ("vegan", "vegetarian", "pizza"),
        True,
    ),
    (
        "Pizza",
        "Gluten-free margherita",
        "Margherita on a certified gluten-free base",
        "135",
        ("milk",),
        ("vegetarian", "gluten-free", "pizza"),
        True,
    ),
    (
        "Pizza",
        "Frutti di mare",
        "Prawns, mussels and squid on tomato and mozzarella",
        "169",
        ("gluten", "milk", "crustaceans", "molluscs"),
        ("pizza", "seafood"),
        True,
    ),
    (
        "Pasta",
        "Spaghetti carbonara",
        "Egg yolk, pecorino, guanciale and black pepper",
        "159",
        ("gluten", "eggs", "milk"),
        ("italian", "pasta"),
        True,
    ),
    (
        "Pasta",
        "Penne arrabbiata",
        "Tomato, garlic and chilli",
        "129",
        ("gluten",),
        ("vegan", "vegetarian", "spicy", "italian", "pasta"),
        True,
    ),
    (
        "Pasta",
        "Tagliatelle al ragù",
        "Fresh egg pasta with slow-cooked beef ragù",
        "165",
        ("gluten", "eggs", "milk", "celery"),
        ("italian", "pasta"),
        True,
    ),
    (
        "Pasta",
        "Trofie al pesto",
        "Basil pesto with pine nuts and parmesan",
        "149",
        ("gluten", "milk", "nuts"),
        ("vegetarian", "italian", "pasta"),
        True,
    ),
    (
        "Pasta",
        "Spaghetti alle vongole",
        "Clams, white wine, garlic and parsley",
        "179",
        ("gluten", "molluscs", "sulphites"),
        ("italian", "pasta", "seafood"),
        True,
    ),
    (
        "Pasta",
        "Lasagne",
        "Beef ragù and béchamel baked in layers",
        "169",
        ("gluten", "eggs", "milk", "celery"),
        ("italian", "pasta"),
        True,
    ),
    (
        "Pasta",
        "Wild mushroom risotto",
        "Carnaroli rice, porcini and parmesan",
        "159",
        ("milk", "celery", "sulphites"),
        ("vegetarian", "gluten-free", "italian"),
        True,
    ),
    (
        "Pasta",
        "Fusilli primavera",
        "Gluten-free fusilli with spring vegetables and olive oil",
        "145",
        (),
        ("vegan", "vegetarian", "gluten-free", "pasta"),
        True,
    ),
    (
        "Pasta",
        "Truffle tagliatelle",
        "Fresh egg pasta with black truffle and butter (seasonal)",
        "245",
        ("gluten", "eggs", "milk"),
        ("vegetarian", "italian", "pasta"),
        False,
    ),
    (
        "Mains",
        "Grilled salmon",
        "With lemon, dill potatoes and butter sauce",
        "215",
        ("fish", "milk"),
        ("gluten-free",),
        True,
    ),
    (
        "Mains",
        "Chicken saltimbocca",
        "Chicken with sage, prosciutto and white wine",
        "199",
        ("milk", "sulphites"),
        ("italian",),
        True,
    ),
    (
        "Mains",
        "Pad thai with prawns",
        "Rice noodles, prawns, egg, peanuts, tamarind and fish sauce",
        "179",
        ("crustaceans", "eggs", "fish", "peanuts", "soybeans"),
        ("thai",),
        True,
    ),
    (
        "Mains",
        "Green curry with vegetables",
        "Coconut green curry with Thai basil and jasmine rice",
        "175",
        ("soybeans",),
        ("vegan", "vegetarian", "gluten-free", "spicy", "thai"),
        True,
    ),
    (
        "Mains",
        "Ribeye steak",
        "300 g ribeye, rosemary potatoes and peppercorn sauce",
        "295",
        ("milk", "mustard"),
        ("gluten-free",),
        True,
    ),
    (
        "Mains",
        "Lamb kofta",
        "Spiced lamb skewers, flatbread and tahini yoghurt",
        "189",
        ("gluten", "milk", "sesame"),
        ("halal", "spicy"),
        True,
    ),
    (
        "Mains",
        "Aubergine parmigiana",
        "Baked aubergine, tomato, mozzarella and parmesan",
        "169",
        ("gluten", "eggs", "milk"),
        ("vegetarian", "italian"),
        True,
    ),
    (
        "Mains",
        "Lentil stew",
        "Plant-based lentil and sweet potato stew with mustard greens",
        "155",
        ("celery", "mustard"),
        (),
        True,
    ),
    (
        "Mains",
        "Fish and chips",
        "Cod in beer batter with fries and tartare sauce",
        "185",
        ("fish", "gluten", "eggs", "sulphites"),
        (),
        True,
    ),
    (
        "Desserts",
        "Tiramisu",
        "Mascarpone, espresso and savoiardi biscuits",
        "95",
        ("eggs", "milk", "gluten"),
        ("vegetarian", "italian"),
        True,
    ),
    (
        "Desserts",
        "Panna cotta",
        "Vanilla panna cotta with berry compote",
        "85",
        ("milk",),
        ("vegetarian", "gluten-free", "italian"),
        True,
    ),
    (
        "Desserts",
        "Affogato",
        "Vanilla gelato drowned in espresso",
        "65",
        ("milk",),
        ("vegetarian", "gluten-free", "italian"),
        True,
    ),
    (
        "Desserts",
        "Vegan chocolate torte",
        "Dark chocolate and hazelnut torte",
        "95",
        ("nuts", "soybeans"),
        ("vegan", "vegetarian", "gluten-free"),
        True,
    ),
    (
        "Desserts",
        "Sorbet trio",
        "Lemon, raspberry and mango sorbet",
        "75",
        (),
        ("vegan", "vegetarian", "gluten-free", "dairy-free"),
        True,
    ),
    (
        "Desserts",
        "Cannoli",
        "Crisp pastry with ricotta and pistachio",
        "89",
        ("gluten", "eggs", "milk", "nuts"),
        ("vegetarian", "italian"),
        True,
    ),
    (
        "Drinks",
        "Espresso",
        "Double shot of our house blend",
        "35",
        (),
        ("vegan", "vegetarian", "gluten-free", "dairy-free"),
        True,
    ),
    (
        "Drinks",
        "Fresh lemonade",
        "Lemon, mint and sparkling water",
        "49",
        (),
        ("vegan", "vegetarian", "gluten-free", "dairy-free"),
        True,
    ),
    (
        "Drinks",
        "House red wine",
        "Montepulciano d'Abruzzo, by the glass",
        "95",
        ("sulphites",),
        ("vegan", "vegetarian", "wine"),
        True,
    ),
    (
        "Drinks",
        "Peroni",
        "Italian lager, 33 cl",
        "75",
        ("gluten",),
        ("vegan", "vegetarian", "beer"),
        True,
    ),
    (
        "Drinks",
        "Oat latte",
        "Espresso with steamed oat milk",
        "52",
        ("gluten",),
        ("vegan", "vegetarian", "dairy-free"),
        True,
    ),
)


# Precautionary "may contain traces of" statements; every demo dish's allergen information is
# declared complete (so the sorbet and the espresso are free of all 14).
DEMO_MAY_CONTAIN: dict[str, tuple[str, ...]] = {
    "Tiramisu": ("nuts",),
    "Panna cotta": ("nuts",),
    "Fish and chips": ("crustaceans",),
}


def demo_menu_rows() -> list[MenuRow]:
    """The demo menu as import rows, validated and normalised exactly as an uploaded menu is."""
    report = validate_menu_document(
        {
            "items": [
                {
                    "category": category,
                    "name": name,
                    "description": description,
                    "price": price,
                    "allergens": list(allergens),
                    "mayContain": list(DEMO_MAY_CONTAIN.get(name, ())),
                    "allergensDeclared": True,
                    "tags": list(tags),
                    "available": available,
                }
                for category, name, description, price, allergens, tags, available in DEMO_MENU
            ]
        }
    )
    if not report.ok:  # a mistake in DEMO_MENU itself, caught by the tests
        raise ValueError(f"DEMO_MENU is not a valid menu: {'; '.join(map(str, report.errors))}")
    return report.rows


@dataclass(frozen=True)
class DemoSeedResult:
    restaurant: Restaurant
    created_items: int
    updated_items: int
    staff_password: str | None  # only in development


@transaction.atomic
def seed_demo_restaurant(*, development: bool) -> DemoSeedResult:
    """Create or refresh the demo restaurant, its menu, origins and staff login (idempotent).

    The menu is written by ``menu.services.menu_upsert``, the service behind imports: items are
    matched by name case-insensitively, the demo items are put back as ``DEMO_MENU`` describes them
    (in its order, first on the menu), and items the demo does not know are kept, after them.

    One run bumps ``menu_version`` at most once, and only if something the public menu shows
    changed (an item, or the restaurant's own details); a run that finds everything as seeded
    changes nothing, not even the version. The restaurant's details are therefore restored with a
    queryset update rather than ``save()``, which would bump the version a second time.
    """
    restaurant, created = Restaurant.objects.get_or_create(
        public_id=DEMO_PUBLIC_ID, defaults=DEMO_RESTAURANT
    )
    details = {**DEMO_RESTAURANT, "active": True}
    details_changed = not created and any(getattr(restaurant, k) != v for k, v in details.items())
    if details_changed:
        Restaurant.objects.filter(pk=restaurant.pk).update(**details, updated_at=Now())
        # What Restaurant.save()'s post_save receiver would do (tenants.signals): activation
        # changes who may embed the widget.
        forget_menu_on_commit(restaurant.public_id)
    for origin in DEMO_ORIGINS:
        AllowedOrigin.objects.get_or_create(restaurant=restaurant, origin=origin)

    version = restaurant.menu_version
    changes = menu_upsert(restaurant=restaurant, rows=demo_menu_rows())
    if details_changed and restaurant.menu_version == version:  # the menu write did not bump
        bump_menu_version(restaurant)
    restaurant = Restaurant.objects.get(pk=restaurant.pk)  # as stored, for the caller

    user_model = get_user_model()
    user, user_created = user_model.objects.get_or_create(
        username=DEMO_STAFF_USERNAME, defaults={"is_staff": True, "email": "staff@demo.example"}
    )
    password = None
    if development:
        password = DEMO_STAFF_PASSWORD
        if user_created or not user.check_password(password):
            user.set_password(password)
            user.save()
    elif user_created:
        user.set_password(secrets.token_urlsafe(24))  # never printed; reset it to use it
        user.save()
    Membership.objects.get_or_create(
        user=user, restaurant=restaurant, defaults={"role": Membership.Role.OWNER}
    )
    return DemoSeedResult(restaurant, len(changes.created), len(changes.updated), password)
