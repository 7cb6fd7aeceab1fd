"""Which runners are due a reminder now, and sending each exactly once at most.

A runner is due on a day when reminders are on by email, their active plan has work on
that weekday (their own calendar, `RunnerProfile.time_zone`), the wall-clock time there
has reached their reminder time, and nothing is logged as done that day. Each run of
`send_due()` looks at the moment it is given: the worker (`manage.py run_reminders`) calls
it every minute, so a reminder goes within a minute of its time, or later the same day if
the worker or the mail server was down. It never goes twice: see models.py.
"""

from __future__ import annotations

import datetime
import logging
import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from footcare import clock
from footcare.accounts.models import ReminderChannel, RunnerProfile, User
from routines.plans.models import PlanItem
from routines.training.models import WorkoutSession

from .models import Reminder, Status

log = logging.getLogger(__name__)

# After the mail server fails: try again after this many seconds (then every half hour).
RETRY_DELAYS = (60, 5 * 60, 15 * 60, 30 * 60)
UNSUBSCRIBE_SALT = "footcare.reminders.unsubscribe"


def site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def unsubscribe_token(user: User) -> str:
    """A signed token good for one thing only: turning this runner's reminders off."""
    return signing.dumps(user.pk, salt=UNSUBSCRIBE_SALT, compress=True)


def user_of_unsubscribe_token(token: str) -> User | None:
    try:
        pk = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(pk, int):
        return None
    return User.objects.filter(pk=pk).first()


def unsubscribe(user: User) -> None:
    """Reminders off, whatever the channel (idempotent: a second click changes nothing)."""
    RunnerProfile.objects.filter(user=user, reminders_on=True).update(
        reminders_on=False, updated_at=timezone.now()
    )


def plan_day_items(owner: User, day: datetime.date) -> list[PlanItem]:
    return list(
        PlanItem.objects.filter(plan__owner=owner, plan__is_active=True, weekday=day.weekday())
        .select_related("exercise")
        .order_by("position", "pk")
    )


def day_done(owner: User, day: datetime.date) -> bool:
    sessions = WorkoutSession.objects.filter(owner=owner, date=day)
    return sessions.filter(
        Q(finished_at__isnull=False) | Q(pk__in=sessions.trained().values("pk"))
    ).exists()


@dataclass
class Due:
    profile: RunnerProfile
    day: datetime.date


def due(now: datetime.datetime) -> list[Due]:
    """Runners whose reminder time has come on their own calendar, by email, on a day
    their active plan has work on, not yet reminded (or whose retry is due) for that day.
    Whether the day is done is checked at sending."""
    profiles = (
        RunnerProfile.objects.filter(reminders_on=True, user__is_active=True)
        .exclude(reminder_channel=ReminderChannel.CALENDAR)
        .select_related("user")
    )
    found: list[Due] = []
    for profile in profiles:
        local = now.astimezone(clock.zone_named(profile.time_zone))
        # A time skipped by a clock going forward comes at the first minute after the gap.
        if local.time().replace(tzinfo=None) >= profile.reminder_time:
            found.append(Due(profile, local.date()))
    if not found:
        return []
    # Only plan days: one query for every due runner's active weekdays, so a runner with
    # nothing planned today costs no query of their own each minute.
    planned = set(
        PlanItem.objects.filter(
            plan__owner__in=[d.profile.user_id for d in found], plan__is_active=True
        )
        .values_list("plan__owner_id", "weekday")
        .distinct()
    )
    found = [d for d in found if (d.profile.user_id, d.day.weekday()) in planned]
    if not found:
        return []
    blocked = {
        (owner, day)
        for owner, day in Reminder.objects.filter(
            Q(status__in=[Status.SENDING, Status.SENT]) | Q(retry_at__gt=now),
            owner__in=[d.profile.user_id for d in found],
            day__in={d.day for d in found},
        ).values_list("owner_id", "day")
    }
    return [d for d in found if (d.profile.user_id, d.day) not in blocked]


def _claim(owner: User, day: datetime.date, now: datetime.datetime) -> Reminder | None:
    """The reminder's row, committed as SENDING by this worker; None if another has it."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                return Reminder.objects.create(
                    owner=owner, day=day, status=Status.SENDING, claimed_at=now
                )
        except IntegrityError:
            pass
        reminder = Reminder.objects.select_for_update().get(owner=owner, day=day)
        if reminder.status != Status.WAITING or (reminder.retry_at and reminder.retry_at > now):
            return None
        reminder.status = Status.SENDING
        reminder.attempts += 1
        reminder.claimed_at = now
        reminder.retry_at = None
        reminder.save(update_fields=["status", "attempts", "claimed_at", "retry_at"])
        return reminder


def reminder_email(profile: RunnerProfile, day: datetime.date, items: list[PlanItem]):
    user = profile.user
    token = unsubscribe_token(user)
    unsubscribe_url = site_url(reverse("reminders:unsubscribe", kwargs={"token": token}))
    context = {
        "name": profile.display_name,
        "day": day,
        "items": items,
        "today_url": site_url(reverse("log:today")),
        "settings_url": site_url(reverse("reminders:settings")),
        "unsubscribe_url": unsubscribe_url,
    }
    message = EmailMultiAlternatives(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}Today's foot and calf work",
        body=render_to_string("reminders/email.txt", context),
        to=[user.email],
        headers={
            # RFC 8058: a mail app's own Unsubscribe button posts to this, no login needed.
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            # The same id for the same runner and day, whatever the attempt.
            "X-Footcare-Reminder": f"{user.pk}-{day.isoformat()}",
        },
    )
    message.attach_alternative(render_to_string("reminders/email.html", context), "text/html")
    return message


def send_one(entry: Due, now: datetime.datetime) -> bool:
    """Send one runner's reminder for one day, if still due; True when the server took it."""
    user = entry.profile.user
    items = plan_day_items(user, entry.day)
    if not items or day_done(user, entry.day):
        return False
    reminder = _claim(user, entry.day, now)
    if reminder is None:
        return False
    # Committed: from here on a crash leaves SENDING, which nothing sends again.
    try:
        reminder_email(entry.profile, entry.day, items).send()
    except (smtplib.SMTPException, OSError) as error:
        # Nothing went out: the server refused it or could not be reached. Later, then.
        delay = RETRY_DELAYS[min(reminder.attempts, len(RETRY_DELAYS)) - 1]
        Reminder.objects.filter(pk=reminder.pk, status=Status.SENDING).update(
            status=Status.WAITING,
            retry_at=now + datetime.timedelta(seconds=delay),
            last_error=f"{type(error).__name__}: {error}"[:200],
        )
        log.warning("Reminder %s not sent (%s); retrying in %ss", reminder.pk, error, delay)
        return False
    Reminder.objects.filter(pk=reminder.pk).update(status=Status.SENT, sent_at=timezone.now())
    return True


def send_due(now: datetime.datetime | None = None) -> int:
    """Send every reminder due at `now`; how many the mail server took."""
    now = now or timezone.now()
    return sum(send_one(entry, now) for entry in due(now))


def stuck(now: datetime.datetime | None = None) -> int:
    """Reminders a worker claimed over 10 minutes ago and never marked: it died while
    sending. They may have gone out, so none is sent again; the worker logs how many."""
    now = now or timezone.now()
    return Reminder.objects.filter(
        status=Status.SENDING, claimed_at__lt=now - datetime.timedelta(minutes=10)
    ).count()
