"""Everything drawn that is not a handwritten digit, as alpha masks (``h x w float32`` in
[0, 1], trimmed to the ink): printed words and labels, check boxes, rubber stamps, ink blots,
smudges and straight lines."""
from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TypeVar

import cv2
import numpy as np

from digit_app.data.printed import font_paths, font_with_cap_height, text_alpha
from digit_app.data.scenes.config import SceneConfig
from digit_app.data.scenes.ink import Color, trim

T = TypeVar("T")


def pick(rng: np.random.Generator, options: Sequence[T]) -> T:
    """One of ``options``, uniformly."""
    return options[int(rng.integers(len(options)))]


def count(rng: np.random.Generator, r: tuple[int, int]) -> int:
    """An integer in ``r``, both ends included."""
    return int(rng.integers(r[0], r[1] + 1))


def word(rng: np.random.Generator, cfg: SceneConfig, cap: tuple[int, int]) -> tuple[np.ndarray, int]:
    """A printed word (Hershey font): its alpha and the y of its text baseline in the crop."""
    text = cfg.words[rng.integers(len(cfg.words))]
    if rng.random() < cfg.word_upper_probability:
        text = text.upper()
    font = int(cfg.fonts[rng.integers(len(cfg.fonts))])
    thickness = count(rng, cfg.word_thickness)
    scale = cv2.getFontScaleFromHeight(font, count(rng, cap), thickness)
    (tw, th), base = cv2.getTextSize(text, font, scale, thickness)
    pad = thickness + 4
    img = np.zeros((th + base + 2 * pad, tw + 2 * pad), np.uint8)
    cv2.putText(img, text, (pad, pad + th), font, scale, 255, thickness, cv2.LINE_AA)
    alpha, _, y0 = trim(img.astype(np.float32) / 255.0, cfg.trim_level)
    return alpha, pad + th - y0


def font_text(rng: np.random.Generator, text: str, cap: float,
              bold_probability: float) -> tuple[np.ndarray, int]:
    """``text`` in a random installed font (bold this often) with capitals ``cap`` px tall:
    its alpha and the y of its baseline in the crop."""
    fonts = font_paths()
    if fonts and rng.random() < bold_probability:
        fonts = tuple(f for f in fonts if "bold" in f.lower() or "black" in f.lower()) or fonts
    path = fonts[int(rng.integers(len(fonts)))] if fonts else None
    return text_alpha(text, font_with_cap_height(path, cap))


def checkbox(rng: np.random.Generator, cfg: SceneConfig, ink: Color) -> list[tuple[np.ndarray, Color]]:
    """A printed square outline, ticked by hand in ``ink`` sometimes: (alpha, colour) layers
    of one size."""
    side = count(rng, cfg.scan.checkbox_side)
    t = int(rng.integers(1, 3))
    pad = 2 + t
    box = np.zeros((side + 2 * pad, side + 2 * pad), np.uint8)
    cv2.rectangle(box, (pad, pad), (pad + side, pad + side), 255, t, cv2.LINE_AA)
    layers: list[tuple[np.ndarray, Color]] = [(box.astype(np.float32) / 255.0, cfg.print_color)]
    if rng.random() < cfg.scan.checkbox_tick_probability:
        tick = np.zeros_like(box)
        start = (pad + side * 0.2, pad + side * 0.55)
        bottom = (pad + side * 0.45, pad + side * 0.85)
        end = (pad + side * 1.0, pad - side * 0.1)
        pts = np.array([start, bottom, end]) + rng.normal(0, side * 0.04, (3, 2))
        pts = np.clip(pts, 0, box.shape[0] - 1)
        cv2.polylines(tick, [np.round(pts * 16).astype(np.int32)], False, 255,
                      max(2, side // 10), cv2.LINE_AA, 4)
        layers.append((tick.astype(np.float32) / 255.0, ink))
    return layers


def stamp(rng: np.random.Generator, cfg: SceneConfig) -> np.ndarray:
    """A rubber stamp: capitals in a rectangular frame, rotated; its alpha."""
    scan = cfg.scan
    text, _ = font_text(rng, pick(rng, scan.stamps), rng.uniform(*scan.stamp_height), 1.0)
    h, w = text.shape
    pad = int(rng.integers(6, 14))
    t = int(rng.integers(2, 5))
    img = np.zeros((h + 2 * pad + 2 * t, w + 2 * pad + 2 * t), np.float32)
    img[pad + t:pad + t + h, pad + t:pad + t + w] = text
    cv2.rectangle(img, (t // 2, t // 2), (img.shape[1] - 1 - t // 2, img.shape[0] - 1 - t // 2),
                  1.0, t, cv2.LINE_AA)
    angle = rng.uniform(-scan.stamp_rotation_deg, scan.stamp_rotation_deg)
    side = int(np.hypot(*img.shape)) + 2
    big = np.zeros((side, side), np.float32)
    y0, x0 = (side - img.shape[0]) // 2, (side - img.shape[1]) // 2
    big[y0:y0 + img.shape[0], x0:x0 + img.shape[1]] = img
    rot = cv2.getRotationMatrix2D((side / 2, side / 2), angle, 1.0)
    rotated = cv2.warpAffine(big, rot, (side, side), flags=cv2.INTER_LINEAR)
    return trim(rotated * rng.uniform(0.6, 0.95), cfg.trim_level)[0]


def blot(rng: np.random.Generator, cfg: SceneConfig) -> np.ndarray:
    """An ink blot: a few overlapping blurred ellipses."""
    size = rng.uniform(*cfg.blot_size)
    pad = int(size) + 6
    img = np.zeros((2 * pad, 2 * pad), np.uint8)
    shift = 4
    for _ in range(count(rng, cfg.blot_blobs)):
        cx, cy = pad + rng.normal(0, size * cfg.blot_spread, 2)
        ax = max(size / 2 * rng.uniform(*cfg.blot_axis_ratio), 1.5)
        ay = max(ax * rng.uniform(*cfg.blot_axis_ratio), 1.5)
        cv2.ellipse(
            img, (int(cx * 16), int(cy * 16)), (int(ax * 16), int(ay * 16)),
            float(rng.uniform(0, 180)), 0, 360, 255, -1, cv2.LINE_AA, shift,
        )
    alpha: np.ndarray = cv2.GaussianBlur(img.astype(np.float32) / 255.0, (0, 0),
                                         rng.uniform(*cfg.blot_blur))
    alpha *= rng.uniform(*cfg.blot_strength)
    return trim(alpha, cfg.trim_level)[0]


def smudge(rng: np.random.Generator, cfg: SceneConfig) -> np.ndarray:
    """A faint, soft-edged elliptical smudge."""
    size = rng.uniform(*cfg.smudge_size)
    pad = int(size)
    img = np.zeros((2 * pad, 2 * pad), np.float32)
    cv2.ellipse(
        img, (pad, pad), (int(size / 2), int(size / 2 * rng.uniform(*cfg.smudge_aspect))),
        float(rng.uniform(0, 180)), 0, 360, 1.0, -1, cv2.LINE_AA,
    )
    alpha: np.ndarray = cv2.GaussianBlur(img, (0, 0), size * cfg.smudge_softness)
    alpha *= rng.uniform(*cfg.smudge_strength) / max(float(alpha.max()), 1e-6)
    return trim(alpha, cfg.trim_level)[0]


def line(length: float, angle_deg: float, thickness: int, strength: float) -> np.ndarray:
    """A straight anti-aliased line of ``length`` px, tilted by ``angle_deg`` (not trimmed)."""
    t = math.radians(angle_deg)
    dx, dy = length * math.cos(t), length * math.sin(t)
    pad = thickness + 2
    w = int(math.ceil(abs(dx))) + 2 * pad
    h = int(math.ceil(abs(dy))) + 2 * pad
    img = np.zeros((h, w), np.uint8)
    x0 = pad
    y0 = pad + (abs(dy) if dy < 0 else 0)
    cv2.line(
        img, (int(x0 * 16), int(y0 * 16)), (int((x0 + dx) * 16), int((y0 + dy) * 16)),
        255, thickness, cv2.LINE_AA, 4,
    )
    return img.astype(np.float32) / 255.0 * strength


def line_piece(rng: np.random.Generator, cfg: SceneConfig) -> np.ndarray:
    """A stray piece of a line, slightly tilted."""
    thickness = count(rng, cfg.line_piece_thickness)
    alpha = line(
        rng.uniform(*cfg.line_piece_length),
        rng.uniform(-cfg.line_piece_tilt_deg, cfg.line_piece_tilt_deg),
        thickness,
        rng.uniform(*cfg.line_piece_strength),
    )
    return trim(alpha, cfg.trim_level)[0]
