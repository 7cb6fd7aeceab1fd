from typing import Any

from allauth.account.signals import user_signed_up
from django.dispatch import receiver
from django.http import HttpRequest

from .models import RunnerProfile, User


@receiver(user_signed_up)
def give_new_runner_a_profile(
    sender: type, request: HttpRequest, user: User, **kwargs: Any
) -> None:
    # Made here so the first profile page a runner opens is a read; for accounts made any
    # other way (createsuperuser, the admin) RunnerProfile.objects.for_runner makes it.
    RunnerProfile.objects.for_runner(user)
