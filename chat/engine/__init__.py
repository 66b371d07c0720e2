"""Placeholder until the answer engine lands: the vocabularies of SPEC §4."""

ALLERGENS: tuple[str, ...] = (
    "gluten",
    "crustaceans",
    "eggs",
    "fish",
    "peanuts",
    "soybeans",
    "milk",
    "nuts",
    "celery",
    "mustard",
    "sesame",
    "sulphites",
    "lupin",
    "molluscs",
)
DIET_TAGS: tuple[str, ...] = ("vegan", "vegetarian", "gluten-free", "dairy-free", "halal", "kosher")
