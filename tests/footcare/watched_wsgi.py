"""footcare.wsgi as deployed, with two headers for the tests that watch its processes:
which worker answered (X-Worker, its pid) and whether with a runner's kept page (X-Kept).

Nothing else differs: the kept page itself is footcare/page_cache.py's, unchanged."""

import os

from footcare import page_cache
from footcare.wsgi import application as footcare_application

_kept_response = page_cache.KeptPage.response


def _marked(page: page_cache.KeptPage, csrf_secret: str):
    response = _kept_response(page, csrf_secret)
    response["X-Kept"] = "1"
    return response


page_cache.KeptPage.response = _marked


def application(environ, start_response):
    def start(status, headers, exc_info=None):
        return start_response(status, [*headers, ("X-Worker", str(os.getpid()))], exc_info)

    return footcare_application(environ, start)
