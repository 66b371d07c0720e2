"""Benchmark the answer engine: median and p99 ms per turn on 300- and 30-item menus, for
single questions and for conversations (each turn answered in the context the last returned).

Run: .venv/bin/python bench/engine.py
The budget is a ratio to a baseline measured in the same run, so it holds on a slow machine as on
a fast one: a naive linear search (the message's words looked up in every item's lowercased name
and description) over the same 300-item menu. Exits 1 if a 300-item median (single questions or
conversation turns) exceeds BUDGET_RATIO times the baseline's median.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from datetime import UTC, datetime

from chat.engine import ALLERGENS, Menu, MenuItem, RestaurantInfo, answer
from chat.engine.conversation import Context
from chat.engine.index import build_index
from chat.engine.intents import Turn

BUDGET_RATIO = 1.5
NOW = datetime(2026, 12, 4, 18, 30, tzinfo=UTC)
ROUNDS = 40

CATEGORIES = ["Starters", "Pizza", "Pasta", "Mains", "Desserts", "Drinks", "Salads", "Soups"]
NAME_WORDS = [
    "margherita",
    "diavola",
    "funghi",
    "carbonara",
    "arrabbiata",
    "pesto",
    "lasagne",
    "risotto",
    "tiramisu",
    "panna",
    "cotta",
    "brownie",
    "curry",
    "satay",
    "salmon",
    "burger",
    "falafel",
    "wrap",
    "calamari",
    "bruschetta",
    "arancini",
    "caprese",
    "gnocchi",
    "ravioli",
    "tortellini",
    "minestrone",
    "gazpacho",
    "affogato",
    "espresso",
    "lemonade",
    "spritz",
    "noodle",
    "teriyaki",
    "katsu",
    "ramen",
    "pho",
    "kebab",
    "halloumi",
    "shakshuka",
    "paella",
    "tacos",
    "nachos",
    "quesadilla",
]
DESC_WORDS = [
    "tomato",
    "mozzarella",
    "basil",
    "garlic",
    "olive",
    "oil",
    "chili",
    "mushrooms",
    "parmesan",
    "cream",
    "egg",
    "peanuts",
    "tofu",
    "rice",
    "noodles",
    "coconut",
    "milk",
    "lemon",
    "butter",
    "potatoes",
    "spinach",
    "chickpeas",
    "beans",
    "walnuts",
    "almonds",
    "shrimp",
    "mussels",
    "squid",
    "salmon",
    "tuna",
    "beef",
    "chicken",
    "pork",
    "lamb",
    "pepper",
    "oregano",
    "sesame",
    "mustard",
    "celery",
    "wine",
    "vanilla",
    "chocolate",
    "mango",
    "berries",
    "honey",
    "yogurt",
    "cheese",
    "bread",
    "crispy",
    "grilled",
    "fresh",
]
TAGS = ["vegan", "vegetarian", "gluten-free", "dairy-free", "halal", "spicy", "italian", "thai"]

QUESTIONS = [
    "hi",
    "thanks",
    "vegan",
    "vegetarian dishes",
    "vegitarian",
    "gluten free pizza",
    "glutenfree",
    "dairy free desserts",
    "without nuts",
    "nut-free desserts",
    "i'm allergic to shellfish",
    "no dairy",
    "do you have anything for someone who can't eat eggs",
    "vegan pasta under 120 without nuts",
    "vegetarian pizza without mushrooms",
    "spicy vegan",
    "italian dishes",
    "thai food without peanuts",
    "desserts",
    "deserts",
    "pizza",
    "something with mushrooms",
    "drinks below 50",
    "under 100",
    "between 100 and 150",
    "cheapest pizza",
    "most expensive",
    "what's the cheapest dessert",
    "how much is the tiramisu",
    "does the carbonara contain eggs",
    "is the risotto gluten free",
    "allergens in the brownie",
    "what's in the carbonara",
    "tell me about the tiramisu",
    "carbonarra",
    "when are you open",
    "where are you",
    "phone number",
    "har ni veganska rätter",
    "något utan nötter",
    "glutenfria efterrätter",
    "vad kostar pad thai",
    "öppettider",
    "do you have sushi",
    "asdkjh qwe",
    "what's on the menu",
    "lactose intolerant",
    "mains under 150 without gluten",
    "kids menu",
    "is the falafel wrap vegan",
]


CONVERSATIONS = [
    ["hi", "my daughter is allergic to nuts", "kids menu?", "and desserts?", "the first one"],
    ["vegan dishes?", "which of those are gluten free?", "which is the cheapest?", "how much?"],
    ["i'm vegetarian", "pizza", "what about pasta?", "does the second one have eggs?"],
    ["har ni något utan mjölk?", "och efterrätter?", "vilken är billigast?", "glöm mjölken"],
    ["tell me about the carbonara", "is it spicy?", "any cheaper?", "are you open now?"],
]


def synthetic_menu(n: int, seed: int) -> Menu:
    """A deterministic random menu of `n` items."""
    rng = random.Random(seed)
    items = []
    for i in range(n):
        name = " ".join(rng.sample(NAME_WORDS, rng.randint(1, 3))).title()
        desc = ", ".join(rng.sample(DESC_WORDS, rng.randint(3, 8)))
        items.append(
            MenuItem(
                id=i + 1,
                name=name,
                description=desc.capitalize(),
                price=Decimal(rng.randint(30, 250)),
                category=rng.choice(CATEGORIES),
                allergens=frozenset(rng.sample(ALLERGENS, rng.randint(0, 4))),
                tags=frozenset(rng.sample(TAGS, rng.randint(0, 3))),
                available=rng.random() > 0.05,
                may_contain=frozenset(rng.sample(ALLERGENS, rng.randint(0, 1))),
                allergens_declared=rng.random() > 0.1,
            )
        )
    info = RestaurantInfo(
        "Bench",
        "SEK",
        "Mo-Th 11:00-22:00; Fr,Sa 11:00-01:00; Su 12:00-21:00; Dec 24 off",
        "Storgatan 1",
        "+46 8 00 00 00",
        timezone="Europe/Stockholm",
    )
    return Menu(info, tuple(items))


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered)) - 1))
    return ordered[k]


def time_answers(menu: Menu) -> tuple[list[float], list[float]]:
    """(cold first-pass times, warm times) in ms per answer."""
    cold: list[float] = []
    # Cold: a fresh index and fresh fuzzy caches, each question once.
    index = build_index(menu)
    for q in QUESTIONS:
        t0 = time.perf_counter_ns()
        Turn(index, Context(), "en", NOW).respond(q)
        cold.append((time.perf_counter_ns() - t0) / 1e6)
    answer(menu, "warm up", "en")  # builds and caches the index for the public call
    warm: list[float] = []
    for _ in range(ROUNDS):
        for q in QUESTIONS:
            t0 = time.perf_counter_ns()
            answer(menu, q, "en", None, NOW)
            warm.append((time.perf_counter_ns() - t0) / 1e6)
    return cold, warm


def time_conversations(menu: Menu) -> list[float]:
    """Warm ms per conversation turn, each answered in the context the previous returned."""
    times: list[float] = []
    for _ in range(ROUNDS):
        for conversation in CONVERSATIONS:
            context = None
            for message in conversation:
                t0 = time.perf_counter_ns()
                got = answer(menu, message, None, context, NOW)
                times.append((time.perf_counter_ns() - t0) / 1e6)
                context = got.context
    return times


def baseline_ms(menu: Menu) -> float:
    """Median ms of a naive search for the same messages on the same menu: each word of the
    lowercased message looked up in every item's lowercased name and description."""
    texts = [f"{i.name} {i.description}".lower() for i in menu.items]
    times = []
    for _ in range(ROUNDS):
        for q in QUESTIONS:
            t0 = time.perf_counter_ns()
            words = q.lower().split()
            [n for n, text in enumerate(texts) if any(w in text for w in words)]
            times.append((time.perf_counter_ns() - t0) / 1e6)
    return statistics.median(times)


def main() -> int:
    """Run the benchmark, print figures, return the exit status."""
    status = 0
    print(f"{len(QUESTIONS)} questions x {ROUNDS} rounds")
    for n in (300, 30):
        menu = synthetic_menu(n, seed=n)
        base = baseline_ms(menu)
        t0 = time.perf_counter()
        build_index(menu)
        build_ms = (time.perf_counter() - t0) * 1000
        cold, warm = time_answers(menu)
        med = statistics.median(warm)
        print(
            f"{n:>3} items: baseline (naive search) median {base:.3f} ms; engine median "
            f"{med:.3f} ms, p99 {percentile(warm, 99):.3f} ms ({med / base:.2f}x baseline); "
            f"cold first pass median {statistics.median(cold):.3f} ms, "
            f"p99 {percentile(cold, 99):.3f} ms; index build {build_ms:.1f} ms"
        )
        turns = time_conversations(menu)
        turn_med = statistics.median(turns)
        print(
            f"{n:>3} items, conversations: median {turn_med:.3f} ms per turn, "
            f"p99 {percentile(turns, 99):.3f} ms ({turn_med / base:.2f}x baseline)"
        )
        for label, value in (("single-question", med), ("conversation-turn", turn_med)):
            if n == 300 and value > BUDGET_RATIO * base:
                print(
                    f"FAIL: 300-item {label} median {value / base:.2f}x the baseline, "
                    f"budget {BUDGET_RATIO}x"
                )
                status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
