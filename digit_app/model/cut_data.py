"""Segmentation samples (``digit_app.data.cut_samples``) as the model sees them.

Here, in the model layer, because they go through the pipeline's ``normalize_digit``
(train/serve parity) and the data layer does not import the pipeline.
"""
from __future__ import annotations

import numpy as np

from digit_app.data.cut_samples import DEFAULT_CUT_SAMPLE, CutSampleConfig, make_cut_sample
from digit_app.pipeline.normalize import NormalizeConfig, normalize_digit


def make_cut_samples(
    n: int,
    images: np.ndarray,
    labels: np.ndarray,
    rng: np.random.Generator,
    cfg: NormalizeConfig,
    cut: CutSampleConfig = DEFAULT_CUT_SAMPLE,
) -> tuple[np.ndarray, np.ndarray]:
    """``n`` segmentation samples: ``(x: n x 32 x 32 x 1 float32, y: n int64)``, digits with
    a cut scar (label 0-9) and "not a digit" pieces; ``images``/``labels`` are MNIST
    (``N x 28 x 28 uint8``, ``N``)."""
    x = np.empty((n, cfg.out_side, cfg.out_side, 1), np.float32)
    y = np.empty(n, np.int64)
    for k in range(n):
        crop, label = make_cut_sample(rng, images, labels, cut)
        x[k, :, :, 0] = normalize_digit(crop, cfg)
        y[k] = label
    return x, y
