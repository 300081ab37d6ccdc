"""Colour, where a picture has it: one page's handwriting is written with one pen.

A camera's view of a sheet, or a colour scan of a form, shows the writing in its pen's
colour; printed labels are black or grey, stamps red, and the things on a desk come in any
colour. A digit standing alone whose ink is far from the colour all the other digits share
(:func:`odd_ink`) is no part of the writing. A drawing on a canvas and a grey scan have no
colour (:func:`in_colour`), and nothing here applies to them.

Colours are compared by their chroma: the a* and b* of CIE L*a*b* (OpenCV's 8-bit scale,
128 for grey), leaving out lightness, which light and shadow change across a page.
"""
from __future__ import annotations

import cv2
import numpy as np

from digit_app.pipeline.config import DEFAULT_CONFIG, PipelineConfig
from digit_app.pipeline.grouping import BoxesLike, lone_digits


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
    ``ink_colour_dark_share`` of pixels: its ink, without the paper around the strokes."""
    out = np.zeros((len(boxes), 2), np.float32)
    for k, (x, y, w, h) in enumerate(np.asarray(boxes, np.int64).reshape(-1, 4)):
        crop = np.ascontiguousarray(image[y:y + h, x:x + w, :3])
        if crop.size == 0:
            continue
        lab = cv2.cvtColor(crop, cv2.COLOR_BGR2LAB).reshape(-1, 3).astype(np.float32)
        dark = max(1, int(cfg.ink_colour_dark_share * len(lab)))
        out[k] = lab[np.argpartition(lab[:, 0], dark - 1)[:dark], 1:].mean(axis=0)
    return out


def odd_ink(image: np.ndarray, boxes: BoxesLike, numbers: list[tuple[int, ...]],
            cfg: PipelineConfig = DEFAULT_CONFIG) -> np.ndarray:
    """Per digit (bool; ``boxes`` n x 4 in the colour ``image`` as for :func:`ink_chroma`,
    ``numbers`` their indexes grouped into numbers): a number of one digit whose ink lies at
    least ``ink_colour_min_distance`` from the median chroma of the other digits, when there
    are ``ink_colour_min_others`` of them written with one pen (their median distance from
    that median at most ``ink_colour_max_spread``)."""
    boxes = np.asarray(boxes, np.int64).reshape(-1, 4)
    out = np.zeros(len(boxes), bool)
    alone = lone_digits(boxes, cfg, numbers)
    if cfg.ink_colour_min_distance <= 0 or len(boxes) < cfg.ink_colour_min_others + 1 or not alone:
        return out
    chroma = ink_chroma(image, boxes, cfg)
    for k in alone:
        others = np.delete(chroma, k, axis=0)
        pen = np.median(others, axis=0)
        if float(np.median(np.linalg.norm(others - pen, axis=1))) > cfg.ink_colour_max_spread:
            continue  # several pens, or light changing colours across the page
        out[k] = float(np.linalg.norm(chroma[k] - pen)) >= cfg.ink_colour_min_distance
    return out
