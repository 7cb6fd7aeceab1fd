"""The one authentication backend: allauth's, reading the runner's profile with the user.

Every signed-in request reads the user (Django's `get_user`) and then the profile (the
runner's time zone, `RunnerTimeZoneMiddleware`; the unit, the running week): one query
each. `get_user` here reads both in one. Passwords are checked exactly as by allauth's
backend (its adapter's throttling included); a failed check stops there, so the
allauth entry kept after this one in `AUTHENTICATION_BACKENDS` never checks a password a
second time. That entry is only there for sessions begun before this backend existed:
Django keeps the backend's path in the session, and a path no longer listed would sign
those runners out.
"""

from __future__ import annotations

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from .models import User


class RunnerBackend(AuthenticationBackend):
    def authenticate(self, request: HttpRequest | None, **credentials) -> User | None:
        user = super().authenticate(request, **credentials)
        if user is None:
            # Django's `authenticate` tries the next backend on None; stop it instead.
            raise PermissionDenied
        return user

    def get_user(self, user_id: int) -> User | None:
        try:
            user = (
                get_user_model()._default_manager.select_related("runner_profile").get(pk=user_id)
            )
        except get_user_model().DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
