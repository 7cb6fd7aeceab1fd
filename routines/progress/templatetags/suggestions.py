"""The runner's suggestions drawn into a page of a lower app, in the same request.

`{% load suggestions %}{% suggestions_panel next_url=url %}` draws the `suggestions` partial of
`progress/_suggestions.html` for the signed-in runner, its forms coming back to `next_url` (a
page that answers GET: /today/ is also drawn from the POST addresses of its forms, with an
error). /today/ (training) draws it this way: a template may name a higher app's tag, as it
names its URLs, without the lower app importing it. Drawn inline, the suggestions cost one
request instead of two (the fragment paid the session, the user and the profile again);
the fragment view (`suggestions:panel`) stays for the refresh after a check-in.
"""

from __future__ import annotations

import logging

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from ..suggestions import suggestions_context

logger = logging.getLogger(__name__)
register = template.Library()


@register.simple_tag(takes_context=True)
def suggestions_panel(context: template.Context, next_url: str) -> SafeString:
    """The panel, with the published ladders the page has read already (its `ladders`), if
    it has. Should working them out fail, the page is still drawn, with a link to the
    suggestions on the progress page in their place: a part of /today/ must not take the
    session down with it (it was a fragment of its own before)."""
    request = context["request"]
    try:
        found = suggestions_context(request, next_url=next_url, ladders=context.get("ladders"))
        return render_to_string("progress/_suggestions.html#suggestions", found, request=request)
    except Exception:
        logger.exception("The suggestions could not be drawn into %s", request.path)
        return render_to_string("progress/_suggestions.html#suggestions-unavailable")
