"""manage.py purge_menu_cache — the runbook's "force cache invalidation"."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tenants.models import Restaurant
from tests.factories import MenuItemFactory
from tests.helpers import menu_url


def purge(*args: str) -> str:
    out = StringIO()
    call_command("purge_menu_cache", *args, stdout=out)
    return out.getvalue()


def test_purge_makes_a_change_made_behind_the_apps_back_visible(client, bella):
    MenuItemFactory(restaurant=bella, name="Soup")
    assert client.get(menu_url()).json()["restaurant"]["name"] == "Bella Napoli"
    # A raw UPDATE (a data fix in psql) bumps nothing: the cached menu stays.
    Restaurant.objects.filter(pk=bella.pk).update(name="Bella Fixed")
    assert client.get(menu_url()).json()["restaurant"]["name"] == "Bella Napoli"
    output = purge("bella")
    assert "Purged menu cache: bella" in output
    assert "1 menu(s) purged." in output
    assert client.get(menu_url()).json()["restaurant"]["name"] == "Bella Fixed"


def test_purge_all_names_every_restaurant(client, bella, roma):
    client.get(menu_url("bella"))
    client.get(menu_url("roma"))
    Restaurant.objects.update(phone="+46 0")
    output = purge("--all")
    assert "Purged menu cache: bella" in output
    assert "Purged menu cache: roma" in output
    assert "2 menu(s) purged." in output
    assert client.get(menu_url("roma")).json()["restaurant"]["phone"] == "+46 0"


def test_purge_of_an_unknown_id_fails_and_purges_nothing(client, bella):
    client.get(menu_url())
    Restaurant.objects.filter(pk=bella.pk).update(name="Changed")
    with pytest.raises(CommandError, match="Unknown restaurant id\\(s\\): nowhere"):
        purge("bella", "nowhere")
    assert client.get(menu_url()).json()["restaurant"]["name"] == "Bella Napoli"


def test_purge_needs_ids_or_all_but_not_both(bella):
    with pytest.raises(CommandError, match="--all"):
        purge()
    with pytest.raises(CommandError, match="not both"):
        purge("bella", "--all")


def test_purge_reports_a_cache_outage_as_an_error(bella, monkeypatch):
    from django.core.cache import cache

    def refuse(*args, **kwargs):
        raise ConnectionError("Redis is unreachable")

    monkeypatch.setattr(cache, "set_many", refuse)  # as django-redis does with Redis down
    with pytest.raises(CommandError, match="cache refused the purge"):
        purge("bella")
