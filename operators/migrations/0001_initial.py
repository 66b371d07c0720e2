# The operators app takes over BlockedIP and OperatorAction from tenants. Only Django's state
# moves: the tables (tenants_blockedip, tenants_operatoraction) and every row stay where they are.

import operators.models
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("tenants", "0005_opening_hours_as_data"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="BlockedIP",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("network", models.CharField(help_text="An IP address or CIDR network, e.g. 203.0.113.7 or 203.0.113.0/24.", max_length=64, unique=True, validators=[operators.models.validate_network])),
                        ("reason", models.CharField(max_length=300)),
                        ("created_by", models.CharField(help_text="Operator who added the block", max_length=150)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("expires_at", models.DateTimeField(blank=True, help_text="Empty = until removed by an operator.", null=True)),
                    ],
                    options={
                        "db_table": "tenants_blockedip",
                        "verbose_name": "blocked IP address or network",
                        "verbose_name_plural": "blocked IP addresses and networks",
                        "ordering": ["-created_at"],
                    },
                ),
                migrations.CreateModel(
                    name="OperatorAction",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("command", models.CharField(db_index=True, max_length=64)),
                        ("arguments", models.JSONField(blank=True, default=dict)),
                        ("actor", models.CharField(help_text="--actor, else the operating-system user", max_length=150)),
                        ("restaurant", models.CharField(blank=True, db_index=True, max_length=64)),
                        ("result", models.TextField(blank=True)),
                        ("created_at", models.DateTimeField(auto_now_add=True, db_index=True)),
                    ],
                    options={
                        "db_table": "tenants_operatoraction",
                        "ordering": ["-created_at", "-id"],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
