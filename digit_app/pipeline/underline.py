"""Underlines and a 1's foot: a dash lying under the rest of a candidate's ink and reaching
past both its sides.

Merged into the digit above it (a detached bar, as a 5's), an underline makes a 7 read as 1
or as "not a digit"; left out, a European 1's foot leaves a flag and a stem that read as 7.
Geometry cannot tell the two apart, so such a candidate is offered to the model both ways
(:func:`without_underline`, :func:`choose`): the reading without the dash is kept unless the
model is clearly surer of a digit with it (``underline_keep_margin``).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from digit_app.boxes import union_box
from digit_app.pipeline.config import DEFAULT_CONFIG, PipelineConfig
from digit_app.pipeline.normalize import normalize_batch
from digit_app.types import NOT_A_DIGIT

if TYPE_CHECKING:  # both import this module
    from digit_app.pipeline.detect import CandidateCrop
    from digit_app.pipeline.segment import Predict


def underlines(boxes: np.ndarray, cfg: PipelineConfig = DEFAULT_CONFIG) -> np.ndarray:
    """Per piece of one candidate (``boxes`` n x 4 ``x, y, w, h``, the candidate's pieces),
    whether it is a dash (``dash_min_aspect`` times wider than tall) under the others: its
    top below the middle of their union, and reaching past both of its sides.

    >>> underlines(np.array([[10, 0, 20, 40], [0, 45, 40, 5]]))
    array([False,  True])
    >>> underlines(np.array([[10, 0, 20, 40], [15, 45, 10, 5]])).tolist()  # too short a bar
    [False, False]
    """
    boxes = np.asarray(boxes, np.int64).reshape(-1, 4)
    x0, y0, w, h = (boxes[:, k] for k in range(4))
    dash = w >= cfg.dash_min_aspect * h
    out = np.zeros(len(boxes), bool)
    rest = ~dash
    if not dash.any() or not rest.any():
        return out
    top, left = y0[rest].min(), x0[rest].min()
    bottom, right = (y0 + h)[rest].max(), (x0 + w)[rest].max()
    under: np.ndarray = dash & (y0 >= (top + bottom) / 2) & (x0 < left) & (x0 + w > right)
    return under


def without_underline(cand: CandidateCrop, labels: np.ndarray, members: Sequence[int],
                      boxes: np.ndarray, cfg: PipelineConfig = DEFAULT_CONFIG) -> CandidateCrop | None:
    """``cand`` without its underlines (:func:`underlines` of its pieces ``members``, the
    component ids in the image's ``labels`` with ``boxes`` n x 4), or None when it has none."""
    under = underlines(boxes, cfg)
    if not under.any():
        return None
    kept = [m for m, u in zip(members, under) if not u]
    x, y, w, h = union_box((int(a), int(b), int(c), int(d)) for a, b, c, d in boxes[~under])
    mask = np.isin(labels[y:y + h, x:x + w], kept).astype(np.uint8) * 255
    return replace(cand, box=(x, y, w, h), mask=mask, without_underline=None)


def choose(found: Sequence[Sequence[CandidateCrop]], predict: Predict,
           cfg: PipelineConfig = DEFAULT_CONFIG) -> list[list[CandidateCrop]]:
    """Per image, its candidates, each one that has an underline read with it and without it
    (one model call for all, none when no candidate has one) and replaced by its reading
    without unless the model is ``underline_keep_margin`` surer of a digit with it."""
    both = [(k, i, c, c.without_underline) for k, cands in enumerate(found)
            for i, c in enumerate(cands) if c.without_underline is not None]
    out = [list(cands) for cands in found]
    if not both:
        return out
    masks = [m for _, _, whole, alone in both for m in (whole.mask, alone.mask)]
    sure = np.asarray(predict(normalize_batch(masks, cfg.normalize)))[:, :NOT_A_DIGIT].max(axis=1)
    for j, (k, i, _, alone) in enumerate(both):
        if sure[2 * j] < sure[2 * j + 1] + cfg.underline_keep_margin:
            out[k][i] = alone
    return out
