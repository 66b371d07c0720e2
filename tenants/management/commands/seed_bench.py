"""manage.py seed_bench — many realistic restaurants for the load and fault benchmarks (bench/).

Restaurants are named ``bench-000`` … and replaced on every run (``bench-*`` only; nothing else is
touched). Menus have 30–300 items drawn from a pool of dishes (the demo menu plus generated
variants) with valid allergen codes and tags, so the answer engine has real work to do. Rows are
written with ``bulk_create``: 200 restaurants and ~30 000 items take a few seconds.

Sizes are checked before anything is deleted or written: a bad ``--restaurants``/``--min-items``/
``--max-items`` is a one-line error and leaves the database as it was.
"""

from __future__ import annotations

import random
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from menu.models import MenuItem
from menu.vocabulary import clean_allergens, clean_tags
from tenants.demo import DEMO_MENU
from tenants.models import AllowedOrigin, Restaurant

BENCH_PREFIX = "bench-"
MAX_RESTAURANTS = 10_000
MAX_TOTAL_ITEMS = 1_000_000  # restaurants × max items: every row is built in memory first

_CUISINES = {
    "italian": (("Pasta", "Spaghetti", ("gluten", "eggs")), ("Pizza", "Pizza", ("gluten", "milk"))),
    "thai": (
        ("Mains", "Pad thai", ("peanuts", "soybeans", "eggs")),
        ("Curries", "Green curry", ()),
    ),
    "indian": (("Curries", "Dal", ()), ("Breads", "Naan", ("gluten", "milk"))),
    "japanese": (
        ("Sushi", "Maki", ("fish", "sesame", "soybeans")),
        ("Noodles", "Ramen", ("gluten",)),
    ),
    "mexican": (("Tacos", "Taco", ()), ("Mains", "Burrito", ("gluten", "milk"))),
    "swedish": (
        ("Mains", "Köttbullar", ("milk", "eggs", "gluten")),
        ("Fish", "Gravlax", ("fish",)),
    ),
}
_FILLINGS = (
    ("tofu", (), ("vegan", "vegetarian")),
    ("chickpea", (), ("vegan", "vegetarian", "gluten-free")),
    ("mushroom", (), ("vegetarian",)),
    ("chicken", (), ("halal",)),
    ("beef", (), ()),
    ("prawn", ("crustaceans",), ("spicy",)),
    ("salmon", ("fish",), ("gluten-free",)),
    ("halloumi", ("milk",), ("vegetarian",)),
    ("cashew", ("nuts",), ("vegan", "vegetarian")),
    ("mussel", ("molluscs", "celery"), ()),
    ("egg", ("eggs",), ("vegetarian",)),
    ("sesame-crusted tuna", ("fish", "sesame"), ()),
)
_STYLES = ("Classic", "Spicy", "Smoky", "Garden", "House", "Grandma's", "Street-style", "Royal")


_ANIMAL = frozenset({"milk", "eggs", "fish", "crustaceans", "molluscs"})
_MEAT_OR_FISH = frozenset({"fish", "crustaceans", "molluscs"})


def _consistent_tags(tags: tuple[str, ...], allergens: set[str]) -> tuple[str, ...]:
    """Drop diet tags that the dish's allergens contradict (a vegan dish with milk, …)."""
    dropped = set()
    if allergens & _ANIMAL:
        dropped.add("vegan")
    if allergens & _MEAT_OR_FISH:
        dropped.add("vegetarian")
    if "gluten" in allergens:
        dropped.add("gluten-free")
    return tuple(t for t in tags if t not in dropped)


def _dish_pool(rng: random.Random) -> list[dict]:
    """About 600 distinct dishes: the demo menu and cuisine × filling × style variants."""
    pool = [
        {
            "category": category,
            "name": name,
            "description": description,
            "price": Decimal(price),
            "allergens": list(allergens),
            "tags": list(tags),
        }
        for category, name, description, price, allergens, tags, _available in DEMO_MENU
    ]
    for cuisine, dishes in _CUISINES.items():
        for category, dish, base_allergens in dishes:
            for filling, allergens, tags in _FILLINGS:
                all_allergens = {*base_allergens, *allergens}
                tags = _consistent_tags(tags, all_allergens)
                for style in _STYLES:
                    pool.append(
                        {
                            "category": category,
                            "name": f"{style} {filling} {dish.lower()}",
                            "description": f"{style} {cuisine} {dish.lower()} with {filling}",
                            "price": Decimal(rng.randrange(59, 329)),
                            "allergens": [*base_allergens, *allergens],
                            "tags": [cuisine, *tags] + (["spicy"] if style == "Spicy" else []),
                        }
                    )
    return pool


class BenchSizeError(ValueError):
    """The requested bench data is impossible or absurdly large; nothing was written."""


def _check_sizes(*, count: int, min_items: int, max_items: int, pool_size: int) -> None:
    if not 0 <= count <= MAX_RESTAURANTS:
        raise BenchSizeError(
            f"--restaurants must be between 0 and {MAX_RESTAURANTS:,}, not {count}."
        )
    if min_items < 0:
        raise BenchSizeError(f"--min-items must be 0 or more, not {min_items}.")
    if max_items < min_items:
        raise BenchSizeError(
            f"--max-items ({max_items}) must be at least --min-items ({min_items})."
        )
    if max_items > pool_size:
        raise BenchSizeError(
            f"--max-items must be at most {pool_size}, the number of distinct dishes to draw "
            f"from, not {max_items}."
        )
    if count * max_items > MAX_TOTAL_ITEMS:
        raise BenchSizeError(
            f"--restaurants × --max-items may be at most {MAX_TOTAL_ITEMS:,} items, "
            f"not {count:,} × {max_items:,}; ask for fewer restaurants or smaller menus."
        )


@transaction.atomic
def seed_bench_restaurants(
    *, count: int, min_items: int = 30, max_items: int = 300, seed: int = 8
) -> tuple[int, int]:
    """Replace the ``bench-*`` restaurants with ``count`` new ones; returns (restaurants, items).

    Raises ``BenchSizeError`` before touching the database when the sizes make no sense.
    """
    rng = random.Random(seed)
    pool = _dish_pool(rng)
    _check_sizes(count=count, min_items=min_items, max_items=max_items, pool_size=len(pool))
    Restaurant.objects.filter(public_id__startswith=BENCH_PREFIX).delete()
    restaurants = Restaurant.objects.bulk_create(
        Restaurant(
            public_id=f"{BENCH_PREFIX}{n:03d}",
            name=f"Bench Bistro {n:03d}",
            currency=rng.choice(("SEK", "EUR", "USD")),
            locale=rng.choice(("en", "en", "sv")),
            greeting="Hi! Ask me about our dishes, diets and allergens.",
            opening_hours="Mo-Fr 11:00-22:00; Sa,Su 12:00-23:00",
            address=f"Benchgatan {n + 1}, Stockholm",
            phone=f"+46 8 555 {n:04d}",
        )
        for n in range(count)
    )
    AllowedOrigin.objects.bulk_create(
        AllowedOrigin(restaurant=r, origin=f"https://{r.public_id}.example") for r in restaurants
    )
    items = []
    for restaurant in restaurants:
        size = rng.randint(min_items, max_items)
        for position, dish in enumerate(rng.sample(pool, min(size, len(pool)))):
            items.append(
                MenuItem(
                    restaurant=restaurant,
                    name=dish["name"],
                    description=dish["description"],
                    price=dish["price"],
                    category=dish["category"],
                    allergens=clean_allergens(dish["allergens"]),
                    allergens_declared=bool(dish["allergens"]),  # as the v2 migration left them
                    tags=clean_tags(dish["tags"]),
                    available=rng.random() > 0.05,
                    position=position,
                )
            )
    MenuItem.objects.bulk_create(items, batch_size=2000)
    return len(restaurants), len(items)


class Command(BaseCommand):
    help = "Replace the bench-* restaurants with N realistic ones (30–300 items each)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--restaurants",
            type=int,
            default=200,
            help=f"how many (0–{MAX_RESTAURANTS:,}; 0 only removes the bench-* restaurants)",
        )
        parser.add_argument("--min-items", type=int, default=30, help="smallest menu (≥ 0)")
        parser.add_argument(
            "--max-items", type=int, default=300, help="largest menu (≥ --min-items)"
        )
        parser.add_argument(
            "--seed", type=int, default=8, help="random seed (same seed, same data)"
        )

    def handle(self, *args, **options) -> None:
        try:
            restaurants, items = seed_bench_restaurants(
                count=options["restaurants"],
                min_items=options["min_items"],
                max_items=options["max_items"],
                seed=options["seed"],
            )
        except BenchSizeError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(f"Seeded {restaurants} bench restaurants with {items} menu items.")
        )
