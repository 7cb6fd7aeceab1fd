"""The generated guard of issue 21: every URL pattern of our own apps, every form on them.

Each pattern (the admin's and allauth's own views left out; the pages we put in their place
are in) needs a case in CASES, or this test fails: a view added later is covered the day
it is added. Its pages are drawn for two runners (and for a visitor where a visitor may go),
and every form found on them, including htmx's own `hx-post` forms, is then:

(a) posted twice exactly as drawn: the second post adds or removes no row (a double click);
(b) posted empty, with a NUL byte and with 10,000 characters in each field, and with its
    one-off token, `next` and ids malformed: never a 500 or a 503 (or an exception);
(c) for a pattern with a runner's ids in it, asked (GET and POST) with another runner's ids,
    with ids that do not exist and with ids past any column's range: one answer.

Every request runs in a savepoint that is rolled back, so each starts from the same world.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import pytest
from django.apps import apps
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.exceptions import Resolver404
from django.utils import timezone

from exercises.models import Condition, Muscle
from footcare.reminders.services import unsubscribe_token
from footcare.sharing.models import ShareLink
from footcare.sharing.services import link_create
from routines.plans.models import CHANGED_DOSE_FIELDS, PlanItem, StarterPlan, WeeklyPlan
from routines.plans.services import plan_item_remove
from routines.plans.starter_content import read_starter_plans, starter_plans_seed
from routines.training.models import ExerciseLog, MorningCheckIn, WorkoutSession

from .conftest import add_item
from .test_suggestions import changed, ready_to_progress

pytestmark = pytest.mark.django_db

OWN_APPS = ("footcare.", "exercises.", "routines.")
MISSING = 987_654_321
LONG = 10_000

# The patterns ---------------------------------------------------------------------------------


def own_patterns() -> dict[str, str]:
    """Every URL pattern whose view is ours, by its name (namespaced) or else its route."""
    found: dict[str, str] = {}

    def walk(patterns: list, namespace: str, prefix: str) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                if inner == "admin":
                    continue
                walk(pattern.url_patterns, inner, route)
            elif isinstance(pattern, URLPattern):
                if not pattern.callback.__module__.startswith(OWN_APPS):
                    continue  # allauth's own views
                name = pattern.name or route
                found.setdefault(f"{namespace}:{name}" if namespace else name, route)

    walk(get_resolver().url_patterns, "", "")
    return found


# The world: two runners with one of everything ---------------------------------------------


@dataclass
class Owned:
    plan: int
    item: int  # on the active plan, today (a Monday)
    session: int
    log: int
    change: int
    removed: int  # an item removed a moment ago, whose Undo is on offer
    link: int  # a live shared link


@dataclass
class World:
    own: Owned
    theirs: Owned
    starter: str
    exercise: str
    muscle: str
    condition: str
    feed: str
    shared: str  # the runner's live shared link's token
    unsubscribe: str  # the runner's reminder unsubscribe token

    def ids(self, who: str) -> Owned:
        if who in ("missing", "overflow"):
            # An id past any column's range is as missing as one in range.
            gone = MISSING if who == "missing" else 10**25
            return Owned(gone, gone, gone, gone, gone, gone, gone)
        return self.own if who == "own" else self.theirs


def objects_of(runner, exercise, day) -> Owned:
    plan = WeeklyPlan.objects.create(owner=runner, name="Strong feet", is_active=True)
    item = add_item(plan, exercise("calf-raise"), 0)
    add_item(plan, exercise("toe-yoga"), 0)
    add_item(plan, exercise("calf-raise"), 3)
    add_item(plan, exercise("toe-yoga"), 1)
    ready_to_progress(runner, plan)
    WeeklyPlan.objects.create(owner=runner, name="Spare")  # for Make active
    # Away from the calf raises, whose suggestion the world keeps on offer.
    toes = plan.items.get(weekday=1)
    session = WorkoutSession.objects.create(owner=runner, date=day, notes="Easy")
    log = ExerciseLog.objects.create(session=session, exercise=toes.exercise, sets_done=0)
    dose = {name: getattr(toes, name) for name in CHANGED_DOSE_FIELDS}
    change = changed(
        runner, toes, timezone.now(), reason="Two easy sessions.", dose_before=dose, dose_after=dose
    )
    MorningCheckIn.objects.filter(owner=runner, date=day).delete()
    removed = plan_item_remove(item=add_item(plan, exercise("toe-yoga"), 4))
    link = link_create(owner=runner, token=None, expires_in_days=30, label="Dr Okafor")
    return Owned(plan.pk, item.pk, session.pk, log.pk, change.pk, removed.item_pk, link.pk)


@pytest.fixture
def world(runner, other_runner, exercise, on_monday) -> World:
    starter_plans_seed(data=read_starter_plans())
    plan_of_a = objects_of(runner, exercise, on_monday)
    return World(
        own=plan_of_a,
        theirs=objects_of(other_runner, exercise, on_monday),
        starter=StarterPlan.objects.filter(published=True).first().slug,
        exercise="calf-raise",
        muscle=Muscle.objects.first().slug,
        condition=Condition.objects.first().slug,
        feed=WeeklyPlan.objects.get(pk=plan_of_a.plan).calendar_token,
        shared=ShareLink.objects.get(pk=plan_of_a.link).token,
        unsubscribe=unsubscribe_token(runner),
    )


# The cases ------------------------------------------------------------------------------------

Kwargs = Callable[[World, str], dict[str, Any]]


@dataclass
class Case:
    kwargs: Kwargs | None = None
    # The runner's own ids are in the address: (c) asks with another runner's and missing ones.
    owned: bool = False
    # Query strings that draw more of the page's forms (a search, a chosen day).
    queries: tuple[str, ...] = ("",)
    # Also drawn for a visitor, and its forms posted as one.
    visitor: bool = False
    # Reached by POST only; its forms are found on other pages.
    post_only: bool = False
    # Values that make the form as drawn one that is accepted, for (a).
    fill: dict[str, str] = field(default_factory=dict)


def owned(make: Kwargs, **rest: Any) -> Case:
    return Case(kwargs=make, owned=True, **rest)


def plan_kwargs(w: World, who: str) -> dict:
    return {"pk": w.ids(who).plan}


def item_kwargs(w: World, who: str) -> dict:
    # Through the runner's own plan: another plan's own id is plan_kwargs' case.
    return {"pk": w.own.plan, "item_pk": w.ids(who).item}


def session_kwargs(w: World, who: str) -> dict:
    return {"pk": w.ids(who).session}


CASES: dict[str, Case] = {
    "home": Case(visitor=True),
    "healthz": Case(visitor=True),
    "favicon.ico": Case(visitor=True),
    "manifest": Case(visitor=True),
    "service_worker": Case(visitor=True),
    "exercises:list": Case(visitor=True, queries=("", "?q=calf&level=9")),
    "exercises:detail": Case(kwargs=lambda w, who: {"slug": w.exercise}, visitor=True),
    "exercises:muscles": Case(visitor=True),
    "exercises:muscle": Case(kwargs=lambda w, who: {"slug": w.muscle}, visitor=True),
    "exercises:conditions": Case(visitor=True),
    "exercises:condition": Case(kwargs=lambda w, who: {"slug": w.condition}, visitor=True),
    "plans:list": Case(),
    "plans:create": Case(post_only=True),
    "plans:generate": Case(queries=("", "?sessions=3&minutes=20")),
    "plans:add_exercise": Case(post_only=True),
    "plans:starter_copy": Case(kwargs=lambda w, who: {"slug": w.starter}, post_only=True),
    "plans:feed": Case(kwargs=lambda w, who: {"token": w.feed}, visitor=True),
    "plans:detail": owned(plan_kwargs, queries=("", "?removed={removed}")),
    "plans:edit": owned(plan_kwargs),
    "plans:duplicate": owned(plan_kwargs, post_only=True),
    "plans:delete": owned(plan_kwargs),
    "plans:activate": owned(plan_kwargs, post_only=True),
    "plans:print": owned(plan_kwargs),
    "plans:calendar_renew": owned(plan_kwargs, post_only=True),
    "plans:item_add": owned(plan_kwargs, queries=("", "?day=1&q=calf")),
    "plans:day_copy": owned(
        plan_kwargs, post_only=True, fill={"from_weekday": "1", "to_weekday": "0"}
    ),
    "plans:item_update": owned(item_kwargs),
    "plans:item_remove": owned(item_kwargs, post_only=True),
    "plans:item_move": owned(item_kwargs, post_only=True),
    "plans:item_restore": owned(
        lambda w, who: {"pk": w.own.plan, "item_pk": w.ids(who).removed}, post_only=True
    ),
    "log:today": Case(),
    "log:item": owned(lambda w, who: {"item_pk": w.ids(who).item}, post_only=True),
    "log:set": owned(lambda w, who: {"item_pk": w.ids(who).item, "number": 1}, post_only=True),
    "log:finish": Case(post_only=True),
    "log:check_in": Case(post_only=True),
    "log:list": Case(queries=("", "?exercise=calf-raise&month=2026-11&page=2")),
    "log:new": Case(),
    "log:plan_day": Case(kwargs=lambda w, who: {"weekday": 0}),
    "log:export": Case(),
    "log:detail": owned(session_kwargs, queries=("", "?q=calf")),
    "log:entry_add": owned(session_kwargs, post_only=True),
    "log:entry_edit": owned(lambda w, who: {"pk": w.ids(who).session, "log_pk": w.ids(who).log}),
    "log:delete": owned(session_kwargs),
    "log:log_finish": owned(session_kwargs, post_only=True),
    # /today/'s suggestions, a fragment for htmx: without it, the progress page's in full.
    "suggestions:panel": Case(queries=("", "?next=/today/")),
    "suggestions:apply": Case(post_only=True),
    "suggestions:undo": owned(lambda w, who: {"pk": w.ids(who).change}, post_only=True),
    "progress:index": Case(),
    "accounts:profile": Case(),
    "accounts:profile_day": Case(kwargs=lambda w, who: {"day": "sunday"}, post_only=True),
    "accounts:calf_test": Case(),
    "accounts:export": Case(),
    "accounts:delete": Case(),
    "reminders:settings": Case(),
    "reminders:unsubscribe": Case(kwargs=lambda w, who: {"token": w.unsubscribe}, visitor=True),
    "sharing:links": Case(),
    "sharing:revoke": owned(lambda w, who: {"pk": w.ids(who).link}, post_only=True),
    "sharing:shared": Case(kwargs=lambda w, who: {"token": w.shared}, visitor=True),
    "account_logout": Case(post_only=True),
    "account_signup": Case(visitor=True),
    "account_email_verification_sent": Case(visitor=True),
}


def path_of(routes: dict[str, str], name: str, w: World, who: str = "own") -> str:
    if name == routes[name]:  # a pattern without a name: its route is its address
        return "/" + name
    case = CASES[name]
    return reverse(name, kwargs=case.kwargs(w, who) if case.kwargs else {})


# Forms, as a browser and htmx read them from a page -------------------------------------------


@dataclass
class Form:
    page: str
    method: str
    action: str
    fields: dict[str, str] = field(default_factory=dict)
    hx_target: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(sorted(self.fields))


class FormParser(HTMLParser):
    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.forms: list[Form] = []
        self.current: Form | None = None
        self.textarea: str | None = None
        self.select: str | None = None
        self.button_taken = False
        self.by_id: dict[str, Form] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "form":
            action = a.get("hx-post") or a.get("action") or self.page
            method = "post" if "hx-post" in a else a.get("method", "get").lower()
            target = a.get("hx-target", "").removeprefix("#")
            self.current = Form(self.page, method, action, hx_target=target)
            self.forms.append(self.current)
            self.by_id[a.get("id", "")] = self.current
            self.button_taken = False
            return
        if "formaction" in a:
            # A button that sends its form elsewhere (the board's up, down and remove): a
            # form of its own, with the fields of the form it names.
            owner = self.by_id.get(a.get("form", "")) or self.current
            extra = {a["name"]: a.get("value", "")} if "name" in a else {}
            self.forms.append(
                Form(
                    self.page,
                    "post",
                    a["formaction"],
                    {**(owner.fields if owner else {}), **extra},
                    hx_target=owner.hx_target if owner else "",
                )
            )
            return
        form = self.current
        if tag == "option" and form is not None and self.select:
            if "selected" in a or self.select not in form.fields:
                form.fields[self.select] = a.get("value", "")
            return
        if form is None or "name" not in a:
            return
        name = a["name"]
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    form.fields[name] = a.get("value", "on")
                elif kind == "radio":
                    form.fields.setdefault(name, a.get("value", "on"))
            elif kind in ("submit", "image"):
                self._button(name, a.get("value", ""))
            else:
                form.fields[name] = a.get("value", "")
        elif tag == "button":
            self._button(name, a.get("value", ""))
        elif tag == "textarea":
            self.textarea = name
            form.fields[name] = ""
        elif tag == "select":
            self.select = name

    def _button(self, name: str, value: str) -> None:
        # The first named button, as pressing it sends its name and value.
        if self.current is not None and not self.button_taken:
            self.current.fields[name] = value
            self.button_taken = True

    def handle_data(self, data: str) -> None:
        if self.current is not None and self.textarea:
            self.current.fields[self.textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.current = None
        elif tag == "textarea":
            self.textarea = None
        elif tag == "select":
            self.select = None


def forms_on(page: str, html: str) -> list[Form]:
    parser = FormParser(page)
    parser.feed(html)
    return parser.forms


def view_name(path: str) -> str | None:
    try:
        match = resolve(path.split("?")[0].split("#")[0])
    except Resolver404:
        return None
    return match.view_name


# Requests, each in a savepoint rolled back --------------------------------------------------

COUNTED = ("routines", "accounts", "exercises")


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in COUNTED
    }


@dataclass
class Tally:
    requests: int = 0
    failures: list[str] = field(default_factory=list)

    def send(self, client: Client, method: str, path: str, data: dict, headers=None, keep=False):
        """The answer, or None after recording a crash (an exception, a 500, a 503).

        Rolled back at once, unless `keep` (the caller's own savepoint rolls back later)."""
        self.requests += 1
        # A copy of the client, so that a logout or a deleted account, rolled back in the
        # database, does not sign the client out for the requests after it.
        twin = Client(raise_request_exception=True)
        twin.cookies = copy.deepcopy(client.cookies)
        client = twin
        try:
            with transaction.atomic():
                if method == "get":
                    response = client.get(path, data, headers=headers or {})
                else:
                    response = client.post(path, data, headers=headers or {})
                transaction.set_rollback(not keep)
        except Exception as error:
            self.failures.append(f"{method.upper()} {path} {short(data)}: {error!r}"[:400])
            return None
        if response.status_code in (500, 503):
            self.failures.append(f"{method.upper()} {path} {short(data)}: {response.status_code}")
            return None
        return response


def short(data: dict) -> dict:
    return {k: (v[:20] + f"…({len(v)})" if len(v) > 20 else v) for k, v in data.items()}


def malformed(form: Form) -> list[dict[str, str]]:
    """The form posted empty, and with each field (and its token, next and ids) spoilt."""
    base = {k: v for k, v in form.fields.items() if k != "csrfmiddlewaretoken"}
    variants: list[dict[str, str]] = [{}]
    for name, value in base.items():
        long = ("7" if value.isdigit() else "a") * LONG
        variants += [{**base, name: value + "\x00"}, {**base, name: long}]
        if name == "token" or name.endswith("-token"):
            variants += [{**base, name: "x"}, {**base, name: "0" * 40}]
        if name == "next":
            variants += [{**base, name: "today"}, {**base, name: "//evil.example/"}]
        if value.isdigit():
            variants += [{**base, name: bad} for bad in ("x", "-1", "9" * 25)]
    if "next" not in base:
        variants.append({**base, "next": "today"})
    return variants


# The guard ------------------------------------------------------------------------------------


def test_every_url_and_form_of_our_apps(runner, other_runner, world: World, capsys):
    routes = own_patterns()
    assert not set(routes) - set(CASES), "URL patterns without a case here"
    assert not set(CASES) - set(routes), "cases for URL patterns that are gone"

    runner_client = Client(raise_request_exception=True)
    runner_client.force_login(runner)
    visitor = Client(raise_request_exception=True)
    tally = Tally()

    # Draw every page and collect its forms, once per view, fields and button.
    forms: dict[tuple, tuple[Client, Form]] = {}
    drawn: set[str] = set()
    for name, case in CASES.items():
        clients = [runner_client] + ([visitor] if case.visitor else [])
        for client in clients:
            for query in case.queries:
                path = path_of(routes, name, world) + query.format(removed=world.own.removed)
                response = tally.send(client, "get", path, {})
                if response is None or case.post_only:
                    continue
                assert response.status_code in (200, 302), (path, response.status_code)
                drawn.add(name)
                if "text/html" not in response.get("Content-Type", ""):
                    continue
                for form in forms_on(path, response.content.decode()):
                    target = view_name(form.action)
                    if target is None or target not in CASES:
                        continue  # allauth's own pages and the admin's
                    # One of each: the picker's forms differ only by their prefix's id.
                    names = tuple(re.sub(r"\d+", "N", name) for name in form.names)
                    key = (client is visitor, target, form.method, names)
                    forms.setdefault(key, (client, form))

    posted = {key[1] for key in forms if key[2] == "post"}
    never_drawn = {n for n, c in CASES.items() if not c.post_only and n not in drawn}
    assert not never_drawn, f"pages that never drew: {never_drawn}"
    post_only = {n for n, c in CASES.items() if c.post_only}
    assert not post_only - posted, f"POST addresses no page has a form for: {post_only - posted}"

    twice: list[str] = []
    for (_, target, method, _), (client, form) in forms.items():
        fields = {k: v for k, v in form.fields.items() if k != "csrfmiddlewaretoken"}
        fields |= {k: v for k, v in CASES[target].fill.items() if k in fields}
        htmx = {"HX-Request": "true", "HX-Target": form.hx_target} if form.hx_target else None
        # (a) The same form twice, as drawn: the second changes no count of rows.
        if method == "post":
            with transaction.atomic():
                first = tally.send(client, "post", form.action, fields, keep=True)
                after_first = row_counts()
                second = tally.send(client, "post", form.action, fields, keep=True)
                if first is not None and second is not None and row_counts() != after_first:
                    twice.append(target)
                transaction.set_rollback(True)
        # (b) Bad input of every kind: never a crash.
        for data in malformed(form):
            tally.send(client, method, form.action, data)
            if htmx:  # htmx's request takes other turns (a fragment, errors in place)
                tally.send(client, method, form.action, data, headers=htmx)

    # (c) Another runner's ids and missing ones: one answer.
    differ = []
    for name, case in CASES.items():
        if not case.owned:
            continue
        for method in ("get", "post"):
            answers = []
            for who in ("theirs", "missing", "overflow"):
                response = tally.send(runner_client, method, path_of(routes, name, world, who), {})
                answers.append(response and (response.status_code, response.get("Location", "")))
            if len(set(answers)) > 1 or answers[0] is None:
                differ.append((name, method, answers))

    with capsys.disabled():
        print(  # noqa: T201 (the guard says what it covered)
            f"\nguard: {len(routes)} URL patterns, {len(forms)} forms, "
            f"{tally.requests} requests, {len(tally.failures)} crashes"
        )
    findings = [f"posted twice as drawn, changed the rows twice: {name}" for name in twice]
    findings += tally.failures
    findings += [f"another runner's ids and missing ones answer apart: {d}" for d in differ]
    assert not findings, "\n".join(findings)
    # What was posted and found; a world that lost its rows would test nothing.
    assert PlanItem.objects.filter(pk=world.own.item).exists()
