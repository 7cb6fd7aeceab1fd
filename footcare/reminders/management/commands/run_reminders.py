"""The reminder worker: `manage.py run_reminders` sends due reminders every minute.

Production runs it as a second process beside gunicorn (one is enough; two or more are
safe, as each reminder is claimed in the database before it is sent). `make run` starts it
beside the development server. `--once` sends what is due now and stops (for cron).
"""

from __future__ import annotations

import logging
import signal
import threading

from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections

from footcare.reminders import services

log = logging.getLogger("footcare.reminders")


class Command(BaseCommand):
    help = "Send reminder emails on plan days, every minute until stopped (or --once)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--once", action="store_true", help="One pass, then stop.")
        parser.add_argument(
            "--interval", type=float, default=60.0, help="Seconds between passes (60)."
        )

    def handle(self, *args, once: bool = False, interval: float = 60.0, **options) -> None:
        stop = threading.Event()
        if not once:
            for signum in (signal.SIGTERM, signal.SIGINT):
                signal.signal(signum, lambda *_: stop.set())
            log.info("Reminder worker started; a pass every %ss.", interval)
        stuck = services.stuck()
        if stuck:
            log.warning(
                "%s reminder(s) were being sent when a worker stopped; they may have gone "
                "out, so they are not sent again.",
                stuck,
            )
        while True:
            close_old_connections()
            try:
                sent = services.send_due()
            except DatabaseError as error:
                # The database is away: the next pass tries again; nothing was sent.
                log.warning("Reminder pass skipped: %s", error)
                sent = 0
            if sent:
                log.info("Sent %s reminder(s).", sent)
            if once or stop.wait(interval):
                break
        close_old_connections()
