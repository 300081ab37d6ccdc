"""A simulated writer: digits drawn from stroke templates in one distinctive hand.

The hand is far from MNIST's: a strong forward slant, a very broad pen, a slashed 0, a 1 with a
long flag and a base, a 2 with a loop, a flat-topped 3, a closed 4, a 7 crossed and hooked, an
8 of two stacked rings, a 9 with a straight stem. Each sample jitters the points, the slant,
the size, the rotation and the pen width, so no two are alike. Used by the adaptation test
and benchmark: the shipped model reads this hand poorly; a few dozen corrected samples per
digit should teach it.

Output: a page ``H x W uint8`` (dark ink on light paper, as a scan or the canvas gives) and
the box ``(x, y, w, h)`` a person would draw around the digit. Nothing here normalizes: the
caller passes the page through the recognition path (see ``digit_app.samples.simulated``).
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import cv2
import numpy as np

Stroke = list[tuple[float, float]]

#: Fixed-point bits for OpenCV's sub-pixel drawing.
_SHIFT = 4
_ARC_POINTS = 24


def _arc(cx: float, cy: float, rx: float, ry: float, start_deg: float, end_deg: float,
         n: int = _ARC_POINTS) -> Stroke:
    """Points of an elliptic arc (angles in degrees, 0 = right, 90 = down: image axes)."""
    t = np.deg2rad(np.linspace(start_deg, end_deg, n))
    return [(cx + rx * float(np.cos(a)), cy + ry * float(np.sin(a))) for a in t]


def _templates() -> dict[int, list[Stroke]]:
    """Strokes per digit in a unit box: x in [0, 1] (scaled by the aspect), y in [0, 1] down."""
    return {
        0: [_arc(0.5, 0.5, 0.42, 0.48, 0, 360), [(0.2, 0.85), (0.8, 0.15)]],
        1: [[(0.05, 0.38), (0.62, 0.0), (0.62, 1.0)], [(0.2, 1.0), (1.0, 1.0)]],
        2: [_arc(0.5, 0.3, 0.4, 0.28, 190, 360) + [(0.7, 0.62), (0.3, 0.88)]
            + _arc(0.3, 0.78, 0.14, 0.12, 90, 400) + [(1.0, 0.98)]],
        3: [[(0.05, 0.02), (0.95, 0.02), (0.4, 0.42)], _arc(0.45, 0.68, 0.48, 0.3, -90, 150)],
        4: [[(0.78, 1.0), (0.78, 0.0), (0.0, 0.68), (1.0, 0.68)]],
        5: [[(0.25, 0.0), (1.0, 0.0)], [(0.25, 0.0), (0.18, 0.42)] + _arc(0.45, 0.68, 0.45, 0.3, -125, 160)],
        6: [[(0.85, 0.0), (0.3, 0.4)] + _arc(0.45, 0.72, 0.3, 0.26, 200, 560)],
        7: [[(0.0, 0.18), (0.05, 0.0), (1.0, 0.0), (0.38, 1.0)], [(0.25, 0.52), (0.95, 0.52)]],
        8: [_arc(0.5, 0.25, 0.32, 0.24, 0, 360), _arc(0.5, 0.74, 0.42, 0.26, 0, 360)],
        9: [_arc(0.45, 0.27, 0.42, 0.26, 0, 360), [(0.87, 0.27), (0.87, 1.0), (0.5, 0.9)]],
    }


TEMPLATES = _templates()


@dataclass(frozen=True)
class WriterStyle:
    height_px: int = 64  # digit height on the page
    aspect: float = 0.55  # width of the unit box relative to the height (narrow)
    slant: float = 0.9  # shear: the top leans right by this fraction of the height (42 deg)
    pen_rel: float = 0.24  # pen width relative to the height (MNIST's is about 0.1)
    margin_rel: float = 0.8  # paper around the digit, in digit heights
    ink_level: int = 35  # grey level of the ink; the paper is paper_level
    paper_level: int = 235
    paper_noise: float = 3.0  # sigma of the paper's grain, grey levels
    # Per-sample jitter.
    point_jitter: float = 0.035  # of the unit box
    slant_jitter: float = 0.08
    rotation_deg: float = 4.0
    scale_jitter: float = 0.12
    pen_jitter: float = 0.2  # relative change of the pen width
    box_pad_rel: tuple[float, float] = (0.05, 0.25)  # margin of the hand-drawn box, in heights


DEFAULT_STYLE = WriterStyle()


def _transform(strokes: list[Stroke], rng: np.random.Generator, style: WriterStyle) -> list[np.ndarray]:
    """Unit-box strokes -> pixel coordinates (origin at the digit's centre) with the jitter."""
    height = style.height_px * (1.0 + rng.uniform(-style.scale_jitter, style.scale_jitter))
    slant = style.slant + rng.uniform(-style.slant_jitter, style.slant_jitter)
    angle = np.deg2rad(rng.uniform(-style.rotation_deg, style.rotation_deg))
    rot = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    out = []
    for stroke in strokes:
        p = np.asarray(stroke, np.float64)
        p = p + rng.normal(0.0, style.point_jitter, 2) + rng.normal(0.0, style.point_jitter / 3, p.shape)
        x = (p[:, 0] - 0.5) * style.aspect * height
        y = (p[:, 1] - 0.5) * height
        x = x - slant * y  # y grows downwards: the top (negative y) moves right
        out.append(np.stack([x, y], axis=1) @ rot.T)
    return out


def render_digit(digit: int, rng: np.random.Generator,
                 style: WriterStyle = DEFAULT_STYLE) -> tuple[np.ndarray, tuple[int, int, int, int]]:
    """One digit in the writer's hand: ``(page H x W uint8, box (x, y, w, h))``."""
    strokes = _transform(TEMPLATES[int(digit)], rng, style)
    pen = style.pen_rel * style.height_px * (1.0 + rng.uniform(-style.pen_jitter, style.pen_jitter))
    pts = np.concatenate(strokes)
    lo, hi = pts.min(axis=0) - pen / 2, pts.max(axis=0) + pen / 2
    margin = style.margin_rel * style.height_px
    origin = margin - lo
    width, height = (int(np.ceil(v)) for v in (hi - lo + 2 * margin))
    ink = np.zeros((height, width), np.uint8)
    scale = 1 << _SHIFT
    thickness = max(1, int(round(pen)))
    for s in strokes:
        p = np.round((s + origin) * scale).astype(np.int32)
        cv2.polylines(ink, [p.reshape(-1, 1, 2)], False, 255, thickness, cv2.LINE_AA, _SHIFT)
    page = style.paper_level - (style.paper_level - style.ink_level) * (ink.astype(np.float32) / 255.0)
    page += rng.normal(0.0, style.paper_noise, page.shape)
    page = np.clip(np.rint(page), 0, 255).astype(np.uint8)
    pad = rng.uniform(*style.box_pad_rel, size=4) * style.height_px
    x0, y0 = np.floor(lo + origin - pad[:2]).astype(int)
    x1, y1 = np.ceil(hi + origin + pad[2:]).astype(int)
    x0, y0 = max(int(x0), 0), max(int(y0), 0)
    x1, y1 = min(int(x1), width), min(int(y1), height)
    return page, (x0, y0, x1 - x0, y1 - y0)


def writer_pages(per_digit: int, seed: int = 0,
                 style: WriterStyle = DEFAULT_STYLE) -> Iterator[tuple[np.ndarray, tuple, int]]:
    """``per_digit`` samples of each digit, interleaved: ``(page, box, label)``."""
    rng = np.random.default_rng(seed)
    for _ in range(per_digit):
        for d in range(10):
            page, box = render_digit(d, rng, style)
            yield page, box, d
