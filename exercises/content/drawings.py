"""The seeded library's line drawings: the start and end position of every exercise.

Our own work, under the project's licence. Each drawing is a few shapes (shin, foot,
step, band, towel, weight) drawn from numbers here, so a change is a one-line edit and
`python -m exercises.content.drawings` writes every file again (a test checks the
committed files are what this writes). The part that moves is in the accent colour, an
arrow shows where it goes, and an end position shows the start faintly behind it. The
colours are the site's, light and dark, from the viewer's colour-scheme preference.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

DRAWINGS_DIR = Path(__file__).resolve().parent.parent.parent / "static" / "exercises" / "drawings"
STATIC_PREFIX = "exercises/drawings/"
WIDTH, HEIGHT = 240, 180

STYLE = """
.limb{fill:#ffffff;stroke:#1c2420;stroke-width:4;stroke-linejoin:round;stroke-linecap:round}
.move{fill:#d5efec;stroke:#0f766e}
.ghost{fill:none;stroke:#8a9690;stroke-width:2.5;stroke-dasharray:5 5}
.ground{stroke:#4d5a54;stroke-width:3;stroke-linecap:round}
.thing{fill:#eef2ef;stroke:#4d5a54;stroke-width:3;stroke-linejoin:round}
.band{fill:none;stroke:#0f766e;stroke-width:4}
.arrow{fill:none;stroke:#0f766e;stroke-width:4;stroke-linecap:round;marker-end:url(#head)}
.head{fill:#0f766e}
@media (prefers-color-scheme:dark){
.limb{fill:#1b211e;stroke:#e8ece9}
.move{fill:#17403c;stroke:#4fd1c5}
.ghost{stroke:#8a9690}
.ground{stroke:#a9b5ae}
.thing{fill:#232b27;stroke:#a9b5ae}
.band,.arrow{stroke:#4fd1c5}
.head{fill:#4fd1c5}
}
""".strip()

Point = tuple[float, float]


def _f(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _points(points: list[Point]) -> str:
    return " ".join(f"{_f(x)},{_f(y)}" for x, y in points)


def _rotate(points: list[Point], about: Point, degrees: float) -> list[Point]:
    a = math.radians(degrees)
    cx, cy = about
    return [
        (cx + (x - cx) * math.cos(a) - (y - cy) * math.sin(a),
         cy + (x - cx) * math.sin(a) + (y - cy) * math.cos(a))
        for x, y in points
    ]  # fmt: skip


def polygon(points: list[Point], cls: str = "limb") -> str:
    return f'<polygon class="{cls}" points="{_points(points)}"/>'


def line(a: Point, b: Point, cls: str = "ground") -> str:
    return f'<line class="{cls}" x1="{_f(a[0])}" y1="{_f(a[1])}" x2="{_f(b[0])}" y2="{_f(b[1])}"/>'


def arrow(a: Point, b: Point, bend: float = 0) -> str:
    """An arrow from a to b, bowed sideways by `bend`."""
    mx, my = (a[0] + b[0]) / 2, (a[1] + b[1]) / 2
    dx, dy = b[0] - a[0], b[1] - a[1]
    length = math.hypot(dx, dy) or 1
    c = (mx - dy / length * bend, my + dx / length * bend)
    return (
        f'<path class="arrow" d="M{_f(a[0])} {_f(a[1])} Q{_f(c[0])} {_f(c[1])} '
        f'{_f(b[0])} {_f(b[1])}"/>'
    )


def rect(x: float, y: float, w: float, h: float, cls: str = "thing", r: float = 3) -> str:
    return (
        f'<rect class="{cls}" x="{_f(x)}" y="{_f(y)}" width="{_f(w)}" height="{_f(h)}" '
        f'rx="{_f(r)}"/>'
    )


def circle(x: float, y: float, r: float, cls: str = "thing") -> str:
    return f'<circle class="{cls}" cx="{_f(x)}" cy="{_f(y)}" r="{_f(r)}"/>'


def svg(title: str, *parts: str) -> str:
    body = "\n".join(parts)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img">\n'
        f"<title>{title}</title>\n<style>{STYLE}</style>\n"
        '<defs><marker id="head" viewBox="0 0 10 10" refX="6" refY="5" markerWidth="4" '
        'markerHeight="4" orient="auto-start-reverse"><path class="head" d="M0 0L10 5L0 10z"/>'
        "</marker></defs>\n"
        f"{body}\n</svg>\n"
    )


# A leg from the side, facing right: the foot pivots about the ball (a calf raise) or the
# heel (toes up), the shin rises from the ankle, upright or leaning forward (knee bent).
GROUND = 160
BALL = (150.0, GROUND)


def leg(
    *,
    heel_up: float = 0,
    toes_up: float = 0,
    knee_bend: float = 0,
    ground: float = GROUND,
    ball_x: float = 150,
    foot_cls: str = "limb",
    shin_cls: str = "limb",
    toes_curl: float = 0,
    arch: float = 0,
) -> tuple[list[str], dict[str, Point]]:
    """The shapes of a lower leg and where its heel, ball, toes and ankle end up."""
    ball = (ball_x, ground)
    heel, toe = (ball_x - 78, ground), (ball_x + 30, ground)
    ankle = (ball_x - 62, ground - 34)
    instep = (ball_x - 20, ground - 22 - arch)
    sole_mid = (ball_x - 40, ground - arch)
    toe_top = (ball_x + 26, ground - 9)
    if toes_curl:
        toe, toe_top = (ball_x + 18, ground - 2), (ball_x + 22, ground - 14)
    foot = [heel, sole_mid, ball, toe, toe_top, instep, ankle, (ball_x - 82, ground - 22)]
    if heel_up:
        # The rearfoot turns about the ball; the toes stay flat on the floor.
        turned = _rotate(foot, ball, heel_up)
        foot = [turned[i] if i not in (2, 3, 4) else foot[i] for i in range(len(foot))]
    if toes_up:
        foot = _rotate(foot, heel, -toes_up)
    ankle = foot[6]
    lean = math.radians(knee_bend)
    knee = (ankle[0] + 100 * math.sin(lean), ankle[1] - 100 * math.cos(lean))
    nx, ny = math.cos(lean), math.sin(lean)  # across the shin
    back, front = 19, 12
    shin = [
        (ankle[0] - 11, ankle[1] + 6),
        (
            ankle[0] - back * nx + 45 * math.sin(lean) - 6,
            ankle[1] - 45 * math.cos(lean) - back * ny,
        ),
        (knee[0] - 16 * nx, knee[1] - 16 * ny + 6),
        (knee[0] - 16 * nx, knee[1] - 30),
        (knee[0] + front * nx + 4, knee[1] - 30),
        (knee[0] + front * nx + 4, knee[1] + front * ny),
        (ankle[0] + 14, ankle[1] - 4),
    ]
    points = {"heel": foot[0], "ball": foot[2], "toe": foot[3], "ankle": ankle, "knee": knee}
    return [polygon(shin, shin_cls), polygon(foot, foot_cls)], points


def ghost_of(shapes: list[str]) -> list[str]:
    return [shape.replace('class="limb move"', 'class="ghost"').replace(
        'class="limb"', 'class="ghost"') for shape in shapes]  # fmt: skip


def step_block(ground: float = GROUND, edge: float = 130) -> str:
    """A step under the front of the foot, its back edge at `edge`: the heel is free."""
    return rect(edge, ground, WIDTH - 12 - edge, HEIGHT - ground + 4, r=2)


def floor(y: float = GROUND) -> str:
    return line((8, y), (WIDTH - 8, y))


MOVE = "limb move"


def weight(x: float, y: float) -> list[str]:
    return [
        rect(x - 4, y - 22, 8, 44, r=4),
        rect(x - 12, y - 30, 24, 10),
        rect(x - 12, y + 20, 24, 10),
    ]


# --- each kind of movement: (start shapes, end shapes) ------------------------------------


def calf_raise(
    *, weighted: bool = False, knee: float = 0, on_step: bool = False, towel: bool = False
) -> tuple[str, str]:
    ground = 130 if on_step else GROUND
    base = [floor(), step_block(ground, edge=126)] if on_step else [floor()]
    start, p = leg(knee_bend=knee, ground=ground, foot_cls=MOVE)
    end, q = leg(knee_bend=knee, ground=ground, heel_up=28, foot_cls=MOVE)
    extra = weight(40, 60) if weighted else []
    if towel:
        # A rolled towel under the toes: they stay bent upwards through the raise.
        extra.append(circle(p["toe"][0] - 4, ground - 7, 7))
    up = arrow((p["heel"][0] - 14, p["heel"][1] - 4), (q["heel"][0] - 14, q["heel"][1] - 10))
    return (
        svg("Start: heel down", *base, *extra, *start, up),
        svg("End: heel lifted high", *base, *extra, *ghost_of(start), *end),
    )


def calf_drop(*, knee: float = 0) -> tuple[str, str]:
    ground = 120
    base = [floor(), step_block(ground, edge=104)]
    # The ball sits on the step's edge; the heel hangs past it.
    start, p = leg(knee_bend=knee, ground=ground, ball_x=112, heel_up=26, foot_cls=MOVE)
    end, q = leg(knee_bend=knee, ground=ground, ball_x=112, heel_up=-14, foot_cls=MOVE)
    down = arrow((p["heel"][0] - 14, p["heel"][1]), (q["heel"][0] - 14, q["heel"][1] + 4))
    return (
        svg("Start: up on the ball of the foot at the step's edge", *base, *start, down),
        svg("End: heel lowered below the step", *base, *ghost_of(start), *end),
    )


def soleus(*, weighted: bool = False) -> tuple[str, str]:
    return calf_raise(weighted=weighted, knee=18, on_step=True)


def walk(*, on_heels: bool) -> tuple[str, str]:
    start, _ = leg(foot_cls=MOVE)
    if on_heels:
        end, q = leg(toes_up=22, foot_cls=MOVE)
        mark = arrow((q["toe"][0] - 6, GROUND - 8), (q["toe"][0] + 2, q["toe"][1] - 6))
        title = "End: walking on the heels, front of the foot lifted"
    else:
        end, q = leg(heel_up=30, foot_cls=MOVE)
        mark = arrow((q["heel"][0] - 12, GROUND - 4), (q["heel"][0] - 12, q["heel"][1] - 8))
        title = "End: walking on the toes, heels high"
    forward = arrow((40, 30), (110, 30))
    return (
        svg("Start: standing tall, feet flat", floor(), *start, forward),
        svg(title, floor(), *ghost_of(start), *end, mark, forward),
    )


def towel() -> tuple[str, str]:
    flat = line((120, GROUND - 2), (236, GROUND - 2), "band")
    start, p = leg(foot_cls=MOVE)
    end, q = leg(foot_cls=MOVE, toes_curl=1)
    bunched = (
        f'<path class="band" d="M150 {GROUND - 2} q6 -14 12 0 q6 -14 12 0 q6 -14 12 0 L236 '
        f'{GROUND - 2}"/>'
    )
    pull = arrow((214, GROUND - 24), (174, GROUND - 24))
    return (
        svg("Start: toes stretched out flat on the towel", floor(), flat, *start, pull),
        svg("End: toes curled, gathering the towel in", floor(), bunched, *ghost_of(start), *end),
    )


def marble() -> tuple[str, str]:
    start, p = leg(foot_cls=MOVE)
    end, q = leg(foot_cls=MOVE, toes_curl=1, ground=GROUND - 16)
    lift = arrow((196, GROUND - 4), (196, GROUND - 34))
    return (
        svg("Start: foot flat, marble in front of the toes", floor(), *start,
            circle(190, GROUND - 8, 8), lift),
        svg("End: toes gripping the marble, lifted off the floor", floor(), *ghost_of(start), *end,
            circle(174, GROUND - 10, 8), arrow((196, GROUND - 10), (196, GROUND - 34))),
    )  # fmt: skip


def arch_lift() -> tuple[str, str]:
    start, _ = leg(foot_cls=MOVE)
    end, _ = leg(foot_cls=MOVE, arch=16, ball_x=140)
    up = arrow((110, GROUND + 14), (110, GROUND - 22))
    return (
        svg("Start: foot relaxed flat", floor(), *start, up),
        svg(
            "End: ball of the foot drawn back, arch lifted, toes long",
            floor(),
            *ghost_of(start),
            *end,
        ),
    )


# The foot from above (toe spreads) and from the front (toe yoga).
def _toes_above(spread: float, cls: str) -> list[str]:
    shapes = [
        '<path class="limb" d="M108 176 C92 150 84 104 92 72 L174 68 C182 104 164 146 150 176 Z"/>'
    ]
    toes = [(104, 52, 11), (126, 48, 8), (142, 50, 7.5), (156, 55, 7), (168, 62, 6.5)]
    for index, (x, y, r) in enumerate(toes):
        offset = (index - 0.6) * spread
        shapes.append(circle(x + offset, y + 12 - abs(offset) * 0.3, r + 1, cls))
    return shapes


def toe_spread(*, band: bool = False) -> tuple[str, str]:
    ring = [f'<ellipse class="band" cx="136" cy="66" rx="{r}" ry="16"/>' for r in (44,)]
    out = [arrow((126, 24), (96, 24)), arrow((146, 24), (178, 24))]
    return (
        svg("Start: foot seen from above, toes resting together", *_toes_above(0, MOVE),
            *(ring if band else []), *out),
        svg("End: toes fanned wide apart", *_toes_above(9, MOVE), *(ring if band else [])),
    )  # fmt: skip


def _toes_front(lifted: set[int], hand: bool) -> list[str]:
    shapes = [
        floor(),
        '<path class="limb" d="M56 160 C56 96 96 70 130 70 C170 70 204 104 204 160 Z"/>',
    ]
    toes = [(78, 32, 17), (114, 24, 14), (140, 22, 13), (164, 20, 12), (186, 18, 11)]
    for index, (x, w, h) in enumerate(toes):
        up = 26 if index in lifted else 0
        cls = MOVE if index in lifted else "limb"
        shapes.append(rect(x - w / 2, GROUND - 2 * h - 4 - up, w, 2 * h + 4, cls, w / 2))
        if hand and index in lifted:
            shapes.append(rect(x - w / 2 - 6, GROUND - 2 * h - 18 - up, w + 12, 12, "thing", 6))
    return shapes


def toe_yoga(*, resisted: bool = False) -> tuple[str, str]:
    up_big = arrow((78, 80), (78, 50))
    up_small = arrow((150, 84), (150, 54))
    return (
        svg("Start: big toe lifted, small toes down (foot seen from the front)",
            *_toes_front({0}, resisted), up_big),
        svg("End: four small toes lifted, big toe down", *_toes_front({1, 2, 3, 4}, resisted),
            up_small),
    )  # fmt: skip


# A whole body from the side, for the two balance exercises.
def _capsule(a: Point, b: Point, cls: str = "limb", width: float = 14) -> str:
    dx, dy = b[0] - a[0], b[1] - a[1]
    length = math.hypot(dx, dy) or 1
    angle = math.degrees(math.atan2(dy, dx))
    return (
        f'<rect class="{cls}" x="{_f(-width / 2)}" y="{_f(-width / 2)}" '
        f'width="{_f(length + width)}" '
        f'height="{_f(width)}" rx="{_f(width / 2)}" '
        f'transform="translate({_f(a[0])} {_f(a[1])}) rotate({_f(angle)})"/>'
    )


def _body(
    hip: Point,
    trunk: float,
    thigh: float,
    shin: float,
    free_thigh: float,
    free_shin: float,
    cls: str = "limb",
) -> list[str]:
    def at(p: Point, degrees: float, length: float) -> Point:
        a = math.radians(degrees)
        return (p[0] + length * math.sin(a), p[1] + length * math.cos(a))

    shoulder = at(hip, 180 - trunk, 50)
    knee = at(hip, thigh, 42)
    ankle = at(knee, shin, 42)
    free_knee = at(hip, free_thigh, 42)
    free_ankle = at(free_knee, free_shin, 40)
    hand = at(shoulder, -20 + trunk * 0.6, 40)
    return [
        _capsule(free_knee, free_ankle, "ghost" if cls == "ghost" else "limb", 11),
        _capsule(hip, free_knee, "ghost" if cls == "ghost" else "limb", 12),
        _capsule(hip, shoulder, cls, 18),
        circle(*at(shoulder, 180 - trunk, 16), 10, cls if cls == "ghost" else "limb"),
        _capsule(shoulder, hand, "ghost" if cls == "ghost" else "limb", 9),
        _capsule(knee, ankle, cls, 12),
        _capsule(hip, knee, cls, 14),
        _capsule(ankle, (ankle[0] + 20, ankle[1] + 2), "ghost" if cls == "ghost" else "limb", 8),
    ]


def deadlift() -> tuple[str, str]:
    standing = _body((110, 72), 0, 0, 0, -12, 40)
    hinged = _body((105.6, 72.7), 70, 10, -4, -80, -80, MOVE)
    # The stance leg's ankle lands on the ground line in both.
    return (
        svg("Start: standing tall on one leg, the other foot just off the floor",
            floor(), *standing, arrow((140, 24), (176, 60), bend=-10)),
        svg("End: hinged forward at the hips, back flat, free leg reaching back",
            floor(), *ghost_of(standing), *hinged),
    )  # fmt: skip


def squat() -> tuple[str, str]:
    standing = _body((110, 72), 8, 0, 0, -30, -60)
    bent = _body((88, 95.5), 30, 60, -20, -20, -80, MOVE)
    return (
        svg("Start: standing on one leg, chest a little forward", floor(), *standing,
            arrow((150, 70), (150, 104))),
        svg("End: standing knee bent into a controlled squat", floor(), *ghost_of(standing),
            *bent),
    )  # fmt: skip


def balance(*, cushion: bool = False, reach: bool = False) -> tuple[str, str]:
    """Standing on one leg: on the floor or a cushion, the free foot lifted or reaching."""
    lift = 12 if cushion else 0
    hip = (110, 72 - lift)
    base = [floor(), rect(84, GROUND - lift, 52, lift, r=5)] if cushion else [floor()]
    both = _body(hip, 0, 0, 0, -6, 6)
    if reach:
        one = _body(hip, 8, 6, -4, 70, 80, MOVE)
        title = "End: balanced on one leg, the free foot reaching forward to tap the air"
        mark = arrow((150, 118), (190, 112), bend=-6)
    else:
        one = _body(hip, 0, 0, 0, -30, -70, MOVE)
        title = "End: balanced on one leg, the other foot lifted behind"
        mark = arrow((96, 150), (70, 120), bend=6)
    return (
        svg("Start: standing tall on both feet", *base, *both),
        svg(title, *base, *ghost_of(both), *one, mark),
    )


DRAWN: dict[str, Callable[[], tuple[str, str]]] = {
    "calf-raise-both-feet": calf_raise,
    "calf-raise": calf_raise,
    "calf-raise-weighted": lambda: calf_raise(weighted=True),
    "calf-drop-step": calf_drop,
    "calf-drop-step-single-leg": calf_drop,
    "calf-drop-step-bent-knee": lambda: calf_drop(knee=18),
    "soleus-raise-both-feet": soleus,
    "soleus-raise": soleus,
    "soleus-raise-weighted": lambda: soleus(weighted=True),
    "toe-spread": toe_spread,
    "toe-spread-band": lambda: toe_spread(band=True),
    "toe-yoga": toe_yoga,
    "toe-yoga-resisted": lambda: toe_yoga(resisted=True),
    "towel-scrunch": towel,
    "marble-pickup": marble,
    "arch-lift": arch_lift,
    "heel-walk": lambda: walk(on_heels=True),
    "toe-walk": lambda: walk(on_heels=False),
    "single-leg-deadlift": deadlift,
    "single-leg-squat": squat,
    "plantar-heel-raise": lambda: calf_raise(on_step=True, towel=True),
    "single-leg-balance": balance,
    "single-leg-balance-eyes-closed": balance,
    "single-leg-balance-cushion": lambda: balance(cushion=True),
    "single-leg-balance-reach": lambda: balance(reach=True),
}


def drawings() -> dict[str, str]:
    """Every drawing's file name and text."""
    found = {}
    for slug, draw in DRAWN.items():
        start, end = draw()
        found[f"{slug}-start.svg"], found[f"{slug}-end.svg"] = start, end
    return found


def write_drawings(directory: Path = DRAWINGS_DIR) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in drawings().items():
        path = directory / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write_drawings():
        print(path)  # noqa: T201
