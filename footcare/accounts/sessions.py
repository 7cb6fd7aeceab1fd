"""A session engine that records whose session it is (see RunnerSession), read through
the shared cache.

Django's cached_db engine: every save goes to the database (the row, with its user) and to
the cache; a read asks the cache first, so a signed-in page no longer spends a query on
its session. A session row deleted with its account takes its cached copy with it
(`forget_cached_session` below), so deletion still ends the session on every device.
"""

from typing import Any

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.cached_db import KEY_PREFIX
from django.contrib.sessions.backends.cached_db import SessionStore as CachedDatabaseSessionStore
from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from .models import RunnerSession


class SessionStore(CachedDatabaseSessionStore):
    @classmethod
    def get_model_class(cls) -> type[RunnerSession]:
        return RunnerSession

    def create_model_instance(self, data: dict[str, Any]) -> RunnerSession:
        session = super().create_model_instance(data)
        try:
            session.user_id = int(data[SESSION_KEY])
        except (KeyError, TypeError, ValueError):
            session.user_id = None
        return session


@receiver(post_delete, sender=RunnerSession)
def forget_cached_session(sender: type, instance: RunnerSession, **kwargs: Any) -> None:
    # Sent for each row, the cascade from a deleted account included.
    from django.conf import settings

    key = KEY_PREFIX + instance.session_key
    cache = caches[settings.SESSION_CACHE_ALIAS]
    cache.delete(key)
    # Once more after the commit: another device's request may have read the row, not yet
    # gone for it, back into the cache in between.
    transaction.on_commit(lambda: cache.delete(key))
