"""Training batches: MNIST digits and synthetic negatives through ``normalize_digit``.

Everything the model learns from goes through the same normalization the recognition pipeline
applies to the crops it finds (train/serve parity). Arrays: ``N x 32 x 32 x 1 float32``.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from digit_app.data.augment import DEFAULT_AUGMENT, AugmentConfig, augment_digit
from digit_app.data.negatives import make_negative
from digit_app.pipeline.normalize import NormalizeConfig, normalize_digit
from digit_app.types import NOT_A_DIGIT


@dataclass(frozen=True)
class EpochRecipe:
    augment_fraction: float = 0.6  # the rest of the digits are shown clean, as MNIST
    negative_fraction: float = 0.15  # "not a digit" samples, relative to the digit count
    augment: AugmentConfig = DEFAULT_AUGMENT


def normalize_clean(images: np.ndarray, cfg: NormalizeConfig) -> np.ndarray:
    """MNIST digits (``N x 28 x 28 uint8``) as the model sees them (``N x 32 x 32 x 1``)."""
    out = np.empty((len(images), 32, 32, 1), np.float32)
    for i, img in enumerate(images):
        out[i, :, :, 0] = normalize_digit(img, cfg)
    return out


def make_negatives(
    n: int, images: np.ndarray, labels: np.ndarray, rng: np.random.Generator, cfg: NormalizeConfig
) -> np.ndarray:
    out = np.empty((n, 32, 32, 1), np.float32)
    for i in range(n):
        out[i, :, :, 0] = normalize_digit(make_negative(rng, images, labels), cfg)
    return out


def make_epoch(
    images: np.ndarray,
    labels: np.ndarray,
    clean: np.ndarray,
    seed: int,
    cfg: NormalizeConfig,
    recipe: EpochRecipe = EpochRecipe(),
) -> tuple[np.ndarray, np.ndarray]:
    """One shuffled epoch: every digit once (clean or augmented) plus negatives.

    ``clean`` is ``normalize_clean(images)``, computed once by the caller.
    Returns ``(x: M x 32 x 32 x 1 float32, y: M int64)``.
    """
    rng = np.random.default_rng(seed)
    x = clean.copy()
    for i in np.flatnonzero(rng.random(len(images)) < recipe.augment_fraction):
        x[i, :, :, 0] = normalize_digit(augment_digit(images[i], rng, recipe.augment), cfg)
    n_neg = int(round(recipe.negative_fraction * len(images)))
    x = np.concatenate([x, make_negatives(n_neg, images, labels, rng, cfg)])
    y = np.concatenate([labels.astype(np.int64), np.full(n_neg, NOT_A_DIGIT, np.int64)])
    order = rng.permutation(len(y))
    return x[order], y[order]


# Worker-process side of training: the data is sent once, then each job makes one epoch.
_WORKER: dict = {}


def init_epoch_worker(images, labels, clean, norm: NormalizeConfig, recipe: EpochRecipe) -> None:
    _WORKER.update(images=images, labels=labels, clean=clean, norm=norm, recipe=recipe)


def epoch_job(seed: int) -> tuple[np.ndarray, np.ndarray]:
    w = _WORKER
    return make_epoch(w["images"], w["labels"], w["clean"], seed, w["norm"], w["recipe"])
