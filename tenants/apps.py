from django.apps import AppConfig


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = "Restaurants"

    def ready(self) -> None:
        from tenants import cors, signals  # noqa: F401  (signal receivers)
