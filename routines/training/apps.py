from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "routines.training"
    label = "training"
    verbose_name = "Workout log"

    def ready(self) -> None:
        from . import exports  # noqa: F401  (the data export's sections)
