"""Posting admin change forms back as a browser would."""

from __future__ import annotations

from datetime import time

from django import forms


def _put(data: dict, name: str, value: object) -> None:
    if isinstance(value, bool):
        if value:
            data[name] = "on"
    elif isinstance(value, time):
        data[name] = f"{value:%H:%M}"
    elif value is not None:
        data[name] = value


def change_form_data(response) -> dict:
    """The admin change form's current values, as the browser would post them back (a
    multi-part field, such as a day's opening hours, as its ``name_0``, ``name_1`` … inputs)."""
    form = response.context["adminform"].form
    data: dict = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if isinstance(field, forms.MultiValueField):
            parts = value if isinstance(value, list | tuple) else field.widget.decompress(value)
            for index, part in enumerate(parts):
                _put(data, f"{name}_{index}", part)
        else:
            _put(data, name, value)
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        for key in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"):
            data[f"{management.prefix}-{key}"] = management.initial.get(key, 0)
        data[f"{management.prefix}-TOTAL_FORMS"] = 0
        data[f"{management.prefix}-INITIAL_FORMS"] = 0
    return data
