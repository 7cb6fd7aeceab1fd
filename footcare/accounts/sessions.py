"""A database session engine that records whose session it is (see RunnerSession)."""

from typing import Any

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore

from .models import RunnerSession


class SessionStore(DatabaseSessionStore):
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
