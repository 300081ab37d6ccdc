"""Stray pieces: small ink merged into a candidate from above or below its main stroke.

Pieces a stroke's width apart are merged as a broken digit's (a 5's hat, a 7's bar). A printed
label written over or under (the letters of "Item" over a "50", "Code" under a 4), or another
line's small mark, merges so too, and the digit then reads as another ("50" read "86"). Geometry
cannot tell a detached hat from a label's letter, so such a candidate is offered to the model
both ways (:func:`without_strays`, chosen by :func:`digit_app.pipeline.alternatives.choose`):
it stays whole unless the model is clearly surer of a digit without them
(``stray_drop_margin``).
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from digit_app.pipeline.alternatives import without_pieces
from digit_app.pipeline.config import DEFAULT_CONFIG, PipelineConfig

if TYPE_CHECKING:  # detect imports this module
    from digit_app.pipeline.detect import CandidateCrop


def strays(boxes: np.ndarray, cfg: PipelineConfig = DEFAULT_CONFIG) -> np.ndarray:
    """Per piece of one candidate (``boxes`` n x 4 int ``x, y, w, h``), whether it is a
    stray: shorter than ``stray_max_height_rel`` of the tallest piece, and wholly above its top
    or wholly below its bottom, at least ``stray_min_gap_rel`` of its height away (a stroke
    broken by the threshold leaves a narrower gap). No piece is, when the tallest is under
    ``stray_body_min_rel`` of the candidate's height: a digit in fragments has no main stroke.
    Nor is the dot of a printed i or j a stray: a piece over a stem (at most
    ``stray_stem_max_aspect`` as wide as tall) and at most ``stray_dot_max_width_rel`` as wide
    as it. Without its dot, an i reads 1.

    >>> strays(np.array([[10, 20, 20, 40], [0, 0, 30, 12], [12, 30, 6, 8]])).tolist()
    [False, True, False]
    >>> strays(np.array([[10, 20, 20, 40], [0, 0, 30, 30]])).tolist()  # too tall for a stray
    [False, False]
    >>> strays(np.array([[10, 20, 20, 40], [0, 0, 30, 18]])).tolist()  # too near
    [False, False]
    >>> strays(np.array([[10, 20, 20, 20], [0, 0, 30, 8], [10, 45, 20, 18]])).tolist()  # fragments
    [False, False, False]
    >>> strays(np.array([[10, 20, 8, 40], [9, 5, 9, 9]])).tolist()  # an i's dot
    [False, False]
    """
    boxes = np.asarray(boxes, np.int64).reshape(-1, 4)
    out = np.zeros(len(boxes), bool)
    if len(boxes) < 2:
        return out
    y0, w, h = boxes[:, 1], boxes[:, 2], boxes[:, 3]
    k = int(np.argmax(h))
    top, bottom = y0[k], y0[k] + h[k]
    if h[k] < cfg.stray_body_min_rel * ((y0 + h).max() - y0.min()):
        return out
    gap = cfg.stray_min_gap_rel * h[k]
    above = y0 + h <= top - gap
    if w[k] <= cfg.stray_stem_max_aspect * h[k]:
        above &= w > cfg.stray_dot_max_width_rel * w[k]
    out[:] = (h < cfg.stray_max_height_rel * h[k]) & ((y0 >= bottom + gap) | above)
    out[k] = False
    return out


def without_strays(cand: CandidateCrop, labels: np.ndarray, members: Sequence[int],
                   boxes: np.ndarray, cfg: PipelineConfig = DEFAULT_CONFIG) -> CandidateCrop | None:
    """``cand`` without its strays (:func:`strays` of its pieces ``members``, the component
    ids in the image's ``labels`` with ``boxes`` n x 4), or None when it has none."""
    stray = strays(boxes, cfg)
    return without_pieces(cand, labels, members, boxes, stray) if stray.any() else None
