"""Underlines and a 1's foot: a dash lying under the rest of a candidate's ink and reaching
past both its sides.

Merged into the digit above it (a detached bar, as a 5's), an underline makes a 7 read as 1
or as "not a digit"; left out, a European 1's foot leaves a flag and a stem that read as 7.
Geometry cannot tell the two apart, so such a candidate is offered to the model both ways
(:func:`without_underline`, chosen by :func:`digit_app.pipeline.alternatives.choose`): the
reading without the dash is kept unless the model is clearly surer of a digit with it
(``underline_keep_margin``).
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from digit_app.pipeline.alternatives import without_pieces
from digit_app.pipeline.config import DEFAULT_CONFIG, PipelineConfig

if TYPE_CHECKING:  # detect imports this module
    from digit_app.pipeline.detect import CandidateCrop


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
    return without_pieces(cand, labels, members, boxes, under) if under.any() else None
