"""Training batches: MNIST and real digits, styles and synthetic negatives through
``normalize_digit``.

Everything the model learns from goes through the same normalization the recognition pipeline
applies to the crops it finds (train/serve parity). Arrays: ``N x 32 x 32 x 1 float32``.
"""
from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass

import cv2
import numpy as np

from digit_app.child_process import exit_with_parent
from digit_app.data.augment import DEFAULT_AUGMENT, AugmentConfig, augment_digit
from digit_app.data.negatives import make_negative
from digit_app.data.pen import DEFAULT_PEN, PenConfig, random_pen_digit
from digit_app.data.printed import PrintedConfig
from digit_app.data.styles import TEMPLATES, style_digit
from digit_app.model.cut_data import make_cut_samples
from digit_app.model.printed_data import make_printed_digits, make_printed_negatives
from digit_app.pipeline.normalize import NormalizeConfig, normalize_digit
from digit_app.types import NOT_A_DIGIT

#: Printed samples without the letters that print like a digit (see ``EpochRecipe.printed``).
TRAINING_PRINTED = PrintedConfig(confusable_weight=0.0)


@dataclass(frozen=True)
class EpochRecipe:
    augment_fraction: float = 0.6  # the rest of the digits are shown clean, as MNIST
    negative_fraction: float = 0.15  # "not a digit" samples, relative to the digit count
    augment: AugmentConfig = DEFAULT_AUGMENT
    #: With an ``AugmentCache``: share of the augmented digits made anew although an earlier
    #: augmentation of the same digit is kept; the others show that one again. Augmenting
    #: is most of the time it takes to make an epoch.
    augment_refresh: float = 0.5
    #: Digits that come with pen strokes (UNIPEN) are drawn anew from their strokes with a
    #: random pen this often; otherwise their MNIST-layout image is augmented like MNIST's.
    pen_fraction: float = 0.8
    pen: PenConfig = DEFAULT_PEN
    #: Style-template digits (European 1, crossed 7, slashed 0, open-top 4) added per epoch,
    #: relative to the digit count, shared equally by the styles.
    style_fraction: float = 0.0
    #: Printed letters ("not a digit") and printed digits (read as digits: the pipeline, not
    #: the model, tells print from handwriting), relative to the digit count.
    printed_fraction: float = 0.0
    printed_digit_fraction: float = 0.0
    #: Letters that print like a digit (o, g, S, ...) are left to the pipeline's word level:
    #: learned as "not a digit" they teach the model to reject round 0s and plain 9s.
    printed: PrintedConfig = TRAINING_PRINTED
    #: Segmentation pieces (digits with a cut scar; wrong cuts, pairs and halves as "not a
    #: digit"), relative to the digit count.
    cut_fraction: float = 0.0
    #: Share of the MNIST digits shown in each epoch, a fresh random part each time (the real
    #: digits are all shown every epoch). Less than 1 trains faster; MNIST has many more
    #: digits than the real sets and repeats them in one style.
    mnist_share: float = 1.0


@dataclass
class AugmentCache:
    """The latest augmented model input of every digit (``N x 32 x 32 float32``), if any."""

    inputs: np.ndarray
    present: np.ndarray  # N bool

    @classmethod
    def empty(cls, n: int) -> AugmentCache:
        return cls(np.zeros((n, 32, 32), np.float32), np.zeros(n, bool))


def normalize_clean(images: np.ndarray, cfg: NormalizeConfig) -> np.ndarray:
    """MNIST digits (``N x 28 x 28 uint8``) as the model sees them (``N x 32 x 32 x 1``)."""
    out = np.empty((len(images), 32, 32, 1), np.float32)
    for i, img in enumerate(images):
        out[i, :, :, 0] = normalize_digit(img, cfg)
    return out


def pen_input(strokes: list, rng: np.random.Generator, cfg: NormalizeConfig,
              pen: PenConfig = DEFAULT_PEN) -> np.ndarray:
    """Pen strokes drawn once with a random pen, as the model sees them (``32 x 32 float32``)."""
    return normalize_digit(random_pen_digit(strokes, rng, pen), cfg)


def normalize_pen_digits(
    images: np.ndarray, strokes: list, rng: np.random.Generator, cfg: NormalizeConfig,
    pen: PenConfig = DEFAULT_PEN,
) -> np.ndarray:
    """Real digits as the model sees them (``N x 32 x 32 x 1``): those with strokes drawn once
    with a random pen, the others from their ``28 x 28`` images."""
    out = normalize_clean(images, cfg)
    for i, s in enumerate(strokes):
        if s is not None:
            out[i, :, :, 0] = pen_input(s, rng, cfg, pen)
    return out


def make_negatives(
    n: int, images: np.ndarray, labels: np.ndarray, rng: np.random.Generator, cfg: NormalizeConfig
) -> np.ndarray:
    out = np.empty((n, 32, 32, 1), np.float32)
    for i in range(n):
        out[i, :, :, 0] = normalize_digit(make_negative(rng, images, labels), cfg)
    return out


def make_styles(
    n: int, rng: np.random.Generator, cfg: NormalizeConfig, pen: PenConfig = DEFAULT_PEN
) -> tuple[np.ndarray, np.ndarray]:
    """``n`` style-template digits (``styles.TEMPLATES`` in turn), each drawn with a random
    pen: ``(N x 32 x 32 x 1 float32, N int64)``."""
    names = list(TEMPLATES)
    x = np.empty((n, 32, 32, 1), np.float32)
    y = np.empty(n, np.int64)
    for i in range(n):
        y[i], strokes = style_digit(names[i % len(names)], rng)
        x[i, :, :, 0] = pen_input(strokes, rng, cfg, pen)
    return x, y


def make_epoch(
    images: np.ndarray,
    labels: np.ndarray,
    clean: np.ndarray,
    seed: int,
    cfg: NormalizeConfig,
    recipe: EpochRecipe = EpochRecipe(),
    cache: AugmentCache | None = None,
    strokes: list | None = None,
    mnist: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """One shuffled epoch: every digit once (clean or augmented) plus styles and negatives.

    ``clean`` is ``normalize_clean(images)``, computed once by the caller. ``strokes``, when
    given, has one entry per digit: its pen strokes (a list of ``K x 2`` arrays) or None. With
    ``cache`` (kept across the epochs of one run), earlier augmentations are reused as
    ``recipe.augment_refresh`` says, and the cache is updated. ``mnist`` (``N bool``) marks the
    MNIST digits, of which only ``recipe.mnist_share`` is shown (None: every digit is shown).
    Returns ``(x: M x 32 x 32 x 1 float32, y: M int64)``.
    """
    rng = np.random.default_rng(seed)
    shown = np.arange(len(images))
    if mnist is not None and recipe.mnist_share < 1:
        shown = np.flatnonzero(~mnist | (rng.random(len(images)) < recipe.mnist_share))
    x = clean[shown]
    for j in np.flatnonzero(rng.random(len(shown)) < recipe.augment_fraction):
        i = shown[j]
        if strokes is not None and strokes[i] is not None and rng.random() < recipe.pen_fraction:
            x[j, :, :, 0] = pen_input(strokes[i], rng, cfg, recipe.pen)
            continue
        if cache is not None and cache.present[i] and rng.random() >= recipe.augment_refresh:
            x[j, :, :, 0] = cache.inputs[i]
            continue
        x[j, :, :, 0] = normalize_digit(augment_digit(images[i], rng, recipe.augment), cfg)
        if cache is not None:
            cache.inputs[i] = x[j, :, :, 0]
            cache.present[i] = True
    n = len(shown)
    sx, sy = make_styles(int(round(recipe.style_fraction * n)), rng, cfg, recipe.pen)
    n_neg = int(round(recipe.negative_fraction * n))
    n_printed = int(round(recipe.printed_fraction * n))
    px = make_printed_negatives(n_printed, rng, cfg, recipe.printed)
    dx, dy, _ = make_printed_digits(int(round(recipe.printed_digit_fraction * n)), rng, cfg, recipe.printed)
    cx, cy = make_cut_samples(int(round(recipe.cut_fraction * n)), images, labels, rng, cfg)
    x = np.concatenate([x, sx, make_negatives(n_neg, images, labels, rng, cfg), px, dx, cx])
    y = np.concatenate([labels[shown].astype(np.int64), sy, np.full(n_neg + n_printed, NOT_A_DIGIT, np.int64),
                        dy, cy])
    order = rng.permutation(len(y))
    return x[order], y[order]


@contextmanager
def opencv_threads(n: int) -> Iterator[None]:
    """OpenCV limited to ``n`` threads inside the block. Training data is made of small images,
    on which OpenCV's threads cost more than they give: one thread makes an epoch with about
    0.6 of the CPU time (``benchmarks/bench_epoch_data.py``), and the cores belong to training."""
    before = cv2.getNumThreads()
    cv2.setNumThreads(n)
    try:
        yield
    finally:
        cv2.setNumThreads(before)


class EpochMaker:
    """Makes the augmented epochs of one training run in ``workers`` processes at once, each
    always given the same part of the digits (so that its ``AugmentCache`` stays its own).

    Use as a context manager; the processes start ("spawn": forking a process that has
    TensorFlow's threads running can deadlock) and receive their data on entering.
    """

    def __init__(self, images: np.ndarray, labels: np.ndarray, clean: np.ndarray,
                 norm: NormalizeConfig, recipe: EpochRecipe, workers: int,
                 strokes: list | None = None, mnist: np.ndarray | None = None):
        n, k = len(images), max(1, workers)
        if mnist is not None and recipe.mnist_share < 1:
            # Dealt out in turn, so that each part has as many of the real digits, all shown.
            # (In one piece each otherwise: the epochs a seed made before stay the same.)
            self._parts = [np.arange(n)[i::k] for i in range(k)]
        else:
            self._parts = np.array_split(np.arange(n), k)
        self._args = (images, labels, clean, norm, recipe)
        self._strokes, self._mnist = strokes, mnist
        self._pools: list[ProcessPoolExecutor] = []
        self._pending: tuple[int, list[Future[tuple[np.ndarray, np.ndarray]]]] | None = None

    def __enter__(self) -> EpochMaker:
        images, labels, clean, norm, recipe = self._args
        context = multiprocessing.get_context("spawn")
        for part in self._parts:
            strokes = None if self._strokes is None else [self._strokes[i] for i in part]
            mnist = None if self._mnist is None else self._mnist[part]
            pool = ProcessPoolExecutor(max_workers=1, mp_context=context,
                                       initializer=init_epoch_worker,
                                       initargs=(images[part], labels[part], clean[part], norm,
                                                 recipe, strokes, mnist))
            self._pools.append(pool)
            pool.submit(int, 0)  # starts the process now, not at the first epoch
        return self

    def __exit__(self, *exc) -> None:
        for pool in self._pools:
            pool.shutdown(cancel_futures=True)

    def prefetch(self, seed: int) -> None:
        """Start making epoch ``seed`` now (while the model trains on the current one);
        :meth:`make` with the same seed then collects it. Same data as without prefetching."""
        self._pending = (seed, self._submit(seed))

    def _submit(self, seed: int) -> list[Future[tuple[np.ndarray, np.ndarray]]]:
        n = len(self._pools)
        return [pool.submit(epoch_job, seed * n + k) for k, pool in enumerate(self._pools)]

    def make(self, seed: int) -> tuple[np.ndarray, np.ndarray]:
        """One shuffled epoch (as ``make_epoch``), its parts made in parallel."""
        pending, self._pending = self._pending, None
        jobs = pending[1] if pending is not None and pending[0] == seed else self._submit(seed)
        parts = [job.result() for job in jobs]
        x = np.concatenate([p[0] for p in parts])
        y = np.concatenate([p[1] for p in parts])
        order = np.random.default_rng(seed).permutation(len(y))
        return x[order], y[order]


# Worker-process side of training: the data is sent once, then each job makes one epoch.
_WORKER: dict = {}


def init_epoch_worker(images, labels, clean, norm: NormalizeConfig, recipe: EpochRecipe,
                      strokes: list | None = None, mnist: np.ndarray | None = None) -> None:
    exit_with_parent()
    cv2.setNumThreads(1)  # as in opencv_threads: the process only makes training data
    _WORKER.update(images=images, labels=labels, clean=clean, norm=norm, recipe=recipe,
                   cache=AugmentCache.empty(len(images)), strokes=strokes, mnist=mnist)


def epoch_job(seed: int) -> tuple[np.ndarray, np.ndarray]:
    w = _WORKER
    return make_epoch(w["images"], w["labels"], w["clean"], seed, w["norm"], w["recipe"],
                      w["cache"], w["strokes"], w["mnist"])
