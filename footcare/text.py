"""The one rule for text a runner types: what a name, a note or a load may hold.

Every model field a runner types into carries `LINE_VALIDATORS` (a name, a load: one line) or
`NOTE_VALIDATORS` (notes: lines allowed), so each ModelForm checks it; a plain form field for
the same column takes the same list. Length stays the field's own `max_length`.
"""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

# Characters that show nothing, or turn the text around them: U+202E can make "Ada" read as
# anything in the navigation, a feed or a spreadsheet. Control characters (NUL among them)
# break a calendar feed or a database. Joiners stay: Persian and emoji need them.
INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cn", "Cs"})
JOINERS = frozenset({"\u200c", "\u200d"})
LINE_BREAKS = frozenset({"\n", "\r"})
# Within a note, a new line is text; a tab is what a paste from a spreadsheet brings.
NOTE_LAYOUT = LINE_BREAKS | {"\t"}

INVISIBLE_MESSAGE = (
    "This has a character that does not show, or that turns the text around it. "
    "Type it again with letters, numbers, spaces and punctuation."
)
ONE_LINE_MESSAGE = "Keep this to one line."


def has_invisible_characters(text: str, *, allowed: frozenset[str] = frozenset()) -> bool:
    return any(
        unicodedata.category(character) in INVISIBLE_CATEGORIES
        and character not in JOINERS
        and character not in allowed
        for character in text
    )


@deconstructible
class TypedText:
    """Refuses what does not show or turns the text around; `one_line` refuses new lines."""

    def __init__(self, *, one_line: bool) -> None:
        self.one_line = one_line

    def __call__(self, value: str) -> None:
        if self.one_line and any(character in LINE_BREAKS for character in value):
            raise ValidationError(ONE_LINE_MESSAGE, code="one_line")
        allowed = frozenset() if self.one_line else NOTE_LAYOUT
        if has_invisible_characters(value, allowed=allowed):
            raise ValidationError(INVISIBLE_MESSAGE, code="invisible_characters")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TypedText) and other.one_line == self.one_line

    def __hash__(self) -> int:
        return hash(self.one_line)


LINE_VALIDATORS = [TypedText(one_line=True)]
NOTE_VALIDATORS = [TypedText(one_line=False)]
