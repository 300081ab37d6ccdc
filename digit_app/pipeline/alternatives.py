"""A candidate read two ways before the model's first round: with and without an underline
(:mod:`underline`), or with and without stray pieces from other writing (:mod:`strays`).
Each way has its default; the model's answer decides the rest."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from digit_app.boxes import union_box
from digit_app.pipeline.config import DEFAULT_CONFIG, PipelineConfig
from digit_app.pipeline.normalize import normalize_batch
from digit_app.types import NOT_A_DIGIT

if TYPE_CHECKING:  # detect and segment import this module
    from digit_app.pipeline.detect import CandidateCrop
    from digit_app.pipeline.segment import Predict


def without_pieces(cand: CandidateCrop, labels: np.ndarray, members: Sequence[int],
                   boxes: np.ndarray, drop: np.ndarray) -> CandidateCrop:
    """``cand`` (made of the component ids ``members`` of the image's ``labels``, with
    ``boxes`` n x 4 ``x, y, w, h``) without the pieces where ``drop`` (bool n) is set; at
    least one must stay. The result has no alternatives of its own."""
    kept = [m for m, d in zip(members, drop) if not d]
    x, y, w, h = union_box((int(a), int(b), int(c), int(d)) for a, b, c, d in boxes[~drop])
    mask = np.isin(labels[y:y + h, x:x + w], kept).astype(np.uint8) * 255
    return replace(cand, box=(x, y, w, h), mask=mask, without_underline=None, without_strays=None)


def _alternative(cand: CandidateCrop) -> CandidateCrop | None:
    return cand.without_underline if cand.without_underline is not None else cand.without_strays


def choose(found: Sequence[Sequence[CandidateCrop]], predict: Predict,
           cfg: PipelineConfig = DEFAULT_CONFIG) -> list[list[CandidateCrop]]:
    """Per image, its candidates, each one that has an alternative read whole and as that
    alternative (one model call for all, none when no candidate has one). A candidate with an
    underline is replaced by its reading without it unless the model is
    ``underline_keep_margin`` surer of a digit with it; one with strays is replaced by its
    reading without them only when the model is ``stray_drop_margin`` surer of a digit so."""
    both = [(k, i, c, alt) for k, cands in enumerate(found)
            for i, c in enumerate(cands) if (alt := _alternative(c)) is not None]
    out = [list(cands) for cands in found]
    if not both:
        return out
    masks = [m for _, _, whole, alt in both for m in (whole.mask, alt.mask)]
    sure = np.asarray(predict(normalize_batch(masks, cfg.normalize)))[:, :NOT_A_DIGIT].max(axis=1)
    for j, (k, i, whole, alt) in enumerate(both):
        with_it, without = sure[2 * j], sure[2 * j + 1]
        if whole.without_underline is not None:
            take = with_it < without + cfg.underline_keep_margin
        else:
            take = without > with_it + cfg.stray_drop_margin
        if take:
            out[k][i] = alt
    return out
