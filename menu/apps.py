from django.apps import AppConfig


class MenuConfig(AppConfig):
    name = "menu"
    verbose_name = "Menus"

    def ready(self) -> None:
        from menu import signals  # noqa: F401  (connects menu-version bumps on delete)
