from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "footcare.accounts"
    label = "accounts"
    verbose_name = "Accounts"
