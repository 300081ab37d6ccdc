"""Training data: pen strokes from skeletons, the augmentation sources and epochs."""
from __future__ import annotations

from dataclasses import replace

import cv2
import numpy as np
import pytest

from digit_app.data.augment import DEFAULT_AUGMENT, augment_digit
from digit_app.data.strokes import digit_strokes, draw_pen, mnist_crop, thin
from digit_app.model.training_data import (
    AugmentCache,
    EpochRecipe,
    make_epoch,
    normalize_clean,
    opencv_threads,
)
from digit_app.pipeline.normalize import DEFAULT_NORMALIZE, stroke_width
from digit_app.types import NOT_A_DIGIT


def fake_digit(text: str = "7", thick: int = 3) -> np.ndarray:
    """A ``28 x 28 uint8`` MNIST-like digit: bright ink on black."""
    img = np.zeros((28, 28), np.uint8)
    cv2.putText(img, text, (5, 23), cv2.FONT_HERSHEY_SIMPLEX, 0.8, 255, thick, cv2.LINE_AA)
    return img


def test_thinning_leaves_a_one_pixel_line():
    bar = np.zeros((30, 60), bool)
    bar[10:19, 5:55] = True  # 9 px thick
    skel = thin(bar)
    assert skel.sum() > 30
    assert (skel.sum(axis=0)[10:50] == 1).all()  # one pixel per column along the bar
    assert skel[:, 10:50].any(axis=1).sum() <= 2  # near the middle row


def test_mnist_crop_and_empty_digit():
    d = fake_digit()
    crop = mnist_crop(d, 20)
    assert crop.shape[0] < 28 and crop.shape[1] < 28 and crop.max() == d.max()
    assert digit_strokes(np.zeros((28, 28), np.uint8)) is None


@pytest.mark.parametrize("width", [8, 14])
def test_strokes_redrawn_with_a_constant_width_pen(width):
    strokes = digit_strokes(fake_digit("4", thick=4))
    assert strokes is not None and len(strokes.links) > 10
    pts = (strokes.points - strokes.points.min(axis=0)) * 1.5
    img = draw_pen(strokes, pts, width)
    assert img.dtype == np.uint8 and img.ndim == 2
    assert img.shape[1] >= pts[:, 0].max() + width and img.shape[0] >= pts[:, 1].max() + width
    mask = np.where(img > 127, 255, 0).astype(np.uint8)
    # Twice the distance to the background along the stroke's centre line is its width.
    centre = thin(mask > 0)
    widths = 2 * cv2.distanceTransform(mask, cv2.DIST_L2, 5)[centre]
    assert abs(float(np.median(widths)) - width) <= 0.2 * width + 1.5


@pytest.mark.parametrize("source", ["clean", "pen", "stroke", "paper", "webcam"])
def test_every_source_gives_a_binary_ink_crop(source):
    cfg = replace(DEFAULT_AUGMENT, source_weights=((source, 1.0),))
    rng = np.random.default_rng(1)
    for text in "0147":
        out = augment_digit(fake_digit(text), rng, cfg)
        assert out.dtype == np.uint8 and out.ndim == 2
        assert set(np.unique(out)) <= {0, 255}
        assert np.count_nonzero(out) > 20


def test_stroke_source_spans_thin_to_thick_pens():
    cfg = replace(DEFAULT_AUGMENT, source_weights=(("stroke", 1.0),))
    rng = np.random.default_rng(2)
    widths = [stroke_width(augment_digit(fake_digit("3"), rng, cfg)) for _ in range(40)]
    lo, hi = (w * cfg.stroke_height for w in cfg.stroke_width_range)
    assert min(widths) < lo + 0.25 * (hi - lo)
    assert max(widths) > hi - 0.35 * (hi - lo)


def test_epoch_mixes_digits_and_negatives_and_is_reproducible():
    rng = np.random.default_rng(0)
    images = np.stack([fake_digit(str(d)) for d in rng.integers(0, 10, 40)])
    labels = rng.integers(0, 10, 40)
    clean = normalize_clean(images, DEFAULT_NORMALIZE)
    recipe = EpochRecipe(negative_fraction=0.25)
    x, y = make_epoch(images, labels, clean, 7, DEFAULT_NORMALIZE, recipe)
    assert x.shape == (50, 32, 32, 1) and x.dtype == np.float32
    assert (y == NOT_A_DIGIT).sum() == 10
    assert sorted(y[y != NOT_A_DIGIT].tolist()) == sorted(labels.tolist())
    x2, y2 = make_epoch(images, labels, clean, 7, DEFAULT_NORMALIZE, recipe)
    assert np.array_equal(x, x2) and np.array_equal(y, y2)
    # Without augmentation (the first epoch of training) the digits are the clean inputs.
    xc, yc = make_epoch(images, labels, clean, 7, DEFAULT_NORMALIZE,
                        replace(recipe, augment_fraction=0.0))
    digits = xc[yc != NOT_A_DIGIT]
    assert all(any(np.array_equal(d, c) for c in clean) for d in digits)


def test_augment_cache_reuses_earlier_augmentations():
    rng = np.random.default_rng(1)
    images = np.stack([fake_digit(str(d)) for d in rng.integers(0, 10, 60)])
    labels = rng.integers(0, 10, 60)
    clean = normalize_clean(images, DEFAULT_NORMALIZE)
    recipe = EpochRecipe(augment_fraction=1.0, negative_fraction=0.0, augment_refresh=0.0)
    cache = AugmentCache.empty(len(images))
    x1, _y1 = make_epoch(images, labels, clean, 1, DEFAULT_NORMALIZE, recipe, cache)
    assert cache.present.all()
    first = cache.inputs.copy()
    x2, _ = make_epoch(images, labels, clean, 2, DEFAULT_NORMALIZE, recipe, cache)
    assert np.array_equal(cache.inputs, first)  # nothing made anew
    assert sorted(map(bytes, x1[..., 0])) == sorted(map(bytes, x2[..., 0]))  # same inputs, reshuffled
    fresh = replace(recipe, augment_refresh=1.0)
    make_epoch(images, labels, clean, 3, DEFAULT_NORMALIZE, fresh, cache)
    assert not np.array_equal(cache.inputs, first)


def test_an_epoch_shows_a_share_of_mnist_and_every_real_digit():
    rng = np.random.default_rng(3)
    images = np.stack([fake_digit(str(d)) for d in rng.integers(0, 10, 100)])
    labels = np.where(np.arange(100) < 80, rng.integers(0, 9, 100), 9)  # the last 20 "real": 9
    mnist = np.arange(100) < 80
    clean = normalize_clean(images, DEFAULT_NORMALIZE)
    recipe = EpochRecipe(negative_fraction=0.25, mnist_share=0.5)
    shown_mnist = []
    for seed in (1, 2):
        _x, y = make_epoch(images, labels, clean, seed, DEFAULT_NORMALIZE, recipe, mnist=mnist)
        digits = y[y != NOT_A_DIGIT]
        assert (digits == 9).sum() == 20
        shown_mnist.append(int((digits < 9).sum()))
        assert 25 <= shown_mnist[-1] <= 55
        assert (y == NOT_A_DIGIT).sum() == round(0.25 * len(digits))  # relative to those shown
    every = make_epoch(images, labels, clean, 1, DEFAULT_NORMALIZE, replace(recipe, mnist_share=1.0),
                       mnist=mnist)
    unmarked = make_epoch(images, labels, clean, 1, DEFAULT_NORMALIZE, recipe)
    for _x, y in (every, unmarked):
        assert (y != NOT_A_DIGIT).sum() == 100


def test_opencv_threads_are_limited_inside_the_block_only():
    before = cv2.getNumThreads()
    with opencv_threads(1):
        assert cv2.getNumThreads() == 1
    assert cv2.getNumThreads() == before
