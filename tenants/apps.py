from django.apps import AppConfig


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = "Restaurants"

    def ready(self) -> None:
        from tenants import blocking, cors, signals  # noqa: F401  (signal receivers)
        from tenants.audit import register_audited_models

        register_audited_models()
