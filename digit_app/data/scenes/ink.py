"""Ink elements on a flat page: alpha masks composited by multiplication, their truth boxes
after the scene's geometric transform, and the page's finish (rounding, JPEG)."""
from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from digit_app.types import Box

Color = tuple[float, float, float]  # BGR, 0-255
#: A rectangle (x, y, w, h) in page pixels, not necessarily whole.
Rect = tuple[float, float, float, float]


@dataclass
class Ink:
    """One element drawn on a flat page: an alpha mask at (x, y) of a given colour."""

    alpha: np.ndarray  # float32 h x w in [0, 1]
    x: int
    y: int
    color: Color
    label: int = -1  # digit label, -1 for anything else

    @property
    def rect(self) -> Box:
        return (self.x, self.y, self.alpha.shape[1], self.alpha.shape[0])


def trim(alpha: np.ndarray, level: float) -> tuple[np.ndarray, int, int]:
    """Crop away rows/columns below ``level``; returns the crop and its offset (x, y)."""
    ys, xs = np.nonzero(alpha > level)
    if len(ys) == 0:
        return alpha[:1, :1] * 0, 0, 0
    y0, y1, x0, x1 = ys.min(), ys.max() + 1, xs.min(), xs.max() + 1
    return np.ascontiguousarray(alpha[y0:y1, x0:x1]), int(x0), int(y0)


def composite(page: np.ndarray, ink: Ink) -> None:
    """Multiply blend (ink absorbs light, so overlaps darken) into a float32 BGR page."""
    h, w = ink.alpha.shape
    H, W = page.shape[:2]
    x0, y0 = max(ink.x, 0), max(ink.y, 0)
    x1, y1 = min(ink.x + w, W), min(ink.y + h, H)
    if x1 <= x0 or y1 <= y0:
        return
    a = ink.alpha[y0 - ink.y : y1 - ink.y, x0 - ink.x : x1 - ink.x, None]
    absorb = 1.0 - np.asarray(ink.color, np.float32) / 255.0
    page[y0:y1, x0:x1] *= 1.0 - a * absorb


def ink_box(ink: Ink, M: np.ndarray | None, size: tuple[int, int], level: float) -> Box | None:
    """Tight box of the ink above ``level`` x its peak after the 3x3 transform ``M`` (None:
    the page is the image), clipped to the image ``size`` (w, h); None if nothing is left."""
    a = ink.alpha
    peak = float(a.max())
    if peak <= 0:
        return None
    thr = level * peak
    W, H = size
    if M is None:
        ys, xs = np.nonzero(a >= thr)
        bx0, by0 = ink.x, ink.y
    else:
        h, w = a.shape
        corners = np.array(
            [[ink.x, ink.y], [ink.x + w, ink.y], [ink.x, ink.y + h], [ink.x + w, ink.y + h]],
            np.float64,
        ).reshape(-1, 1, 2)
        tc = cv2.perspectiveTransform(corners, M).reshape(-1, 2)
        bx0 = int(math.floor(tc[:, 0].min())) - 2
        by0 = int(math.floor(tc[:, 1].min())) - 2
        bw = int(math.ceil(tc[:, 0].max())) + 2 - bx0
        bh = int(math.ceil(tc[:, 1].max())) + 2 - by0
        local = (
            np.array([[1, 0, -bx0], [0, 1, -by0], [0, 0, 1]], np.float64)
            @ M
            @ np.array([[1, 0, ink.x], [0, 1, ink.y], [0, 0, 1]], np.float64)
        )
        warped = cv2.warpPerspective(a, local, (bw, bh), flags=cv2.INTER_LINEAR)
        ys, xs = np.nonzero(warped >= thr)
    if len(ys) == 0:
        return None
    x0, y0 = bx0 + int(xs.min()), by0 + int(ys.min())
    x1, y1 = bx0 + int(xs.max()) + 1, by0 + int(ys.max()) + 1
    x0, y0, x1, y1 = max(x0, 0), max(y0, 0), min(x1, W), min(y1, H)
    if x1 <= x0 or y1 <= y0:
        return None
    return (x0, y0, x1 - x0, y1 - y0)


def ink_color(color: tuple[int, int, int], strength: float) -> Color:
    """``color`` laid on white with ``strength`` (1: the colour itself, 0: white)."""
    return (255 - (255 - color[0]) * strength, 255 - (255 - color[1]) * strength,
            255 - (255 - color[2]) * strength)


def to_uint8(img: np.ndarray) -> np.ndarray:
    """Round a float image to uint8 (works in place on ``img``)."""
    np.add(img, 0.5, out=img)
    np.clip(img, 0, 255, out=img)
    return img.astype(np.uint8)


def jpeg(img: np.ndarray, quality: int) -> np.ndarray:
    """``img`` (``H x W x 3 uint8`` BGR) through JPEG at ``quality``."""
    ok, buf = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, int(quality)])
    if not ok:
        raise RuntimeError("OpenCV could not encode a JPEG")
    image = cv2.imdecode(buf, cv2.IMREAD_COLOR)
    if image is None:
        raise RuntimeError("OpenCV could not decode its own JPEG")
    return image
