from django.apps import AppConfig


class RemindersConfig(AppConfig):
    """Email reminders on plan days (the calendar feed's alarm is the plans app's).

    Reads accounts, plans and the log; nothing imports this app.
    """

    name = "footcare.reminders"
    label = "reminders"
    verbose_name = "Reminders"

    def ready(self) -> None:
        from . import export_sections  # noqa: F401
