"""Colour, where a picture has it: one page's handwriting is written with one pen.

A camera's view of a sheet, or a colour scan of a form, shows the writing in its pen's
colour; printed labels are black or grey, stamps red, and the things on a desk come in any
colour. A digit standing alone, or at the end of a number otherwise in the pen's colour, whose
ink is far from the colour all the other digits share (:func:`odd_ink`) is no part of the
writing. A drawing on a canvas and a grey scan have no colour (:func:`in_colour`), and
nothing here applies to them.

Colours are compared by their chroma: the a* and b* of CIE L*a*b* (OpenCV's 8-bit scale,
128 for grey), leaving out lightness, which light and shadow change across a page.
"""
from __future__ import annotations

import cv2
import numpy as np

from digit_app.pipeline.config import DEFAULT_CONFIG, PipelineConfig
from digit_app.pipeline.grouping import BoxesLike


def in_colour(image: np.ndarray, cfg: PipelineConfig = DEFAULT_CONFIG) -> bool:
    """Whether an ``H x W x 3`` (BGR) or ``x 4`` (BGRA) uint8 image is in colour: on every
    ``colour_sample_step``-th pixel across and down, its blue and green differ, plus its
    green and red, by ``colour_min_difference`` grey levels or more on average. A grey image
    (``H x W`` or one channel, or three equal ones: a canvas, a grey scan) is not."""
    if image.ndim != 3 or image.shape[2] < 3 or image.size == 0:
        return False
    step = max(cfg.colour_sample_step, 1)
    b, g, r = (image[::step, ::step, c].astype(np.int16) for c in range(3))
    return float(np.mean(np.abs(b - g) + np.abs(g - r))) >= cfg.colour_min_difference


def ink_chroma(image: np.ndarray, boxes: np.ndarray,
               cfg: PipelineConfig = DEFAULT_CONFIG) -> np.ndarray:
    """Per box of ``boxes`` (n x 4 ``x, y, w, h`` inside the ``H x W x 3`` or ``x 4`` uint8
    BGR(A) ``image``), the mean a* and b* (n x 2 float32) of its darkest
    ``ink_colour_dark_share`` of pixels (and those as dark as the last of them): its ink,
    without the paper around the strokes."""
    out = np.zeros((len(boxes), 2), np.float32)
    for k, (x, y, w, h) in enumerate(np.asarray(boxes, np.int64).reshape(-1, 4).tolist()):
        crop = np.ascontiguousarray(image[y:y + h, x:x + w, :3])
        if crop.size == 0:
            continue
        lab = cv2.cvtColor(crop, cv2.COLOR_BGR2LAB)
        dark = max(1, int(cfg.ink_colour_dark_share * w * h))
        # The lightness below which that share lies, from the histogram: partitioning the
        # box's pixels took twice as long (10 boxes of 36 x 45: 0.46 against 0.25 ms).
        hist = cv2.calcHist([lab], [0], None, [256], [0, 256]).ravel()
        cut = int(np.searchsorted(np.cumsum(hist), dark))
        out[k] = cv2.mean(lab, cv2.inRange(lab[:, :, 0], 0, cut))[1:3]
    return out


def odd_ink(image: np.ndarray, boxes: BoxesLike, numbers: list[tuple[int, ...]],
            cfg: PipelineConfig = DEFAULT_CONFIG) -> np.ndarray:
    """Per digit (bool; ``boxes`` n x 4 in the colour ``image`` as for :func:`ink_chroma`,
    ``numbers`` their indexes grouped into numbers): a digit whose ink lies at least
    ``ink_colour_min_distance`` from the median chroma of the other digits, when there are
    ``ink_colour_min_others`` of them written with one pen (their median distance from that
    median at most ``ink_colour_max_spread``). Asked of a number of one digit, and of the
    first and last digits of a longer one whose other digits are in the pen's colour (a ring
    on the desk read 0 beside a written number); a number all in another ink (a red stamp's
    date) is no one digit's odd ink."""
    boxes = np.asarray(boxes, np.int64).reshape(-1, 4)
    out = np.zeros(len(boxes), bool)
    ends = _ends(numbers)
    if cfg.ink_colour_min_distance <= 0 or len(boxes) < cfg.ink_colour_min_others + 1 or not ends:
        return out
    chroma = ink_chroma(image, boxes, cfg)
    n, asked = len(boxes), np.array([k for k, _ in ends])
    # Per digit asked, the chroma of all the other digits (asked x n-1 x 2).
    others = chroma[np.nonzero(~np.eye(n, dtype=bool)[asked])[1].reshape(len(asked), n - 1)]
    pen = np.median(others, axis=1)
    # Several pens, or light changing colours across the page: nothing is odd.
    one_pen = np.median(np.linalg.norm(others - pen[:, None], axis=2), axis=1) <= cfg.ink_colour_max_spread
    far = np.linalg.norm(chroma - pen[:, None], axis=2) >= cfg.ink_colour_min_distance  # asked x n
    rest = np.zeros_like(far)
    for e, (_, members) in enumerate(ends):
        rest[e, list(members)] = True
    odd = one_pen & far[np.arange(len(asked)), asked] & ~(far & rest).any(axis=1)
    out[asked[odd]] = True
    return out


def _ends(numbers: list[tuple[int, ...]]) -> list[tuple[int, tuple[int, ...]]]:
    """``(digit, the other digits of its number)`` for the digit of every number of one digit
    and the first and last of every longer one."""
    out: list[tuple[int, tuple[int, ...]]] = []
    for g in numbers:
        out.append((g[0], tuple(g[1:])))
        if len(g) > 1:
            out.append((g[-1], tuple(g[:-1])))
    return out
