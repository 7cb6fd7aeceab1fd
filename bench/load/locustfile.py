"""Runners at once, for `make load` (bench/load/run.py starts locust on this file).

Each simulated runner is one seeded runner (bench/load/seed.py), never shared with another,
so the runner's writes happen one after the other and the reconciliation can replay them.
It signs in with its password, then browses and searches the library, follows /today/
(ticks, values, swaps, finish), checks in, edits its board, logs a session by hand, reads
/log/ and /progress/ and exports the CSV, waiting 1 to 3 s between things, as a person would.

Every write carries what makes it idempotent: the set's number, item and day on /today/, the
place an item goes to on the board, a form's token for a session logged by hand or an item
added. Each request is a line of the journal (LOAD_JOURNAL, JSON lines): its time, page type,
status and duration; each write ends with one more line, its values and whether the server
acknowledged it. A write cut off (no answer: a killed worker) or answered "try again
shortly" (502/503/504) is sent again with the same values, for up to RETRY_FOR seconds.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import time
import uuid
from datetime import date, timedelta
from html import unescape

from locust import HttpUser, between, task

POPULATION = json.loads(open(os.environ["LOAD_POPULATION"]).read())  # noqa: SIM115
JOURNAL = open(os.environ["LOAD_JOURNAL"], "a", buffering=1)  # noqa: SIM115
# Seconds a write is tried again for before it counts as not acknowledged.
RETRY_FOR = float(os.environ.get("LOAD_RETRY_FOR", "30"))
RETRYABLE = {0, 502, 503, 504}
TIMEOUT = 30
TODAY = POPULATION["today"]
WORDS = ["calf", "toe", "arch", "heel", "balance", "ankle", "soleus", "raise", "towel", "hop"]
LOAD_FRAGMENT = re.compile(r"<[^>]*\bhx-get=\"([^\"]+)\"[^>]*\bhx-trigger=\"[^\"]*\bload\b[^>]*>")


def _order() -> list[dict]:
    """Runners with a year of history among the others, one in five, then the rest."""
    runners = POPULATION["runners"]
    heavy = [r for r in runners if r["history"]]
    light = [r for r in runners if not r["history"]]
    order = []
    while heavy or light:
        if heavy:
            order.append(heavy.pop(0))
        order.extend(light[:4])
        del light[:4]
    return order


RUNNERS = iter(_order())
NUMBERS = itertools.count(1)


def journal(record: dict) -> None:
    JOURNAL.write(json.dumps(record, separators=(",", ":")) + "\n")


class Runner(HttpUser):
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.runner = next(RUNNERS)
        self.number = next(NUMBERS)
        self.rng = random.Random(self.runner["id"])
        # As if through the TLS proxy, each runner from an address of their own.
        self.client.headers.update(
            {
                "X-Forwarded-Proto": "https",
                "X-Forwarded-For": f"10.{self.number // 250 % 250}.{self.number % 250}.7",
                "Origin": "https://" + self.host.removeprefix("http://"),
            }
        )
        self.board = list(self.runner["board"])
        self.checked_in = False
        self.sign_in()

    # The journal's two kinds of line -----------------------------------------------------

    def send(
        self, method: str, url: str, name: str, *, data=None, headers=None, write=None, retry=False
    ):
        """One request, journalled; a write (or a `retry` one) is sent again with the same
        values while it is cut off or answered "try again shortly". Returns the last
        response. A write answered with the way to the sign-in page (a redirect, or htmx's
        HX-Redirect) was not made: it is journalled as refused, and the runner signs in
        again."""
        started = time.monotonic()
        headers = dict(headers or {})
        if method == "POST":
            headers["X-CSRFToken"] = self.client.cookies.get("csrftoken", "")
        attempt = 0
        while True:
            attempt += 1
            t = time.time()
            with self.client.request(
                method,
                url,
                name=name,
                data=data,
                headers=headers,
                allow_redirects=False,
                timeout=TIMEOUT,
                catch_response=True,
            ) as response:
                status = response.status_code or 0
                if status >= 400 or status == 0:
                    response.failure(f"{status}")
                else:
                    response.success()
            journal(
                {
                    "type": "request",
                    "t": round(t, 3),
                    "ms": round((time.time() - t) * 1000, 1),
                    "runner": self.runner["id"],
                    "name": name,
                    "method": method,
                    "status": status,
                    "attempt": attempt,
                }
            )
            if (write is None and not retry) or status not in RETRYABLE:
                break
            if time.monotonic() - started > RETRY_FOR:
                break
            time.sleep(min(0.5 * attempt, 3))
        # Sent without a session: the way to the sign-in page, as a redirect or (to htmx)
        # a 200 naming it in HX-Redirect.
        way = response.headers.get("Location", "") + response.headers.get("HX-Redirect", "")
        signed_out = "/accounts/login/" in way
        if write is not None:
            journal(
                {
                    "type": "write",
                    "t": round(time.time(), 3),
                    "runner": self.runner["id"],
                    **write,
                    "status": status,
                    "attempts": attempt,
                    "acked": 200 <= status < 400 and not signed_out,
                    "signed_out": signed_out,
                }
            )
        if signed_out and name != "sign in":
            self.sign_in()
        return response

    def page(self, url: str, name: str, *, fragments: bool = False, headers=None):
        response = self.send("GET", url, name, headers=headers)
        if fragments and response.status_code == 200:
            for fragment in LOAD_FRAGMENT.findall(response.text):
                self.send(
                    "GET", unescape(fragment), name + " fragment", headers={"HX-Request": "true"}
                )
        return response

    # Signing in --------------------------------------------------------------------------

    def sign_in(self) -> None:
        self.client.cookies.clear()
        self.page("/accounts/login/", "sign in page")
        self.send(
            "POST",
            "/accounts/login/",
            "sign in",
            data={
                "login": self.runner["email"],
                "password": POPULATION["password"],
                "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", ""),
            },
            # Signing in again is harmless: tried again like a write, not journalled as one.
            retry=True,
        )

    @task(1)
    def sign_out_and_in(self) -> None:
        self.send("POST", "/accounts/logout/", "sign out", retry=True)
        self.sign_in()

    # The library -------------------------------------------------------------------------

    @task(4)
    def library(self) -> None:
        self.page("/exercises/", "library")
        self.page(f"/exercises/?q={self.rng.choice(WORDS)}", "library search")
        slug = self.rng.choice(POPULATION["slugs"])
        self.page(f"/exercises/{slug}/", "exercise")

    @task(1)
    def home(self) -> None:
        self.page("/", "home", fragments=True)

    # Today -------------------------------------------------------------------------------

    def today_item(self) -> dict | None:
        items = self.runner["today"]
        return self.rng.choice(items) if items else None

    @task(6)
    def today_ticks(self) -> None:
        self.page("/today/", "today", fragments=True)
        item = self.today_item()
        if item is None:
            return
        for number in range(1, item["sets"] + 1):
            undo = self.rng.random() < 0.1
            amount = item["amount"] + self.rng.choice((0, 0, 0, 1, -1))
            amount = max(amount, 1)
            data = {"day": TODAY}
            if undo:
                data["action"] = "undo"
            else:
                data["amount"] = amount
                if item["per_side"]:
                    data["amount_right"] = amount
            self.send(
                "POST",
                f"/today/items/{item['id']}/sets/{number}/",
                "today tick",
                data=data,
                headers={"HX-Request": "true", "HX-Target": f"item-{item['id']}"},
                write={
                    "kind": "tick",
                    "item": item["id"],
                    "day": TODAY,
                    "number": number,
                    "amount": None if undo else amount,
                },
            )

    @task(2)
    def today_values(self) -> None:
        item = self.today_item()
        if item is None:
            return
        field = self.rng.choice(("pain", "effort"))
        value = self.rng.randint(0, 10) if field == "pain" else self.rng.randint(1, 10)
        self.send(
            "POST",
            f"/today/items/{item['id']}/",
            "today value",
            data={"day": TODAY, field: value},
            headers={"HX-Request": "true", "HX-Target": f"item-{item['id']}"},
            write={
                "kind": "value",
                "item": item["id"],
                "day": TODAY,
                "field": field,
                "value": value,
            },
        )

    @task(1)
    def today_swap(self) -> None:
        item = self.today_item()
        if item is None:
            return
        exercise = self.rng.choice([item["exercise"], *item["swaps"]])
        self.send(
            "POST",
            f"/today/items/{item['id']}/",
            "today swap",
            data={"day": TODAY, "swap": exercise},
            headers={"HX-Request": "true", "HX-Target": f"item-{item['id']}"},
            write={
                "kind": "value",
                "item": item["id"],
                "day": TODAY,
                "field": "exercise_id",
                "value": exercise,
            },
        )

    @task(1)
    def today_finish(self) -> None:
        notes = f"Finished under load {uuid.uuid4().hex[:8]}"
        self.send(
            "POST",
            "/today/finish/",
            "today finish",
            data={"day": TODAY, "notes": notes},
            write={"kind": "finish", "plan": self.runner["plan"], "day": TODAY, "notes": notes},
        )

    @task(1)
    def check_in(self) -> None:
        # Pain first: the morning's row starts with it (stiffness alone is refused).
        field = self.rng.choice(("pain", "stiffness")) if self.checked_in else "pain"
        value = self.rng.randint(0, 10)
        self.checked_in = True
        self.send(
            "POST",
            "/today/check-in/",
            "check-in",
            data={field: value},
            headers={"HX-Request": "true", "HX-Target": "check-in"},
            write={"kind": "check-in", "day": TODAY, "field": field, "value": value},
        )

    # The board ---------------------------------------------------------------------------

    @task(2)
    def board_move(self) -> None:
        plan = self.runner["plan"]
        self.page(f"/plans/{plan}/", "board")
        if len(self.board) < 2:
            return
        item = self.rng.choice(self.board)
        to = self.rng.randrange(len(self.board))
        day = self.runner["board_day"]
        self.send(
            "POST",
            f"/plans/{plan}/items/{item}/move/",
            "board move",
            data={"to": to},
            headers={"HX-Request": "true", "HX-Target": f"day-{day}"},
            write={"kind": "move", "plan": plan, "weekday": day, "item": item, "to": to},
        )

    @task(1)
    def board_add(self) -> None:
        plan = self.runner["plan"]
        token = str(uuid.uuid4())
        exercise = self.rng.choice(POPULATION["exercises"])
        self.send(
            "POST",
            f"/plans/{plan}/add/",
            "board add",
            data={"exercise": exercise, "weekday": self.runner["add_day"], "token": token},
            write={
                "kind": "add",
                "plan": plan,
                "weekday": self.runner["add_day"],
                "exercise": exercise,
                "token": token,
            },
        )

    # The log -----------------------------------------------------------------------------

    @task(2)
    def log(self) -> None:
        self.page("/log/", "log")

    @task(2)
    def progress(self) -> None:
        self.page("/progress/", "progress")

    @task(1)
    def csv(self) -> None:
        self.page("/log/export.csv", "log CSV")

    @task(1)
    def log_by_hand(self) -> None:
        token = str(uuid.uuid4())
        notes = f"By hand under load {token[:8]}"
        day = (date.fromisoformat(TODAY) - timedelta(days=self.rng.randint(1, 60))).isoformat()
        self.send(
            "POST",
            "/log/new/",
            "log by hand",
            data={"date": day, "notes": notes, "token": token},
            write={"kind": "session", "token": token, "date": day, "notes": notes},
        )

    # Mail --------------------------------------------------------------------------------

    @task(1)
    def password_reset(self) -> None:
        """Asks for a reset email: the page that needs the mail server."""
        self.page("/accounts/password/reset/", "password reset page")
        self.send(
            "POST",
            "/accounts/password/reset/",
            "password reset",
            data={
                "email": self.runner["email"],
                "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", ""),
            },
        )
