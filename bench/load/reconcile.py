"""After a load run: is every acknowledged write in the database, once, and nothing else?

The journal (bench/load/locustfile.py) holds each write's values and whether the server
acknowledged it. Each simulated runner wrote one thing after another, so its writes are
replayed in order into what the database may hold for each key:

- a set on /today/ (runner, item, day, number): its amount, or no row after an undo;
- a value on /today/ (pain, effort, the exercise after a swap) of a runner's item that day;
- the morning check-in's pain or stiffness (runner, day);
- today's session finished, and its notes (runner, plan, day);
- a session logged by hand (its form token): the date and notes it was sent with;
- an item added to the board (its form token); the order of the day's items after moves.

An acknowledged write leaves one possible state: its own. One that was never acknowledged
(every try cut off) may or may not have landed, so it leaves the state before it or its
own; and as it may still sit in the server's queue when the runner has moved on, it may
land after the runner's later writes too, so its value stays possible to the end (an undo
cut off by the load generator's timeout, then done late, takes away a set ticked after
it). A write answered with the sign-in page was refused: it changes nothing. The
database must hold one of the possible states, in exactly one row; a key the journal
never wrote must have no row of the run's day at all. Half-made rows (a logged
exercise whose count of sets is not its sets, a session of the day with nothing in it) and
orphans (a log of one runner in another's session) are counted too. Every failure is
listed with its key.

    .venv/bin/python bench/load/reconcile.py JOURNAL POPULATION   # DATABASE_URL set
"""

from __future__ import annotations

import json
import sys
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

ABSENT = "absent"
MAX_ORDERS = 512


def read_writes(journal: Path) -> list[dict]:
    writes = []
    with open(journal) as lines:
        for line in lines:
            # A line cut short by the load generator's own stop is not a write it made.
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                continue
            if record.get("type") == "write":
                writes.append(record)
    return writes


def step(possible: set, value, acked: bool) -> set:
    return {value} if acked else possible | {value}


def place(order: tuple, item: int, to: int) -> tuple:
    """The board's move to place `to` (routines.plans.services._place's rule)."""
    if item not in order:
        return order
    day = list(order)
    day.remove(item)
    day.insert(min(max(to, 0), len(day)), item)
    return tuple(day)


def expectations(writes: list[dict], population: dict) -> dict:
    """What the database may hold for each key, replaying each runner's writes in order."""
    runners = {r["id"]: r for r in population["runners"]}
    ticks: dict = {}
    values: dict = {}
    check_ins: dict = {}
    finishes: dict = {}
    sessions: dict = {}
    adds: dict = {}
    boards: dict = {}
    late: dict = defaultdict(set)
    late_moves: dict = defaultdict(list)
    for w in writes:
        runner, acked = w["runner"], w["acked"]
        kind = w["kind"]
        if w.get("signed_out"):
            continue
        if not acked and kind == "tick":
            value = ABSENT if w["amount"] is None else w["amount"]
            late[(runner, w["item"], w["day"], w["number"])].add(value)
        if not acked and kind == "value":
            late[(runner, w["item"], w["day"], w["field"])].add(w["value"])
        if not acked and kind == "check-in":
            late[(runner, w["day"], w["field"])].add(w["value"])
        if not acked and kind == "move":
            late_moves[(w["plan"], w["weekday"])].append(w)
        if not acked and kind == "finish":
            late[(runner, w["plan"], w["day"], "notes")].add(w["notes"])
        if kind == "tick":
            key = (runner, w["item"], w["day"], w["number"])
            value = w["amount"] if w["amount"] is not None else ABSENT
            ticks[key] = step(ticks.get(key, {ABSENT}), value, acked)
        elif kind == "value":
            key = (runner, w["item"], w["day"], w["field"])
            if key not in values:
                item = next(i for i in runners[runner]["today"] if i["id"] == w["item"])
                values[key] = {item["exercise"] if w["field"] == "exercise_id" else None}
            values[key] = step(values[key], w["value"], acked)
        elif kind == "check-in":
            key = (runner, w["day"], w["field"])
            check_ins[key] = step(check_ins.get(key, {None}), w["value"], acked)
        elif kind == "finish":
            key = (runner, w["plan"], w["day"])
            finished, notes = finishes.get(key, ({False}, {""}))
            finishes[key] = (step(finished, True, acked), step(notes, w["notes"], acked))
        elif kind == "session":
            sessions[w["token"]] = (runner, w, acked or sessions.get(w["token"], (0, 0, False))[2])
        elif kind == "add":
            adds[w["token"]] = (runner, w, acked or adds.get(w["token"], (0, 0, False))[2])
        elif kind == "move":
            key = (w["plan"], w["weekday"])
            orders = boards.get(key) or {tuple(runners[runner]["board"])}
            moved = {place(order, w["item"], w["to"]) for order in orders}
            orders = moved if acked else orders | moved
            boards[key] = set(list(orders)[:MAX_ORDERS])
    # What a write left unacknowledged may still do, late.
    for table in (ticks, values, check_ins):
        for key in table:
            table[key] = table[key] | late.get(key, set())
    for key, (finished, notes) in finishes.items():
        if late.get((*key, "notes")):
            finishes[key] = (finished | {True}, notes | late[(*key, "notes")])
    for key, moves in late_moves.items():
        orders = boards.get(key, set())
        for w in moves:
            orders = orders | {place(order, w["item"], w["to"]) for order in orders}
        boards[key] = set(list(orders)[:MAX_ORDERS])
    return {
        "ticks": ticks,
        "values": values,
        "check_ins": check_ins,
        "finishes": finishes,
        "sessions": sessions,
        "adds": adds,
        "boards": boards,
    }


def reconcile(journal: Path, population: dict) -> dict:
    """Counts per kind of write and the list of failures; Django must be set up."""
    from django.db.models import Count

    from footcare.accounts.models import User
    from routines.plans.models import PlanItem
    from routines.training.models import ExerciseLog, MorningCheckIn, SetLog, WorkoutSession

    writes = read_writes(journal)
    expected = expectations(writes, population)
    runner_ids = [r["id"] for r in population["runners"]]
    day = date.fromisoformat(population["today"])
    failures: list[str] = []
    counts: dict = {
        "writes": len(writes),
        "acknowledged": sum(w["acked"] for w in writes),
        "not_acknowledged": sum(not w["acked"] for w in writes),
        "by_kind": {},
        "lost": 0,
        "doubled": 0,
        "unexpected": 0,
        "half_made": 0,
        "orphans": 0,
    }
    by_kind = Counter()
    not_acked = Counter()
    for w in writes:
        by_kind[w["kind"]] += 1
        not_acked[w["kind"]] += not w["acked"]
    counts["by_kind"] = {
        k: {"sent": n, "not_acknowledged": not_acked[k]} for k, n in by_kind.items()
    }

    def fail(kind: str, message: str) -> None:
        counts[kind] += 1
        failures.append(f"{kind}: {message}")

    # Sets of the day -------------------------------------------------------------------------
    rows = defaultdict(list)
    for owner, item, number, amount in SetLog.objects.filter(
        log__session__date=day, log__session__owner_id__in=runner_ids, log__plan_item__isnull=False
    ).values_list("log__session__owner_id", "log__plan_item_id", "number", "amount"):
        rows[(owner, item, day.isoformat(), number)].append(amount)
    for key, possible in expected["ticks"].items():
        found = rows.pop(key, [])
        if len(found) > 1:
            fail("doubled", f"set {key}: {len(found)} rows")
        value = found[0] if found else ABSENT
        if value not in possible:
            fail("lost", f"set {key}: the database has {value}, the journal allows {possible}")
    for key, found in rows.items():
        fail("unexpected", f"set {key}: {found} in the database, never sent")

    # Values and swaps of the day's logged exercises ------------------------------------------
    logs = defaultdict(list)
    for owner, item, pain, effort, exercise in ExerciseLog.objects.filter(
        session__date=day, session__owner_id__in=runner_ids, plan_item__isnull=False
    ).values_list("session__owner_id", "plan_item_id", "pain", "effort", "exercise_id"):
        logs[(owner, item)].append({"pain": pain, "effort": effort, "exercise_id": exercise})
    for (owner, item), found in logs.items():
        if len(found) > 1:
            fail("doubled", f"logged exercise {(owner, item)}: {len(found)} rows")
    planned = {i["id"]: i["exercise"] for r in population["runners"] for i in r["today"]}
    for (runner, item, _day, field), possible in expected["values"].items():
        found = logs.get((runner, item))
        # No logged exercise yet: no pain or effort, the planned exercise.
        value = found[0][field] if found else planned[item] if field == "exercise_id" else None
        if value not in possible:
            fail("lost", f"{field} of {(runner, item)}: {value}, the journal allows {possible}")
    touched = {(k[0], k[1]) for k in expected["ticks"]} | {(k[0], k[1]) for k in expected["values"]}
    for key in logs.keys() - touched:
        fail("unexpected", f"logged exercise {key} of the day, never sent")

    # Check-ins -------------------------------------------------------------------------------
    check_ins = defaultdict(list)
    for row in MorningCheckIn.objects.filter(date=day, owner_id__in=runner_ids).values(
        "owner_id", "pain", "stiffness"
    ):
        check_ins[row["owner_id"]].append(row)
    for owner, found in check_ins.items():
        if len(found) > 1:
            fail("doubled", f"check-in of {owner}: {len(found)} rows")
    for (runner, _day, field), possible in expected["check_ins"].items():
        found = check_ins.get(runner)
        value = found[0][field] if found else None
        if value not in possible:
            fail("lost", f"check-in {field} of {runner}: {value}, the journal allows {possible}")
    for owner in check_ins.keys() - {k[0] for k in expected["check_ins"]}:
        fail("unexpected", f"check-in of {owner}, never sent")

    # Today's sessions: one per runner, plan and day; finished as the journal says ------------
    today_sessions = defaultdict(list)
    for row in WorkoutSession.objects.filter(
        date=day, owner_id__in=runner_ids, plan__isnull=False
    ).values("pk", "owner_id", "plan_id", "finished_at", "notes"):
        today_sessions[(row["owner_id"], row["plan_id"])].append(row)
    for key, found in today_sessions.items():
        if len(found) > 1:
            fail("doubled", f"session of {key} today: {len(found)} rows")
    for (runner, plan, _day), (finished, notes) in expected["finishes"].items():
        found = today_sessions.get((runner, plan))
        is_finished = bool(found and found[0]["finished_at"])
        if is_finished not in finished:
            fail("lost", f"finish of {(runner, plan)}: finished={is_finished}")
        # Notes are kept when a finish sends none; ours always send some.
        if found and found[0]["notes"] not in notes:
            fail("lost", f"finish notes of {(runner, plan)}: {found[0]['notes']!r}")
    written = touched | {(k[0], k[1]) for k in expected["finishes"]}
    written_runners = {k[0] for k in written}
    for owner, plan in today_sessions:
        if owner not in written_runners:
            fail("unexpected", f"session of {(owner, plan)} today, never sent")
    empty = (
        WorkoutSession.objects.filter(
            date=day, owner_id__in=runner_ids, plan__isnull=False, finished_at__isnull=True
        )
        .annotate(n=Count("logs"))
        .filter(n=0)
    )
    for session in empty:
        fail("half_made", f"session {session.pk} of runner {session.owner_id} today: nothing in it")

    # Sessions logged by hand -----------------------------------------------------------------
    by_token = defaultdict(list)
    for row in WorkoutSession.objects.filter(
        owner_id__in=runner_ids, client_token__isnull=False
    ).values("owner_id", "client_token", "date", "notes"):
        by_token[str(row["client_token"])].append(row)
    for token, (runner, w, acked) in expected["sessions"].items():
        found = by_token.pop(token, [])
        if len(found) > 1:
            fail("doubled", f"session by hand {token}: {len(found)} rows")
        if acked and not found:
            fail("lost", f"session by hand {token} of {runner}: acknowledged, not in the database")
        for row in found:
            if (row["owner_id"], row["date"].isoformat(), row["notes"]) != (
                runner,
                w["date"],
                w["notes"],
            ):
                fail("lost", f"session by hand {token}: {row} differs from what was sent")
    for token, found in by_token.items():
        fail("unexpected", f"session by hand {token}: {len(found)} rows, never sent")

    # The board: items added once, the moved day in an order the moves allow -----------------
    plans = [r["plan"] for r in population["runners"]]
    added = defaultdict(list)
    for row in PlanItem.objects.filter(plan_id__in=plans, request_token__isnull=False).values(
        "plan_id", "request_token", "weekday", "exercise_id"
    ):
        added[str(row["request_token"])].append(row)
    for token, (_runner, w, acked) in expected["adds"].items():
        found = added.pop(token, [])
        if len(found) > 1:
            fail("doubled", f"item added {token}: {len(found)} rows")
        if acked and not found:
            fail("lost", f"item added {token} to plan {w['plan']}: acknowledged, not there")
        for row in found:
            if (row["plan_id"], row["weekday"], row["exercise_id"]) != (
                w["plan"],
                w["weekday"],
                w["exercise"],
            ):
                fail("lost", f"item added {token}: {row} differs from what was sent")
    for token, found in added.items():
        fail("unexpected", f"item added {token}: {len(found)} rows, never sent")
    for (plan, weekday), orders in expected["boards"].items():
        seeded = set(next(iter(orders)))
        order = tuple(
            pk
            for pk in PlanItem.objects.filter(plan_id=plan, weekday=weekday)
            .order_by("position", "pk")
            .values_list("pk", flat=True)
            if pk in seeded
        )
        if order not in orders:
            fail("lost", f"board order of plan {plan} day {weekday}: {order}, allowed {orders}")
    for row in (
        PlanItem.objects.filter(plan_id__in=plans)
        .values("plan_id", "weekday", "position")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    ):
        fail("doubled", f"two items at one place: {row}")

    # Half-made and orphan rows ---------------------------------------------------------------
    for log in (
        ExerciseLog.objects.filter(session__date=day, session__owner_id__in=runner_ids)
        .annotate(n=Count("sets"))
        .values("pk", "sets_done", "n")
    ):
        if log["sets_done"] != log["n"]:
            fail(
                "half_made",
                f"logged exercise {log['pk']}: sets_done {log['sets_done']}, {log['n']} sets",
            )
    strays = ExerciseLog.objects.filter(plan_item__isnull=False).exclude(
        plan_item__plan__owner=models_f("session__owner")
    )
    for pk in strays.values_list("pk", flat=True):
        fail("orphans", f"logged exercise {pk}: another runner's plan item")
    counts["runners"] = User.objects.filter(pk__in=runner_ids).count()
    counts["failures"] = failures
    return counts


def models_f(name: str):
    from django.db.models import F

    return F(name)


def report(counts: dict) -> list[str]:
    lines = [
        f"writes sent {counts['writes']}: {counts['acknowledged']} acknowledged, "
        f"{counts['not_acknowledged']} never acknowledged",
        "  "
        + ", ".join(
            f"{kind} {n['sent']}"
            + (f" ({n['not_acknowledged']} not ack.)" if n["not_acknowledged"] else "")
            for kind, n in sorted(counts["by_kind"].items())
        ),
        f"lost {counts['lost']}, doubled {counts['doubled']}, unexpected {counts['unexpected']}, "
        f"half-made {counts['half_made']}, orphans {counts['orphans']}",
    ]
    lines += [f"  FAIL {failure}" for failure in counts["failures"][:200]]
    if len(counts["failures"]) > 200:
        lines.append(f"  ... and {len(counts['failures']) - 200} more (all in the JSON)")
    return lines


def main() -> None:
    journal, population = Path(sys.argv[1]), json.loads(Path(sys.argv[2]).read_text())
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    import django

    django.setup()
    counts = reconcile(journal, population)
    for line in report(counts):
        sys.stdout.write(line + "\n")
    failed = sum(counts[k] for k in ("lost", "doubled", "unexpected", "half_made", "orphans"))
    raise SystemExit(1 if failed else 0)


if __name__ == "__main__":
    main()
