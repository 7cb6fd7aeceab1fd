from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ExercisesConfig(AppConfig):
    name = "exercises"
    verbose_name = "Exercise library"

    def ready(self) -> None:
        from . import signals

        post_migrate.connect(signals.search_index_install, sender=self)
