"""The runner's suggestions drawn into a page of a lower app, in the same request.

`{% load suggestions %}{% suggestions_panel %}` draws the `suggestions` partial of
`progress/_suggestions.html` for the signed-in runner, its forms coming back to the page
being drawn. /today/ (training) draws it this way: a template may name a higher app's tag,
as it names its URLs, without the lower app importing it. Drawn inline, the suggestions
cost one request instead of two (the fragment paid the session, the user and the profile
again); the fragment view (`suggestions:panel`) stays for the refresh after a check-in.
"""

from __future__ import annotations

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from ..suggestions import suggestions_context

register = template.Library()


@register.simple_tag(takes_context=True)
def suggestions_panel(context: template.Context) -> SafeString:
    """The panel, for the page being drawn; with the published ladders the page has read
    already (its `ladders`), if it has."""
    request = context["request"]
    found = suggestions_context(request, next_url=request.path, ladders=context.get("ladders"))
    return render_to_string("progress/_suggestions.html#suggestions", found, request=request)
