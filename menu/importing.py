"""Parse and validate menu files (SPEC §9) into rows ready for ``menu.services``.

One validator serves every way a whole menu arrives: ``manage.py import_menu``, the admin upload
and ``PUT /api/v1/menu``. It never touches the database. It validates the *whole* input and
reports every problem with where it is (``line``: the physical line for CSV, including the header;
the line where the item starts for JSON, plus ``item``: its 0-based index in ``items``), the
field, and the reason. Diet words typed into ``allergens`` are moved to ``tags`` with a warning,
the one fix the importer makes on its own (old systems stored "vegan" as an allergen).

JSON and the API spell the two-word fields in camelCase (``mayContain``, ``allergensDeclared``, as
the public menu does), CSV headers in snake_case (``may_contain``, ``allergens_declared``); rows
use the model's names. A row without ``allergensDeclared`` is declared iff it lists allergens
(SPEC §9): the rule the data migration applied to dishes written before the field existed.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError

from menu.vocabulary import (
    DIET_TAG_SET,
    check_diet_conflicts,
    clean_allergens,
    clean_may_contain,
    clean_tags,
)
from tenants.validators import validate_storable_text

FORMATS = ("json", "csv")
# The CSV header's names (snake_case), which are also the rows' (and the model's) names.
COLUMNS = (
    "name",
    "description",
    "price",
    "category",
    "allergens",
    "may_contain",
    "allergens_declared",
    "tags",
    "available",
)
# How JSON (files and the API) spells the fields whose CSV names have two words.
JSON_NAMES = {"may_contain": "mayContain", "allergens_declared": "allergensDeclared"}
_FROM_JSON = {json_name: name for name, json_name in JSON_NAMES.items()}
REQUIRED_COLUMNS = ("name", "price")
# Fields a client may send back from ``GET /api/v1/menu``; a whole-menu write ignores them
# (ids are the server's, positions follow the order of the items).
READ_ONLY_FIELDS = frozenset({"id", "position"})
LIST_SEPARATOR = ";"
MAX_ITEMS = 5000
MAX_NAME = 200
MAX_CATEGORY = 100
MAX_DESCRIPTION = 5000
MAX_PRICE = Decimal("99999999.99")  # max_digits=10, decimal_places=2
MAX_POSITION = 2_147_483_647

_TRUE = {"true", "yes", "1", "y"}
_FALSE = {"false", "no", "0", "n"}
# Spellings of diet tags seen in allergen columns, beyond the canonical slugs. Only exact
# equivalents: "lactose-free" is not "dairy-free", so it stays an (unknown allergen) error.
_DIET_ALIASES = {
    "glutenfree": "gluten-free",
    "gluten-fri": "gluten-free",
    "dairyfree": "dairy-free",
    "veggie": "vegetarian",
    "vegetarisk": "vegetarian",
    "vegansk": "vegan",
}


@dataclass(frozen=True)
class Issue:
    """One problem (or warning) found in the input, located as precisely as we can."""

    field: str
    message: str
    line: int | None = None
    item: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def __str__(self) -> str:
        where = []
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.item is not None:
            where.append(f"item {self.item}")
        place = ", ".join(where) or "file"
        return (
            f"{place}: {self.field}: {self.message}" if self.field else f"{place}: {self.message}"
        )


@dataclass(frozen=True)
class MenuRow:
    """One valid, normalised menu item as the file describes it."""

    name: str
    price: Decimal
    description: str = ""
    category: str = ""
    allergens: tuple[str, ...] = ()
    may_contain: tuple[str, ...] = ()
    allergens_declared: bool = False
    tags: tuple[str, ...] = ()
    available: bool = True
    line: int | None = None
    item: int | None = None

    @property
    def key(self) -> str:
        """Items are matched by name, case-insensitively."""
        return name_key(self.name)


@dataclass
class ImportReport:
    """The outcome of validating a whole menu: rows when valid, otherwise errors."""

    rows: list[MenuRow] = field(default_factory=list)
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def name_key(name: str) -> str:
    return name.strip().casefold()


def parse_menu(data: bytes | str, fmt: str) -> ImportReport:
    """Validate a JSON or CSV menu file's content (``fmt`` is ``json`` or ``csv``)."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")  # Excel writes a BOM
        except UnicodeDecodeError as exc:
            return ImportReport(errors=[Issue("", f"The file is not UTF-8 text ({exc.reason}).")])
    elif data.startswith("\ufeff"):
        data = data[1:]
    if fmt == "json":
        return _parse_json(data)
    if fmt == "csv":
        return _parse_csv(data)
    raise ValueError(f"unknown format {fmt!r}")


def format_for_filename(filename: str) -> str | None:
    """``json``/``csv`` from a file name's extension, or None."""
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    return suffix if suffix in FORMATS else None


def validate_menu_document(document: Any, *, lines: list[int | None] | None = None) -> ImportReport:
    """Validate an already-parsed JSON menu document ``{"items": [...]}``."""
    if not isinstance(document, dict):
        return ImportReport(errors=[Issue("", 'Expected an object like {"items": [...]}.', 1)])
    unknown = sorted(set(document) - {"items"})
    if unknown:
        return ImportReport(
            errors=[Issue(unknown[0], 'Unknown top-level key: only "items" is allowed.', 1)]
        )
    items = document.get("items")
    if not isinstance(items, list):
        return ImportReport(errors=[Issue("items", "Required: a list of menu items.", 1)])
    lines = lines or []
    located = [(i, lines[i] if i < len(lines) else None, raw) for i, raw in enumerate(items)]
    return _validate_records(located, typed=True)


def validate_item_fields(
    raw: Any, *, partial: bool = False, allow_position: bool = True
) -> tuple[dict[str, Any], list[Issue], list[Issue]]:
    """Validate one item object from the API: (cleaned fields, errors, warnings).

    With ``partial`` only the fields present are checked and returned (PATCH).
    """
    if not isinstance(raw, dict):
        return {}, [Issue("", "Expected a JSON object describing one menu item.")], []
    extra = {"position"} if allow_position else set()
    return _clean_fields(raw, typed=True, partial=partial, extra=extra)


# --- JSON ---------------------------------------------------------------------------------------
def _parse_json(text: str) -> ImportReport:
    try:
        document = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        return ImportReport(
            errors=[Issue("", f"Malformed JSON: {exc.msg} (column {exc.colno}).", exc.lineno)]
        )
    except ValueError as exc:  # e.g. an integer longer than Python converts (4300 digits)
        return ImportReport(errors=[Issue("", f"Unreadable JSON: {exc}.", None)])
    except RecursionError:
        return ImportReport(errors=[Issue("", "Malformed JSON: nested too deeply.")])
    return validate_menu_document(document, lines=_item_lines(text))


def _item_lines(text: str) -> list[int | None]:
    """The line on which each element of the top-level ``items`` array starts (best effort)."""
    decoder = json.JSONDecoder()
    ws = re.compile(r"[ \t\n\r]*")

    def skip(pos: int) -> int:
        return ws.match(text, pos).end()  # type: ignore[union-attr]

    try:
        pos = skip(0)
        if text[pos] != "{":
            return []
        pos = skip(pos + 1)
        while text[pos] != "}":
            key, pos = decoder.raw_decode(text, pos)
            pos = skip(pos)
            pos = skip(pos + 1)  # the colon
            if key == "items" and text[pos] == "[":
                starts: list[int | None] = []
                pos = skip(pos + 1)
                while text[pos] != "]":
                    starts.append(text.count("\n", 0, pos) + 1)
                    _, pos = decoder.raw_decode(text, pos)
                    pos = skip(pos)
                    if text[pos] == ",":
                        pos = skip(pos + 1)
                return starts
            _, pos = decoder.raw_decode(text, pos)
            pos = skip(pos)
            if text[pos] == ",":
                pos = skip(pos + 1)
    except (ValueError, IndexError, RecursionError):
        pass
    return []


# --- CSV ----------------------------------------------------------------------------------------
def _parse_csv(text: str) -> ImportReport:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
    except csv.Error as exc:
        return ImportReport(errors=[Issue("", f"Malformed CSV: {exc}.", 1)])
    if not header or not any(h.strip() for h in header):
        return ImportReport(
            errors=[Issue("", f"Missing header row: expected {', '.join(COLUMNS)}.", 1)]
        )
    columns = [h.strip().lower() for h in header]
    errors = []
    unknown = [c for c in columns if c not in COLUMNS]
    if unknown:
        errors.append(
            Issue(
                unknown[0],
                f"Unknown column {', '.join(repr(c) for c in unknown)}; "
                f"the columns are {', '.join(COLUMNS)}.",
                1,
            )
        )
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        errors.append(Issue(missing[0], f"Missing column {', '.join(missing)}.", 1))
    duplicated = sorted({c for c in columns if columns.count(c) > 1})
    if duplicated:
        errors.append(Issue(duplicated[0], "Column appears more than once.", 1))
    if errors:
        return ImportReport(errors=errors)

    located: list[tuple[int | None, int | None, Any]] = []
    row_errors: list[Issue] = []
    line = reader.line_num + 1
    try:
        for record in reader:
            start, line = line, reader.line_num + 1
            if not any(cell.strip() for cell in record):
                continue  # blank lines are not items
            if len(record) != len(columns):
                row_errors.append(
                    Issue("", f"Expected {len(columns)} cells, found {len(record)}.", start)
                )
                continue
            located.append((None, start, dict(zip(columns, record, strict=True))))
    except csv.Error as exc:
        row_errors.append(Issue("", f"Malformed CSV: {exc}.", reader.line_num))
    report = _validate_records(located, typed=False)
    report.errors = sorted(row_errors + report.errors, key=lambda i: i.line or 0)
    return report


# --- Records ------------------------------------------------------------------------------------
def _validate_records(located: list[tuple[int | None, int | None, Any]], *, typed: bool):
    report = ImportReport()
    if len(located) > MAX_ITEMS:
        report.errors.append(Issue("items", f"At most {MAX_ITEMS} items per menu."))
        return report
    seen: dict[str, tuple[int | None, int | None]] = {}
    for index, line, raw in located:
        if not isinstance(raw, dict):
            report.errors.append(Issue("", "Expected an object describing one item.", line, index))
            continue
        cleaned, errors, warnings = _clean_fields(raw, typed=typed, partial=False, extra=set())
        place = {"line": line, "item": index}
        report.errors += [Issue(e.field, e.message, **place) for e in errors]
        report.warnings += [Issue(w.field, w.message, **place) for w in warnings]
        if errors:
            continue
        row = MenuRow(**cleaned, **place)
        if row.key in seen:
            first_line, first_item = seen[row.key]
            first = f"line {first_line}" if first_line is not None else f"item {first_item}"
            report.errors.append(
                Issue("name", f"Duplicate name {row.name!r} (first at {first}).", **place)
            )
            continue
        seen[row.key] = (line, index)
        report.rows.append(row)
    if report.errors:
        report.rows = []
    return report


def _unstorable(text: str) -> str | None:
    """Why the database could not store ``text`` faithfully (NUL, lone surrogates), if so."""
    try:
        validate_storable_text(text)
    except ValidationError as exc:
        return exc.messages[0]
    return None


def _clean_fields(
    raw: dict[str, Any], *, typed: bool, partial: bool, extra: set[str]
) -> tuple[dict[str, Any], list[Issue], list[Issue]]:
    """Check each field of one item; ``typed`` is JSON (real types), else CSV (all strings)."""
    errors: list[Issue] = []
    warnings: list[Issue] = []
    cleaned: dict[str, Any] = {}
    allowed = set(COLUMNS) | extra
    if typed:
        allowed = {JSON_NAMES.get(name, name) for name in allowed}
    for key in raw:
        if key not in allowed and key not in READ_ONLY_FIELDS:
            spelt = JSON_NAMES.get(key) if typed else _FROM_JSON.get(key)
            hint = f" Did you mean {spelt}?" if spelt else ""
            errors.append(Issue(str(key), f"Unknown field.{hint}"))
    outer_errors: list[Issue] = []
    if typed:  # from here on, the rows' names; issues are reported under the JSON names
        raw = {_FROM_JSON.get(key, key): value for key, value in raw.items() if key in allowed}
        outer_errors, errors = errors, []

    def present(name: str) -> bool:
        return name in raw and not (not typed and raw[name] == "" and name in REQUIRED_COLUMNS)

    # name
    if present("name"):
        name = raw["name"]
        if not isinstance(name, str) or not name.strip():
            errors.append(Issue("name", "Required: the dish's name as text."))
        elif len(name.strip()) > MAX_NAME:
            errors.append(Issue("name", f"At most {MAX_NAME} characters."))
        elif problem := _unstorable(name):
            errors.append(Issue("name", problem))
        else:
            cleaned["name"] = name.strip()
    elif not partial:
        errors.append(Issue("name", "Required: the dish's name."))

    # price
    if present("price"):
        price, problem = _clean_price(raw["price"], typed=typed)
        if problem:
            errors.append(Issue("price", problem))
        else:
            cleaned["price"] = price
    elif not partial:
        errors.append(Issue("price", "Required: a price such as 12.50."))

    # description, category
    for name, limit in (("description", MAX_DESCRIPTION), ("category", MAX_CATEGORY)):
        if name not in raw:
            continue
        value = raw[name]
        if value is None and typed:
            value = ""
        if not isinstance(value, str):
            errors.append(Issue(name, "Must be text."))
        elif len(value.strip()) > limit:
            errors.append(Issue(name, f"At most {limit} characters."))
        elif problem := _unstorable(value):
            errors.append(Issue(name, problem))
        else:
            cleaned[name] = value.strip()

    # allergens, may_contain and tags
    allergens = _list_field(raw, "allergens", typed, errors)
    may_contain = _list_field(raw, "may_contain", typed, errors)
    tags = _list_field(raw, "tags", typed, errors)
    if allergens is not None:
        diets = [(word, _diet_word(word)) for word in allergens]
        moved = [diet for _, diet in diets if diet]
        if moved:
            words = ", ".join(repr(word) for word, diet in diets if diet)
            warnings.append(
                Issue("allergens", f"{words} is a diet, not an allergen: moved to tags.")
            )
            tags = [*(tags or []), *moved]
        try:
            cleaned["allergens"] = tuple(clean_allergens([w for w, d in diets if not d]))
        except ValidationError as exc:
            errors.append(Issue("allergens", " ".join(exc.messages)))
    if may_contain is not None:
        try:
            contained = cleaned.get("allergens", ())
            cleaned["may_contain"] = tuple(clean_may_contain(may_contain, allergens=contained))
        except ValidationError as exc:
            errors.append(Issue("may_contain", " ".join(exc.messages)))
    if tags is not None:
        try:
            cleaned["tags"] = tuple(clean_tags(tags))
        except ValidationError as exc:
            errors.append(Issue("tags", " ".join(exc.messages)))
    if "tags" in cleaned and "allergens" in cleaned:  # else the service checks the whole item
        try:
            check_diet_conflicts(tags=cleaned["tags"], allergens=cleaned["allergens"])
        except ValidationError as exc:
            errors.append(Issue("tags", " ".join(exc.messages)))

    # allergens_declared: absent = declared iff allergens are listed (SPEC §9)
    if "allergens_declared" in raw:
        declared = _clean_bool(raw["allergens_declared"], typed=typed, empty=None)
        if declared is _INVALID:
            errors.append(Issue("allergens_declared", "Must be true or false."))
        elif declared is not None:
            cleaned["allergens_declared"] = declared
    if "allergens_declared" not in cleaned and not partial:
        cleaned["allergens_declared"] = bool(cleaned.get("allergens"))

    # available
    if "available" in raw:
        available = _clean_bool(raw["available"], typed=typed, empty=True)
        if available is _INVALID:
            errors.append(Issue("available", "Must be true or false."))
        else:
            cleaned["available"] = available

    # position (single-item API only)
    if "position" in extra and "position" in raw:
        value = raw["position"]
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_POSITION:
            errors.append(Issue("position", "Must be a whole number ≥ 0."))
        else:
            cleaned["position"] = value
    if typed:
        errors = outer_errors + [
            Issue(JSON_NAMES.get(e.field, e.field), e.message, e.line, e.item) for e in errors
        ]
    return cleaned, errors, warnings


_INVALID = object()


def _clean_bool(value: Any, *, typed: bool, empty: bool | None) -> Any:
    """A JSON boolean, or a CSV cell (true/false/yes/no/1/0; blank = ``empty``); else _INVALID."""
    if typed:
        return value if isinstance(value, bool) else _INVALID
    text = value.strip().lower()
    if text == "":
        return empty
    if text in _TRUE | _FALSE:
        return text in _TRUE
    return _INVALID


def _clean_price(value: Any, *, typed: bool) -> tuple[Decimal | None, str | None]:
    if typed and (isinstance(value, bool) or not isinstance(value, str | int | Decimal | float)):
        return None, "Must be a number or a string such as 12.50."
    text = str(value).strip()
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", text):
        return None, f"Not a price: {text[:40]!r}; write it like 12.50."
    try:
        price = Decimal(text)
    except InvalidOperation:
        return None, f"Not a price: {text[:40]!r}."
    if price < 0:
        return None, "Must not be negative."
    if price > MAX_PRICE:
        return None, f"At most {MAX_PRICE}."
    if price != price.quantize(Decimal("0.01")):
        return None, "At most 2 decimals."
    return price.quantize(Decimal("0.01")), None


def _list_field(raw: dict[str, Any], name: str, typed: bool, errors: list[Issue]):
    if name not in raw:
        return None
    value = raw[name]
    if typed:
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            errors.append(Issue(name, "Must be a list of words."))
            return None
        return [v for v in value if v.strip()]
    return [part.strip() for part in value.split(LIST_SEPARATOR) if part.strip()]


def _diet_word(word: str) -> str | None:
    """The diet tag a word in an allergen list stands for, if it is one."""
    slug = re.sub(r"[\s_]+", "-", word.strip().lower())
    if slug in DIET_TAG_SET:
        return slug
    return _DIET_ALIASES.get(slug)
