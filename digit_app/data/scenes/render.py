"""MNIST digits rendered as ink: MNIST greys upscaled, or the skeleton redrawn with a round pen;
numbers drafted from them at their own origin."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import cv2
import numpy as np

from digit_app.data.scenes.config import SceneConfig
from digit_app.data.scenes.ink import Color, Ink, trim
from digit_app.data.strokes import Strokes, digit_strokes, draw_pen, mnist_crop

#: Renders digit ``idx`` ``height`` px tall: an alpha mask (``h x w float32`` in [0, 1]).
RenderFn = Callable[[int, float], np.ndarray]
#: Picks the digits (indexes into the source's labels) of one number of ``n`` digits.
ChooseFn = Callable[[np.random.Generator, int], np.ndarray]


class NumberRenderer(Protocol):
    """What lays a number out: its render function at a number's height."""

    def for_height(self, height: float) -> RenderFn: ...


def grey_digit(img28: np.ndarray, height: float, cfg: SceneConfig) -> np.ndarray:
    """The MNIST digit (``28 x 28 uint8``) upscaled so its ink is ``height`` tall, greys mapped
    to ink alpha (``h x w float32``)."""
    crop = mnist_crop(img28, cfg.strokes.ink_level)
    ch, cw = crop.shape
    s = height / ch
    if cw * s > cfg.max_digit_aspect * height:
        s = cfg.max_digit_aspect * height / cw
    p = cfg.grey_pad
    padded = np.pad(crop, p).astype(np.float32) / 255.0
    size = (max(1, round(padded.shape[1] * s)), max(1, round(padded.shape[0] * s)))
    g = cv2.resize(padded, size, interpolation=cv2.INTER_CUBIC)
    lo, hi = cfg.grey_ink_range
    return np.clip((g - lo) / (hi - lo), 0.0, 1.0)


def pen_digit(
    img28: np.ndarray, strokes: Strokes | None, height: float, width: int, cfg: SceneConfig
) -> np.ndarray:
    """The digit's strokes redrawn with a round anti-aliased pen ``width`` px wide, ``height``
    px tall (``h x w float32``)."""
    if strokes is None:  # degenerate digit: fall back to the grey rendering
        return grey_digit(img28, height, cfg)
    pts = strokes.points - strokes.points.min(axis=0)
    sk_w, sk_h = np.maximum(pts.max(axis=0), 1.0)
    s = max(height - width, 1.0) / sk_h
    if sk_w * s + width > cfg.max_digit_aspect * height:
        s = max(cfg.max_digit_aspect * height - width, 1.0) / sk_w
    return draw_pen(strokes, pts * s, width).astype(np.float32) / 255.0


@dataclass(frozen=True)
class Pen:
    """A constant-width pen: ``width`` px, clipped per number to
    ``[min_width, max_fraction * height]``."""

    width: int
    min_width: int = 2
    max_fraction: float = 1.0

    def width_for(self, height: float) -> int:
        """The pen's width (px) for a number ``height`` px tall."""
        top = max(self.min_width, self.max_fraction * height)
        return int(np.clip(self.width, self.min_width, top))


@dataclass
class Renderer:
    """Renders MNIST digit ``idx`` of ``images`` (``N x 28 x 28 uint8``) at a height: grey
    ink, or a constant-width ``pen`` (None: MNIST greys as ink). Skeletons are computed once
    per digit."""

    images: np.ndarray
    cfg: SceneConfig
    pen: Pen | None = None
    _cache: dict[int, Strokes | None] = field(default_factory=dict, init=False, repr=False)

    def for_height(self, height: float) -> RenderFn:
        """The render function for a number ``height`` px tall (its pen width is fixed)."""
        if self.pen is None:
            return lambda idx, h: grey_digit(self.images[idx], h, self.cfg)
        width = self.pen.width_for(height)
        return lambda idx, h: pen_digit(self.images[idx], self._strokes(idx), h, width, self.cfg)

    def _strokes(self, idx: int) -> Strokes | None:
        if idx not in self._cache:
            self._cache[idx] = digit_strokes(self.images[idx], self.cfg.strokes)
        return self._cache[idx]


@dataclass
class Draft:
    """A number rendered at its own origin: parts (alpha, dx, dy, label), extent, baseline."""

    parts: list[tuple[np.ndarray, int, int, int]]
    width: int
    height: int
    baseline: int  # y of the writing line from the top of the draft
    digit_height: float

    def inks(self, x: int, y: int, color: Color) -> list[Ink]:
        """The digits as inks with the draft's origin at (x, y)."""
        return [Ink(a, x + dx, y + dy, color, lab) for a, dx, dy, lab in self.parts]


@dataclass(frozen=True)
class Spacing:
    """How a number's digits are set: ``gap`` between digits (in digit heights) and the
    ``bounds`` (px) every digit's height is kept within."""

    gap: tuple[float, float]
    bounds: tuple[float, float]


def draft_number(
    rng: np.random.Generator,
    picks: Sequence[int] | np.ndarray,
    labels: np.ndarray,
    height: float,
    spacing: Spacing,
    render: RenderFn,
    cfg: SceneConfig,
) -> Draft:
    """Digits ``picks`` side by side, bottoms near a common baseline."""
    raw = []
    x = 0.0
    for idx in picks:
        h = float(np.clip(height * rng.uniform(*cfg.digit_scale_jitter), *spacing.bounds))
        alpha, _, _ = trim(render(int(idx), h), cfg.trim_level)
        bottom = rng.uniform(*cfg.digit_baseline_jitter) * height
        raw.append((alpha, int(round(x)), bottom - alpha.shape[0], int(labels[idx])))
        x += alpha.shape[1] + rng.uniform(*spacing.gap) * height
    top = min(r[2] for r in raw)
    parts = [(a, dx, int(round(dy - top)), lab) for a, dx, dy, lab in raw]
    width = max(dx + a.shape[1] for a, dx, _, _ in parts)
    full = max(dy + a.shape[0] for a, _, dy, _ in parts)
    return Draft(parts, width, full, int(round(-top)), height)
