"""What day it is for the pages: one place, so that tests can move it for every view.

A runner's day is the day in their own time zone (`RunnerProfile.time_zone`):
`footcare.accounts.middleware.RunnerTimeZoneMiddleware` makes it Django's current time
zone for each of their requests, so `today()` (and `timezone.localdate()`, and dates shown
by templates) are theirs; outside a runner's request it is the site's (`TIME_ZONE`).

Tests that move "today" move it here.
"""

from __future__ import annotations

import zoneinfo
from datetime import date
from functools import cache

from django.conf import settings
from django.utils import timezone

BAD_TIME_ZONE = "Choose your time zone from the list."


def today() -> date:
    return timezone.localdate()


@cache
def time_zone_names() -> frozenset[str]:
    """The zones the system knows (it reads the disk: once per process)."""
    return frozenset(zoneinfo.available_timezones())


@cache
def time_zone_choices() -> tuple[tuple[str, str], ...]:
    """A choice for each zone, by name (once per process, as the names are)."""
    return tuple((name, name.replace("_", " ")) for name in sorted(time_zone_names()))


def site_time_zone() -> str:
    """The zone of a runner who has not chosen one, and of everything not a runner's."""
    return settings.TIME_ZONE


def zone_named(name: str) -> zoneinfo.ZoneInfo:
    """The zone called `name`, or the site's for a name the system does not know."""
    return zoneinfo.ZoneInfo(name if name in time_zone_names() else site_time_zone())
