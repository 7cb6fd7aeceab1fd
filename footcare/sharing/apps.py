from django.apps import AppConfig


class SharingConfig(AppConfig):
    """Read-only links to a runner's plan, log and pain, for their physio or coach.

    Reads accounts, plans, the log and progress; nothing imports this app.
    """

    name = "footcare.sharing"
    label = "sharing"
    verbose_name = "Shared links"

    def ready(self) -> None:
        from . import export_sections  # noqa: F401
