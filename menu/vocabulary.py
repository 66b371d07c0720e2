"""Validation of allergen codes and tags against SPEC §4's vocabularies.

The vocabularies themselves — the 14 allergens, the diet tags and which allergens contradict
which diet (``CONFLICTS``) — live in the answer engine (``chat.engine``), the one place both the
server and the widget's local engine read them from.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from rapidfuzz.distance import OSA

from chat.engine import ALLERGENS, DIET_TAGS
from chat.engine.lexicon import CONFLICTS

TAG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ALLERGEN_SET = frozenset(ALLERGENS)
DIET_TAG_SET = frozenset(DIET_TAGS)
# A free tag this close to a diet tag is almost certainly a misspelt diet ("veganski",
# "vegeterian"); diners would never find the dish under the diet, so it is refused.
DIET_TYPO_DISTANCE = 1
DIET_TYPO_EXTRA_LETTERS = 3  # "veganski", "vegansk": the diet and a short suffix


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


def clean_may_contain(values: object, *, allergens: Sequence[str]) -> list[str]:
    """Allergen codes of a "may contain traces of" statement, without those the dish contains
    (``allergens`` already says more than "traces"), or raise a clear error."""
    codes = clean_allergens(values)
    return [code for code in codes if code not in allergens]


def normalise_tags(values: object) -> list[str]:
    """Lowercase slug tags, de-duplicated, diet tags first, or raise for a malformed tag.

    Only the form is checked: removing a tag from a dish must work whatever the tag is.
    """
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


def clean_tags(values: object) -> list[str]:
    """Normalised tags (``normalise_tags``), refusing a free tag one typo from a diet tag."""
    tags = normalise_tags(values)
    typos = [(tag, diet) for tag in tags if (diet := diet_tag_misspelt_as(tag))]
    if typos:
        raise ValidationError(
            " ".join(
                f"“{tag}” is not a diet tag: did you mean {diet}? Tick the diet itself, "
                "or the dish will not be found by diners asking for it."
                for tag, diet in typos
            ),
            code="diet_typo",
        )
    return tags


def diet_tag_misspelt_as(tag: str) -> str | None:
    """The diet tag that ``tag`` is a misspelling of ("vegeterian" → vegetarian), if any."""
    if tag in DIET_TAG_SET:
        return None
    for diet in DIET_TAGS:
        if OSA.distance(tag, diet, score_cutoff=DIET_TYPO_DISTANCE) <= DIET_TYPO_DISTANCE:
            return diet
        suffix = tag.removeprefix(diet)
        if suffix != tag and suffix.isalpha() and len(suffix) <= DIET_TYPO_EXTRA_LETTERS:
            return diet
    return None


def diet_conflicts(*, tags: Iterable[str], allergens: Iterable[str]) -> list[str]:
    """Each diet tag the dish's allergens contradict, as "vegan, but contains milk" (SPEC §4).

    The table is the engine's (``CONFLICTS``), which also refuses to call such a dish vegan.
    """
    contained = set(allergens)
    found = []
    for tag in tags:
        clash = [code for code in ALLERGENS if code in CONFLICTS.get(tag, ()) and code in contained]
        if clash:
            found.append(f"{tag}, but contains {_and(clash)}")
    return found


def check_diet_conflicts(*, tags: Iterable[str], allergens: Iterable[str]) -> None:
    """Raise a clear ValidationError when a diet tag contradicts the allergens."""
    conflicts = diet_conflicts(tags=tags, allergens=allergens)
    if conflicts:
        raise ValidationError(
            f"Contradiction: {'; '.join(conflicts)}. Remove the diet tag or correct the allergens.",
            code="diet_conflict",
        )


def menu_data_problems(*, tags: Iterable[str], allergens: Iterable[str]) -> list[str]:
    """What is wrong with a dish already stored (rows written before the checks existed):
    diet contradictions and misspelt diet tags, as short sentences. Empty when it is fine."""
    tags = list(tags)
    problems = diet_conflicts(tags=tags, allergens=allergens)
    for tag in tags:
        if diet := diet_tag_misspelt_as(tag):
            problems.append(f"tag “{tag}”: did you mean {diet}?")
    return problems


def _and(words: Sequence[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def _dedupe(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))
