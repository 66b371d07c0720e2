"""manage.py seed_bench — many realistic restaurants for the load and fault benchmarks (bench/).

Restaurants are named ``bench-000`` … and replaced on every run (``bench-*`` only; nothing else is
touched). Menus have 30–300 items drawn from a pool of dishes (the demo menu plus generated
variants, checked by the importer) so the answer engine has real work to do. Rows are
written with ``bulk_create``: 200 restaurants and ~30 000 items take a few seconds.

Sizes are checked before anything is deleted or written: a bad ``--restaurants``/``--min-items``/
``--max-items`` is a one-line error and leaves the database as it was.
"""

from __future__ import annotations

import random

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from chat.engine.lexicon import CONFLICTS
from menu.importing import MenuRow, validate_menu_document
from menu.models import MenuItem
from operators.demo import demo_menu_rows
from tenants.cache import forget_restaurant_on_commit
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


def _consistent_tags(tags: tuple[str, ...], allergens: set[str]) -> tuple[str, ...]:
    """Drop the diet tags that the dish's allergens contradict (the engine's own conflicts)."""
    return tuple(t for t in tags if not CONFLICTS.get(t, frozenset()) & allergens)


def _dish_pool(rng: random.Random) -> list[MenuRow]:
    """About 1 200 distinct dishes: the demo menu and cuisine × filling × style variants, all
    checked by the importer exactly as an uploaded menu is."""
    variants = []
    for cuisine, dishes in _CUISINES.items():
        for category, dish, base_allergens in dishes:
            for filling, allergens, tags in _FILLINGS:
                all_allergens = {*base_allergens, *allergens}
                tags = _consistent_tags(tags, all_allergens)
                for style in _STYLES:
                    variants.append(
                        {
                            "category": category,
                            "name": f"{style} {filling} {dish.lower()}",
                            "description": f"{style} {cuisine} {dish.lower()} with {filling}",
                            "price": str(rng.randrange(59, 329)),
                            "allergens": sorted(all_allergens),
                            # as the v2 migration left such rows: listed allergens = declared
                            "allergensDeclared": bool(all_allergens),
                            "tags": [cuisine, *tags] + (["spicy"] if style == "Spicy" else []),
                        }
                    )
    report = validate_menu_document({"items": variants})
    if not report.ok:  # a mistake in the tables above, caught by the tests
        raise ValueError(f"bench dishes are not a valid menu: {report.errors[0]}")
    return [*demo_menu_rows(), *report.rows]


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
                    name=dish.name,
                    description=dish.description,
                    price=dish.price,
                    category=dish.category,
                    allergens=list(dish.allergens),
                    may_contain=list(dish.may_contain),
                    allergens_declared=dish.allergens_declared,
                    tags=list(dish.tags),
                    available=rng.random() > 0.05,
                    position=position,
                )
            )
    MenuItem.objects.bulk_create(items, batch_size=2000)
    for restaurant in restaurants:  # bulk writes send no signals: an id asked for before counts
        forget_restaurant_on_commit(restaurant.public_id)
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
