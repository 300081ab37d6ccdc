"""An MNIST digit as pen strokes: thinned to a skeleton, linked, redrawn with a round pen.

This is how a digit drawn with a mouse or a marker looks: constant stroke width, whatever the
width of the original pen. The scene generator draws its canvas digits this way and training
uses the same strokes for its ``stroke`` augmentation source, so both see one kind of pen.

Images are ``H x W uint8`` with bright ink on black; points are ``(x, y)`` float64 pixels.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

#: Sub-pixel bits of the coordinates given to OpenCV's anti-aliased drawing.
_SHIFT = 4
#: Links checked from each skeleton pixel: east, south, south-east, south-west.
_NEIGHBOURS = ((0, 1), (1, 0), (1, 1), (1, -1))


@dataclass(frozen=True)
class StrokeConfig:
    ink_level: int = 20  # MNIST grey above which a pixel counts when cropping the digit
    work_scale: int = 4  # MNIST upscale factor before thinning
    shape_threshold: float = 0.45  # upscaled MNIST grey (0-1) that is inside the shape
    smoothing_passes: int = 2  # neighbour averaging of skeleton points (removes pixel stairs)


@dataclass(frozen=True)
class Strokes:
    """A digit's skeleton as a graph: points (x, y) in work pixels, links between them."""

    points: np.ndarray  # N x 2 float64
    links: np.ndarray  # K x 2 indexes into points
    dots: np.ndarray  # indexes of points with no link


def mnist_crop(img28: np.ndarray, level: int) -> np.ndarray:
    """The rows and columns of a ``28 x 28 uint8`` digit that hold ink above ``level``."""
    rows = np.nonzero(img28.max(axis=1) > level)[0]
    cols = np.nonzero(img28.max(axis=0) > level)[0]
    if len(rows) == 0:
        return img28
    return img28[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]


def _thinning_tables() -> np.ndarray:
    """Zhang-Suen deletion rules of both sub-iterations as 256-entry lookup tables.

    The index is the 8-neighbourhood code: bit i set if neighbour P(i+2) is ink, clockwise
    from north (P2 = north, P3 = north-east, ..., P9 = north-west).
    """
    tables = np.zeros((2, 256), bool)
    for code in range(256):
        p = [(code >> i) & 1 for i in range(8)]
        b = sum(p)
        a = sum(1 for i in range(8) if p[i] == 0 and p[(i + 1) % 8] == 1)
        p2, p4, p6, p8 = p[0], p[2], p[4], p[6]
        base = 2 <= b <= 6 and a == 1
        tables[0, code] = base and p2 * p4 * p6 == 0 and p4 * p6 * p8 == 0
        tables[1, code] = base and p2 * p4 * p8 == 0 and p2 * p6 * p8 == 0
    return tables


_THINNING = _thinning_tables()


def thin(mask: np.ndarray) -> np.ndarray:
    """Zhang-Suen thinning of a boolean ``H x W`` mask to a one-pixel skeleton (vectorized)."""
    img = np.pad(mask.astype(np.uint8), 1)
    c = img[1:-1, 1:-1]
    nb = [  # P2..P9, clockwise from north
        img[:-2, 1:-1], img[:-2, 2:], img[1:-1, 2:], img[2:, 2:],
        img[2:, 1:-1], img[2:, :-2], img[1:-1, :-2], img[:-2, :-2],
    ]
    while True:
        changed = False
        for step in (0, 1):
            code = nb[0].copy()
            for i in range(1, 8):
                code |= nb[i] << i
            rm = (c == 1) & _THINNING[step][code]
            if rm.any():
                c[rm] = 0
                changed = True
        if not changed:
            return c.astype(bool)


def skeleton(img28: np.ndarray, cfg: StrokeConfig = StrokeConfig()) -> np.ndarray:
    """The digit's skeleton, ``work_scale`` times the size of its ink crop, boolean."""
    crop = np.pad(mnist_crop(img28, cfg.ink_level), 2).astype(np.float32) / 255.0
    k = cfg.work_scale
    big = cv2.resize(crop, None, fx=k, fy=k, interpolation=cv2.INTER_CUBIC)
    return thin(big > cfg.shape_threshold)


def digit_strokes(img28: np.ndarray, cfg: StrokeConfig = StrokeConfig()) -> Strokes | None:
    """The skeleton's 8-connected pixels linked, then smoothed; None for an empty digit."""
    skel = skeleton(img28, cfg)
    ys, xs = np.nonzero(skel)
    if len(ys) == 0:
        return None
    index = np.full(skel.shape, -1, np.int64)
    index[ys, xs] = np.arange(len(ys))
    hh, ww = skel.shape
    padded = np.pad(skel, 1)
    pairs = []
    for dy, dx in _NEIGHBOURS:
        ny, nx = ys + dy, xs + dx
        ok = (ny >= 0) & (ny < hh) & (nx >= 0) & (nx < ww)
        if dy and dx:  # a diagonal step already joined through an orthogonal neighbour
            ok &= ~(padded[ys + 1, xs + 1 + dx] | padded[ys + 1 + dy, xs + 1])
        j = np.full(len(ys), -1, np.int64)
        j[ok] = index[ny[ok], nx[ok]]
        i = np.nonzero(j >= 0)[0]
        pairs.append(np.stack([i, j[i]], 1))
    links = np.concatenate(pairs)
    linked = np.zeros(len(ys), bool)
    linked[links.ravel()] = True
    pts = np.stack([xs, ys], 1).astype(np.float64)
    for _ in range(cfg.smoothing_passes):
        total = pts.copy()
        count = np.ones(len(pts))
        np.add.at(total, links[:, 0], pts[links[:, 1]])
        np.add.at(total, links[:, 1], pts[links[:, 0]])
        np.add.at(count, links.ravel(), 1)
        pts = total / count[:, None]
    return Strokes(pts, links, np.nonzero(~linked)[0])


def draw_pen(strokes: Strokes, points: np.ndarray, width: int) -> np.ndarray:
    """Draw the strokes' links through ``points`` (N x 2, already placed, >= 0) with a round
    anti-aliased pen ``width`` pixels wide. Returns ``H x W uint8`` just large enough."""
    pad = width // 2 + 3
    out_w, out_h = (int(math.ceil(v)) + 2 * pad + 1 for v in points.max(axis=0))
    out = np.zeros((out_h, out_w), np.uint8)
    p = np.round((points + pad) * (1 << _SHIFT)).astype(np.int32)
    if len(strokes.links):
        cv2.polylines(out, list(p[strokes.links]), False, 255, int(width), cv2.LINE_AA, _SHIFT)
    radius = int(width * (1 << _SHIFT) // 2)
    for i in strokes.dots:  # isolated skeleton pixels: a dot
        cv2.circle(out, (int(p[i, 0]), int(p[i, 1])), radius, 255, -1, cv2.LINE_AA, _SHIFT)
    return out
