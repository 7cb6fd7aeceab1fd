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

        _follow_for_runner_pages()


def _follow_for_runner_pages() -> None:
    """What moves a runner's kept pages on (footcare.page_cache): their account, its
    addresses (a password reset or an address confirmed by a visitor's request) and
    their profile, whoever saves them."""
    from allauth.account.models import EmailAddress

    from footcare.page_cache import follow, follow_m2m

    from .models import CalfRaiseTest, RunnerProfile, User

    follow(User, lambda user: user.pk, moves=False)
    follow(EmailAddress, lambda address: address.user_id)
    follow(RunnerProfile, lambda profile: profile.user_id)
    follow(CalfRaiseTest, lambda test: test.user_id)
    for field in ("conditions", "hurting_now", "equipment"):
        follow_m2m(getattr(RunnerProfile, field).through, lambda profile: profile.user_id)
