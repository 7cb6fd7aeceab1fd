"""Writes that span several models."""

from django.db import transaction

from .models import User


@transaction.atomic
def runner_delete(*, user: User) -> None:
    """Delete the runner's account and everything it owns.

    Everything a runner owns hangs off the user with `on_delete=CASCADE` (their profile,
    allauth's email addresses, and the plans and logs to come), so deleting the user takes
    it all in one transaction: either the whole account goes, or nothing does.
    """
    user.delete()
