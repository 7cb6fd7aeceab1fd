"""What day it is for the pages: one place, so the runner page cache and the views agree.

A runner's page kept by `footcare.page_cache` is served only on the day it was drawn for,
and that day is this function's: tests that move "today" move it here, for the views and
the cache alike.
"""

from datetime import date

from django.utils import timezone


def today() -> date:
    return timezone.localdate()
