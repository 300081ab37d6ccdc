"""Digit styles that MNIST and the shared real sets hold too few of, as jittered pen strokes.

European 1 (an up-stroke flag, sometimes a foot), crossed 7, slashed 0 and open-top 4. Each
template is a few control polylines in a unit box (height 1, y down); every call moves the
control points a little and rounds the corners (Chaikin), so no two samples are alike. The
strokes are drawn like any real pen digit (:func:`digit_app.data.pen.random_pen_digit`).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

Polyline = list[tuple[float, float]]


@dataclass(frozen=True)
class StyleConfig:
    point_jitter: float = 0.05  # control points move by up to this, of the height
    smoothing: int = 2  # Chaikin corner-cutting passes
    foot_probability: float = 0.35  # European 1 with a foot serif
    hook_probability: float = 0.3  # crossed 7 with a small down-stroke at the left of its top
    slash_tilt_deg: tuple[float, float] = (10.0, 55.0)  # a slashed 0's slash, from upright
    slash_overshoot: tuple[float, float] = (-0.15, 0.4)  # its length past the ring, of the height
    #: Slashed 0s written as a small ring on a long, nearly upright stroke (like a phi):
    #: this share of them, their ring's height and width (of the stroke's length), the ring
    #: centre's depth and the stroke's tilt from upright.
    phi_share: float = 0.5
    phi_ring_height: tuple[float, float] = (0.35, 0.6)
    phi_ring_width: tuple[float, float] = (0.3, 0.6)
    phi_ring_centre: tuple[float, float] = (0.3, 0.55)
    phi_tilt_deg: tuple[float, float] = (0.0, 25.0)
    phi_min_above: float = 0.1  # the stroke reaches at least this far above the ring (no 9)


DEFAULT_STYLE = StyleConfig()
_OVAL_POINTS = 25  # points of a ring's polyline before Chaikin rounding


def _one(rng: np.random.Generator, cfg: StyleConfig) -> list[Polyline]:
    flag_len = rng.uniform(0.25, 0.45)
    top_x = rng.uniform(0.35, 0.5)
    strokes = [[(top_x - flag_len * 0.8, flag_len * rng.uniform(0.6, 1.0)), (top_x, 0.0), (top_x - 0.05, 1.0)]]
    if rng.random() < cfg.foot_probability:
        strokes.append([(top_x - 0.3, 1.0), (top_x + 0.2, 1.0)])
    return strokes


def _seven(rng: np.random.Generator, cfg: StyleConfig) -> list[Polyline]:
    stem_foot = rng.uniform(0.1, 0.3)
    top: Polyline = [(0.0, 0.05), (0.65, 0.0), (stem_foot, 1.0)]
    if rng.random() < cfg.hook_probability:
        top.insert(0, (0.02, 0.2))
    bar_y = rng.uniform(0.42, 0.58)
    stem_x = 0.65 + (stem_foot - 0.65) * bar_y  # where the stem crosses the bar's height
    half = rng.uniform(0.15, 0.25)
    return [top, [(stem_x - half, bar_y), (stem_x + half, bar_y)]]


def _zero(rng: np.random.Generator, cfg: StyleConfig) -> list[Polyline]:
    """An oval crossed by a slash through its centre, from nearly diagonal to nearly upright,
    ending inside the ring or reaching well past it (as many engineers write it); or a phi."""
    if rng.random() < cfg.phi_share:
        return _phi(rng, cfg)
    rx = rng.uniform(0.2, 0.35)
    ring = _oval(rx, 0.5, rx, 0.5)
    tilt = np.deg2rad(rng.uniform(*cfg.slash_tilt_deg))  # from upright
    half = 0.5 / np.cos(tilt) * (1 + rng.uniform(*cfg.slash_overshoot))
    dx, dy = half * float(np.sin(tilt)), half * float(np.cos(tilt))
    slash = [(rx - dx, 0.5 + dy), (rx + dx, 0.5 - dy)]
    return [ring, slash]


def _phi(rng: np.random.Generator, cfg: StyleConfig) -> list[Polyline]:
    """A small ring crossed by a stroke from the bottom of the box to above the ring."""
    ry = rng.uniform(*cfg.phi_ring_height) / 2
    rx = rng.uniform(*cfg.phi_ring_width) / 2
    cy = max(rng.uniform(*cfg.phi_ring_centre), ry + cfg.phi_min_above)
    cx = 0.5
    ring = _oval(cx, cy, rx, ry)
    slope = float(np.tan(np.deg2rad(rng.uniform(*cfg.phi_tilt_deg))))
    top = rng.uniform(0.0, max(cy - ry - cfg.phi_min_above, 0.0))
    slash = [(cx - (1.0 - cy) * slope, 1.0), (cx + (cy - top) * slope, top)]
    return [ring, slash]


def _oval(cx: float, cy: float, rx: float, ry: float) -> Polyline:
    """A closed oval around ``(cx, cy)`` with half-axes ``rx``, ``ry``, from its top."""
    t = np.linspace(0, 2 * np.pi, _OVAL_POINTS)
    return [(cx + rx * float(np.sin(a)), cy - ry * float(np.cos(a))) for a in t]


def _four(rng: np.random.Generator, cfg: StyleConfig) -> list[Polyline]:
    bar_y = rng.uniform(0.55, 0.7)
    stem_x = rng.uniform(0.45, 0.6)
    left = [(rng.uniform(0.15, 0.35), 0.0), (0.0, bar_y), (stem_x + rng.uniform(0.1, 0.2), bar_y)]
    stem = [(stem_x, rng.uniform(0.15, 0.35)), (stem_x - 0.03, 1.0)]
    return [left, stem]


TEMPLATES = {"european_1": (1, _one), "crossed_7": (7, _seven), "slashed_0": (0, _zero),
             "open_4": (4, _four)}


def _chaikin(points: np.ndarray, passes: int) -> np.ndarray:
    for _ in range(passes):
        if len(points) < 3:
            return points
        a, b = points[:-1], points[1:]
        cut = np.empty((2 * len(a), 2), points.dtype)
        cut[0::2] = 0.75 * a + 0.25 * b
        cut[1::2] = 0.25 * a + 0.75 * b
        points = np.vstack([points[:1], cut, points[-1:]])
    return points


def style_digit(
    name: str, rng: np.random.Generator, cfg: StyleConfig = DEFAULT_STYLE
) -> tuple[int, list[np.ndarray]]:
    """One sample of style ``name`` (a key of :data:`TEMPLATES`): ``(label, strokes)``, strokes
    as ``K x 2 float32`` in a unit box, y down."""
    label, make = TEMPLATES[name]
    strokes = []
    for line in make(rng, cfg):
        pts = np.asarray(line, np.float32)
        pts = pts + rng.uniform(-cfg.point_jitter, cfg.point_jitter, pts.shape).astype(np.float32)
        strokes.append(_chaikin(pts, cfg.smoothing))
    return label, strokes
