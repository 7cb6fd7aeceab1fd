"""Installable, and today's session without signal: the web app manifest, the service
worker at the site's root, and the id the worker keys a runner's kept pages on.

The worker's code is static/js/sw.js; it is served here, from /sw.js, so that its scope is
the whole site (a script under /static/ could only control /static/), never cached by the
browser (a new version must be found on the next visit), with the list of static files it
keeps for offline use and a version made from their contents: a change to any of them is a
new worker, which takes over and drops what the old one kept.

The session cookie is HttpOnly, so nothing in the page or the worker can tell which runner
is signed in from it. Every page for a signed-in runner names them instead with
`offline_runner` (a keyed hash of their id: it says nothing about the account and cannot
be made up for another runner), and the worker keeps a runner's pages only under that
name, dropping them as soon as a page names someone else or no one (logged out).
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_safe

# Light and dark, as the stylesheet's --accent and --bg (static/css/footcare.css).
THEME_LIGHT = "#0f766e"
THEME_DARK = "#121614"
BACKGROUND_LIGHT = "#f7f7f4"
BACKGROUND_DARK = "#121614"
# Our own static folders the worker keeps, whole, and the libraries' files the pages load.
# The exercise drawings too: a kept exercise page shows its start and end positions offline.
KEPT_FOLDERS = ("css", "js", "img", "exercises/drawings")
KEPT_LIBRARY_FILES = ("django_htmx/htmx-2.min.js",)
WORKER_SOURCE = "js/sw.js"


def offline_runner(user) -> str:
    """The name the worker keeps this runner's pages under; "" for a visitor."""
    if not getattr(user, "is_authenticated", False):
        return ""
    return salted_hmac("footcare.offline.runner", str(user.pk), algorithm="sha256").hexdigest()[:32]


def context(request: HttpRequest) -> dict:
    """Template context: the runner's name for the worker, and the theme colours."""
    return {
        "offline_runner": offline_runner(getattr(request, "user", None)),
        "theme_light": THEME_LIGHT,
        "theme_dark": THEME_DARK,
    }


@require_safe
@cache_control(max_age=24 * 3600)
def manifest(request: HttpRequest) -> JsonResponse:
    """The web app manifest: what a phone needs to install Footcare and open it on today."""
    body = {
        "name": "Footcare",
        "short_name": "Footcare",
        "description": "Foot, ankle and calf strength for runners: today's session, a plan, a log.",
        "id": "/",
        "start_url": reverse("log:today"),
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "lang": "en-GB",
        "theme_color": THEME_LIGHT,
        "background_color": BACKGROUND_LIGHT,
        # Chromium's colours for a dark system theme (the pages' meta theme-color says the
        # same, per prefers-color-scheme, for browsers that do not read this).
        "user_preferences": {
            "color_scheme_dark": {
                "theme_color": THEME_DARK,
                "background_color": BACKGROUND_DARK,
            }
        },
        "icons": [
            {"src": static("img/icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("img/icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": static("img/icons/maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    return JsonResponse(body, content_type="application/manifest+json")


def _kept_files() -> list[str]:
    """The static paths the worker keeps: our css, js and images, and the libraries' files."""
    kept = []
    for root in settings.STATICFILES_DIRS:
        for folder in KEPT_FOLDERS:
            for path in sorted((Path(root) / folder).rglob("*")):
                relative = path.relative_to(root).as_posix()
                if path.is_file() and relative != WORKER_SOURCE:
                    kept.append(relative)
    return kept + list(KEPT_LIBRARY_FILES)


def _worker_script() -> str:
    source_path = finders.find(WORKER_SOURCE)
    source = Path(source_path).read_text(encoding="utf-8")
    files = _kept_files()
    digest = hashlib.sha256(source.encode())
    for name in files:
        found = finders.find(name)
        if found:
            digest.update(name.encode())
            digest.update(Path(found).read_bytes())
    config = {
        "version": digest.hexdigest()[:16],
        "kept": [static(name) for name in files],
        "stylesheet": static("css/footcare.css"),
        "queue": static("js/offline-queue.js"),
        "today": reverse("log:today"),
    }
    return f"const FOOTCARE = {json.dumps(config)};\n{source}"


_cached_worker_script = cache(_worker_script)


@never_cache
@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, from the root so that it may control every page.

    Never cached by the browser: it asks again on each visit, and a changed file is a new
    worker at once. Its version hashes its files, so it is worked out once per process
    where the files cannot change (DEBUG off) and afresh on each request in development.
    """
    script = _worker_script() if settings.DEBUG else _cached_worker_script()
    response = HttpResponse(script, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    return response
