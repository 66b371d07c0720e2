from django.apps import AppConfig


class OperatorsConfig(AppConfig):
    name = "operators"
    verbose_name = "Operators"

    def ready(self) -> None:
        from operators import blocking  # noqa: F401  (signal receivers)
        from operators.audit import register_audited_models

        register_audited_models()
