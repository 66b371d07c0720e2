"""Prices as staff type them: "79,50" and "79.50" are the same 79.50, whatever the browser."""

from __future__ import annotations

import re
from decimal import Decimal

from django.core.exceptions import ValidationError

MAX_PRICE = Decimal("99999999.99")  # MenuItem.price: max_digits=10, decimal_places=2
# A price this many times the median of its section is asked about before it is saved
# (a slipped decimal mark turns 79,50 into 7950).
OUTLIER_FACTOR = 10

# Digits, optionally grouped by spaces ("1 250"), then one decimal mark (comma or dot) and at
# most two decimals. "1,250" or "1.250" (three decimals) is refused: it is a thousands separator
# in one locale and a decimal mark in another, and guessing wrong is a 1000× error.
_PRICE = re.compile(
    r"(?P<units>\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)(?:[.,](?P<cents>\d{1,2}))?", re.ASCII
)


def parse_price_text(text: str) -> Decimal:
    """The price in ``text`` as a Decimal with two places, or a ValidationError saying how to
    write it."""
    raw = (text or "").strip()
    match = _PRICE.fullmatch(raw)
    if not match:
        raise ValidationError(
            f"“{raw[:40]}” is not a price. Type only the amount, with a comma or a dot before "
            "the decimals and at most two decimals, e.g. 79,50 or 79.50.",
            code="invalid_price",
        )
    units = re.sub(r"\D", "", match["units"])
    price = Decimal(f"{units}.{(match['cents'] or '').ljust(2, '0')}")
    if price > MAX_PRICE:
        raise ValidationError(f"A price is at most {MAX_PRICE}.", code="price_too_high")
    return price
