"""An address reversed once for a page of many rows, then filled in per row.

Seventy board items, a page of sessions, today's sets: `reverse()` for each row's links was
a measurable part of those pages. `reversed_once("log:set", "item_pk", "number")` reverses
the pattern once with marker numbers in the varying parts (numbers no real key or slug has,
which the int and slug converters both accept) and gives a function that fills them in:
`set_url(item_pk=3, number=2)` is `reverse("log:set", kwargs={"item_pk": 3, "number": 2})`.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.urls import reverse

_MARKS = ("2147483646", "2147483645", "2147483644")


def reversed_once(name: str, *varying: str, **fixed: object) -> Callable[..., str]:
    """`reverse(name, kwargs={**fixed, **values})` for each call's `values` of `varying`."""
    marks = dict(zip(_MARKS, varying, strict=False))
    url = reverse(name, kwargs={**fixed, **{part: mark for mark, part in marks.items()}})
    pieces = re.split(f"({'|'.join(marks)})", url)
    texts, parts = pieces[0::2], [marks[mark] for mark in pieces[1::2]]

    def fill(**values: object) -> str:
        out = [texts[0]]
        for part, text in zip(parts, texts[1:], strict=True):
            out += [str(values[part]), text]
        return "".join(out)

    return fill
