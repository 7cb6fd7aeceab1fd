from django.apps import AppConfig


class SharingConfig(AppConfig):
    """Read-only links to a runner's plan, log and pain, for their physio or coach.

    Reads accounts, plans, the log and progress; nothing imports this app.
    """

    name = "footcare.sharing"
    label = "sharing"
    verbose_name = "Shared links"

    def ready(self) -> None:
        from footcare.page_cache import follow

        from . import export_sections  # noqa: F401
        from .models import ShareLink

        # A link saved anywhere (the admin, the shell) moves its runner's kept pages on.
        follow(ShareLink, lambda link: link.owner_id)
