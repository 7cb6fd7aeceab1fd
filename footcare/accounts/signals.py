from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import RunnerProfile, User


@receiver(post_save, sender=User)
def give_every_new_user_a_profile(
    sender: type[User], instance: User, created: bool, raw: bool, **kwargs: Any
) -> None:
    # The one place profiles are made: with the user, however the user is made (signup,
    # createsuperuser, the admin, a test). Pages then only ever read a profile: a GET never
    # writes. Users from before this rule got theirs in migration 0004.
    if created and not raw:
        RunnerProfile.objects.create(user=instance)
