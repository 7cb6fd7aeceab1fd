"""Writes that span several models."""

from datetime import date
from uuid import UUID

from django.db import IntegrityError, transaction

from .models import CalfRaiseTest, User


@transaction.atomic
def runner_delete(*, user: User) -> None:
    """Delete the runner's account and everything it owns.

    Everything a runner owns hangs off the user with `on_delete=CASCADE` (their profile,
    allauth's email addresses, and the plans and logs to come), so deleting the user takes
    it all in one transaction: either the whole account goes, or nothing does.
    """
    user.delete()


def calf_raise_test_save(
    *, user: User, tested_on: date, surface: str, left: int, right: int, token: UUID | None
) -> tuple[CalfRaiseTest, bool]:
    """Save a calf test once: the same form posted twice, or twice at once, makes one row."""
    fields = {"tested_on": tested_on, "surface": surface, "left": left, "right": right}
    if token is None:
        return CalfRaiseTest.objects.create(user=user, **fields), True
    try:
        with transaction.atomic():
            return CalfRaiseTest.objects.get_or_create(
                user=user, creation_token=token, defaults=fields
            )
    except IntegrityError:  # the twin committed between the look-up and the insert
        return CalfRaiseTest.objects.get(user=user, creation_token=token), False
