"""The sharing app's section of the runner's data export (the links, not their tokens)."""

from __future__ import annotations

from footcare.accounts.exports import export_section

from .models import ShareLink


@export_section("shared_links")
def shared_links_for_export(user) -> list[dict]:
    return [link.as_export() for link in ShareLink.objects.filter(owner=user).order_by("pk")]
