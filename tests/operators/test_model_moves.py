"""Moving models between apps keeps every row: the migrations run forward on a populated database.

Runs on whatever database the suite uses (CI: PostgreSQL, then SQLite).
"""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType  # its table is the same throughout
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE_THE_MOVE = [
    ("tenants", "0005_opening_hours_as_data"),
    ("menu", "0003_may_contain_and_allergens_declared"),
    ("operators", None),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state([t for t in targets if t[1] is not None]).apps


def _latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_moving_blocks_actions_and_api_keys_keeps_every_row_and_its_content_type():
    old = _migrate(BEFORE_THE_MOVE)
    restaurant = old.get_model("tenants", "Restaurant").objects.create(public_id="bella", name="B")
    old.get_model("tenants", "ApiKey").objects.create(
        restaurant=restaurant, name="Till", prefix="abc123", secret_hash="0" * 64
    )
    old.get_model("tenants", "BlockedIP").objects.create(
        network="203.0.113.7/32", reason="abuse", created_by="ops"
    )
    old.get_model("tenants", "OperatorAction").objects.create(command="block_ip", actor="ops")
    before = {
        model: ContentType.objects.get_or_create(app_label="tenants", model=model)[0].pk
        for model in ("apikey", "blockedip", "operatoraction")
    }

    new = _migrate(_latest())

    assert new.get_model("menu", "ApiKey").objects.get().name == "Till"
    assert new.get_model("operators", "BlockedIP").objects.get().network == "203.0.113.7/32"
    assert new.get_model("operators", "OperatorAction").objects.get().command == "block_ip"
    after = {
        model: ContentType.objects.get(app_label=app_label, model=model).pk
        for model, app_label in (
            ("apikey", "menu"),
            ("blockedip", "operators"),
            ("operatoraction", "operators"),
        )
    }
    assert after == before  # audit entries and permissions still point at the same rows
