"""Writes to menus. Every write that changes the public menu bumps the menu version."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max, QuerySet
from django.utils import timezone

from menu.importing import COLUMNS, MenuRow, name_key
from menu.models import MenuItem
from menu.vocabulary import clean_tags, diet_conflicts, normalise_tags
from tenants.models import Restaurant
from tenants.services import bump_menu_version


@transaction.atomic
def _retag(items: Iterable[MenuItem], retagged: dict[int, list[str]]) -> int:
    touched: dict[int, Restaurant] = {}
    changed = 0
    for item in items:
        new_tags = retagged[item.pk]
        if new_tags != item.tags:
            MenuItem.objects.filter(pk=item.pk).update(tags=new_tags, updated_at=timezone.now())
            touched[item.restaurant_id] = item.restaurant
            changed += 1
    for restaurant in touched.values():
        bump_menu_version(restaurant)
    return changed


def menu_items_add_tag(*, items: Iterable[MenuItem], tag: str) -> int:
    """Add ``tag`` to each item (e.g. mark a selection vegan); returns how many changed.

    All or nothing: if the tag is refused (a misspelt diet) or contradicts the allergens of any
    selected dish ("Pad thai: vegan, but contains crustaceans"), nothing changes and the
    ValidationError names every such dish.
    """
    items = list(items)
    (tag,) = clean_tags([tag]) or [""]
    retagged, refused = {}, []
    for item in items:
        retagged[item.pk] = normalise_tags([*item.tags, tag])
        conflicts = diet_conflicts(tags=[tag], allergens=item.allergens)
        refused += [f"{item.name}: {conflict}" for conflict in conflicts]
    if refused:
        raise ValidationError(
            f"Nothing was changed: {'; '.join(refused)}. Correct the allergens or leave these "
            "dishes out.",
            code="diet_conflict",
        )
    return _retag(items, retagged)


def menu_items_remove_tag(*, items: Iterable[MenuItem], tag: str) -> int:
    """Remove ``tag`` from each item; returns how many changed. Removing never contradicts
    anything, and works for any stored tag (it is how a misspelt diet tag is cleaned up)."""
    items = list(items)
    (tag,) = normalise_tags([tag]) or [""]
    return _retag(items, {i.pk: [t for t in normalise_tags(i.tags) if t != tag] for i in items})


# --- Whole-menu writes (import, admin upload, PUT /api/v1/menu) --------------------------------
#
# A whole-menu write bumps the menu version exactly once: rows are written with bulk_create /
# bulk_update and deleted with one queryset delete, then the version is bumped.

_ROW_FIELDS = COLUMNS  # a row's fields are the import format's columns
_LIST_FIELDS = ("allergens", "may_contain", "tags")


@dataclass
class MenuChanges:
    """What a whole-menu write changed (or, for a preview, would change)."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    unchanged: int = 0
    version: int | None = None

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted)

    def summary(self) -> str:
        return (
            f"{len(self.created)} created, {len(self.updated)} updated, "
            f"{len(self.deleted)} deleted, {self.unchanged} unchanged"
        )


@dataclass
class _Plan:
    changes: MenuChanges
    create: list[MenuItem]
    update: list[MenuItem]
    delete: list[MenuItem]


def _plan(*, restaurant: Restaurant, rows: Sequence[MenuRow], replace: bool) -> _Plan:
    existing = list(MenuItem.objects.filter(restaurant=restaurant).order_by("position", "id"))
    by_name: dict[str, MenuItem] = {}
    for item in existing:
        by_name.setdefault(name_key(item.name), item)  # duplicates: the first on the menu wins
    plan = _Plan(MenuChanges(), [], [], [])
    matched: set[int] = set()
    for position, row in enumerate(rows):
        values = {name: getattr(row, name) for name in _ROW_FIELDS}
        values.update({name: list(getattr(row, name)) for name in _LIST_FIELDS})
        item = by_name.get(row.key)
        if item is None:
            plan.create.append(MenuItem(restaurant=restaurant, position=position, **values))
            plan.changes.created.append(row.name)
            continue
        matched.add(item.pk)
        values["position"] = position
        if all(getattr(item, name) == value for name, value in values.items()):
            plan.changes.unchanged += 1
            continue
        for name, value in values.items():
            setattr(item, name, value)
        plan.update.append(item)
        plan.changes.updated.append(row.name)
    leftovers = [item for item in existing if item.pk not in matched]
    if replace:
        plan.delete = leftovers
        plan.changes.deleted = [item.name for item in leftovers]
    else:  # items the file does not mention keep their order, after the file's items
        for position, item in enumerate(leftovers, start=len(rows)):
            if item.position != position:
                item.position = position
                plan.update.append(item)
    return plan


def menu_import_preview(
    *, restaurant: Restaurant, rows: Sequence[MenuRow], replace: bool
) -> MenuChanges:
    """What ``menu_replace``/``menu_upsert`` would change, without writing anything."""
    return _plan(restaurant=restaurant, rows=rows, replace=replace).changes


@transaction.atomic
def _write_menu(*, restaurant: Restaurant, rows: Sequence[MenuRow], replace: bool) -> MenuChanges:
    # Lock the restaurant row so two whole-menu writes of one tenant run one after the other.
    Restaurant.objects.select_for_update().filter(pk=restaurant.pk).first()
    plan = _plan(restaurant=restaurant, rows=rows, replace=replace)
    now = timezone.now()
    if plan.delete:
        MenuItem.objects.filter(pk__in=[item.pk for item in plan.delete]).delete()
    if plan.update:
        for item in plan.update:
            item.updated_at = now
        MenuItem.objects.bulk_update(
            plan.update, [*_ROW_FIELDS, "position", "updated_at"], batch_size=500
        )
    if plan.create:
        MenuItem.objects.bulk_create(plan.create, batch_size=500)
    if plan.changes.changed or plan.update:
        bump_menu_version(restaurant)
    plan.changes.version = restaurant.menu_version
    return plan.changes


def menu_replace(*, restaurant: Restaurant, rows: Sequence[MenuRow]) -> MenuChanges:
    """Make the restaurant's menu exactly ``rows`` (others deleted), in one transaction."""
    return _write_menu(restaurant=restaurant, rows=rows, replace=True)


def menu_upsert(*, restaurant: Restaurant, rows: Sequence[MenuRow]) -> MenuChanges:
    """Update items matched by name (case-insensitive) and add the rest, in one transaction."""
    return _write_menu(restaurant=restaurant, rows=rows, replace=False)


# --- Single items (PUT/PATCH/POST/DELETE /api/v1/items) -----------------------------------------


class DuplicateItemName(ValueError):
    """Another item of the restaurant already has this name (names identify items on import)."""


def _ensure_unique_name(*, restaurant: Restaurant, name: str, exclude_pk: int | None) -> None:
    # Compared casefolded in Python: SQLite's iexact only folds ASCII, and menus are small.
    names = MenuItem.objects.filter(restaurant=restaurant).exclude(pk=exclude_pk)
    if any(name_key(other) == name_key(name) for other in names.values_list("name", flat=True)):
        raise DuplicateItemName(f"An item named {name!r} is already on the menu.")


@transaction.atomic
def menu_item_create(
    *,
    restaurant: Restaurant,
    name: str,
    price: Decimal,
    description: str = "",
    category: str = "",
    allergens: Sequence[str] = (),
    may_contain: Sequence[str] = (),
    allergens_declared: bool = False,
    tags: Sequence[str] = (),
    available: bool = True,
    position: int | None = None,
) -> MenuItem:
    """Add one item (at the end of the menu unless ``position`` is given); bumps the version.

    Raises ValidationError for invalid values, e.g. a diet tag its allergens contradict.
    """
    _ensure_unique_name(restaurant=restaurant, name=name, exclude_pk=None)
    if position is None:
        last = MenuItem.objects.filter(restaurant=restaurant).aggregate(Max("position"))
        position = (last["position__max"] + 1) if last["position__max"] is not None else 0
    item = MenuItem(
        restaurant=restaurant,
        name=name,
        price=price,
        description=description,
        category=category,
        allergens=list(allergens),
        may_contain=list(may_contain),
        allergens_declared=allergens_declared,
        tags=list(tags),
        available=available,
        position=position,
    )
    item.full_clean()
    return menu_item_save(item=item)


@transaction.atomic
def menu_make_room_at_end_of_section(*, restaurant: Restaurant, category: str) -> int:
    """The position for a new dish at the end of its section (``category``).

    Later sections move down one place to make room; a new section starts at the end of the menu.
    The caller saves the new item in the same transaction (which bumps the menu version once).
    """
    items = MenuItem.objects.filter(restaurant=restaurant)
    in_section = items.filter(category__iexact=category.strip()).aggregate(Max("position"))
    end_of_section = in_section["position__max"]
    if end_of_section is None:
        last = items.aggregate(Max("position"))["position__max"]
        return 0 if last is None else last + 1
    items.filter(position__gt=end_of_section).update(position=F("position") + 1)
    return end_of_section + 1


@transaction.atomic
def menu_item_update(*, item: MenuItem, **fields: object) -> MenuItem:
    """Change the given fields of one item; bumps the version when anything changed.

    The whole item is validated as it will be (ValidationError), so a change of ``allergens``
    alone is refused when it contradicts the item's diet tags.
    """
    allowed = {*_ROW_FIELDS, "position"}
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"unknown fields: {', '.join(sorted(unknown))}")
    if "name" in fields:
        _ensure_unique_name(
            restaurant=item.restaurant, name=str(fields["name"]), exclude_pk=item.pk
        )
    changed = []
    for name, value in fields.items():
        value = list(value) if name in _LIST_FIELDS else value  # type: ignore[call-overload]
        if getattr(item, name) != value:
            setattr(item, name, value)
            changed.append(name)
    if changed:
        untouched = {f.name for f in MenuItem._meta.fields} - set(changed)
        item.full_clean(exclude=untouched)
        item.save(update_fields=[*changed, "updated_at"])
        bump_menu_version(item.restaurant)
    return item


def menu_item_set_availability(*, item: MenuItem, available: bool) -> MenuItem:
    """Mark a dish sold out (or back); the public menu shows it on the next request."""
    return menu_item_update(item=item, available=available)


@transaction.atomic
def menu_item_save(*, item: MenuItem) -> MenuItem:
    """Save an item as it stands (the admin's form has set its fields); bumps the version."""
    item.save()
    bump_menu_version(item.restaurant)
    return item


def menu_item_delete(*, item: MenuItem) -> None:
    """Remove one item; bumps the version."""
    menu_items_delete(items=MenuItem.objects.filter(pk=item.pk))


@transaction.atomic
def menu_items_delete(*, items: QuerySet[MenuItem]) -> int:
    """Remove items (e.g. an admin bulk delete); one version bump per restaurant touched."""
    restaurant_ids = set(items.values_list("restaurant_id", flat=True))
    deleted, _ = items.delete()
    for restaurant in Restaurant.objects.filter(pk__in=restaurant_ids):
        bump_menu_version(restaurant)
    return deleted
