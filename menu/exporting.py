"""Write a restaurant's menu in the import format (SPEC §9), so export → import is lossless.

Every item is exported, available or not, in menu order; prices are strings with two decimals
(never floats), list fields are JSON lists or ``;``-joined CSV cells.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from menu.importing import COLUMNS, JSON_NAMES, LIST_SEPARATOR
from menu.models import MenuItem
from menu.payload import item_payload
from tenants.models import Restaurant

CONTENT_TYPES = {"json": "application/json", "csv": "text/csv"}


def export_items(restaurant: Restaurant) -> list[dict[str, Any]]:
    """The restaurant's items as import-format dicts, in menu order."""
    items = MenuItem.objects.filter(restaurant=restaurant).order_by("position", "id")
    return [_export_row(item) for item in items]


def _export_row(item: MenuItem) -> dict[str, Any]:
    """The import format is the public item shape without its id, plus availability."""
    row = item_payload(item)
    del row["id"]
    row["available"] = item.available
    return row


def export_menu(restaurant: Restaurant, fmt: str) -> str:
    """The whole menu as a JSON or CSV document (``fmt`` is ``json`` or ``csv``)."""
    items = export_items(restaurant)
    if fmt == "json":
        return json.dumps({"items": items}, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        out = io.StringIO(newline="")
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(COLUMNS)
        for item in items:
            writer.writerow([_csv_cell(item[JSON_NAMES.get(name, name)]) for name in COLUMNS])
        return out.getvalue()
    raise ValueError(f"unknown format {fmt!r}")


def _csv_cell(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return LIST_SEPARATOR.join(value)
    return str(value)


def export_filename(restaurant: Restaurant, fmt: str) -> str:
    return f"menu-{restaurant.public_id}.{fmt}"
