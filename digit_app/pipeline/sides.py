"""The background on either side of a bar: a stroke has paper on both sides, an edge does not.

Binarized, the border of anything darker than the paper (a sheet's edge against the desk, the
inside of a ring, a shadow) is a bar, and the model reads a bar as 1. Left and right of a pen's
stroke lies the same paper; beside an edge, paper on one side and the dark thing on the other
(:func:`side_contrast`). A 1 standing alone with that much difference is dropped
(:func:`edge_ones`).
"""
from __future__ import annotations

import numpy as np

from digit_app.pipeline.binarize import to_gray
from digit_app.pipeline.config import DEFAULT_CONFIG, PipelineConfig
from digit_app.pipeline.grouping import BoxesLike, lone_digits


def side_contrast(image: np.ndarray, boxes: BoxesLike,
                  cfg: PipelineConfig = DEFAULT_CONFIG) -> np.ndarray:
    """Per box (float64; ``boxes`` n x 4 ``x, y, w, h`` inside the uint8 ``image``, grey or
    BGR(A)): how far the median background in a strip left of the box and one right of it,
    over the box's rows, differ, as a fraction of the contrast inside the box (its lightest
    against its darkest ``edge_side_ink_share`` of pixels). About 0 for a stroke on paper, 1
    or more for the edge of a dark region; NaN where a strip lies outside the image."""
    b = np.asarray(boxes, np.int64).reshape(-1, 4)
    out = np.full(len(b), np.nan)
    cols = image.shape[1]
    for k, (x, y, w, h) in enumerate(b.tolist()):
        m = max(cfg.edge_side_min_px, int(cfg.edge_side_width_rel * w),
                int(cfg.edge_side_height_rel * h))
        if x - m < 0 or x + w + m > cols or w <= 0 or h <= 0:
            continue
        grey = to_gray(image[y:y + h, x - m:x + w + m])
        inside = np.sort(grey[:, m:m + w], axis=None)
        share = max(1, int(cfg.edge_side_ink_share * inside.size))
        contrast = float(inside[-share:].mean()) - float(inside[:share].mean())
        left, right = float(np.median(grey[:, :m])), float(np.median(grey[:, m + w:]))
        out[k] = abs(left - right) / max(contrast, 1.0)
    return out


def edge_ones(image: np.ndarray, boxes: BoxesLike, ones: np.ndarray,
              numbers: list[tuple[int, ...]], cfg: PipelineConfig = DEFAULT_CONFIG) -> np.ndarray:
    """Per digit (bool; ``boxes`` n x 4 in ``image`` as for :func:`side_contrast`, ``ones``
    bool per box: read as 1, ``numbers`` their indexes grouped into numbers): a 1 standing
    alone whose sides differ by ``edge_side_contrast`` or more, the edge of a dark thing."""
    b = np.asarray(boxes, np.int64).reshape(-1, 4)
    out = np.zeros(len(b), bool)
    if cfg.edge_side_contrast <= 0:
        return out
    alone = [k for k in lone_digits(b, cfg, numbers) if ones[k]]
    if alone:
        with np.errstate(invalid="ignore"):
            out[alone] = side_contrast(image, b[alone], cfg) >= cfg.edge_side_contrast
    return out
