"""A read-only link to a runner's plan, log and pain: a long random token in the address,
an expiry, a label that says whom it is for, and revocable at once."""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from footcare.text import LINE_VALIDATORS

EXPIRY_CHOICES = [
    (7, "1 week"),
    (14, "2 weeks"),
    (30, "1 month"),
    (91, "3 months"),
    (182, "6 months"),
]
WEEKS_CHOICES = [(2, "2 weeks"), (4, "4 weeks"), (8, "8 weeks"), (12, "12 weeks")]


def new_share_token() -> str:
    # 256 bits from the OS's generator: the address is the link's only protection.
    return secrets.token_urlsafe(32)


class ShareLinkQuerySet(models.QuerySet["ShareLink"]):
    def live(self, now: datetime.datetime | None = None) -> ShareLinkQuerySet:
        return self.filter(revoked_at__isnull=True, expires_at__gt=now or timezone.now())


class ShareLink(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="share_links"
    )
    token = models.CharField(max_length=64, unique=True, default=new_share_token, editable=False)
    label = models.CharField(
        "who it is for",
        max_length=80,
        validators=LINE_VALIDATORS,
        help_text="Only you see this, to tell your links apart: “Dr Okafor, physio”.",
    )
    weeks = models.PositiveSmallIntegerField(
        "log to show", choices=WEEKS_CHOICES, default=4, help_text="The most recent weeks."
    )
    show_plan = models.BooleanField("show your active plan", default=True)
    show_log = models.BooleanField("show your log", default=True)
    show_pain = models.BooleanField("show your pain and check-ins", default=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_opened_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The hidden token of the form that made it: the same submission again finds this one.
    creation_token = models.UUIDField(null=True, blank=True, editable=False)

    objects = ShareLinkQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "creation_token"], name="sharing_link_made_once"
            ),
            models.CheckConstraint(
                condition=Q(weeks__in=[value for value, _ in WEEKS_CHOICES]),
                name="sharing_weeks_valid",
            ),
        ]
        indexes = [models.Index(fields=["owner", "-created_at"], name="sharing_owner_idx")]

    def __str__(self) -> str:
        return f"{self.label} ({self.owner_id})"

    def get_absolute_url(self) -> str:
        return reverse("sharing:shared", kwargs={"token": self.token})

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    def as_export(self) -> dict:
        stamp = lambda value: value.isoformat() if value else None  # noqa: E731
        return {
            "label": self.label,
            "weeks": self.weeks,
            "shows": {"plan": self.show_plan, "log": self.show_log, "pain": self.show_pain},
            "created_at": stamp(self.created_at),
            "expires_at": stamp(self.expires_at),
            "revoked_at": stamp(self.revoked_at),
            "last_opened_at": stamp(self.last_opened_at),
        }
