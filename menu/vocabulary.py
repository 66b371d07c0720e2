"""Validation of allergen codes and tags against SPEC §4's vocabularies.

The vocabularies themselves live in the answer engine (``chat.engine``), the one place both the
server and the widget's local engine read them from.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.core.exceptions import ValidationError

from chat.engine import ALLERGENS, DIET_TAGS

TAG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ALLERGEN_SET = frozenset(ALLERGENS)
DIET_TAG_SET = frozenset(DIET_TAGS)


def clean_allergens(values: object) -> list[str]:
    """Return the allergen codes in canonical (regulation) order, or raise a clear error."""
    if not isinstance(values, list | tuple) or not all(isinstance(v, str) for v in values):
        raise ValidationError("Allergens must be a list of allergen codes.", code="invalid")
    codes = {v.strip().lower() for v in values if v.strip()}
    unknown = sorted(codes - ALLERGEN_SET)
    if unknown:
        hint = ""
        diets = [code for code in unknown if code in DIET_TAG_SET]
        if diets:
            hint = f" {', '.join(diets)} is a diet: add it as a tag instead."
        raise ValidationError(
            f"Unknown allergen {', '.join(repr(c) for c in unknown)}. "
            f"Allowed: {', '.join(ALLERGENS)}.{hint}",
            code="unknown_allergen",
        )
    return [code for code in ALLERGENS if code in codes]


def clean_tags(values: object) -> list[str]:
    """Return lowercase slug tags, de-duplicated, diet tags first, or raise a clear error."""
    if not isinstance(values, list | tuple) or not all(isinstance(v, str) for v in values):
        raise ValidationError("Tags must be a list of words.", code="invalid")
    tags = _dedupe(v.strip().lower().replace(" ", "-") for v in values if v.strip())
    bad = [tag for tag in tags if not TAG_PATTERN.match(tag) or len(tag) > 40]
    if bad:
        raise ValidationError(
            f"Invalid tag {', '.join(repr(t) for t in bad)}: tags are lowercase words joined by "
            "hyphens, such as vegan, gluten-free or spicy.",
            code="invalid_tag",
        )
    if "allergens" in tags:
        raise ValidationError("“allergens” is not a tag.", code="invalid_tag")
    return [t for t in DIET_TAGS if t in tags] + sorted(t for t in tags if t not in DIET_TAG_SET)


def _dedupe(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))
