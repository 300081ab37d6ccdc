"""Synthetic "not a digit" crops: what the pipeline finds that is not one handwritten digit.

Each generator returns an ink crop ``H x W uint8`` (ink 255 on 0), like ``augment_digit``:
printed letters, pieces of ruled lines and table corners, smudges and blots, scribbles, two
digits touching, and a part of a digit.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np

from digit_app.data.augment import DEFAULT_AUGMENT, INK_LEVEL, ink_mask, random_affine, upscale

# Letters whose printed shapes are not easily taken for a digit (no O, I, l, S, Z, B, g, q, b).
LETTERS = "ACDEFHKMNPRTUVWXYacdefhkmnprtuvwxy"
FONTS = (
    cv2.FONT_HERSHEY_SIMPLEX,
    cv2.FONT_HERSHEY_DUPLEX,
    cv2.FONT_HERSHEY_COMPLEX,
    cv2.FONT_HERSHEY_TRIPLEX,
    cv2.FONT_HERSHEY_PLAIN,
)


@dataclass(frozen=True)
class NegativeConfig:
    canvas: int = 68  # side of the square the negatives are drawn on (as augment's upscale)
    kinds: tuple[tuple[str, float], ...] = (
        ("letter", 0.3),
        ("line", 0.12),
        ("corner", 0.08),
        ("blob", 0.12),
        ("scribble", 0.1),
        ("touching", 0.16),
        ("part", 0.08),
    )
    line_max_angle_deg: float = 25.0  # near-vertical lines would be a "1": keep them flat
    part_keep_range: tuple[float, float] = (0.3, 0.5)  # fraction of a digit kept by "part"
    part_skip_labels: tuple[int, ...] = (1, 7)  # a part of these can still read as the digit
    blob_max_elongation: float = 2.0  # a long thin blob would be a "1"


DEFAULT_NEGATIVE = NegativeConfig()


def _letter(rng: np.random.Generator, cfg: NegativeConfig, **_unused: np.ndarray) -> np.ndarray:
    img = np.zeros((cfg.canvas, cfg.canvas), np.uint8)
    text = LETTERS[rng.integers(len(LETTERS))]
    font = FONTS[rng.integers(len(FONTS))]
    scale = rng.uniform(1.2, 2.0)
    thickness = int(rng.integers(1, 6))
    (tw, th), _ = cv2.getTextSize(text, font, scale, thickness)
    org = (max(0, (cfg.canvas - tw) // 2), min(cfg.canvas - 1, (cfg.canvas + th) // 2))
    cv2.putText(img, text, org, font, scale, 255, thickness, cv2.LINE_AA)
    return random_affine(img, rng, DEFAULT_AUGMENT)


def _line(rng: np.random.Generator, cfg: NegativeConfig, **_unused: np.ndarray) -> np.ndarray:
    img = np.zeros((cfg.canvas, cfg.canvas * 3), np.uint8)
    angle = np.deg2rad(rng.uniform(-cfg.line_max_angle_deg, cfg.line_max_angle_deg))
    h, w = img.shape
    dx, dy = np.cos(angle) * w * 0.45, np.sin(angle) * w * 0.45
    p1 = (int(w / 2 - dx), int(h / 2 - dy))
    p2 = (int(w / 2 + dx), int(h / 2 + dy))
    cv2.line(img, p1, p2, 255, int(rng.integers(1, 8)), cv2.LINE_AA)
    return img


def _corner(rng: np.random.Generator, cfg: NegativeConfig, **_unused: np.ndarray) -> np.ndarray:
    """Table corners and crossings: L, T and + shapes of ruled lines."""
    c = cfg.canvas
    img = np.zeros((c, c), np.uint8)
    t = int(rng.integers(1, 6))
    cx, cy = (int(v) for v in rng.integers(c // 4, 3 * c // 4, size=2))
    shape = rng.integers(3)
    cv2.line(img, (0 if shape else cx, cy), (c - 1, cy), 255, t)
    cv2.line(img, (cx, 0 if shape == 2 else cy), (cx, c - 1), 255, t)
    return img


def _blob(rng: np.random.Generator, cfg: NegativeConfig, **_unused: np.ndarray) -> np.ndarray:
    c = cfg.canvas
    img = np.zeros((c, c), np.uint8)
    for _ in range(int(rng.integers(1, 4))):
        centre = tuple(int(v) for v in rng.integers(c // 4, 3 * c // 4, size=2))
        major = int(rng.integers(4, c // 3))
        minor = max(3, int(major / rng.uniform(1.0, cfg.blob_max_elongation)))
        axes = (major, minor)
        cv2.ellipse(img, centre, axes, float(rng.uniform(0, 180)), 0, 360, 255, -1)
    noise = cv2.GaussianBlur(rng.uniform(0, 255, (c, c)).astype(np.uint8), (0, 0), 3)
    return np.where((img > 0) & (noise > 110), 255, 0).astype(np.uint8) if rng.random() < 0.5 else img


def _scribble(rng: np.random.Generator, cfg: NegativeConfig, **_unused: np.ndarray) -> np.ndarray:
    """A dense random zig-zag: many sharp turns, unlike any digit's few strokes."""
    c = cfg.canvas
    img = np.zeros((c, c), np.uint8)
    pts = rng.integers(4, c - 4, size=(int(rng.integers(7, 14)), 2)).astype(np.int32)
    cv2.polylines(img, [pts], False, 255, int(rng.integers(2, 6)), cv2.LINE_AA)
    return img


def _touching(rng: np.random.Generator, cfg: NegativeConfig, images, labels) -> np.ndarray:
    """Two digits side by side, touching or overlapping: one crop holding two digits."""
    a, b = (upscale(images[i]) for i in rng.integers(len(images), size=2))
    overlap = int(rng.integers(10, 24))
    w = a.shape[1] + b.shape[1] - overlap
    img = np.zeros((a.shape[0], w), np.uint8)
    img[:, : a.shape[1]] = a
    img[:, w - b.shape[1] :] = np.maximum(img[:, w - b.shape[1] :], b)
    return random_affine(img, rng, DEFAULT_AUGMENT)


def _part(rng: np.random.Generator, cfg: NegativeConfig, images, labels) -> np.ndarray:
    """A cut-off part of a digit (top, bottom, left or right)."""
    allowed = np.flatnonzero(~np.isin(labels, cfg.part_skip_labels))
    img = upscale(images[rng.choice(allowed)])
    ys, xs = np.nonzero(img > INK_LEVEL)
    if len(ys) == 0:
        return img
    keep = rng.uniform(*cfg.part_keep_range)
    side = rng.integers(4)
    out = np.zeros_like(img)
    if side == 0:
        cut = int(ys.min() + keep * (ys.max() - ys.min()))
        out[:cut] = img[:cut]
    elif side == 1:
        cut = int(ys.max() - keep * (ys.max() - ys.min()))
        out[cut:] = img[cut:]
    elif side == 2:
        cut = int(xs.min() + keep * (xs.max() - xs.min()))
        out[:, :cut] = img[:, :cut]
    else:
        cut = int(xs.max() - keep * (xs.max() - xs.min()))
        out[:, cut:] = img[:, cut:]
    return out


_GENERATORS: dict[str, Callable[..., np.ndarray]] = {
    "letter": _letter,
    "line": _line,
    "corner": _corner,
    "blob": _blob,
    "scribble": _scribble,
    "touching": _touching,
    "part": _part,
}


def make_negative(
    rng: np.random.Generator,
    images: np.ndarray,
    labels: np.ndarray,
    cfg: NegativeConfig = DEFAULT_NEGATIVE,
) -> np.ndarray:
    """One "not a digit" ink crop; ``images``/``labels`` are MNIST (``N x 28 x 28 uint8``, ``N``)."""
    names = [n for n, _ in cfg.kinds]
    weights = np.array([p for _, p in cfg.kinds])
    kind = names[rng.choice(len(names), p=weights / weights.sum())]
    crop = _GENERATORS[kind](rng, cfg, images=images, labels=labels)
    return ink_mask(crop)
