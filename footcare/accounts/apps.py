from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "footcare.accounts"
    label = "accounts"
    # allauth's account app is already "Accounts" in the admin; two sections of one name
    # leave staff guessing which holds the users.
    verbose_name = "Runners and users"

    def ready(self) -> None:
        # Registers the account and profile sections of the data export, and the signal
        # that gives every new runner a profile.
        from . import export_sections, sessions, signals  # noqa: F401
