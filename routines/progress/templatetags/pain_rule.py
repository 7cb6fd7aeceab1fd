"""The pain rule on any page, stated from the thresholds the progression engine applies.

`{% load pain_rule %}{% pain_rule %}` draws the full block (exercise pages); `{% pain_rule
compact=True %}` a folded one with the red flags, where pain is entered or read (/today/,
the check-in, a plan, /progress/). `{% pain_rule_numbers as rule %}` gives the numbers alone.
"""

from __future__ import annotations

from django import template

from .. import progression

register = template.Library()


@register.inclusion_tag("exercises/_pain_rule.html")
def pain_rule(compact: bool = False) -> dict:
    return {"rule": progression.pain_rule_context(), "compact": compact}


@register.simple_tag
def pain_rule_numbers() -> dict[str, int]:
    return progression.pain_rule_context()
