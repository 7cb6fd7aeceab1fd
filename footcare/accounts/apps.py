from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "footcare.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        # Registers the account and profile sections of the data export, and the signal
        # that gives every new runner a profile.
        from . import export_sections, signals  # noqa: F401
