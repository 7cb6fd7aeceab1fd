"""Published norms for the calf capacity test, in one place, with their source.

Hébert-Losier K, Wessman C, Alricsson M, Svantesson U (2017). Updated reliability and
normative values for the standing heel-rise test in healthy adults. Physiotherapy 103(4):
446–452. https://doi.org/10.1016/j.physio.2017.03.002

What we read, and what we did not: the abstract (on PubMed, the publisher's page and the
authors' universities' repositories). It gives, for 566 healthy volunteers aged 20 to 81,
tested once on each leg standing on a 10° incline to a 60-beat metronome:

* the median number of single-leg heel raises: 24 for the men and 21 for the women, all ages
  together;
* that women over 60 did more than men over 60, and that the authors' regression model gives
  the most raises to younger, more active men;
* the test–retest agreement a week apart (32 people): mean difference 0.2 raises, 95 % limits
  of agreement −6.2 to 6.5 (right leg) and 0.1, −6.1 to 6.2 (left leg).

The article's own figures by age group, and its regression equations, are in its full text,
which the copies we could reach did not show. We have not taken figures by age from other
websites that quote the article (they disagree with each other by a raise or two), and we
do not estimate any. So `NORMS` has one row per sex, covering the study's whole age range:
the runner's age decides only whether the study covers them at all. A row per age group,
read from the article, replaces each of them without any other change.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

SOURCE_TITLE = (
    "Updated reliability and normative values for the standing heel-rise test in healthy adults"
)
SOURCE_AUTHORS = "Hébert-Losier K, Wessman C, Alricsson M, Svantesson U"
SOURCE_JOURNAL = "Physiotherapy 103(4): 446–452, 2017"
SOURCE_URL = "https://doi.org/10.1016/j.physio.2017.03.002"

STUDY_PEOPLE = 566
STUDY_AGES = (20, 81)
STUDY_INCLINE_DEGREES = 10
STUDY_RETESTED = 32
# The 95 % limits of agreement between two tests a week apart, in raises (right leg; the
# left's were −6.1 to 6.2): a change within them may be the day, not the calf.
RETEST_AGREEMENT = (-6.2, 6.5)


@dataclass(frozen=True)
class HeelRiseNorm:
    sex: str  # "female" or "male", as the profile's `Sex`
    age_from: int
    age_to: int
    median: int
    label: str  # who the figure describes, in words


NORMS: tuple[HeelRiseNorm, ...] = (
    HeelRiseNorm("male", 20, 81, 24, "healthy men aged 20 to 81, all ages together"),
    HeelRiseNorm("female", 20, 81, 21, "healthy women aged 20 to 81, all ages together"),
)


def norm_for(sex: str, age: int) -> HeelRiseNorm | None:
    """The row of `NORMS` for this sex and age, or None where the study has none."""
    return next((n for n in NORMS if n.sex == sex and n.age_from <= age <= n.age_to), None)


@dataclass(frozen=True)
class SideAgainstNorm:
    side: str  # "left" or "right"
    raises: int
    median: int

    @property
    def difference(self) -> int:
        return self.raises - self.median

    @property
    def gap(self) -> int:
        return abs(self.difference)

    @property
    def position(self) -> str:
        if self.raises == self.median:
            return "the same as"
        return "above" if self.raises > self.median else "below"


@dataclass(frozen=True)
class NormComparison:
    """Where a test sits against the published norms, or why it cannot be placed.

    `missing` names what the profile lacks ("sex", "year of birth", both); `outside_ages`
    is set when the runner's age is outside the study's; otherwise `norm` and `sides`.
    """

    missing: tuple[str, ...] = ()
    age: int | None = None
    outside_ages: bool = False
    norm: HeelRiseNorm | None = None
    sides: tuple[SideAgainstNorm, ...] = ()

    @property
    def compared(self) -> bool:
        return self.norm is not None

    @property
    def over_sixty(self) -> bool:
        return self.age is not None and self.age > 60


def age_in(year: int, birth_year: int) -> int:
    """The age turned in `year`: a year out at most before the birthday, which the norms'
    bands of whole decades and the study's 20 to 81 do not feel."""
    return year - birth_year


def compare(
    *, left: int, right: int, tested_on: datetime.date, sex: str, birth_year: int | None
) -> NormComparison:
    missing = tuple(
        name for name, value in (("sex", sex), ("year of birth", birth_year)) if not value
    )
    if missing:
        return NormComparison(missing=missing)
    age = age_in(tested_on.year, birth_year)
    norm = norm_for(sex, age)
    if norm is None:
        return NormComparison(age=age, outside_ages=True)
    return NormComparison(
        age=age,
        norm=norm,
        sides=(
            SideAgainstNorm("left", left, norm.median),
            SideAgainstNorm("right", right, norm.median),
        ),
    )
