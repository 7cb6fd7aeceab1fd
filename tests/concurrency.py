"""Requests at the same moment, as a double click or two tabs send them.

Every form must survive being submitted twice at once: no 500, and nothing either
submission was told was saved may be lost. `double_submit` fires the same POST from copies
of a client (same session, so the same runner) in parallel threads; `at_once` runs any
callables together. Each thread has its own database connection, so the test needs
`@pytest.mark.django_db(transaction=True)` for the threads to see committed rows, and is
meant for PostgreSQL, where the requests really overlap (see `needs_parallel_database`).
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections
from django.http import HttpResponse
from django.test import Client

needs_parallel_database = pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason=(
        "SQLite's in-memory test database is shared between threads through one cache, "
        "where a second writer fails at once with 'database table is locked' instead of "
        "waiting: the test would measure that, not the app. Run with DATABASE_URL on PostgreSQL."
    ),
)


def at_once[T](*calls: Callable[[], T]) -> list[T]:
    """Run each call in its own thread, all released together; their results in order.

    An exception in any call is raised here, after every thread has finished.
    """
    start = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)
    errors: list[BaseException] = []

    def run(index: int, call: Callable[[], T]) -> None:
        try:
            start.wait(timeout=30)
            results[index] = call()
        except BaseException as error:  # handed to the test's thread below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    if errors:
        raise errors[0]
    return results


def copy_of(client: Client) -> Client:
    """Another client with the same session, answering a crash with a 500 as a server does."""
    twin = Client(raise_request_exception=False, **client.defaults)
    twin.cookies = copy.deepcopy(client.cookies)
    return twin


def double_submit(
    client: Client, path: str, data: dict[str, Any], *, times: int = 2, **extra: Any
) -> list[HttpResponse]:
    """POST `data` to `path` `times` times at once, as the runner behind `client`."""
    twins = [copy_of(client) for _ in range(times)]
    return at_once(*(lambda twin=twin: twin.post(path, data, **extra) for twin in twins))
