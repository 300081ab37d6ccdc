"""Where things go: free positions clear of what is already placed, numbers laid out freely
in an area (drawing canvas, webcam sheet), and reading order."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from digit_app.data.scenes.config import SceneConfig
from digit_app.data.scenes.ink import Color, Ink, Rect
from digit_app.data.scenes.marks import count
from digit_app.data.scenes.render import ChooseFn, Draft, NumberRenderer, Spacing, draft_number
from digit_app.types import Box

READING_LINE_TOLERANCE = 0.5  # centres closer than this many heights: same line of text
#: An area (x0, y0, x1, y1) of the page, in px.
Area = tuple[int, int, int, int]


def gap(a: Rect, b: Rect) -> float:
    """Chebyshev distance between two (x, y, w, h) rectangles; 0 if they overlap."""
    dx = max(b[0] - (a[0] + a[2]), a[0] - (b[0] + b[2]), 0.0)
    dy = max(b[1] - (a[1] + a[3]), a[1] - (b[1] + b[3]), 0.0)
    return max(dx, dy)


def free_spot(
    rng: np.random.Generator,
    w: int,
    h: int,
    area: Area,
    occupied: Sequence[Rect],
    clearance: Sequence[float],
    tries: int,
) -> tuple[int, int] | None:
    """A position for a w x h element inside ``area``, ``clearance[i]`` away from
    ``occupied[i]``; None after ``tries`` failed draws."""
    x0, y0, x1, y1 = area
    if x1 - x0 < w or y1 - y0 < h:
        return None
    for _ in range(tries):
        x = int(rng.integers(x0, x1 - w + 1))
        y = int(rng.integers(y0, y1 - h + 1))
        if all(gap((x, y, w, h), o) >= c for o, c in zip(occupied, clearance)):
            return x, y
    return None


@dataclass
class LoosePlacer:
    """Puts loose elements (words, blots, ...) at free spots of ``area``, ``clearance`` px
    from everything ``occupied``; each placed element is occupied from then on."""

    rng: np.random.Generator
    area: Area
    occupied: list[Rect]
    clearance: float
    tries: int
    placed: list[Ink] = field(default_factory=list)

    def put(self, alpha: np.ndarray, color: Color) -> None:
        """Place ``alpha`` (``h x w float32``) in ``color`` if a free spot is found."""
        h, w = alpha.shape
        spot = free_spot(self.rng, w, h, self.area, self.occupied,
                         [self.clearance] * len(self.occupied), self.tries)
        if spot is not None:
            self.placed.append(Ink(alpha, spot[0], spot[1], color))
            self.occupied.append(self.placed[-1].rect)


@dataclass(frozen=True)
class FreeLayout:
    """Numbers placed freely in an area: how many digits each, their height (px), the gap
    between digits and the separation between numbers (both in digit heights)."""

    digits: tuple[int, int]
    height: tuple[float, float]
    gap: tuple[float, float]
    separation: float


Placed = tuple[Draft, int, int]  # a drafted number and its top-left corner


def place_numbers(
    rng: np.random.Generator,
    labels: np.ndarray,
    renderer: NumberRenderer,
    area: Area,
    n_numbers: int,
    spec: FreeLayout,
    cfg: SceneConfig,
    choose: ChooseFn | None = None,
) -> list[Placed]:
    """``n_numbers`` numbers placed freely in ``area``, ``spec.separation`` heights apart,
    each of digits ``choose`` picks (default: any of ``labels``).

    Heights are drawn up to a cap; when the numbers do not all fit, the whole layout is
    redone with a lower cap (so one huge number does not crowd out the others).
    """
    low, cap = spec.height
    best: list[Placed] = []
    pick = choose or (lambda r, n: r.integers(0, len(labels), size=n))
    # the same digits through all attempts (their strokes are computed once)
    picks = [pick(rng, count(rng, spec.digits)) for _ in range(n_numbers)]
    for _ in range(cfg.layout_attempts):
        placed = _try_layout(rng, labels, renderer, area, picks, (low, cap), spec, cfg)
        if len(placed) == n_numbers:
            return placed
        if len(placed) > len(best):
            best = placed
        cap = max(low, cap * cfg.shrink_on_failure)
    return best


def _try_layout(
    rng: np.random.Generator,
    labels: np.ndarray,
    renderer: NumberRenderer,
    area: Area,
    number_picks: list[np.ndarray],
    height: tuple[float, float],
    spec: FreeLayout,
    cfg: SceneConfig,
) -> list[Placed]:
    """One layout attempt with number heights drawn from ``height``; stops at the first
    number that finds no place."""
    placed: list[Placed] = []
    x0, y0, x1, y1 = area
    spacing = Spacing(spec.gap, spec.height)
    for picks in number_picks:
        hi = height[1]
        for _ in range(cfg.number_tries):
            h = rng.uniform(height[0], max(hi, height[0]))
            draft = draft_number(rng, picks, labels, h, spacing, renderer.for_height(h), cfg)
            fit = min((x1 - x0) / draft.width, (y1 - y0) / draft.height)
            if fit < 1:
                hi = max(height[0], h * fit * cfg.shrink_on_failure)
                continue
            spot = free_spot(
                rng, draft.width, draft.height, area,
                [(px, py, d.width, d.height) for d, px, py in placed],
                [spec.separation * max(h, d.digit_height) for d, _, _ in placed],
                cfg.positions_per_draft,
            )
            if spot is not None:
                placed.append((draft, *spot))
                break
            hi = max(height[0], min(hi, h) * cfg.shrink_on_failure)
        else:
            return placed
    return placed


def reading_order(boxes: Sequence[Box]) -> list[int]:
    """Indexes of boxes top to bottom by line, then left to right."""
    order = sorted(range(len(boxes)), key=lambda i: boxes[i][1] + boxes[i][3] / 2)
    lines: list[list[int]] = []
    for i in order:
        cy = boxes[i][1] + boxes[i][3] / 2
        if lines:
            ref = boxes[lines[-1][0]]
            if abs(cy - (ref[1] + ref[3] / 2)) < READING_LINE_TOLERANCE * max(ref[3], boxes[i][3]):
                lines[-1].append(i)
                continue
        lines.append([i])
    return [i for line in lines for i in sorted(line, key=lambda k: boxes[k][0])]


def overlap(a: Box, b: Box) -> bool:
    """Whether two (x, y, w, h) boxes share any pixel."""
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]
