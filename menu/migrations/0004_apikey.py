# The menu app takes over ApiKey from tenants (the keys serve the /api/v1/ menu API). Only
# Django's state moves: the table tenants_apikey and every row stay where they are.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("menu", "0003_may_contain_and_allergens_declared"),
        ("tenants", "0005_opening_hours_as_data"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ApiKey",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("name", models.CharField(help_text="What uses the key, e.g. “Till sync”.", max_length=100)),
                        ("prefix", models.CharField(editable=False, max_length=16, unique=True)),
                        ("secret_hash", models.CharField(editable=False, max_length=64)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("last_used_at", models.DateTimeField(blank=True, editable=False, null=True)),
                        ("revoked_at", models.DateTimeField(blank=True, editable=False, null=True)),
                        ("created_by", models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                        ("restaurant", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="api_keys", to="tenants.restaurant")),
                    ],
                    options={
                        "db_table": "tenants_apikey",
                        "verbose_name": "API key",
                        "ordering": ["restaurant", "name", "-created_at"],
                        "constraints": [models.UniqueConstraint(condition=models.Q(("revoked_at__isnull", True)), fields=("restaurant", "name"), name="unique_active_api_key_name")],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
