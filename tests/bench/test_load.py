"""The load test's parts that need no server: the seeded population, the replay of a
journal into what the database may hold, the reconciliation against the database, the
figures and the verdict. The load itself runs with `make load` (and in CI, short)."""

import datetime
import json
import smtplib
import threading
import uuid

import pytest

from bench.load import reconcile, seed
from bench.load.run import MailServer, app_figures, figures, verdict
from routines.training import services
from routines.training.models import MorningCheckIn, SetLog

DAY = datetime.date(2026, 12, 7)


def write(runner: int, acked: bool = True, **values) -> dict:
    return {"type": "write", "runner": runner, "acked": acked, **values}


def tick(runner: int, item: int, number: int, amount, acked: bool = True) -> dict:
    return write(
        runner,
        acked,
        kind="tick",
        item=item,
        day=DAY.isoformat(),
        number=number,
        amount=amount,
    )


def test_a_move_puts_the_item_at_its_place_held_to_the_day():
    assert reconcile.place((1, 2, 3), 3, 0) == (3, 1, 2)
    assert reconcile.place((1, 2, 3), 1, 9) == (2, 3, 1)
    assert reconcile.place((1, 2, 3), 2, 1) == (1, 2, 3)


def test_an_acknowledged_write_leaves_one_state_and_an_unacknowledged_one_two():
    population = {"runners": [{"id": 1, "today": [], "board": [5, 6, 7]}]}
    writes = [
        tick(1, 10, 1, 12),
        tick(1, 10, 2, 12),
        tick(1, 10, 2, 13, acked=False),
        tick(1, 10, 1, None),
        write(1, kind="move", plan=3, weekday=1, item=7, to=0),
        write(1, False, kind="move", plan=3, weekday=1, item=5, to=2),
    ]

    expected = reconcile.expectations(writes, population)

    assert expected["ticks"][(1, 10, DAY.isoformat(), 1)] == {reconcile.ABSENT}
    assert expected["ticks"][(1, 10, DAY.isoformat(), 2)] == {12, 13}
    assert expected["boards"][(3, 1)] == {(7, 5, 6), (7, 6, 5)}


@pytest.fixture
def load_population(seeded_library):
    seed.seed_runners(runners=3, with_history=1, today=DAY)
    return seed.population(DAY)


def test_the_population_has_plans_today_s_items_and_one_year_of_history(load_population):
    runners = load_population["runners"]

    assert len(runners) == 3
    assert [r["history"] for r in runners] == [True, False, False]
    assert all(len(r["today"]) == seed.ITEMS_A_DAY for r in runners)
    assert all(len(r["board"]) == seed.ITEMS_A_DAY for r in runners)
    first = runners[0]
    assert MorningCheckIn.objects.filter(owner_id=first["id"]).count() == seed.HISTORY_DAYS


def test_the_reconciliation_finds_what_was_acknowledged_and_lists_what_is_not(
    load_population, tmp_path, django_user_model
):
    from routines.plans.models import PlanItem

    runner = load_population["runners"][1]
    user = django_user_model.objects.get(pk=runner["id"])
    item = PlanItem.objects.get(pk=runner["today"][0]["id"])
    for number in (1, 2):
        services.set_tick(runner=user, item=item, day=DAY, number=number, amount=11)
    MorningCheckIn.objects.record(owner=user, day=DAY, pain=2)
    token = str(uuid.uuid4())
    services.session_create(
        runner=user, day=DAY - datetime.timedelta(days=3), notes="n", token=token
    )
    journal = tmp_path / "journal.jsonl"
    lines = [
        tick(user.pk, item.pk, 1, 11),
        tick(user.pk, item.pk, 2, 11),
        # Cut off: it did not land, and that is allowed.
        tick(user.pk, item.pk, 3, 11, acked=False),
        write(user.pk, kind="check-in", day=DAY.isoformat(), field="pain", value=2),
        write(
            user.pk,
            kind="session",
            token=token,
            date=(DAY - datetime.timedelta(days=3)).isoformat(),
            notes="n",
        ),
    ]
    journal.write_text("".join(json.dumps(line) + "\n" for line in lines) + '{"type": "wr')

    counts = reconcile.reconcile(journal, load_population)

    assert counts["failures"] == []
    assert counts["acknowledged"] == 4
    assert counts["not_acknowledged"] == 1

    # An acknowledged set lost, and a check-in nobody sent.
    SetLog.objects.filter(log__plan_item=item, number=2).delete()
    other = django_user_model.objects.get(pk=load_population["runners"][2]["id"])
    MorningCheckIn.objects.record(owner=other, day=DAY, pain=1)

    counts = reconcile.reconcile(journal, load_population)

    assert counts["lost"] == 1
    assert counts["unexpected"] == 1
    # The logged exercise still counts two sets done: half made.
    assert counts["half_made"] == 1
    assert any(
        f"set ({user.pk}, {item.pk}, '{DAY.isoformat()}', 2)" in f for f in counts["failures"]
    )


def request(t: float, status: int, ms: float = 50, name: str = "today") -> str:
    record = {"type": "request", "t": t, "ms": ms, "name": name, "status": status}
    return json.dumps(record) + "\n"


def test_figures_time_the_errors_after_a_fault_and_the_verdict_reads_them(tmp_path):
    journal = tmp_path / "journal.jsonl"
    journal.write_text(
        request(100, 200)
        + request(101, 0, ms=20)
        + request(102, 503, ms=3000)
        + request(104.5, 503)
        + request(106, 200)
    )
    windows = [{"start": 100.5, "end": 102.0, "what": "restart"}]

    fig = figures(journal, windows)

    assert fig["requests"] == 5
    assert fig["pages"]["today"]["errors"] == 3
    assert fig["faults"][0]["failed"] == {"0": 1, "503": 2}
    assert fig["faults"][0]["slowest_failed_ms"] == 3000
    assert fig["faults"][0]["errors_stop_after_s"] == pytest.approx(2.5)
    clean = {"lost": 0, "doubled": 0, "unexpected": 0, "half_made": 0, "orphans": 0}
    assert verdict({"figures": fig, "reconciliation": clean}) == []

    journal.write_text(request(100, 200) + request(103, 500) + request(120, 0, ms=30_000))
    app = {"500": 1, "503": 3, "slowest_503_ms": 11_000}
    problems = verdict(
        {"figures": figures(journal, windows), "reconciliation": {**clean, "lost": 1}, "app": app}
    )

    assert "1 answers were 500" in problems
    assert "the app answered 1 requests with a 500" in problems
    assert "the app took 11000 ms to answer a 503" in problems
    assert "1 requests got no answer in 30 s (restart)" in problems
    assert "errors went on 18.0 s after restart" in problems
    assert "reconciliation: 1 lost" in problems


def test_the_app_s_own_times_come_from_gunicorn_s_access_log(tmp_path):
    log = tmp_path / "access"
    log.write_text("200 5100\n503 2300000\n503 12000\n500 800\n- -\n")

    assert app_figures(log) == {"200": 1, "503": 2, "500": 1, "slowest_503_ms": 2300.0}


def test_the_mail_server_takes_a_message_and_when_silent_lets_the_client_time_out():
    mail = MailServer()
    threading.Thread(target=mail.serve_forever, daemon=True).start()
    try:
        with smtplib.SMTP("127.0.0.1", mail.port, timeout=5) as client:
            client.sendmail("a@load.example", ["b@load.example"], "Subject: hi\r\n\r\nhello")
        assert mail.received == 1

        mail.silent = True
        with pytest.raises((TimeoutError, smtplib.SMTPServerDisconnected)):
            smtplib.SMTP("127.0.0.1", mail.port, timeout=0.5)
    finally:
        mail.shutdown()
        mail.server_close()


def test_a_write_never_acknowledged_may_land_after_later_ones_and_a_refused_one_never():
    population = {"runners": [{"id": 1, "today": [], "board": []}]}
    writes = [
        # An undo cut off by the load generator's timeout, still in the server's queue...
        tick(1, 10, 2, None, acked=False),
        # ...then the set ticked again, acknowledged: the late undo may still take it away.
        tick(1, 10, 2, 9),
        # Sent signed out: answered with the sign-in page, nothing saved.
        {**tick(1, 10, 3, 8, acked=False), "signed_out": True},
    ]

    expected = reconcile.expectations(writes, population)

    assert expected["ticks"][(1, 10, DAY.isoformat(), 2)] == {9, reconcile.ABSENT}
    assert (1, 10, DAY.isoformat(), 3) not in expected["ticks"]
