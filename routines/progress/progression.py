"""The progression engine: from an exercise's recent logs and the next-morning check-ins, when
to make it harder, keep it, or ease off, with the reason in plain words.

The pain-monitoring model of Silbernagel et al. (2007), as issue 12 puts it. Plain functions
over plain data, no ORM: callers load the plan item's dose, the sessions, the check-ins and
the rungs, and ask `suggest(history)`. The same history always gives the same suggestion.

Definitions, each in one place below:

- **complete** (`is_complete`): not skipped, and every planned set done.
- **usual morning pain** (`usual_morning_pain`): the median pain of the check-ins on the 14
  mornings up to and including the day of the newest session, leaving out the mornings after
  the two sessions being judged (they are what is compared with it). None, "unknown", when
  there are no such check-ins: then the engine cannot progress and says so.
- **the sessions judged**: the newest (`last`) and the one before (`previous`) at the current
  dose and rung (on or after `current_since`), skipped or not.

Verdicts, the first that applies wins (step back > hold > not enough data > progress):

1. **step back** when pain during the last session went above 5, or the morning after it was
   2 or more above the usual or 6/10 or more: to the easier rung, else about 20 % less, with
   the safety note (and, after a morning of 6/10 or more, when to get assessed).
2. **hold** when either judged session was not complete, had pain 4 or more, effort 8 or more
   (8 is neither "7 or less" nor "9 or more": the engine holds, effort is high), a next
   morning above the usual or above 3/10 whatever the usual, or next-morning stiffness above
   the usual stiffness (the median of the same mornings' stiffness, where it was answered);
   or any session in the 14 days up to the last one had pain above 5 (never progress after
   such a session). The previous session's step-back signs only hold:
   they were the previous suggestion's business, and a settled flare is not stepped back twice.
3. **not enough data** when fewer than two sessions are logged, pain or effort is missing, a
   next-morning check-in is missing, or the usual morning pain is unknown.
4. **progress** otherwise: to the harder rung, else about 15 % more reps or seconds within the
   dose limits; already at the limit with no harder rung, it holds and says so.

Where it departs from the cited model: Silbernagel's model lets pain reach 5/10 during the
exercise and the next morning. The engine keeps that line for stepping back (above 5), but
asks for less before it makes anything harder (3 or less, effort 7 or less, a next morning of
3 or less and no worse than usual): the safer choice when the two differ. The thresholds are
the constants below; the pain rule on the pages (`pain_rule_context`) is drawn from them.

**By load** (issue 24): an exercise dosed by the weight lifted (heavy slow resistance, as in
Beyer 2015; `progress_by_load` on the exercise) never progresses by reps or rung. It adds
about 10 % to the load (at least one step, `LOAD_STEPS`: 0.5 kg or 1 lb, rounded to those
steps, within the plan's `LOAD_LIMITS`), and steps back by about 20 % less load, on the same
rung. The load it reads and suggests is in the runner's unit (the caller converts from the
kilograms stored). Beyer's group moved from 15RM to 6RM by lifting more; our 10 % step is our
judgement of "a little more", not a figure from the study. Without a load number it holds
the dose and says to add about a tenth more weight; stepping back without one goes to the
easier rung of the main branch (the weighted raise to the plain calf raise: the weights put
down), and without one of those cuts a set (never the hold or the pace, which are how the
exercise loads the tissue) and says why.

Rounding: reps and seconds to the nearest whole one, seconds from 30 up to the nearest 5 (half
rounds up), and always at least one rep or second of change, so small doses move by one.
"""

from __future__ import annotations

import dataclasses
import statistics
from collections.abc import Callable, Container, Hashable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import IntEnum, StrEnum

from exercises.ladders import Ladders
from routines.plans.models import CHANGED_DOSE_FIELDS, LOAD_LIMITS, LOAD_STEPS, RANGES

PAIN_OK = 3  # progress needs pain at most this
PAIN_STEP_BACK = 5  # step back above this
EFFORT_OK = 7  # progress needs effort at most this; above it holds
MORNING_RISE_STEP_BACK = 2  # next-morning pain this far above the usual steps back
MORNING_PAIN_OK = 3  # progress needs next-morning pain at most this, whatever the usual
MORNING_PAIN_REDUCE = 6  # next-morning pain this high or more reduces the load
WINDOW = timedelta(days=14)
STEP_UP_PERCENT = 115
STEP_DOWN_PERCENT = 80
LOAD_UP_PERCENT = 110
SAFETY_NOTE = "If the pain persists, see a physiotherapist or a doctor."
ASSESS_NOTE = (
    f"Morning pain of {MORNING_PAIN_REDUCE}/10 or more is more than this training should "
    "leave: get assessed by a physiotherapist or a doctor if it is still there after a week "
    "of lighter loading, if it keeps rising, if you limp, or at once with any warning sign "
    "(swelling, heat and redness, numbness, or pain at rest or at night)."
)


def pain_rule_context() -> dict[str, int]:
    """The thresholds above, as the pain rule on the pages states them (`{% pain_rule %}`):
    read at call time, so the page always says the rule the engine applies."""
    return {
        "pain_ok": PAIN_OK,
        "pain_hold_from": PAIN_OK + 1,
        "pain_step_back": PAIN_STEP_BACK,
        "effort_ok": EFFORT_OK,
        "morning_ok": MORNING_PAIN_OK,
        "morning_reduce": MORNING_PAIN_REDUCE,
        "morning_rise": MORNING_RISE_STEP_BACK,
        "step_up": STEP_UP_PERCENT - 100,
    }


class Verdict(StrEnum):
    PROGRESS = "progress"
    HOLD = "hold"
    STEP_BACK = "step_back"
    NOT_ENOUGH_DATA = "not_enough_data"


class _Level(IntEnum):
    """How strongly a finding speaks against progressing: the highest level decides."""

    NOT_ENOUGH_DATA = 1
    HOLD = 2
    STEP_BACK = 3


@dataclass(frozen=True)
class Dose:
    """A plan item's dose: sets of reps, sets of reps held for seconds, or sets of a duration."""

    sets: int
    reps: int | None = None
    hold_seconds: int | None = None
    duration_seconds: int | None = None
    per_side: bool = False
    # Heavy slow work: the weight lifted (None until logged) in the runner's unit.
    # How the dose grows, not the dose: two doses differing only here are the same dose.
    by_load: bool = dataclasses.field(default=False, compare=False)
    load: Decimal | None = None
    load_unit: str = dataclasses.field(default="kg", compare=False)

    def __post_init__(self) -> None:
        # The plan's own ranges (`RANGES`), so a suggested dose is always one a plan can hold.
        for field in CHANGED_DOSE_FIELDS:
            lowest, highest = RANGES[field]
            value = getattr(self, field)
            if value is not None and not lowest <= value <= highest:
                raise ValueError(f"{field} must be from {lowest} to {highest}, not {value}")
        if (self.reps is None) == (self.duration_seconds is None):
            raise ValueError("a dose has reps or a duration, not both or neither")

    @property
    def measure(self) -> str:
        """The field a step changes: the hold's or the duration's seconds, else the reps."""
        if self.hold_seconds is not None:
            return "hold_seconds"
        return "duration_seconds" if self.duration_seconds is not None else "reps"

    def __str__(self) -> str:
        if self.duration_seconds is not None:
            text = f"{self.sets} × {self.duration_seconds} s"
        elif self.hold_seconds is not None:
            text = f"{self.sets} × {self.reps} holds of {self.hold_seconds} s"
        else:
            text = f"{self.sets} × {self.reps}"
        text = f"{text} each side" if self.per_side else text
        if self.load is not None:
            text = f"{text} with {self.load.normalize():f} {self.load_unit}"
        return text


@dataclass(frozen=True)
class Rung:
    """A neighbouring exercise on the ladder: its id (for the plan item) and its name;
    `off_side` when it is reached by leaving a side branch for its trunk (a step back from
    Rathleff's raise to the raise on the flat)."""

    id: Hashable
    name: str
    off_side: bool = False


@dataclass(frozen=True)
class LoggedSession:
    """One session of the exercise as logged: pain 0-10 and effort (RPE) 1-10, if given."""

    date: date
    planned_sets: int
    sets_done: int
    pain: int | None
    effort: int | None
    skipped: bool = False
    # False for a session known to be at another dose (another plan item of the exercise):
    # never judged, but its pain still counts for "never progress after pain above 5".
    at_this_dose: bool = True


@dataclass(frozen=True)
class CheckIn:
    """A next-morning check-in: pain and stiffness on the first steps out of bed, 0-10.

    One per day; stiffness is None until the runner answers it.
    """

    date: date
    pain: int
    stiffness: int | None = None


@dataclass(frozen=True)
class ExerciseHistory:
    """Everything `suggest` reads about one exercise of the plan.

    `sessions` are the plan item's recent ones (two weeks or more, on whichever rung), newest
    first (the order is restored if not). Those before `current_since`, the day the current
    dose and rung were first used, are not judged: two sessions at a new dose are needed to
    progress again. They still count for "never progress after pain above 5". `check_ins`
    need cover the same weeks.
    """

    dose: Dose
    sessions: tuple[LoggedSession, ...]
    check_ins: tuple[CheckIn, ...] = ()
    easier: tuple[Rung, ...] = ()
    harder: tuple[Rung, ...] = ()
    current_since: date | None = None


@dataclass(frozen=True)
class Suggestion:
    """The verdict and its reason; `rung` or `dose` is the change to apply, if any.

    A move to another rung keeps the plan item's dose; `dose` is set only when the dose itself
    changes.
    """

    verdict: Verdict
    reason: str
    rung: Rung | None = None
    dose: Dose | None = None


def rungs_around(
    exercise_id: Hashable, graph: Ladders, usable: Container[Hashable] | None = None
) -> tuple[tuple[Rung, ...], tuple[Rung, ...]]:
    """The easier and the harder rung a suggestion may offer, by `Ladders.next_rung`.

    Never into a side branch (a variant reached only on purpose); a step back may leave one
    for its trunk. With `usable` (the exercises the runner's equipment allows) only rungs
    among them: a suggestion never needs equipment the runner does not have.
    """

    def rung(harder: bool) -> tuple[Rung, ...]:
        found = graph.next_rung(exercise_id, harder=harder, among=usable)
        if found is None:
            return ()
        off_side = graph.via_side(exercise_id, found, harder=harder)
        return (Rung(found, graph.names[found], off_side=off_side),)

    return rung(False), rung(True)


def is_complete(session: LoggedSession) -> bool:
    """What a complete session is: not skipped, every planned set done."""
    return not session.skipped and session.sets_done >= session.planned_sets


def usual_morning_pain(history: ExerciseHistory) -> float | None:
    """The runner's usual next-morning pain before the last session; None when unknown.

    The median of the check-ins on the 14 mornings up to and including the last session's
    day, without the mornings after the two sessions judged.
    """
    return _usual(history, lambda check_in: check_in.pain)


def usual_morning_stiffness(history: ExerciseHistory) -> float | None:
    """The median stiffness of the same mornings as `usual_morning_pain`, where answered."""
    return _usual(history, lambda check_in: check_in.stiffness)


def _usual(history: ExerciseHistory, reading: Callable[[CheckIn], int | None]) -> float | None:
    """The median of one reading of the mornings `usual_morning_pain` describes."""
    judged = _judged(history)[:2]
    if not judged:
        return None
    last_day = judged[0].date
    judged_mornings = {session.date + timedelta(days=1) for session in judged}
    readings = [
        value
        for check_in in history.check_ins
        if last_day - WINDOW < check_in.date <= last_day
        and check_in.date not in judged_mornings
        and (value := reading(check_in)) is not None
    ]
    return statistics.median(readings) if readings else None


def suggest(history: ExerciseHistory) -> Suggestion:
    """Progress, hold, step back, or not enough data to tell: see the module's docstring."""
    judged = _judged(history)
    if not judged:
        return Suggestion(
            Verdict.NOT_ENOUGH_DATA, f"No session of it at {history.dose} is logged yet."
        )
    usual = usual_morning_pain(history)
    stiff = usual_morning_stiffness(history)
    mornings = {check_in.date: check_in for check_in in history.check_ins}
    findings = _findings(judged[0], "your last session", mornings, usual, stiff, can_step_back=True)
    if len(judged) == 1:
        findings.append((_Level.NOT_ENOUGH_DATA, f"only one session at {history.dose} is logged"))
    else:
        findings += _findings(judged[1], "the session before", mornings, usual, stiff)
    findings += _flare_findings(history, last=judged[0], judged=judged[:2])
    if not findings:
        return _progress(history, judged, mornings, usual)
    level = max(level for level, _ in findings)
    # dict.fromkeys: one "usual is unknown" however many sessions it stops.
    said = _sentence(list(dict.fromkeys(text for found, text in findings if found == level)))
    if level == _Level.STEP_BACK:
        morning = mornings.get(judged[0].date + timedelta(days=1))
        assess = morning is not None and morning.pain >= MORNING_PAIN_REDUCE
        return _step_back(history, said, assess=assess)
    if level == _Level.HOLD:
        return Suggestion(Verdict.HOLD, f"{said} Keep {history.dose} for now.")
    return Suggestion(
        Verdict.NOT_ENOUGH_DATA,
        f"{said} A suggestion needs two sessions with pain and effort, "
        "and the check-in the morning after each.",
    )


def _newest_first(sessions: Iterable[LoggedSession]) -> list[LoggedSession]:
    # sorted() is stable, so sessions on one day keep the caller's (newest first) order.
    return sorted(sessions, key=lambda session: session.date, reverse=True)


def _judged(history: ExerciseHistory) -> list[LoggedSession]:
    """The sessions at the current dose and rung, newest first."""
    since = history.current_since
    return [
        s
        for s in _newest_first(history.sessions)
        if s.at_this_dose and (since is None or s.date >= since)
    ]


def _findings(
    session: LoggedSession,
    which: str,
    mornings: Mapping[date, CheckIn],
    usual: float | None,
    usual_stiffness: float | None = None,
    *,
    can_step_back: bool = False,
) -> list[tuple[_Level, str]]:
    """What speaks against progressing after this session, each with its level and words."""
    severe = _Level.STEP_BACK if can_step_back else _Level.HOLD
    found = []
    if session.pain is not None and session.pain > PAIN_STEP_BACK:
        found.append((severe, f"pain during {which} reached {session.pain}/10"))
    elif session.pain is not None and session.pain > PAIN_OK:
        found.append((_Level.HOLD, f"pain during {which} reached {session.pain}/10"))
    if session.skipped:
        found.append((_Level.HOLD, f"{which} was skipped"))
    elif not is_complete(session):
        done, planned = session.sets_done, session.planned_sets
        found.append((_Level.HOLD, f"{which} had {done} of {planned} sets done"))
    if session.effort is not None and session.effort > EFFORT_OK:
        found.append((_Level.HOLD, f"effort in {which} was {session.effort}/10, which is high"))
    for figure, value in (("pain", session.pain), ("effort", session.effort)):
        if value is None and not session.skipped:
            found.append((_Level.NOT_ENOUGH_DATA, f"{figure} was not logged for {which}"))
    check_in = mornings.get(session.date + timedelta(days=1))
    if check_in is None:
        found.append((_Level.NOT_ENOUGH_DATA, f"there is no check-in the morning after {which}"))
        return found
    morning = check_in.pain
    # Whatever the usual: a high morning is never a steady state to build on.
    level = None
    if morning >= MORNING_PAIN_REDUCE:
        level = severe
    elif morning > MORNING_PAIN_OK:
        level = _Level.HOLD
    text = f"the morning after {which} pain was {morning}/10"
    if usual is not None and morning > usual:
        rise = severe if morning - usual >= MORNING_RISE_STEP_BACK else _Level.HOLD
        level = rise if level is None else max(level, rise)
        text = f"{text}, above your usual {usual:g}/10"
    elif level == _Level.HOLD:
        text = f"{text}, above {MORNING_PAIN_OK}/10"
    if level is not None:
        found.append((level, text))
    if (
        check_in.stiffness is not None
        and usual_stiffness is not None
        and check_in.stiffness > usual_stiffness
    ):
        text = (
            f"stiffness the morning after {which} was {check_in.stiffness}/10, above your "
            f"usual {usual_stiffness:g}/10"
        )
        found.append((_Level.HOLD, text))
    if usual is None:
        found.append(
            (
                _Level.NOT_ENOUGH_DATA,
                "there are no other check-ins in the two weeks before your last session "
                "to tell your usual morning pain",
            )
        )
    return found


def _flare_findings(
    history: ExerciseHistory, *, last: LoggedSession, judged: list[LoggedSession]
) -> list[tuple[_Level, str]]:
    """Never progress after a session with pain above 5 in the two weeks up to the last one."""
    found = []
    for session in history.sessions:
        if any(session is seen for seen in judged) or not last.date - WINDOW < session.date:
            continue
        if session.pain is not None and session.pain > PAIN_STEP_BACK:
            days = (last.date - session.date).days
            # After it, too: a session at another dose of the exercise is never judged here.
            side, apart = ("before", days) if days >= 0 else ("after", -days)
            when = (
                f"{apart} days {side}" if apart > 1 else f"a day {side}" if apart else "the day of"
            )
            text = f"pain reached {session.pain}/10 in a session {when} your last one"
            found.append((_Level.HOLD, text))
    return found


def _progress(
    history: ExerciseHistory,
    judged: list[LoggedSession],
    mornings: Mapping[date, CheckIn],
    usual: float | None,
) -> Suggestion:
    previous, last = judged[1], judged[0]
    said = (
        f"Your last two sessions were complete, with pain {previous.pain} and {last.pain} "
        f"out of 10 and effort {previous.effort} and {last.effort}; pain on the mornings after "
        f"({mornings[previous.date + timedelta(days=1)].pain}/10 and "
        f"{mornings[last.date + timedelta(days=1)].pain}/10) was no worse than your usual "
        f"{usual:g}/10."
    )
    if history.dose.by_load:
        if history.dose.load is None:
            return Suggestion(
                Verdict.HOLD,
                f"{said} This exercise gets harder by the weight you lift, not by more "
                f"repetitions or a harder exercise: keep {history.dose} and add a little weight "
                "(about a tenth more), writing it in the load.",
            )
        dose = _loaded(history.dose, LOAD_UP_PERCENT)
        return Suggestion(
            Verdict.PROGRESS,
            f"{said} Add a little weight: {dose} (from {history.dose}), with the same repetitions.",
            dose=dose,
        )
    if history.harder:
        rung = history.harder[0]
        return Suggestion(Verdict.PROGRESS, f"{said} Try the harder rung: {rung.name}.", rung=rung)
    dose = _stepped(history.dose, STEP_UP_PERCENT)
    if dose is None:
        return Suggestion(
            Verdict.HOLD,
            f"{said} {history.dose} is already the most a plan allows and there is no harder "
            f"rung: keep it.",
        )
    return Suggestion(
        Verdict.PROGRESS, f"{said} Add a little: {dose} (from {history.dose}).", dose=dose
    )


def _step_back(history: ExerciseHistory, said: str, *, assess: bool = False) -> Suggestion:
    note = f"{SAFETY_NOTE} {ASSESS_NOTE}" if assess else SAFETY_NOTE
    if history.dose.by_load and history.dose.load:
        dose = _loaded(history.dose, STEP_DOWN_PERCENT)
        return Suggestion(
            Verdict.STEP_BACK, f"{said} Lift less: {dose} (from {history.dose}). {note}", dose=dose
        )
    # An exercise dosed by load that is itself a side variant (Rathleff's raise) is the
    # programme's point: eased by volume, not swapped for the trunk it grew from (which
    # /today/ still offers as a one-day swap).
    if history.easier and not (history.dose.by_load and history.easier[0].off_side):
        rung = history.easier[0]
        return Suggestion(
            Verdict.STEP_BACK,
            f"{said} Step back to the easier rung: {rung.name}. {note}",
            rung=rung,
        )
    if history.dose.by_load:
        # No weight to take off and no easier main-branch rung: one set fewer, the hold and
        # the pace kept (a slow, held rep is how this exercise loads the tendon or the band
        # under the foot).
        if history.dose.sets > RANGES["sets"][0]:
            dose = replace(history.dose, sets=history.dose.sets - 1)
            return Suggestion(
                Verdict.STEP_BACK,
                f"{said} Do one set fewer: {dose} (from {history.dose}). This exercise is eased "
                "by lifting less, and it has no weight to take off, so it keeps its hold and "
                f"pace and loses a set. {note}",
                dose=dose,
            )
        return Suggestion(
            Verdict.STEP_BACK,
            f"{said} {history.dose} with no weight is already the least a plan allows: rest "
            f"this exercise until the pain settles. {note}",
        )
    dose = _stepped(history.dose, STEP_DOWN_PERCENT)
    if dose is None:
        return Suggestion(
            Verdict.STEP_BACK,
            f"{said} {history.dose} is already the least a plan allows: rest this exercise "
            f"until the pain settles. {note}",
        )
    return Suggestion(
        Verdict.STEP_BACK,
        f"{said} Ease off to {dose} (from {history.dose}). {note}",
        dose=dose,
    )


def _stepped(dose: Dose, percent: int) -> Dose | None:
    """The dose with its reps or seconds scaled by percent, rounded; None at the limit."""
    field = dose.measure
    value = getattr(dose, field)
    lowest, highest = RANGES[field]
    grain = 5 if field != "reps" and value >= 30 else 1
    # Integer arithmetic, half rounding up: the same answer on every machine.
    scaled = (value * percent + 50 * grain) // (100 * grain) * grain
    if percent > 100:
        new = min(max(scaled, value + 1), highest)
    else:
        new = max(min(scaled, value - 1), lowest)
    return None if new == value else replace(dose, **{field: new})


def _loaded(dose: Dose, percent: int) -> Dose:
    """The dose with its load scaled by percent, to the unit's step, moving at least one step."""
    grain = LOAD_STEPS.get(dose.load_unit, LOAD_STEPS["kg"])
    lowest, highest = LOAD_LIMITS.get(dose.load_unit, LOAD_LIMITS["kg"])
    load = dose.load or Decimal(0)
    scaled = (load * percent / 100 / grain).quantize(Decimal(1), ROUND_HALF_UP) * grain
    if percent > 100:
        new = min(max(scaled, load + grain), highest)
    else:
        new = max(min(scaled, load - grain), lowest)
    return replace(dose, load=new)


def _sentence(clauses: list[str]) -> str:
    text = "; ".join(clauses)
    return f"{text[0].upper()}{text[1:]}."
