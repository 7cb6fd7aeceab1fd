from django.apps import AppConfig


class RoutinesConfig(AppConfig):
    name = "routines"
    verbose_name = "Plans and logs"

    def ready(self) -> None:
        from . import exports  # noqa: F401
