from django.apps import AppConfig


class RoutinesConfig(AppConfig):
    """The one app the plans, the log and the progress were, kept for its migrations only.

    Its migrations made the tables that `plans`, `training` and `progress` now own (each
    model keeps its `routines_*` table); the last one hands the models over, state only.
    It has no models, views or URLs of its own.
    """

    name = "routines"
    verbose_name = "Routines (migrations only)"
