"""Validation of tenant settings: origins, rates, currencies, colours, time zones."""

from __future__ import annotations

import re
import zoneinfo
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError

_PUBLIC_ID = re.compile(r"[-a-zA-Z0-9_]{1,64}")  # the shape of Restaurant.public_id (a slug)
_RATE = re.compile(r"^([1-9]\d*)/(\d*)([smhd]?)$")
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_HOST = re.compile(
    r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$"
)
_DEFAULT_PORTS = {"http": 80, "https": 443}


def normalise_origin(value: str) -> str:
    """Return ``scheme://host[:port]`` in canonical form, or raise ValidationError.

    Lower-cases scheme and host, converts international domain names to their ASCII (IDNA) form,
    drops a default port and a trailing slash, and refuses paths, queries, credentials and
    wildcards — browsers send exactly this form in the ``Origin`` header.
    """
    raw = (value or "").strip()
    if raw.endswith("/"):
        raw = raw[:-1]
    try:
        parts = urlsplit(raw)
        port = parts.port
    except ValueError as exc:
        raise ValidationError(f"“{value}” is not a valid origin: {exc}.", code="invalid") from exc
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        raise ValidationError(
            f"“{value}” must start with https:// or http:// (for example https://bella.example).",
            code="invalid",
        )
    if parts.path or parts.query or parts.fragment or parts.username or parts.password:
        raise ValidationError(
            f"“{value}” must be only scheme://host[:port], with no path, query or login.",
            code="invalid",
        )
    host = (parts.hostname or "").lower()
    try:
        host = host.encode("idna").decode("ascii") if host else host
    except UnicodeError as exc:
        raise ValidationError(f"“{value}” has an invalid host name.", code="invalid") from exc
    is_ipv6 = ":" in host
    if not host or (not is_ipv6 and not _HOST.match(host)):
        raise ValidationError(f"“{value}” has an invalid host name.", code="invalid")
    netloc = f"[{host}]" if is_ipv6 else host
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        netloc = f"{netloc}:{port}"
    return f"{scheme}://{netloc}"


def validate_rate(value: str) -> None:
    """A django-ratelimit rate such as ``10/30s``, ``3/s`` or ``100/h``."""
    if value and not _RATE.match(value):
        raise ValidationError(
            f"“{value}” is not a rate: write COUNT/PERIOD such as 10/30s, 3/s or 100/h.",
            code="invalid",
        )


def validate_brand_color(value: str) -> None:
    if value and not _COLOR.match(value):
        raise ValidationError("Brand colour must be a hex colour such as #b5651d.", code="invalid")


def validate_currency(value: str) -> None:
    if not _CURRENCY.match(value or ""):
        raise ValidationError(
            "Currency must be a three-letter ISO 4217 code in capitals, such as SEK or EUR.",
            code="invalid",
        )


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            f"“{value}” is not a known time zone (for example Europe/Stockholm).", code="invalid"
        )


def validate_storable_text(value: str) -> None:
    """Refuse text no database can store faithfully: NUL characters and lone surrogates."""
    if not isinstance(value, str):
        return
    if "\x00" in value:
        raise ValidationError("Text must not contain NUL characters.", code="null_characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValidationError("Text contains invalid Unicode.", code="invalid_unicode") from exc


def is_public_id(value: object) -> bool:
    """Whether ``value`` has the shape of a restaurant id; anything else names no restaurant."""
    return isinstance(value, str) and _PUBLIC_ID.fullmatch(value) is not None
