"""Allowed origins are normalised and validated; rate-limit overrides are checked."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tenants.models import AllowedOrigin
from tenants.validators import normalise_origin, validate_rate


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("https://Bella.Example/", "https://bella.example"),
        ("https://bella.example:443", "https://bella.example"),
        ("http://localhost:8000", "http://localhost:8000"),
        ("https://café.example", "https://xn--caf-dma.example"),
        ("http://[::1]:8000", "http://[::1]:8000"),
    ],
)
def test_origins_are_normalised(raw, expected):
    assert normalise_origin(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "bella.example",
        "ftp://bella.example",
        "https://bella.example/menu",
        "https://*.example",
        "https://user:pw@bella.example",
        "https://",
        "https://bella.example:99999",
        "javascript:alert(1)",
    ],
)
def test_invalid_origins_are_refused(raw):
    with pytest.raises(ValidationError):
        normalise_origin(raw)


def test_origin_is_unique_per_restaurant_after_normalisation(bella):
    AllowedOrigin.objects.create(restaurant=bella, origin="https://bella.example")
    with pytest.raises(IntegrityError), transaction.atomic():
        AllowedOrigin.objects.create(restaurant=bella, origin="HTTPS://BELLA.EXAMPLE/")


@pytest.mark.parametrize("rate", ["10/30s", "3/s", "100/h", "5/m", "60/30"])
def test_valid_rates(rate):
    validate_rate(rate)


@pytest.mark.parametrize("rate", ["ten/30s", "10", "0/s", "10/30x", "/s"])
def test_invalid_rates(rate):
    with pytest.raises(ValidationError):
        validate_rate(rate)
