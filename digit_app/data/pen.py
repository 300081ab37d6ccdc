"""Pen strokes drawn as a person's pen, mouse or marker would: any size, any pen width.

Strokes are lists of ``K x 2`` float arrays of ``(x, y)`` points in any unit, y pointing down
(UNIPEN digits in millimetres, style templates in a unit box). :func:`render_strokes` draws them
with a round anti-aliased pen; :func:`random_pen_digit` picks a random writing situation:

- ``mouse``: a big canvas digit (40-500 px tall) drawn with a thin 1-3 px line, or a slightly
  wider one; the normalization must keep such hairlines (``normalize_digit``).
- ``pen``: a ball-point or felt pen, 5-15% of the digit height.
- ``marker``: a fat marker, 15-28% of the height.
- ``paper`` / ``webcam``: ink on paper through a scanner or a webcam (``augment``'s
  degradations), binarized back.

Output: ``H x W uint8`` ink mask, 255 ink on 0, as ``augment_digit`` returns.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from digit_app.data.augment import DEFAULT_AUGMENT, AugmentConfig, ink_mask, photo_ink, random_linear

_SHIFT = 4  # sub-pixel bits of the coordinates given to OpenCV's anti-aliased drawing


@dataclass(frozen=True)
class PenConfig:
    situations: tuple[tuple[str, float], ...] = (
        ("mouse", 0.3),
        ("pen", 0.25),
        ("marker", 0.1),
        ("paper", 0.2),
        ("webcam", 0.15),
    )
    mouse_height: tuple[float, float] = (40.0, 500.0)  # px, drawn log-uniformly
    mouse_hairline: float = 0.6  # share of mouse digits drawn 1-3 px wide whatever their size
    mouse_width: tuple[float, float] = (0.02, 0.08)  # of the height, the others
    pen_height: tuple[float, float] = (40.0, 140.0)
    pen_width: tuple[float, float] = (0.05, 0.15)
    marker_width: tuple[float, float] = (0.15, 0.28)
    photo_height: float = 56.0  # ink-on-paper digits are drawn at augment's working size
    photo_width: tuple[float, float] = (0.05, 0.2)
    jitter: float = 0.012  # smooth hand tremor, of the digit height
    augment: AugmentConfig = DEFAULT_AUGMENT  # rotation, shear, scale (and photo settings)


DEFAULT_PEN = PenConfig()


def bounds(strokes: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    pts = np.concatenate(strokes)
    return pts.min(axis=0), pts.max(axis=0)


def render_strokes(strokes: list[np.ndarray], height: float, width: float) -> np.ndarray:
    """Draw ``strokes`` scaled to ``height`` px tall with a round pen ``width`` px wide.

    Returns ``H x W uint8`` (255 ink on 0), just large enough.
    """
    lo, hi = bounds(strokes)
    scale = height / max(float(hi[1] - lo[1]), 1e-6)
    if (hi[0] - lo[0]) * scale > 3 * height:  # a flat stroke (a dash): bound its length
        scale = 3 * height / max(float(hi[0] - lo[0]), 1e-6)
    w = max(1, int(round(width)))
    pad = w // 2 + 3
    placed = [(s - lo) * scale + pad for s in strokes]
    out_w = int(math.ceil((hi[0] - lo[0]) * scale)) + 2 * pad + 1
    out_h = int(math.ceil((hi[1] - lo[1]) * scale)) + 2 * pad + 1
    out = np.zeros((out_h, out_w), np.uint8)
    for s in placed:
        p = np.round(s * (1 << _SHIFT)).astype(np.int32)
        if len(p) == 1 or np.ptp(p, axis=0).max() == 0:  # a dot
            cv2.circle(out, (int(p[0, 0]), int(p[0, 1])), max(1, (w << _SHIFT) // 2), 255, -1,
                       cv2.LINE_AA, _SHIFT)
        else:
            cv2.polylines(out, [p], False, 255, w, cv2.LINE_AA, _SHIFT)
    return out


def _tremor(strokes: list[np.ndarray], amount: float, rng: np.random.Generator) -> list[np.ndarray]:
    """Each point moved by a smooth random offset of about ``amount`` (same unit as points)."""
    out = []
    for s in strokes:
        if len(s) < 3:
            out.append(s)
            continue
        noise = rng.normal(0, 1, (len(s), 2)).astype(np.float32)
        sigma = max(1.0, len(s) / 8)  # a few slow wobbles along the stroke, not pixel noise
        reach = min(int(3 * sigma), (len(s) - 1) // 2)  # "same" convolution keeps len(s) points
        taps = np.arange(-reach, reach + 1, dtype=np.float32)
        kernel = np.exp(-0.5 * (taps / sigma) ** 2)
        noise = np.stack([np.convolve(noise[:, k], kernel, mode="same") for k in (0, 1)], 1)
        noise *= amount / max(float(np.abs(noise).max()), 1e-6)
        out.append(s + noise)
    return out


def transformed(strokes: list[np.ndarray], rng: np.random.Generator, cfg: PenConfig) -> list[np.ndarray]:
    """Strokes rotated, sheared, scaled (``augment.random_linear``) and trembled."""
    lo, hi = bounds(strokes)
    height = max(float(hi[1] - lo[1]), 1e-6)
    lin = random_linear(rng, cfg.augment).astype(np.float32)
    moved = [(s - lo) @ lin.T for s in strokes]
    return _tremor(moved, cfg.jitter * height, rng)


def _log_uniform(rng: np.random.Generator, lo: float, hi: float) -> float:
    return float(math.exp(rng.uniform(math.log(lo), math.log(hi))))


def random_pen_digit(
    strokes: list[np.ndarray], rng: np.random.Generator, cfg: PenConfig = DEFAULT_PEN
) -> np.ndarray:
    """One digit's strokes drawn in a random writing situation -> ``H x W uint8`` ink mask."""
    names = [n for n, _ in cfg.situations]
    weights = np.array([p for _, p in cfg.situations])
    situation = names[rng.choice(len(names), p=weights / weights.sum())]
    strokes = transformed(strokes, rng, cfg)
    if situation == "mouse":
        height = _log_uniform(rng, *cfg.mouse_height)
        if rng.random() < cfg.mouse_hairline:
            width = float(rng.integers(1, 4))
        else:
            width = max(1.0, rng.uniform(*cfg.mouse_width) * height)
        return ink_mask(render_strokes(strokes, height, width))
    if situation in ("pen", "marker"):
        height = rng.uniform(*cfg.pen_height)
        frac = cfg.pen_width if situation == "pen" else cfg.marker_width
        return ink_mask(render_strokes(strokes, height, max(1.0, rng.uniform(*frac) * height)))
    ink = render_strokes(strokes, cfg.photo_height, max(1.0, rng.uniform(*cfg.photo_width) * cfg.photo_height))
    ink = cv2.copyMakeBorder(ink, 6, 6, 6, 6, cv2.BORDER_CONSTANT, value=0)
    return photo_ink(ink, rng, cfg.augment, webcam=situation == "webcam")
